//! `deid serve`: a local review page for clinicians and the JSON API behind it.
//!
//! One page (HTML, CSS and script embedded in the binary, no outside resources) and four
//! endpoints on the core library: `POST /api/scan`, `/api/redact`, `/api/risk` and
//! `/api/vignette`. The server listens on 127.0.0.1 unless `--bind` says otherwise, logs no
//! text and writes nothing to disk. Requests are bounded in size ([`Limits::body_bytes`]),
//! in number running at once ([`Limits::concurrent`]) and in time ([`Limits::timeout`]);
//! every bad request gets a 4xx `{"error": ...}` that never quotes the request.

use crate::args::InputArgs;
use crate::risk::{AudienceArg, RiskFlags};
use anyhow::{Context, Result};
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use clap::{Args, ValueEnum};
use deid_core::risk::RiskOptions;
use deid_core::{Deidentifier, Span, Strategy};
use serde::Deserialize;
use serde_json::{json, Value};
use std::io::Write;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Semaphore;

/// The page: HTML, CSS and script in one file, embedded in the binary.
const PAGE: &str = include_str!("serve/page.html");

/// `deid serve`
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Port to listen on (0 picks a free one).
    #[arg(long, default_value_t = 8765)]
    pub port: u16,
    /// Address to listen on. The default, 127.0.0.1, is reachable from this machine only;
    /// any other address makes the page reachable from the network (a warning says so).
    #[arg(long, value_name = "ADDR")]
    pub bind: Option<IpAddr>,
    /// Open the page in the default browser (best effort).
    #[arg(long)]
    pub open: bool,
    /// Rules directory extending (or overriding by id) the built-in rules.
    #[arg(long, value_name = "DIR")]
    pub rules: Option<PathBuf>,
    /// Run the rule detectors without the learned name, place and organisation scorer.
    #[arg(long)]
    pub no_model: bool,
    /// Terms never flagged, one a line.
    #[arg(long, value_name = "FILE")]
    pub allow: Option<PathBuf>,
    /// Terms always flagged, one a line, optionally `term<TAB>CATEGORY` (default NAME).
    #[arg(long, value_name = "FILE")]
    pub deny: Option<PathBuf>,
}

/// The address `deid serve` listens on, and a warning when it is not loopback-only.
pub fn listen_addr(a: &ServeArgs) -> (SocketAddr, Option<String>) {
    let ip = a.bind.unwrap_or(IpAddr::V4(Ipv4Addr::LOCALHOST));
    let warning = (!ip.is_loopback()).then(|| {
        format!(
            "warning: listening on {ip}: the page and API are reachable from other machines, \
             and notes sent to it cross the network unencrypted"
        )
    });
    (SocketAddr::new(ip, a.port), warning)
}

/// Bounds on the server's work.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Largest request body; a larger one gets 413.
    pub body_bytes: usize,
    /// Requests whose engine work runs at once; others wait their turn.
    pub concurrent: usize,
    /// Longest a request may wait for its turn and run; then 503.
    pub timeout: Duration,
    /// Accept only requests addressed to a loopback host name and, when they say where they
    /// come from, sent by a loopback page: a web page elsewhere (or a DNS name rebound to
    /// 127.0.0.1) cannot post a note to the server. Off only with an explicit `--bind`.
    pub loopback_only: bool,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            body_bytes: 5 * 1024 * 1024,
            concurrent: std::thread::available_parallelism()
                .map_or(2, |n| n.get())
                .clamp(2, 16),
            timeout: Duration::from_secs(60),
            loopback_only: true,
        }
    }
}

/// The engines, built once: one per redaction strategy the page offers (detection, risk and
/// the vignette are the same in each).
pub struct Engines {
    tag: Deidentifier,
    numbered: Deidentifier,
    mask: Deidentifier,
}

impl Engines {
    /// Builds the engines with the built-in rules and model.
    pub fn builtin() -> Result<Engines> {
        Self::build(&engine_input(None, false, None, None)?)
    }

    fn build(input: &InputArgs) -> Result<Engines> {
        let one = |s: Strategy| -> Result<Deidentifier> {
            Ok(crate::commands::builder_for(input)?.strategy(s).build()?)
        };
        Ok(Engines {
            tag: one(Strategy::Tag)?,
            numbered: one(Strategy::Numbered)?,
            mask: one(Strategy::Mask)?,
        })
    }
}

