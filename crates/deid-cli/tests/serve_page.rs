//! The review page in a real headless browser: Debian's Chromium driven over WebDriver
//! (chromedriver) by a few lines of plain HTTP, so no browser download and no extra crate.
//! Paste a note, scan, reject one span, add one, switch the audience, make the result, copy
//! it, and check the result text and that every request the page made went to the server.
//!
//! Skipped (with a message) when chromedriver or Chromium is not installed:
//! `apt-get install chromium chromium-driver`; `DEID_CHROMEDRIVER` / `DEID_CHROMIUM` point
//! elsewhere. `DEID_SCREENSHOT=path.png` saves a screenshot of the page.

use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const NOTE: &str = "Seen by Dr. Jane Roe on 03/14/2021 with her husband Bob Ng.\n\
Maria is a 38-year-old Deaf firefighter; she attends Oak Clinic weekly.";

/// Kills the child when dropped (the test's own processes only).
struct Guard(Child);
impl Drop for Guard {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn http(port: u16, method: &str, path: &str, body: Option<&Value>) -> Value {
    let mut s = TcpStream::connect(("127.0.0.1", port)).expect("chromedriver");
    s.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
    let b = body.map(Value::to_string).unwrap_or_default();
    write!(
        s,
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\nConnection: close\r\nContent-Length: {}\r\n\r\n{b}",
        b.len()
    )
    .unwrap();
    // chromedriver keeps the connection open: read the headers, then Content-Length bytes.
    let mut r = BufReader::new(s);
    let mut len = 0usize;
    loop {
        let mut line = String::new();
        if r.read_line(&mut line).unwrap() == 0 || line.trim().is_empty() {
            break;
        }
        if let Some((k, v)) = line.split_once(':') {
            if k.eq_ignore_ascii_case("content-length") {
                len = v.trim().parse().unwrap_or(0);
            }
        }
    }
    let mut body = vec![0u8; len];
    r.read_exact(&mut body).unwrap();
    serde_json::from_slice(&body).unwrap_or(Value::Null)
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

struct Browser {
    port: u16,
    session: String,
}

impl Browser {
    fn exec(&self, script: &str) -> Value {
        let v = http(
            self.port,
            "POST",
            &format!("/session/{}/execute/sync", self.session),
            Some(&json!({"script": script, "args": []})),
        );
        v["value"].clone()
    }

    fn find(&self, css: &str) -> String {
        let v = http(
            self.port,
            "POST",
            &format!("/session/{}/element", self.session),
            Some(&json!({"using": "css selector", "value": css})),
        );
        let id = v["value"]
            .as_object()
            .and_then(|o| o.values().next())
            .and_then(Value::as_str)
            .unwrap_or_else(|| panic!("no element {css}: {v}"));
        id.to_string()
    }

    fn click(&self, css: &str) {
        let id = self.find(css);
        http(
            self.port,
            "POST",
            &format!("/session/{}/element/{id}/click", self.session),
            Some(&json!({})),
        );
    }

