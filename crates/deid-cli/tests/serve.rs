//! `deid serve`: the JSON API in-process through the router (`tower::ServiceExt::oneshot`),
//! the default bind address, a bounded local load test, and the real binary on a free port.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use axum::Router;
use clap::Parser;
use deid_cli::serve::{listen_addr, router, Engines, Limits};
use serde_json::{json, Value};
use std::sync::{Arc, LazyLock};
use std::time::Duration;
use tower::ServiceExt;

static ENGINES: LazyLock<Arc<Engines>> =
    LazyLock::new(|| Arc::new(Engines::builtin().expect("built-in engines")));

const NOTE: &str = "Seen by Dr. Jane Roe on 03/14/2021. Call 555-123-4567. \
                    Maria is a 38-year-old Deaf firefighter in a small town.";

fn app() -> Router {
    router(ENGINES.clone(), Limits::default())
}

fn rt() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
}

async fn call(app: Router, path: &str, body: impl Into<Body>) -> (StatusCode, Value) {
    let req = Request::post(path)
        .header("content-type", "application/json")
        .body(body.into())
        .unwrap();
    let resp = app.oneshot(req).await.unwrap();
    let status = resp.status();
    let bytes = axum::body::to_bytes(resp.into_body(), usize::MAX)
        .await
        .unwrap();
    let v: Value = serde_json::from_slice(&bytes).unwrap_or_else(|_| {
        panic!(
            "{path}: not a JSON answer (status {status}): {:?}",
            String::from_utf8_lossy(&bytes)
        )
    });
    (status, v)
}

fn post(path: &str, body: Value) -> (StatusCode, Value) {
    rt().block_on(call(app(), path, body.to_string()))
}

fn post_raw(path: &str, body: Vec<u8>) -> (StatusCode, Value) {
    rt().block_on(call(app(), path, body))
}

/// Code-point slice of `text`.
fn cp(text: &str, start: u64, end: u64) -> String {
    text.chars()
        .skip(start as usize)
        .take((end - start) as usize)
        .collect()
}

#[test]
fn scan_finds_direct_and_quasi_spans_in_code_points() {
    let text = format!("Ünïcödé: {NOTE}");
    let (s, v) = post("/api/scan", json!({"text": text}));
    assert_eq!(s, StatusCode::OK, "{v}");
    let spans = v["spans"].as_array().unwrap();
    let name = spans.iter().find(|x| x["label"] == "NAME").expect("a name");
    assert_eq!(name["kind"], "direct");
    assert!(cp(
        &text,
        name["start"].as_u64().unwrap(),
        name["end"].as_u64().unwrap()
    )
    .contains("Jane Roe"));
    assert!(name["rule"].is_string() && name["confidence"].is_number());
    assert!(spans.iter().any(|x| x["label"] == "PHONE"));
    let quasi: Vec<&Value> = spans.iter().filter(|x| x["kind"] == "quasi").collect();
    assert!(!quasi.is_empty(), "{v}");
    assert!(quasi.iter().all(|q| q["holder"].is_string()));
    assert!(spans.iter().all(|x| x.get("text").is_none()));
}

#[test]
fn scan_for_the_page_says_whose_a_tied_town_is() {
    // The review page shows each detail's holder: a town tied to the client comes back as a
    // quasi span on the direct span's characters (`deid scan` reports it once, as direct).
    let text = "She works as a cashier and lives in Thurso.";
    let (s, v) = post("/api/scan", json!({"text": text}));
    assert_eq!(s, StatusCode::OK, "{v}");
    let spans = v["spans"].as_array().unwrap();
    assert!(
        spans
            .iter()
            .any(|x| x["kind"] == "quasi" && x["label"] == "PLACE" && x["holder"] == "client"),
        "{v}"
    );
}