/// The input flags the engine builder reads, parsed by clap so every other flag keeps the
/// default the other subcommands give it.
fn engine_input(
    rules: Option<PathBuf>,
    no_model: bool,
    allow: Option<PathBuf>,
    deny: Option<PathBuf>,
) -> Result<InputArgs> {
    #[derive(clap::Parser)]
    struct Flags {
        #[command(flatten)]
        input: InputArgs,
    }
    let mut argv: Vec<std::ffi::OsString> = vec!["deid-serve".into()];
    for (flag, path) in [("--rules", rules), ("--allow", allow), ("--deny", deny)] {
        if let Some(p) = path {
            argv.push(flag.into());
            argv.push(p.into());
        }
    }
    if no_model {
        argv.push("--no-model".into());
    }
    let flags = <Flags as clap::Parser>::try_parse_from(argv).context("engine flags")?;
    Ok(flags.input)
}

struct App {
    engines: Arc<Engines>,
    permits: Arc<Semaphore>,
    limits: Limits,
}

/// The router: the page and the API over shared engines.
pub fn router(engines: Arc<Engines>, limits: Limits) -> Router {
    let app = Arc::new(App {
        engines,
        permits: Arc::new(Semaphore::new(limits.concurrent.max(1))),
        limits,
    });
    Router::new()
        .route("/", get(page))
        .route("/api/scan", post(scan))
        .route("/api/redact", post(redact))
        .route("/api/risk", post(risk))
        .route("/api/vignette", post(vignette))
        .fallback(|| async { ApiError::new(StatusCode::NOT_FOUND, "no such page").into_response() })
        .layer(DefaultBodyLimit::max(limits.body_bytes))
        .layer(axum::middleware::from_fn(
            move |req: axum::extract::Request, next: axum::middleware::Next| async move {
                if limits.loopback_only && !loopback_request(req.headers()) {
                    return ApiError::new(
                        StatusCode::FORBIDDEN,
                        "this server answers only pages and requests on this computer (127.0.0.1 or localhost)",
                    )
                    .into_response();
                }
                next.run(req).await
            },
        ))
        .with_state(app)
}

/// A host name of this computer, with or without a port.
fn loopback_host(host: &str) -> bool {
    let h = host.trim();
    let name = if let Some(rest) = h.strip_prefix('[') {
        rest.split(']').next().unwrap_or("")
    } else {
        h.rsplit_once(':').map_or(h, |(n, port)| {
            if port.bytes().all(|b| b.is_ascii_digit()) {
                n
            } else {
                h
            }
        })
    };
    name.eq_ignore_ascii_case("localhost")
        || name.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// The request names a loopback `Host` (or none, as in-process tests) and, if it has an
/// `Origin`, a loopback origin.
fn loopback_request(headers: &axum::http::HeaderMap) -> bool {
    let host_ok = headers
        .get(header::HOST)
        .is_none_or(|h| h.to_str().is_ok_and(loopback_host));
    let origin_ok = headers.get(header::ORIGIN).is_none_or(|o| {
        o.to_str().is_ok_and(|o| {
            o.strip_prefix("http://")
                .or_else(|| o.strip_prefix("https://"))
                .is_some_and(loopback_host)
        })
    });
    host_ok && origin_ok
}

/// Runs `deid serve` until Ctrl-C.
pub(crate) fn run(a: ServeArgs) -> Result<i32> {
    let engines = Arc::new(Engines::build(&engine_input(
        a.rules.clone(),
        a.no_model,
        a.allow.clone(),
        a.deny.clone(),
    )?)?);
    let (addr, warning) = listen_addr(&a);
    if let Some(w) = warning {
        let _ = writeln!(std::io::stderr(), "deid serve: {w}");
    }
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the server's threads")?;
    rt.block_on(async move {
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .with_context(|| format!("cannot listen on {addr}"))?;
        let local = listener.local_addr()?;
        let host = match local.ip() {
            IpAddr::V6(ip) => format!("[{ip}]"),
            IpAddr::V4(ip) => ip.to_string(),
        };
        let url = format!("http://{host}:{}/", local.port());
        let _ = writeln!(
            std::io::stderr(),
            "deid serve: review page at {url} (Ctrl-C to stop; no text is logged or stored)"
        );
        if a.open {
            open_browser(&url);
        }
        let limits = Limits {
            loopback_only: local.ip().is_loopback(),
            ..Limits::default()
        };
        axum::serve(listener, router(engines, limits))
            .with_graceful_shutdown(async {
                let _ = tokio::signal::ctrl_c().await;
            })
            .await
            .context("server error")
    })?;
    Ok(crate::EXIT_OK)
}

/// Best effort: the page opens in the default browser when there is one.
fn open_browser(url: &str) {
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else {
        "xdg-open"
    };
    let spawned = std::process::Command::new(opener)
        .arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
    if spawned.is_err() {
        let _ = writeln!(
            std::io::stderr(),
            "deid serve: no browser could be opened; open {url} yourself"
        );
    }
}

/// A 4xx or 5xx answer: `{"error": message}`; the message never quotes the request.
#[derive(Debug)]
struct ApiError {
    status: StatusCode,
    message: String,
}

impl ApiError {
    fn new(status: StatusCode, message: impl Into<String>) -> Self {
        ApiError {
            status,
            message: message.into(),
        }
    }

    fn bad(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, message)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut r = (self.status, json_body(&json!({"error": self.message}))).into_response();
        no_store(&mut r);
        r
    }
}

