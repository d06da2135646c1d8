//! `cargo xtask serve`: a tiny static file server for `dist/` on 127.0.0.1.
//!
//! `/` serves the self-contained `butie.html`, so "Save page as" in the
//! browser gives a working offline copy; every other path maps to a file
//! directly inside `dist/`. GET and HEAD only, one thread per connection,
//! `Connection: close`. Meant for local development, not for production.

use std::io::{BufRead, BufReader, Write};
use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::path::Path;
use std::time::Duration;

use anyhow::{Context, Result};

use crate::dist;

/// Port used when `--port` is not given.
pub const DEFAULT_PORT: u16 = 8080;
/// File served for `/`.
const ROOT_FILE: &str = "butie.html";

/// Builds `dist/`, then serves it until the process is stopped.
pub fn serve(port: u16) -> Result<()> {
    let dist = dist::dist()?;
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, port))
        .with_context(|| format!("cannot listen on 127.0.0.1:{port} (in use? try --port N)"))?;
    let address = listener
        .local_addr()
        .context("cannot read the listening address")?;
    println!();
    println!("serving {} on http://{address}/", dist.dir.display());
    println!("  http://{address}/            self-contained page (butie.html)");
    println!("  http://{address}/index.html  multi-file page (butie.js + butie_bg.wasm)");
    println!(
        "offline single file: {}",
        dist.single_file
            .canonicalize()
            .unwrap_or(dist.single_file)
            .display()
    );
    println!("press Ctrl-C to stop");
    for stream in listener.incoming() {
        match stream {
            Ok(stream) => {
                let dir = dist.dir.clone();
                std::thread::spawn(move || {
                    if let Err(error) = handle(stream, &dir) {
                        eprintln!("serve: {error:#}");
                    }
                });
            }
            Err(error) => eprintln!("serve: accept failed: {error}"),
        }
    }
    Ok(())
}

/// Answers one request on `stream` from the files in `dir`.
fn handle(mut stream: TcpStream, dir: &Path) -> Result<()> {
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .context("cannot set a read timeout")?;
    let mut reader = BufReader::new(stream.try_clone().context("cannot clone the socket")?);
    let mut request_line = String::new();
    reader
        .read_line(&mut request_line)
        .context("cannot read the request")?;
    // Drain the headers; none of them matter here.
    let mut header = String::new();
    loop {
        header.clear();
        let read = reader
            .read_line(&mut header)
            .context("cannot read the headers")?;
        if read == 0 || header == "\r\n" || header == "\n" {
            break;
        }
    }

    let mut parts = request_line.split_whitespace();
    let (method, target) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
    let response = match method {
        "GET" | "HEAD" => match file_for(target) {
            Some(name) => match std::fs::read(dir.join(name)) {
                Ok(body) => Response::ok(mime_type(name), body),
                Err(_) => Response::error(404, "Not Found"),
            },
            None => Response::error(404, "Not Found"),
        },
        "" => return Ok(()),
        _ => Response::error(405, "Method Not Allowed"),
    };
    println!("{method} {target} -> {}", response.status);
    response.write(&mut stream, method == "HEAD")
}

/// Maps a request target to a file name inside `dist/`, refusing anything
/// that is not a plain file name there (no `..`, no subdirectories).
fn file_for(target: &str) -> Option<&str> {
    let path = target.split(['?', '#']).next().unwrap_or("");
    let name = path.strip_prefix('/')?;
    if name.is_empty() {
        return Some(ROOT_FILE);
    }
    let plain = !name.starts_with('.')
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'));
    plain.then_some(name)
}

/// Content type by file extension.
fn mime_type(name: &str) -> &'static str {
    match name.rsplit_once('.').map(|(_, ext)| ext) {
        Some("html") => "text/html; charset=utf-8",
        Some("js" | "mjs") => "text/javascript; charset=utf-8",
        Some("wasm") => "application/wasm",
        Some("css") => "text/css; charset=utf-8",
        Some("json") => "application/json",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("ico") => "image/x-icon",
        Some("txt") => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

struct Response {
    status: u16,
    reason: &'static str,
    content_type: &'static str,
    body: Vec<u8>,
}

impl Response {
    fn ok(content_type: &'static str, body: Vec<u8>) -> Self {
        Self {
            status: 200,
            reason: "OK",
            content_type,
            body,
        }
    }

    fn error(status: u16, reason: &'static str) -> Self {
        Self {
            status,
            reason,
            content_type: "text/plain; charset=utf-8",
            body: format!("{status} {reason}\n").into_bytes(),
        }
    }

    fn write(&self, stream: &mut TcpStream, head_only: bool) -> Result<()> {
        let head = format!(
            "HTTP/1.1 {} {}\r\nContent-Type: {}\r\nContent-Length: {}\r\n\
             Cache-Control: no-cache\r\nX-Content-Type-Options: nosniff\r\n\
             Connection: close\r\n\r\n",
            self.status,
            self.reason,
            self.content_type,
            self.body.len()
        );
        stream
            .write_all(head.as_bytes())
            .context("cannot send the response")?;
        if !head_only {
            stream
                .write_all(&self.body)
                .context("cannot send the response")?;
        }
        stream.flush().context("cannot send the response")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_targets_to_files() {
        assert_eq!(file_for("/"), Some("butie.html"));
        assert_eq!(file_for("/?x=1"), Some("butie.html"));
        assert_eq!(file_for("/index.html"), Some("index.html"));
        assert_eq!(file_for("/butie_bg.wasm#a"), Some("butie_bg.wasm"));
        assert_eq!(file_for("/../Cargo.toml"), None);
        assert_eq!(file_for("/.git"), None);
        assert_eq!(file_for("/a/b.js"), None);
        assert_eq!(file_for("/%2e%2e/x"), None);
        assert_eq!(file_for("http://example/"), None);
    }

    #[test]
    fn knows_wasm_and_html() {
        assert_eq!(mime_type("butie_bg.wasm"), "application/wasm");
        assert_eq!(mime_type("index.html"), "text/html; charset=utf-8");
        assert_eq!(mime_type("butie.js"), "text/javascript; charset=utf-8");
        assert_eq!(mime_type("LICENSE"), "application/octet-stream");
    }
}