#[test]
fn redact_by_detection_and_strategies() {
    let (s, v) = post("/api/redact", json!({"text": NOTE}));
    assert_eq!(s, StatusCode::OK, "{v}");
    let out = v["text"].as_str().unwrap();
    assert!(out.contains("[NAME]") && out.contains("[PHONE]") && !out.contains("Jane"));
    let (_, v) = post("/api/redact", json!({"text": NOTE, "strategy": "numbered"}));
    assert!(v["text"].as_str().unwrap().contains("[NAME-1]"), "{v}");
    let (s, v) = post(
        "/api/redact",
        json!({"text": NOTE, "strategy": "surrogate"}),
    );
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert!(v["error"].as_str().unwrap().contains("secret"));
}

/// The code-point index of the first `w` in `text`.
fn char_index(text: &str, w: &str) -> u64 {
    let chars: Vec<char> = text.chars().collect();
    let w: Vec<char> = w.chars().collect();
    (0..chars.len())
        .find(|&i| chars[i..].starts_with(&w))
        .expect("the word is in the text") as u64
}

/// Does the span (code points) overlap `a..b`?
fn overlaps(s: &Value, a: u64, b: u64) -> bool {
    s["start"].as_u64().unwrap() < b && a < s["end"].as_u64().unwrap()
}

#[test]
fn redact_applies_the_reviewed_span_list_exactly() {
    let text = "Ünï: Dr. Jane Roe met Bob Ng at Oak Clinic today.";
    let find = |w: &str| char_index(text, w);
    let (bob, oak) = (find("Bob"), find("Oak Clinic"));
    let (_, scanned) = post("/api/scan", json!({"text": text}));
    // Reject what covers "Bob Ng" (keep the text), add "Oak Clinic" as an organisation.
    let mut spans: Vec<Value> = scanned["spans"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["kind"] == "direct" && !overlaps(s, bob, bob + 6))
        .filter(|s| !overlaps(s, oak, oak + 10))
        .cloned()
        .collect();
    assert!(
        spans
            .iter()
            .any(|s| overlaps(s, find("Jane"), find("Jane") + 4)),
        "{scanned}"
    );
    spans.push(json!({"start": oak, "end": oak + 10, "label": "ORGANIZATION"}));
    let (s, v) = post("/api/redact", json!({"text": text, "spans": spans}));
    assert_eq!(s, StatusCode::OK, "{v}");
    let out = v["text"].as_str().unwrap();
    assert!(out.starts_with("Ünï: "), "{out}");
    assert!(!out.contains("Jane"), "{out}");
    assert!(out.contains("met Bob Ng at [ORGANIZATION] today."), "{out}");
    let reps = v["replacements"].as_array().unwrap();
    assert_eq!(reps.len(), spans.len());
    assert_eq!(reps.last().unwrap()["rule"], "review.clinician");
    assert_eq!(reps.last().unwrap()["start"], oak);
    // An empty list changes nothing.
    let (_, v) = post("/api/redact", json!({"text": text, "spans": []}));
    assert_eq!(v["text"], text);
}

#[test]
fn risk_is_the_cli_json_object() {
    let (s, v) = post(
        "/api/risk",
        json!({"text": NOTE, "audience": "teaching", "population": 3000}),
    );
    assert_eq!(s, StatusCode::OK, "{v}");
    for k in [
        "level",
        "lambda",
        "k",
        "audience",
        "population",
        "triggers",
        "drivers",
        "reasons",
        "suggestions",
        "mentions",
    ] {
        assert!(v.get(k).is_some(), "no {k} in {v}");
    }
    assert_eq!(v["audience"], "teaching");
    assert_eq!(v["population"]["value"], 3000);
    assert!(["red", "amber", "green"].contains(&v["level"].as_str().unwrap()));
}

#[test]
fn vignette_rewrites_and_reports_before_and_after() {
    let (s, v) = post(
        "/api/vignette",
        json!({"text": NOTE, "audience": "supervision", "population": 3000}),
    );
    assert_eq!(s, StatusCode::OK, "{v}");
    assert!(!v["text"].as_str().unwrap().contains("Jane Roe"), "{v}");
    assert!(v["changes"].as_array().is_some_and(|c| !c.is_empty()));
    assert!(v["before"]["level"].is_string() && v["after"]["level"].is_string());
}