fn json_body(v: &Value) -> ([(header::HeaderName, &'static str); 1], String) {
    (
        [(header::CONTENT_TYPE, "application/json; charset=utf-8")],
        v.to_string(),
    )
}

fn no_store(r: &mut Response) {
    let h = r.headers_mut();
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
}

fn respond(r: Result<Value, ApiError>) -> Response {
    match r {
        Ok(v) => ok(v),
        Err(e) => e.into_response(),
    }
}

fn ok(v: Value) -> Response {
    let mut r = (StatusCode::OK, json_body(&v)).into_response();
    no_store(&mut r);
    r
}

async fn page() -> Response {
    let mut r = ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], PAGE).into_response();
    let h = r.headers_mut();
    // The page may talk to this server only, and load nothing from anywhere.
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; \
             connect-src 'self'; img-src data:; base-uri 'none'; form-action 'none'; \
             frame-ancestors 'none'",
        ),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    no_store(&mut r);
    r
}

impl App {
    /// Runs engine work on a blocking thread once a permit is free, within the timeout.
    async fn run<T: Send + 'static>(
        self: &Arc<Self>,
        work: impl FnOnce(&Engines) -> Result<T, ApiError> + Send + 'static,
    ) -> Result<T, ApiError> {
        let busy = || {
            ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "the server is busy or the text took too long; try again",
            )
        };
        let engines = self.engines.clone();
        let permits = self.permits.clone();
        let job = async move {
            let permit = permits.acquire_owned().await.map_err(|_| busy())?;
            tokio::task::spawn_blocking(move || {
                let _permit = permit; // held until the work is done, even after a timeout
                work(&engines)
            })
            .await
            .map_err(|_| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal error"))?
        };
        tokio::time::timeout(self.limits.timeout, job)
            .await
            .map_err(|_| busy())?
    }
}

/// The body as a JSON request: size, UTF-8 and JSON checked, with messages that never quote it.
fn parse<T: for<'de> Deserialize<'de>>(
    body: Result<Bytes, BytesRejection>,
    shape: &str,
) -> Result<T, ApiError> {
    let body = body.map_err(|e| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "the request is too large (the limit is 5 MB); split the text",
            )
        } else {
            ApiError::bad("the request body could not be read")
        }
    })?;
    if let Err(e) = std::str::from_utf8(&body) {
        return Err(ApiError::bad(format!(
            "the request is not valid UTF-8 text (at byte {}); paste plain text",
            e.valid_up_to()
        )));
    }
    serde_json::from_slice(&body).map_err(|e| {
        use serde_json::error::Category as C;
        match e.classify() {
            C::Data => ApiError::bad(format!("the request must be a JSON object {shape}")),
            C::Io | C::Syntax | C::Eof => ApiError::bad(format!(
                "the request is not valid JSON (line {}, column {}); send a JSON object {shape}",
                e.line(),
                e.column()
            )),
        }
    })
}

