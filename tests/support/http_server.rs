//! A tiny HTTP/1.1 server on 127.0.0.1 whose every path misbehaves in one
//! chosen way, for `gvmi verify`'s tests. One thread per connection, so a
//! slow route never holds up the others; it stops with the test process.
#![allow(dead_code)]

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::Arc;
use std::time::Duration;

#[derive(Clone, Debug)]
pub enum Route {
    /// 200 with the bytes, HEAD and GET, like a static file server.
    Bytes(Vec<u8>),
    /// This status for every method.
    Status(u16),
    /// HEAD gets the status; GET serves the bytes (servers that refuse HEAD).
    HeadStatus(u16, Vec<u8>),
    /// HEAD is 200 with the bytes' length; GET gets the status.
    GetStatus(u16, Vec<u8>),
    /// 302 to another path.
    Redirect(String),
    /// Announces all the bytes, sends only the first `n`, then closes.
    Truncated(Vec<u8>, usize),
    /// Announces this Content-Length whatever the bytes are.
    WrongLength(Vec<u8>, u64),
    /// HEAD at once; GET sends headers and a little body, then stalls.
    Stall(Vec<u8>, Duration),
    /// Reads the request and says nothing for this long, then closes.
    Silent(Duration),
    /// 200 with this many bytes of [`pattern`], made as they are sent (a
    /// body bigger than the test would hold).
    Pattern(u64),
}

/// The byte at `offset` of a [`Route::Pattern`] body.
pub fn pattern(offset: u64) -> u8 {
    (offset.wrapping_mul(31) % 251) as u8
}

pub struct Server {
    pub port: u16,
}

impl Server {
    pub fn start(routes: Vec<(&str, Route)>) -> Server {
        Server::serving(routes, None)
    }

    /// A static file server over `dir` (every path a file below it, read
    /// when asked for, `%XX` decoded), with `routes` taking precedence.
    pub fn folder(dir: &std::path::Path, routes: Vec<(&str, Route)>) -> Server {
        Server::serving(routes, Some(dir.to_path_buf()))
    }

    fn serving(routes: Vec<(&str, Route)>, dir: Option<std::path::PathBuf>) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let routes: Arc<HashMap<String, Route>> = Arc::new(
            routes
                .into_iter()
                .map(|(p, r)| (p.to_string(), r))
                .collect(),
        );
        let dir = Arc::new(dir);
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let (routes, dir) = (Arc::clone(&routes), Arc::clone(&dir));
                std::thread::spawn(move || {
                    let _ = answer(stream, &routes, dir.as_deref());
                });
            }
        });
        Server { port }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }
}

/// A port nothing listens on: bound, then released.
pub fn closed_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        302 => "Found",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        500 => "Internal Server Error",
        _ => "Status",
    }
}

fn head(stream: &mut TcpStream, status: u16, length: u64, extra: &str) -> std::io::Result<()> {
    write!(
        stream,
        "HTTP/1.1 {status} {}\r\nContent-Length: {length}\r\n{extra}\
         Content-Type: application/octet-stream\r\nConnection: close\r\n\r\n",
        reason(status)
    )
}