#[test]
fn vignette_and_risk_apply_the_reviewed_span_list() {
    let text = "Ünï: Dr. Jane Roe met Bob Ng, a 34-year-old Deaf pharmacist from Kaikoura.";
    let find = |w: &str| char_index(text, w);
    let bob = find("Bob");
    let (_, scanned) = post("/api/scan", json!({"text": text}));
    // Every span the page shows, as the page sends it (quasi ones with their kind) ...
    let all: Vec<Value> = scanned["spans"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| json!({"start": s["start"], "end": s["end"], "label": s["label"], "kind": s["kind"]}))
        .collect();
    for path in ["/api/risk", "/api/vignette"] {
        let (s, v) = post(
            path,
            json!({"text": text, "population": 3000, "spans": all}),
        );
        assert_eq!(
            s,
            StatusCode::OK,
            "{path}: the page's own list is accepted: {v}"
        );
    }
    // ... then with the name "Bob Ng" rejected: the vignette keeps it as written.
    let kept: Vec<Value> = all
        .iter()
        .filter(|s| !overlaps(s, bob, bob + 6))
        .cloned()
        .collect();
    assert!(kept.len() < all.len(), "{scanned}");
    let (s, v) = post(
        "/api/vignette",
        json!({"text": text, "population": 3000, "spans": kept}),
    );
    assert_eq!(s, StatusCode::OK, "{v}");
    let out = v["text"].as_str().unwrap();
    assert!(out.contains("Bob Ng"), "a rejected span stays: {out}");
    assert!(!out.contains("Jane Roe"), "{out}");
    let (_, own) = post("/api/vignette", json!({"text": text, "population": 3000}));
    assert!(!own["text"].as_str().unwrap().contains("Bob Ng"), "{own}");
    // Invalid reviewed spans are a 400, as for /api/redact.
    let (s, _) = post(
        "/api/risk",
        json!({"text": text, "spans": [{"start": 5, "end": 500, "label": "NAME"}]}),
    );
    assert_eq!(s, StatusCode::BAD_REQUEST);
}

fn assert_error(status: StatusCode, v: &Value, want: StatusCode, secret: &str) {
    assert_eq!(status, want, "{v}");
    let msg = v["error"].as_str().expect("an error message");
    assert!(!msg.is_empty());
    if !secret.is_empty() {
        assert!(!msg.contains(secret), "the error quotes the input: {msg}");
    }
}

#[test]
fn bad_input_gets_a_4xx_json_error_that_never_quotes_it() {
    let secret = "Zebulon Quixote";
    let cases: Vec<(&str, Vec<u8>)> = vec![
        (
            "empty text",
            json!({"text": "  \n"}).to_string().into_bytes(),
        ),
        ("no text", json!({"note": secret}).to_string().into_bytes()),
        (
            "text not a string",
            json!({"text": [secret]}).to_string().into_bytes(),
        ),
        ("not JSON", format!("text={secret}").into_bytes()),
        (
            "truncated JSON",
            format!("{{\"text\": \"{secret}").into_bytes(),
        ),
        ("empty body", Vec::new()),
        (
            "binary",
            json!({"text": format!("{secret}\u{0}\u{1}\u{2}")})
                .to_string()
                .into_bytes(),
        ),
        ("invalid UTF-8", {
            let mut b = format!("{{\"text\": \"{secret} ").into_bytes();
            b.extend_from_slice(&[0xff, 0xfe, 0x00, 0x81]);
            b.extend_from_slice(b"\"}");
            b
        }),
    ];
    for path in ["/api/scan", "/api/redact", "/api/risk", "/api/vignette"] {
        for (what, body) in &cases {
            let (s, v) = post_raw(path, body.clone());
            assert!(s.is_client_error(), "{path} {what}: {s} {v}");
            assert_error(s, &v, StatusCode::BAD_REQUEST, secret);
        }
    }
}