/// Empty, binary-looking text is refused.
fn check_text(text: &str) -> Result<(), ApiError> {
    if text.trim().is_empty() {
        return Err(ApiError::bad("the text is empty; paste a note first"));
    }
    let mut controls = 0usize;
    let mut chars = 0usize;
    for c in text.chars() {
        chars += 1;
        if c == '\0' {
            return Err(binary());
        }
        if c.is_control() && !matches!(c, '\n' | '\r' | '\t' | '\u{c}') {
            controls += 1;
        }
    }
    if controls * 100 > chars || text.contains('\u{FFFD}') && text.matches('\u{FFFD}').count() > 8 {
        return Err(binary());
    }
    Ok(())
}

fn binary() -> ApiError {
    ApiError::bad("the text looks like a binary file, not plain text; paste or drop a .txt file")
}

#[derive(Deserialize)]
struct TextRequest {
    text: String,
}

const TEXT_SHAPE: &str = "with \"text\" (a string)";

async fn scan(State(app): State<Arc<App>>, body: Result<Bytes, BytesRejection>) -> Response {
    let run = async {
        let req: TextRequest = parse(body, TEXT_SHAPE)?;
        check_text(&req.text)?;
        app.run(move |e| {
            let spans = e.tag.detect(&req.text);
            let all = crate::risk::scan_spans(
                &req.text,
                &spans,
                false,
                crate::risk::Quasi::WithTiedPlaces,
            );
            Ok(json!({"spans": all}))
        })
        .await
    };
    respond(run.await)
}

#[derive(Deserialize)]
struct RedactRequest {
    text: String,
    strategy: Option<String>,
    spans: Option<Vec<ReviewedSpan>>,
}

/// A span of the clinician's reviewed list, in code points (also read by `deid redact --spans`).
#[derive(Deserialize)]
pub(crate) struct ReviewedSpan {
    start: usize,
    end: usize,
    label: String,
    kind: Option<String>,
}

const REDACT_SHAPE: &str = "with \"text\" (a string), optional \"strategy\" (\"tag\", \"numbered\" \
     or \"mask\") and optional \"spans\" (a list of {\"start\", \"end\", \"label\"} in code points)";

/// The reviewed spans as byte-offset spans of `text`; errors name the span by its position.
fn reviewed_spans(text: &str, spans: &[ReviewedSpan]) -> Result<Vec<Span>, ApiError> {
    reviewed_to_spans(text, spans).map_err(ApiError::bad)
}

/// The reviewed spans as byte-offset spans of `text`; errors name the span by its position in
/// the list, never its text.
pub(crate) fn reviewed_to_spans(text: &str, spans: &[ReviewedSpan]) -> Result<Vec<Span>, String> {
    let list: Vec<deid_core::ReviewedSpan<'_>> = spans
        .iter()
        .map(|s| deid_core::ReviewedSpan {
            start: s.start,
            end: s.end,
            label: &s.label,
            kind: s.kind.as_deref(),
        })
        .collect();
    deid_core::reviewed_spans(text, &list).map_err(|(i, why)| format!("span {i}: {why}"))
}

async fn redact(State(app): State<Arc<App>>, body: Result<Bytes, BytesRejection>) -> Response {
    let run = async {
        let req: RedactRequest = parse(body, REDACT_SHAPE)?;
        check_text(&req.text)?;
        let strategy = match req.strategy.as_deref().unwrap_or("tag") {
            "tag" => Strategy::Tag,
            "numbered" => Strategy::Numbered,
            "mask" => Strategy::Mask,
            "surrogate" => {
                return Err(ApiError::bad(
                    "the surrogate strategy needs a secret key and is not offered here; \
                     use deid redact --strategy surrogate --secret-file",
                ))
            }
            _ => {
                return Err(ApiError::bad(
                    "unknown strategy (expected tag, numbered or mask)",
                ))
            }
        };
        let reviewed = match &req.spans {
            Some(s) => Some(reviewed_spans(&req.text, s)?),
            None => None,
        };
        app.run(move |e| {
            let engine = match strategy {
                Strategy::Numbered => &e.numbered,
                Strategy::Mask => &e.mask,
                _ => &e.tag,
            };
            let out = match &reviewed {
                Some(spans) => engine.redact_spans(&req.text, spans).map_err(|err| {
                    // Offsets and reasons only: the core's span errors never hold text.
                    ApiError::bad(err.to_string())
                })?,
                None => engine.redact(&req.text),
            };
            let inmap = deid_core::OffsetMap::new(&req.text);
            let outmap = deid_core::OffsetMap::new(&out.text);
            let replacements: Vec<Value> = out
                .replacements
                .iter()
                .map(|r| {
                    json!({
                        "start": inmap.char_offset(r.span.start),
                        "end": inmap.char_offset(r.span.end),
                        "label": r.span.category.label(),
                        "kind": r.span.kind.as_str(),
                        "rule": &*r.span.rule,
                        "replacement": r.replacement,
                        "output_start": outmap.char_offset(r.output_start),
                        "output_end": outmap.char_offset(r.output_end),
                    })
                })
                .collect();
            Ok(json!({"text": out.text, "replacements": replacements}))
        })
        .await
    };
    respond(run.await)
}