fn answer(
    mut stream: TcpStream,
    routes: &HashMap<String, Route>,
    dir: Option<&std::path::Path>,
) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut request = String::new();
    reader.read_line(&mut request)?;
    let mut header = String::new();
    while reader.read_line(&mut header)? > 2 {
        header.clear();
    }
    let mut parts = request.split_whitespace();
    let (method, path) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
    let is_get = method == "GET";
    let route = routes.get(path).cloned();
    let route = match (route, dir) {
        (Some(route), _) => route,
        (None, Some(dir)) => return serve_file_below(&mut stream, dir, path, is_get),
        (None, None) => Route::Status(404),
    };
    match route {
        Route::Bytes(body) => {
            head(&mut stream, 200, body.len() as u64, "")?;
            if is_get {
                stream.write_all(&body)?;
            }
        }
        Route::Status(status) => head(&mut stream, status, 0, "")?,
        Route::HeadStatus(status, _) if !is_get => head(&mut stream, status, 0, "")?,
        Route::GetStatus(status, _) if is_get => head(&mut stream, status, 0, "")?,
        Route::HeadStatus(_, body) | Route::GetStatus(_, body) => {
            head(&mut stream, 200, body.len() as u64, "")?;
            if is_get {
                stream.write_all(&body)?;
            }
        }
        Route::Redirect(to) => head(&mut stream, 302, 0, &format!("Location: {to}\r\n"))?,
        Route::Truncated(body, n) => {
            head(&mut stream, 200, body.len() as u64, "")?;
            if is_get {
                stream.write_all(&body[..n])?;
            }
        }
        Route::WrongLength(body, length) => {
            head(&mut stream, 200, length, "")?;
            if is_get {
                stream.write_all(&body)?;
            }
        }
        Route::Silent(pause) => std::thread::sleep(pause),
        Route::Pattern(len) => {
            head(&mut stream, 200, len, "")?;
            if is_get {
                let mut sent = 0u64;
                let mut buf = vec![0u8; 64 << 10];
                while sent < len {
                    let n = buf.len().min((len - sent) as usize);
                    for (i, b) in buf[..n].iter_mut().enumerate() {
                        *b = pattern(sent + i as u64);
                    }
                    stream.write_all(&buf[..n])?;
                    sent += n as u64;
                }
            }
        }
        Route::Stall(body, pause) => {
            head(&mut stream, 200, body.len() as u64, "")?;
            if is_get {
                stream.write_all(&body[..body.len().min(1000)])?;
                stream.flush()?;
                // Bounded: the client's read timeout is shorter; then we give up too.
                std::thread::sleep(pause);
            }
        }
    }
    stream.flush()
}

/// A file below `dir` named by a request's path, as a static server serves
/// it; 404 for anything else (`..` included).
fn serve_file_below(
    stream: &mut TcpStream,
    dir: &std::path::Path,
    path: &str,
    is_get: bool,
) -> std::io::Result<()> {
    let name = percent_decode(path.trim_start_matches('/'));
    let file = match name.split('/').any(|s| s == "..") {
        true => None,
        false => std::fs::File::open(dir.join(&name)).ok(),
    };
    let Some(mut file) = file.filter(|f| f.metadata().is_ok_and(|m| m.is_file())) else {
        head(stream, 404, 0, "")?;
        return stream.flush();
    };
    head(stream, 200, file.metadata()?.len(), "")?;
    if is_get {
        std::io::copy(&mut file, stream)?;
    }
    stream.flush()
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok());
        match (bytes[i], hex.and_then(|h| u8::from_str_radix(h, 16).ok())) {
            (b'%', Some(b)) => {
                out.push(b);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// What a hostile handler is asked for.
pub struct Request {
    pub method: String,
    pub path: String,
}

/// A server whose answers are written byte by byte by `handler` (raw status
/// lines, drips, endless bodies). Bounded: it accepts for `lifetime` only,
/// then its thread ends; handlers must bound their own loops.
pub fn hostile(
    lifetime: Duration,
    handler: fn(&Request, &mut TcpStream) -> std::io::Result<()>,
) -> Server {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    listener.set_nonblocking(true).unwrap();
    std::thread::spawn(move || {
        let end = std::time::Instant::now() + lifetime;
        while std::time::Instant::now() < end {
            match listener.accept() {
                Ok((stream, _)) => {
                    std::thread::spawn(move || {
                        let _ = serve_hostile(stream, handler);
                    });
                }
                Err(_) => std::thread::sleep(Duration::from_millis(10)),
            }
        }
    });
    Server { port }
}

fn serve_hostile(
    mut stream: TcpStream,
    handler: fn(&Request, &mut TcpStream) -> std::io::Result<()>,
) -> std::io::Result<()> {
    stream.set_nonblocking(false)?;
    // A client that never sends its request cannot hold this thread.
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut line = String::new();
    reader.read_line(&mut line)?;
    let mut header = String::new();
    while reader.read_line(&mut header)? > 2 {
        header.clear();
    }
    let mut parts = line.split_whitespace();
    let request = Request {
        method: parts.next().unwrap_or("").to_string(),
        path: parts.next().unwrap_or("").to_string(),
    };
    handler(&request, &mut stream)?;
    stream.flush()
}

/// Writes `bytes` one at a time, `pause` apart, at most `max` of them
/// (the client hanging up ends it sooner).
pub fn drip(
    stream: &mut TcpStream,
    bytes: &[u8],
    pause: Duration,
    max: usize,
) -> std::io::Result<()> {
    for b in bytes.iter().cycle().take(max) {
        stream.write_all(&[*b])?;
        stream.flush()?;
        std::thread::sleep(pause);
    }
    Ok(())
}