#[test]
fn five_megabytes_is_413() {
    let big = "Jane Roe was seen today. ".repeat(5 * 1024 * 1024 / 25 + 10);
    for path in ["/api/scan", "/api/redact", "/api/risk", "/api/vignette"] {
        let (s, v) = post(path, json!({"text": big}));
        assert_error(s, &v, StatusCode::PAYLOAD_TOO_LARGE, "Jane Roe");
    }
}

#[test]
fn invalid_spans_are_400_with_a_clear_message() {
    let text = "Ünï Jane Roe met Bob.";
    let n = text.chars().count();
    let cases = [
        (
            json!([{"start": 4, "end": n + 1, "label": "NAME"}]),
            "not a range",
        ),
        (
            json!([{"start": 8, "end": 4, "label": "NAME"}]),
            "not a range",
        ),
        (
            json!([{"start": 4, "end": 4, "label": "NAME"}]),
            "not a range",
        ),
        (
            json!([{"start": 4, "end": 12, "label": "PERSONNE"}]),
            "unknown label",
        ),
        (
            json!([{"start": 4, "end": 12, "label": "NAME"}, {"start": 9, "end": 20, "label": "NAME"}]),
            "overlaps",
        ),
        (
            json!([{"start": 4, "end": 12, "label": "NAME", "kind": "maybe"}]),
            "kind",
        ),
        (
            json!([{"start": -1, "end": 12, "label": "NAME"}]),
            "JSON object",
        ),
        (json!([{"start": 4, "label": "NAME"}]), "JSON object"),
    ];
    for (spans, want) in cases {
        let (s, v) = post("/api/redact", json!({"text": text, "spans": spans}));
        assert_error(s, &v, StatusCode::BAD_REQUEST, "Jane");
        let msg = v["error"].as_str().unwrap();
        assert!(msg.contains(want), "{spans}: {msg}");
    }
}

#[test]
fn bad_risk_options_are_400() {
    for (field, value) in [
        ("audience", json!("everyone")),
        ("population", json!(0)),
        ("population", json!("many")),
        ("country", json!("Atlantis")),
        ("keep", json!(["everything"])),
    ] {
        let mut body = json!({"text": NOTE});
        body[field] = value;
        for path in ["/api/risk", "/api/vignette"] {
            let (s, v) = post(path, body.clone());
            assert_error(s, &v, StatusCode::BAD_REQUEST, "Jane");
        }
    }
}

#[test]
fn the_page_is_self_contained() {
    let resp = rt()
        .block_on(app().oneshot(Request::get("/").body(Body::empty()).unwrap()))
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let csp = resp.headers()["content-security-policy"].to_str().unwrap();
    assert!(csp.contains("default-src 'none'") && csp.contains("connect-src 'self'"));
    let body = rt()
        .block_on(axum::body::to_bytes(resp.into_body(), usize::MAX))
        .unwrap();
    let page = String::from_utf8(body.to_vec()).unwrap();
    assert!(page.contains("<textarea"));
    for outside in ["http://", "https://", "//cdn", "src=\"//"] {
        assert!(
            !page.contains(outside),
            "the page refers outside: {outside}"
        );
    }
    let (s, v) = rt().block_on(call(app(), "/nothing", Body::empty()));
    assert_eq!(s, StatusCode::NOT_FOUND, "{v}");
}

#[test]
fn binds_loopback_by_default_and_warns_otherwise() {
    let cli = deid_cli::args::Cli::try_parse_from(["deid", "serve"]).unwrap();
    let deid_cli::args::Command::Serve(a) = cli.command else {
        panic!("not serve")
    };
    let (addr, warning) = listen_addr(&a);
    assert_eq!(addr.to_string(), "127.0.0.1:8765");
    assert!(warning.is_none());
    let cli = deid_cli::args::Cli::try_parse_from(["deid", "serve", "--bind", "0.0.0.0"]).unwrap();
    let deid_cli::args::Command::Serve(a) = cli.command else {
        panic!("not serve")
    };
    let (addr, warning) = listen_addr(&a);
    assert_eq!(addr.ip().to_string(), "0.0.0.0");
    assert!(warning.unwrap().contains("other machines"));
}