#[derive(Deserialize)]
struct RiskRequest {
    text: String,
    audience: Option<String>,
    population: Option<u64>,
    place: Option<String>,
    country: Option<String>,
    #[serde(default)]
    keep: Vec<String>,
    #[serde(default)]
    as_written: bool,
    /// The clinician's reviewed spans (code points); deid's own findings when absent.
    spans: Option<Vec<ReviewedSpan>>,
}

const RISK_SHAPE: &str = "with \"text\" (a string) and optional \"audience\" (supervision, \
     teaching, publication or research), \"population\" (a whole number), \"place\", \
     \"country\", \"keep\" (a list of slots) and \"spans\" (the reviewed list of {\"start\", \
     \"end\", \"label\"} in code points)";

fn risk_options(req: &RiskRequest) -> Result<RiskOptions, ApiError> {
    let audience = match req.audience.as_deref().map(str::trim) {
        None | Some("") => AudienceArg::Supervision,
        Some(a) => AudienceArg::from_str(a, true).map_err(|_| {
            ApiError::bad(
                "unknown audience (expected supervision, teaching, publication or research)",
            )
        })?,
    };
    let flags = RiskFlags {
        audience,
        population: req.population,
        place: req.place.clone().filter(|p| !p.trim().is_empty()),
        country: req.country.clone().filter(|c| !c.trim().is_empty()),
        keep: req.keep.clone(),
        json: true,
        as_written: req.as_written,
        audience_field: String::new(),
        population_field: String::new(),
        place_field: String::new(),
        country_field: String::new(),
    };
    // The CLI's own checks, with its flag names turned into field names.
    crate::risk::base_options(&flags).map_err(|e| ApiError::bad(e.to_string().replace("--", "")))
}

/// What a risk or vignette request does on the engine: text, reviewed spans (or none, for
/// deid's own findings) and options to a JSON answer.
type AssessWork =
    fn(&Deidentifier, &str, Option<&[Span]>, &RiskOptions) -> deid_core::Result<Value>;

/// A risk or vignette request: the options checked, then `work` on the engine.
async fn assessed(
    app: Arc<App>,
    body: Result<Bytes, BytesRejection>,
    work: AssessWork,
) -> Response {
    let run = async {
        let req: RiskRequest = parse(body, RISK_SHAPE)?;
        check_text(&req.text)?;
        let opts = risk_options(&req)?;
        let reviewed = match &req.spans {
            Some(s) => Some(reviewed_spans(&req.text, s)?),
            None => None,
        };
        app.run(move |e| {
            work(&e.tag, &req.text, reviewed.as_deref(), &opts)
                .map_err(|err| ApiError::bad(err.to_string()))
        })
        .await
    };
    respond(run.await)
}

async fn risk(State(app): State<Arc<App>>, body: Result<Bytes, BytesRejection>) -> Response {
    assessed(app, body, |d, text, spans, opts| {
        let a = match spans {
            Some(spans) => d.risk_spans(text, spans, opts)?,
            None => d.risk(text, opts)?,
        };
        Ok(Value::Object(crate::risk::assessment_json(
            "note", text, &a,
        )))
    })
    .await
}

async fn vignette(State(app): State<Arc<App>>, body: Result<Bytes, BytesRejection>) -> Response {
    assessed(app, body, |d, text, spans, opts| {
        let v = match spans {
            Some(spans) => d.vignette_spans(text, spans, opts)?,
            None => d.vignette(text, opts)?,
        };
        Ok(Value::Object(crate::risk::vignette_json("note", text, &v)))
    })
    .await
}
