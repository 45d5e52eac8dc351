//! Where an X display listens, read from `DISPLAY`: to find out quickly
//! whether it answers, and to end the clipboard helper when it goes away.

use std::time::Duration;

/// How long connecting to an X display over TCP may take.
const CONNECT: Duration = Duration::from_secs(2);

/// Where an X display listens, from `DISPLAY` (`[host]:n[.screen]`).
#[derive(Debug, PartialEq, Eq)]
pub enum XAddress {
    Local(std::path::PathBuf),
    Tcp(String, u16),
}

pub fn x_address(display: &str) -> Option<XAddress> {
    let (host, rest) = display.rsplit_once(':')?;
    let number: u16 = rest.split('.').next()?.parse().ok()?;
    match host {
        "" | "unix" => Some(XAddress::Local(format!("/tmp/.X11-unix/X{number}").into())),
        host if !host.contains('/') => Some(XAddress::Tcp(
            host.to_string(),
            6000u16.checked_add(number)?,
        )),
        _ => None, // launchd-style socket paths: not probed
    }
}

impl XAddress {
    /// Connects and hangs up: whether the display accepts connections
    /// (within 2 s over TCP).
    pub fn connect(&self) -> std::io::Result<()> {
        use std::net::ToSocketAddrs;
        match self {
            XAddress::Local(path) => std::os::unix::net::UnixStream::connect(path).map(drop),
            XAddress::Tcp(host, port) => {
                let addr = (host.as_str(), *port)
                    .to_socket_addrs()?
                    .next()
                    .ok_or_else(|| {
                        std::io::Error::new(std::io::ErrorKind::NotFound, "no address for the host")
                    })?;
                std::net::TcpStream::connect_timeout(&addr, CONNECT).map(drop)
            }
        }
    }
}

/// arboard's wait only ends when another program takes the selection; if the
/// X server itself goes away (session ended, Xvfb killed) it would wait for
/// ever. So a watchdog checks every few seconds that the display still
/// accepts connections, and ends the helper when it does not.
pub fn exit_when_display_gone(display: Option<String>) {
    let Some(address) = display.as_deref().and_then(x_address) else {
        return; // no way to probe it: rely on arboard alone
    };
    if address.connect().is_err() {
        return; // reached some other way (e.g. an abstract socket): cannot judge
    }
    std::thread::spawn(move || loop {
        std::thread::sleep(Duration::from_secs(3));
        if address.connect().is_err() {
            std::process::exit(0);
        }
    });
}
