//! A fake S3 endpoint on 127.0.0.1 for `gvmi publish`'s hostile tests: it
//! answers each S3 operation as a bare-bones S3 would (PutObject, the
//! multipart calls, CopyObject, HEAD of a missing key), unless the test's
//! attack takes the request and writes its own answer, byte by byte. It
//! logs every request (method, target, headers) for the test to look at.
//! Bounded: it accepts for a minute, a request head is at most 64 KiB, and
//! attacks stop writing when gvmi hangs up.

use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The S3 operation a request is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Head,
    Put,
    Copy,
    Create,
    Part,
    Complete,
    Abort,
    Delete,
    Other,
}

/// One request as the server read it.
#[derive(Debug, Clone)]
pub struct Seen {
    pub op: Op,
    pub method: String,
    /// Path and query, as sent.
    pub target: String,
    pub headers: Vec<(String, String)>,
    pub body_len: usize,
}

/// Takes a request and writes its own answer (`Some`), or leaves it to the
/// default answer (`None`).
pub type Attack = Arc<dyn Fn(&Seen, &mut TcpStream) -> Option<io::Result<()>> + Send + Sync>;

pub struct FakeS3 {
    pub port: u16,
    log: Arc<Mutex<Vec<Seen>>>,
}

impl FakeS3 {
    pub fn start(
        attack: impl Fn(&Seen, &mut TcpStream) -> Option<io::Result<()>> + Send + Sync + 'static,
    ) -> FakeS3 {
        let attack: Attack = Arc::new(attack);
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        listener.set_nonblocking(true).unwrap();
        let log = Arc::new(Mutex::new(Vec::new()));
        let shared = Arc::clone(&log);
        std::thread::spawn(move || {
            let end = Instant::now() + Duration::from_secs(60);
            while Instant::now() < end {
                match listener.accept() {
                    Ok((stream, _)) => {
                        let (log, attack) = (Arc::clone(&shared), Arc::clone(&attack));
                        std::thread::spawn(move || {
                            let _ = serve(stream, &attack, &log);
                        });
                    }
                    Err(_) => std::thread::sleep(Duration::from_millis(5)),
                }
            }
        });
        FakeS3 { port, log }
    }

    pub fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    pub fn seen(&self) -> Vec<Seen> {
        self.log.lock().unwrap().clone()
    }

    pub fn count(&self, op: Op) -> usize {
        self.seen().iter().filter(|s| s.op == op).count()
    }
}

impl Seen {
    pub fn header(&self, name: &str) -> Option<&str> {
        let found = self
            .headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name));
        found.map(|(_, v)| v.as_str())
    }
}

fn op_of(method: &str, target: &str, copy: bool) -> Op {
    let query = target.split_once('?').map_or("", |(_, q)| q);
    let has = |name: &str| query.split('&').any(|p| p.split('=').next() == Some(name));
    match method {
        "HEAD" => Op::Head,
        "PUT" if has("partNumber") => Op::Part,
        "PUT" if copy => Op::Copy,
        "PUT" => Op::Put,
        "POST" if has("uploads") => Op::Create,
        "POST" if has("uploadId") => Op::Complete,
        "DELETE" if has("uploadId") => Op::Abort,
        "DELETE" => Op::Delete,
        _ => Op::Other,
    }
}

fn serve(stream: TcpStream, attack: &Attack, log: &Mutex<Vec<Seen>>) -> io::Result<()> {
    stream.set_nonblocking(false)?;
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    let mut writer = stream.try_clone()?;
    let mut reader = BufReader::new(stream).take(64 << 10);
    let mut line = String::new();
    reader.read_line(&mut line)?;
    let mut headers = Vec::new();
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header)? <= 2 {
            break;
        }
        if let Some((n, v)) = header.trim_end().split_once(':') {
            headers.push((n.trim().to_ascii_lowercase(), v.trim().to_string()));
        }
    }
    let mut parts = line.split_whitespace();
    let (method, target) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
    let length: u64 = (headers.iter())
        .find(|(n, _)| n == "content-length")
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    let mut body = reader.into_inner();
    let body_len = io::copy(&mut (&mut body).take(length), &mut io::sink())? as usize;
    let copy = headers.iter().any(|(n, _)| n == "x-amz-copy-source");
    let seen = Seen {
        op: op_of(method, target, copy),
        method: method.to_string(),
        target: target.to_string(),
        headers,
        body_len,
    };
    log.lock().unwrap().push(seen.clone());
    if let Some(done) = attack(&seen, &mut writer) {
        return done;
    }
    answer(&seen, &mut writer)
}

