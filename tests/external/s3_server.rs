//! A real S3 server on 127.0.0.1 for the publish tests: moto's
//! `moto_server` (installed by tests/sdk/setup.sh under target/sdk-env/moto,
//! with boto3, which the tests use to look at what the bucket holds).

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::{sdk_env, sdk_file};

fn venv() -> PathBuf {
    sdk_env().join("moto")
}

pub struct Moto {
    child: Child,
    pub port: u16,
}

impl Moto {
    /// A fresh server (empty, in memory), or `None` to skip when moto is
    /// not installed (a failure under `CI=true`).
    pub fn start(env: &[(&str, &str)]) -> Option<Moto> {
        sdk_file("moto", "bin/moto_server", "moto_server")?;
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        Some(Moto::on_port(port, env))
    }

    /// A fresh server on `port` (a restart after a kill).
    pub fn on_port(port: u16, env: &[(&str, &str)]) -> Moto {
        let child = Command::new(venv().join("bin/moto_server"))
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .envs(env.iter().copied())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start moto_server");
        let moto = Moto { child, port };
        let deadline = Instant::now() + Duration::from_secs(60);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "moto_server did not start");
            std::thread::sleep(Duration::from_millis(100));
        }
        moto
    }

    pub fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Runs python with `s3` (a boto3 client for this server), `bucket`
    /// and `key` (argv) defined; returns what it printed.
    pub fn boto(&self, bucket: &str, key: &str, code: &str) -> String {
        let script = format!(
            "import boto3, sys, json, hashlib, urllib.request\n\
             s3 = boto3.client('s3', endpoint_url='{}', aws_access_key_id='test', \
             aws_secret_access_key='test', region_name='us-east-1')\n\
             bucket, key = sys.argv[1], sys.argv[2]\n{code}",
            self.endpoint()
        );
        let out = Command::new(venv().join("bin/python"))
            .args(["-c", &script, bucket, key])
            .output()
            .expect("run python");
        assert!(
            out.status.success(),
            "boto3 failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    pub fn make_bucket(&self, bucket: &str) {
        self.boto(bucket, "", "s3.create_bucket(Bucket=bucket)");
    }

    /// `key size sha3-224-metadata sha3-224-of-the-body` per object, sorted.
    pub fn objects(&self, bucket: &str) -> Vec<String> {
        let out = self.boto(
            bucket,
            "",
            "for o in s3.list_objects_v2(Bucket=bucket).get('Contents', []):\n\
             \x20   h = s3.head_object(Bucket=bucket, Key=o['Key'])\n\
             \x20   body = s3.get_object(Bucket=bucket, Key=o['Key'])['Body'].read()\n\
             \x20   print(o['Key'] + '|' + str(o['Size']) + '|' + h['Metadata'].get('sha3-224', '-') + '|' \
             + hashlib.sha3_224(body).hexdigest() + '|' + h['ETag'] + '|' + str(h['LastModified']))\n",
        );
        let mut lines: Vec<String> = out.lines().map(str::to_string).collect();
        lines.sort();
        lines
    }

    /// Pending multipart uploads, asked without boto3 (fast enough to
    /// poll): moto answers unsigned requests.
    pub fn pending_uploads(&self, bucket: &str) -> usize {
        let Ok(mut s) = TcpStream::connect(("127.0.0.1", self.port)) else {
            return 0;
        };
        let request = format!(
            "GET /{bucket}?uploads HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nConnection: close\r\n\r\n",
            self.port
        );
        let _ = s.write_all(request.as_bytes());
        let mut body = String::new();
        let _ = s.read_to_string(&mut body);
        body.matches("<UploadId>").count()
    }

    /// SIGKILL, as a crash or an unplugged server would.
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Moto {
    fn drop(&mut self) {
        self.kill();
    }
}