#[test]
fn survives_a_thousand_concurrent_requests() {
    let app = app();
    let rt = rt();
    let started = std::time::Instant::now();
    let results = rt.block_on(async {
        let mut tasks = Vec::new();
        for i in 0..1000 {
            let app = app.clone();
            tasks.push(tokio::spawn(async move {
                let (path, body) = match i % 4 {
                    0 => (
                        "/api/scan",
                        json!({"text": "Seen by Jane Roe on 03/14/2021."}).to_string(),
                    ),
                    1 => (
                        "/api/redact",
                        json!({"text": "Call Bob Ng at 555-123-4567."}).to_string(),
                    ),
                    2 => ("/api/scan", json!({"text": ""}).to_string()),
                    _ => ("/api/redact", "not json".to_string()),
                };
                tokio::time::timeout(Duration::from_secs(120), call(app, path, body))
                    .await
                    .map(|(s, _)| (i % 4, s))
            }));
        }
        let mut out = Vec::new();
        for t in tasks {
            out.push(t.await.expect("no panic").expect("within the time bound"));
        }
        out
    });
    for (kind, status) in results {
        let want = if kind < 2 {
            StatusCode::OK
        } else {
            StatusCode::BAD_REQUEST
        };
        assert_eq!(status, want);
    }
    assert!(started.elapsed() < Duration::from_secs(120));
}

/// The real binary on a free loopback port answers a real HTTP request.
#[test]
fn the_binary_listens_on_loopback() {
    use std::io::{BufRead, BufReader, Read, Write};
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_deid"))
        .args(["serve", "--port", "0"])
        .stderr(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut err = BufReader::new(child.stderr.take().unwrap());
    let mut line = String::new();
    err.read_line(&mut line).unwrap();
    let url = line
        .split_whitespace()
        .find(|w| w.starts_with("http://"))
        .unwrap_or_else(|| panic!("no address in {line:?}"))
        .to_string();
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");
    let hostport = url.trim_start_matches("http://").trim_end_matches('/');
    let body = json!({"text": "Seen by Jane Roe."}).to_string();
    let mut s = std::net::TcpStream::connect(hostport).unwrap();
    write!(
        s,
        "POST /api/redact HTTP/1.1\r\nHost: {hostport}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut resp = String::new();
    s.read_to_string(&mut resp).unwrap();
    let _ = child.kill();
    let _ = child.wait();
    assert!(resp.starts_with("HTTP/1.1 200"), "{resp}");
    assert!(resp.contains("[NAME]"), "{resp}");
}

#[test]
fn requests_from_other_hosts_and_pages_are_refused() {
    rt().block_on(refused_elsewhere());
}

async fn refused_elsewhere() {
    let body = r#"{"text":"Seen by Dr. Jane Roe."}"#;
    for (host, origin, ok) in [
        (Some("127.0.0.1:8765"), None, true),
        (Some("localhost:8765"), Some("http://localhost:8765"), true),
        (Some("[::1]:8765"), Some("http://[::1]:8765"), true),
        (Some("evil.example:8765"), None, false),
        (Some("127.0.0.1:8765"), Some("https://evil.example"), false),
    ] {
        let mut req = Request::post("/api/scan").header("content-type", "application/json");
        if let Some(h) = host {
            req = req.header("host", h);
        }
        if let Some(o) = origin {
            req = req.header("origin", o);
        }
        let resp = app()
            .oneshot(req.body(Body::from(body)).unwrap())
            .await
            .unwrap();
        assert_eq!(
            resp.status().is_success(),
            ok,
            "{host:?} {origin:?}: {}",
            resp.status()
        );
        if !ok {
            assert_eq!(resp.status(), axum::http::StatusCode::FORBIDDEN);
        }
    }
}