    /// Waits until `cond` (a script expression) is true.
    fn wait(&self, cond: &str) {
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(60) {
            if self.exec(&format!("return !!({cond});")) == json!(true) {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        panic!(
            "timed out waiting for {cond}; status: {}",
            self.exec("return document.getElementById('status').textContent;")
        );
    }
}

#[test]
fn the_page_reviews_a_note_in_headless_chromium() {
    let driver = std::env::var("DEID_CHROMEDRIVER").unwrap_or("/usr/bin/chromedriver".into());
    let chromium = std::env::var("DEID_CHROMIUM").unwrap_or("/usr/bin/chromium".into());
    if !std::path::Path::new(&driver).exists() || !std::path::Path::new(&chromium).exists() {
        // The README's test command installs the browser and sets this: there the test must
        // run, never skip.
        assert!(
            std::env::var_os("DEID_REQUIRE_BROWSER").is_none_or(|v| v != "1"),
            "DEID_REQUIRE_BROWSER=1 but {driver} or {chromium} is missing"
        );
        eprintln!(
            "skipped: no headless browser ({driver} or {chromium} missing; \
             apt-get install chromium chromium-driver)"
        );
        return;
    }
    // The server.
    let mut server = Command::new(env!("CARGO_BIN_EXE_deid"))
        .args(["serve", "--port", "0"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(server.stderr.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let _server = Guard(server);
    let url = line
        .split_whitespace()
        .find(|w| w.starts_with("http://127.0.0.1:"))
        .unwrap_or_else(|| panic!("no address in {line:?}"))
        .to_string();
    // The browser.
    let port = free_port();
    let _driver = Guard(
        Command::new(&driver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let start = Instant::now();
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "chromedriver did not start"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    let profile = tempfile::tempdir().unwrap();
    let caps = json!({"capabilities": {"alwaysMatch": {"browserName": "chrome",
        "goog:chromeOptions": {"binary": chromium, "args": [
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--window-size=1400,1000",
            format!("--user-data-dir={}", profile.path().display())]}}}});
    let v = http(port, "POST", "/session", Some(&caps));
    let session = v["value"]["sessionId"]
        .as_str()
        .unwrap_or_else(|| panic!("no session: {v}"))
        .to_string();
    let b = Browser { port, session };
    http(
        port,
        "POST",
        &format!("/session/{}/url", b.session),
        Some(&json!({ "url": url })),
    );

    // Paste and scan.
    b.exec(&format!(
        "document.getElementById('input').value = {};",
        json!(NOTE)
    ));
    b.click("#scan");
    b.wait("document.querySelectorAll('#note .sp').length > 0");
    b.wait("document.querySelector('#risk .level')");
    // Kinds differ by more than colour: a class (underline style) and a text badge.
    assert_eq!(
        b.exec(
            "return document.querySelector('#note .sp.direct .badge').textContent.startsWith('D');"
        ),
        json!(true)
    );
    assert!(b
        .exec("return document.querySelector('#note .sp').title;")
        .as_str()
        .unwrap()
        .contains("found by"));
    // Reject the span covering "Bob Ng" by keyboard (Enter), keep it in the text.
    b.exec(
        "const s = [...document.querySelectorAll('#note .sp')].find(e => e.textContent.startsWith('Bob'));
         s.focus(); s.dispatchEvent(new KeyboardEvent('keydown', {key: 'Enter', bubbles: true}));",
    );
    b.wait("[...document.querySelectorAll('#note .sp.rejected')].some(e => e.textContent.startsWith('Bob'))");
    // Add "Oak Clinic" as an organisation: select it and press Add.
    b.exec(
        "const note = document.getElementById('note');
         const w = document.createTreeWalker(note, NodeFilter.SHOW_TEXT); let n;
         while ((n = w.nextNode())) { const i = n.data.indexOf('Oak Clinic');
           if (i >= 0) { const r = document.createRange(); r.setStart(n, i); r.setEnd(n, i + 10);
             const sel = getSelection(); sel.removeAllRanges(); sel.addRange(r); break; } }
         document.getElementById('addcat').value = 'ORGANIZATION';",
    );
    b.click("#add");
    b.wait("document.querySelector('#note .sp.added')");
    // Switch the audience: the risk panel is assessed again.
    b.exec(
        "const a = document.getElementById('audience'); a.value = 'teaching';
         document.getElementById('risk').textContent = '';
         a.dispatchEvent(new Event('change'));",
    );
    b.wait("document.querySelector('#risk .level') && document.getElementById('risk').textContent.includes('teaching')");
    // Make the result, copy it.
    b.click("#make");
    b.wait("document.getElementById('result').value.length > 0");
    let result = b
        .exec("return document.getElementById('result').value;")
        .as_str()
        .unwrap()
        .to_string();
    assert!(!result.contains("Jane Roe"), "{result}");
    assert!(result.contains("Bob Ng"), "{result}");
    assert!(result.contains("[ORGANIZATION]"), "{result}");
    b.click("#copy");
    b.wait("document.getElementById('status').textContent.includes('Copied')");
    // The vignette is made from the reviewed spans too: the rejected name stays.
    b.exec(
        "document.getElementById('result').value = '';
         document.getElementById('strategy').value = 'vignette';",
    );
    b.click("#make");
    b.wait("document.getElementById('result').value.length > 0");
    let vignette = b
        .exec("return document.getElementById('result').value;")
        .as_str()
        .unwrap()
        .to_string();
    assert!(!vignette.contains("Jane Roe"), "{vignette}");
    assert!(
        vignette.contains("Bob Ng"),
        "a rejected span stays: {vignette}"
    );
    // Every request went to the server the page came from.
    let origins = b.exec(
        "return performance.getEntriesByType('resource').map(e => new URL(e.name).origin)
           .concat([location.origin]);",
    );
    let origin = url.trim_end_matches('/');
    for o in origins.as_array().unwrap() {
        assert_eq!(o.as_str().unwrap(), origin);
    }
    if let Ok(path) = std::env::var("DEID_SCREENSHOT") {
        b.exec("window.scrollTo(0, 0); document.activeElement.blur();");
        let v = http(
            port,
            "GET",
            &format!("/session/{}/screenshot", b.session),
            None,
        );
        let png = decode_base64(v["value"].as_str().unwrap());
        std::fs::write(path, png).unwrap();
    }
    http(port, "DELETE", &format!("/session/{}", b.session), None);
}

fn decode_base64(s: &str) -> Vec<u8> {
    let val = |c: u8| -> u32 {
        match c {
            b'A'..=b'Z' => (c - b'A') as u32,
            b'a'..=b'z' => (c - b'a' + 26) as u32,
            b'0'..=b'9' => (c - b'0' + 52) as u32,
            b'+' => 62,
            _ => 63,
        }
    };
    let bytes: Vec<u8> = s.bytes().filter(|&c| c != b'=' && c != b'\n').collect();
    let mut out = Vec::with_capacity(bytes.len() * 3 / 4);
    for chunk in bytes.chunks(4) {
        let mut n = 0u32;
        for (i, &c) in chunk.iter().enumerate() {
            n |= val(c) << (18 - 6 * i);
        }
        for i in 0..chunk.len().saturating_sub(1) {
            out.push((n >> (16 - 8 * i)) as u8);
        }
    }
    out
}