const NS: &str = "xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"";

/// What a bare-bones S3 answers.
fn answer(seen: &Seen, s: &mut TcpStream) -> io::Result<()> {
    match seen.op {
        Op::Head => reply(s, "404 Not Found", "", ""),
        Op::Put => reply(s, "200 OK", "ETag: \"put\"\r\n", ""),
        Op::Part => reply(s, "200 OK", "ETag: \"part\"\r\n", ""),
        Op::Copy => reply(
            s,
            "200 OK",
            "",
            &format!("<CopyObjectResult {NS}><ETag>\"copy\"</ETag></CopyObjectResult>"),
        ),
        Op::Create => reply(
            s,
            "200 OK",
            "",
            &format!(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?><InitiateMultipartUploadResult {NS}>\
                 <Bucket>bkt</Bucket><Key>k</Key><UploadId>UPLOAD-1</UploadId>\
                 </InitiateMultipartUploadResult>"
            ),
        ),
        Op::Complete => reply(
            s,
            "200 OK",
            "",
            &format!(
                "<CompleteMultipartUploadResult {NS}><ETag>\"done-2\"</ETag>\
                 </CompleteMultipartUploadResult>"
            ),
        ),
        Op::Abort | Op::Delete => reply(s, "204 No Content", "", ""),
        Op::Other => reply(s, "400 Bad Request", "", ""),
    }
}

/// A whole answer with its Content-Length; the connection then closes.
pub fn reply(s: &mut TcpStream, status: &str, extra: &str, body: &str) -> io::Result<()> {
    write!(
        s,
        "HTTP/1.1 {status}\r\nContent-Length: {}\r\n{extra}Connection: close\r\n\r\n{body}",
        body.len()
    )?;
    s.flush()
}

/// A status line and headers announcing a chunked body, then `total` bytes
/// of it in 64 KiB chunks, `start` first (stops when the client hangs up).
pub fn chunked(s: &mut TcpStream, status: &str, start: &str, total: u64) -> io::Result<()> {
    write!(
        s,
        "HTTP/1.1 {status}\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
    )?;
    write!(s, "{:x}\r\n{start}\r\n", start.len())?;
    let chunk = vec![b'x'; 64 << 10];
    let mut sent = start.len() as u64;
    while sent < total {
        write!(s, "{:x}\r\n", chunk.len())?;
        s.write_all(&chunk)?;
        s.write_all(b"\r\n")?;
        sent += chunk.len() as u64;
    }
    s.write_all(b"0\r\n\r\n")?;
    s.flush()
}

/// A valid image of `size` bytes: the self-test image's squashfs, zeros,
/// then its metadata (a gap between the two is allowed, as inspection
/// reads the squashfs from the head and the metadata from the tail).
pub fn padded_image(dir: &std::path::Path, name: &str, size: usize) -> std::path::PathBuf {
    let image = super::images::self_test();
    let length: usize = std::str::from_utf8(&image[image.len() - 8..])
        .unwrap()
        .parse()
        .unwrap();
    let metadata_start = image.len() - 8 - length - 4;
    let mut bytes = image[..metadata_start].to_vec();
    bytes.resize(size - (image.len() - metadata_start), 0);
    bytes.extend_from_slice(&image[metadata_start..]);
    super::tree::put(dir, name, bytes)
}
