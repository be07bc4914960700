//! One attempt of one request, and the retry policy. [`attempt`] builds the request with
//! gloo-net's `RequestBuilder` (method, headers, body, abort signal; js/exchange.js adds
//! `redirect: 'manual'`),
//! hands it to the runtime's or the caller's `fetch`, checks that what comes back really is a
//! `Response`, reads status and headers through gloo-net's `Response` and the body through the
//! raw response (so it never copies into wasm memory), all under the attempt's timeout and the
//! caller's signal. [`decide`] is the retry policy as a pure function; `core::send` runs the
//! loop. Nothing else calls `fetch`.

use gloo_net::http::RequestBuilder;
use js_sys::{Array, Function, JsString, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::config::{CallOpts, Config};
use crate::endpoints::{Method, BYTES, TEXT};
use crate::error::{At, Failure, Kind, Msg, Res};
use crate::js::{self, set, AbortController, TextDecoder};
use crate::wait::{abort_failure, race, Watch};

pub enum Body {
    None,
    /// JSON text, kept a JS string (never copied into wasm memory).
    Json(JsString),
    /// Passed to fetch untouched (FormData: the runtime sets the multipart boundary).
    Raw(JsValue),
}

pub struct Req {
    /// The row (or `getToken`) it is made for, for messages.
    pub at: At,
    pub method: Method,
    pub url: String,
    /// The path template's expansion, for messages (no query, nothing secret).
    pub path: String,
    pub body: Body,
    /// Carries the bearer token and the caller's headers.
    pub auth: bool,
    /// May be sent again after a 5xx, a network failure or a timeout.
    pub idempotent: bool,
    /// How a 2xx body is decoded (`BYTES`, `TEXT`; else by content type).
    pub flags: u8,
}

impl Req {
    pub fn new(at: At, method: Method, url: String, path: String, body: Body) -> Req {
        Req {
            at,
            idempotent: method != Method::Post,
            method,
            url,
            path,
            body,
            auth: true,
            flags: 0,
        }
    }

    /// `METHOD /path`, for messages.
    fn what(&self) -> String {
        js::cat(&[self.method.as_str(), " ", &self.path])
    }

    /// A failure of this request, its message about `METHOD /path`.
    pub fn failure(&self, kind: Kind, msg: Msg) -> Failure {
        Failure::new(kind, msg)
            .about(self.at)
            .with(self.what(), JsValue::UNDEFINED)
    }
}

/// A complete HTTP response, body read.
pub struct Reply {
    pub status: u16,
    pub content_type: String,
    pub bytes: Uint8Array,
}

/// How one attempt ended, as far as the retry policy cares.
#[derive(Clone, Copy, PartialEq, Debug)]
pub enum Outcome {
    Status(u16),
    Network,
    Timeout,
}

#[derive(PartialEq, Debug)]
pub enum Next {
    /// 2xx: decode and resolve.
    Done,
    /// 401: get a fresh token and send once more.
    Reauth,
    /// Wait `delay` ms, then try again; `pause` makes the whole client wait (429).
    Retry {
        delay: f64,
        pause: bool,
    },
    Fail,
}

/// Longest `Retry-After` we honour; a server asking for more gets its 429 back at once.
pub const MAX_RETRY_AFTER_S: f64 = 60.0;

/// Full-jitter exponential backoff: uniform in `[0, min(8 s, 0.5 s × 2^retry))`.
pub fn backoff_ms(retry: u32, rand: f64) -> f64 {
    rand * (500.0 * f64::from(2u32.saturating_pow(retry.min(16)))).min(8000.0)
}

/// The retry policy, as a pure function of what happened.
#[allow(clippy::too_many_arguments)]
pub fn decide(
    outcome: Outcome,
    idempotent: bool,
    retries_done: u32,
    max_retries: u32,
    reauthed: bool,
    can_refresh: bool,
    retry_after_s: Option<f64>,
    rand: f64,
) -> Next {
    let can_retry = retries_done < max_retries;
    match outcome {
        Outcome::Status(s) if (200..300).contains(&s) => Next::Done,
        Outcome::Status(401) if can_refresh && !reauthed => Next::Reauth,
        Outcome::Status(429) => match retry_after_s {
            Some(ra) if ra > MAX_RETRY_AFTER_S => Next::Fail,
            _ if !can_retry => Next::Fail,
            Some(ra) => Next::Retry {
                delay: ra * 1000.0,
                pause: true,
            },
            None => Next::Retry {
                delay: backoff_ms(retries_done, rand),
                pause: true,
            },
        },
        // (a 502–504's `Retry-After` is waited out as a 429's, though only by this call; one
        // past what a 429 is allowed is no outage worth waiting for here)
        Outcome::Status(502..=504) | Outcome::Network | Outcome::Timeout
            if idempotent && can_retry =>
        {
            match retry_after_s {
                Some(ra) if ra > MAX_RETRY_AFTER_S => Next::Fail,
                ra => Next::Retry {
                    delay: backoff_ms(retries_done, rand).max(ra.unwrap_or(0.0) * 1000.0),
                    pause: false,
                },
            }
        }
        _ => Next::Fail,
    }
}

/// `Retry-After` as seconds from now: delta-seconds or an HTTP-date (`date_ms` parses dates).
pub fn parse_retry_after(
    v: &str,
    now_ms: f64,
    date_ms: impl Fn(&str) -> Option<f64>,
) -> Option<f64> {
    let v = v.trim();
    // delta-seconds; a fraction ("1.5") is read as such rather than as some date
    let (whole, frac) = v.split_once('.').unwrap_or((v, ""));
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if !whole.is_empty() && digits(whole) && digits(frac) {
        // (any number of digits: a 16-digit wait is a long wait, not no Retry-After; a fraction
        // is read to its ninth digit, the rest cannot change the wait)
        let num = |s: &str| {
            s.bytes()
                .fold(0.0, |n: f64, b| n * 10.0 + f64::from(b - b'0'))
        };
        let frac = &frac[..frac.len().min(9)];
        return Some(num(whole) + num(frac) / 10f64.powi(frac.len() as i32));
    }
    date_ms(v).map(|t| ((t - now_ms) / 1000.0).max(0.0))
}

/// Clears the attempt's timer and stops forwarding the caller's abort when the attempt ends.
struct AttemptGuard<'a> {
    timer: JsValue,
    forward: Option<(&'a Watch, Function)>,
}

impl Drop for AttemptGuard<'_> {
    fn drop(&mut self) {
        js::clear_timeout(&self.timer);
        if let Some((w, f)) = &self.forward {
            w.off(f);
        }
    }
}

fn http_method(m: Method) -> gloo_net::http::Method {
    match m {
        Method::Post => gloo_net::http::Method::POST,
        Method::Put => gloo_net::http::Method::PUT,
        Method::Delete => gloo_net::http::Method::DELETE,
        _ => gloo_net::http::Method::GET,
    }
}

/// The request for one attempt, built with gloo-net, carrying the attempt's signal. The build
/// defers the `Request` itself (scripts/short-imports.mjs, `deferRequest`): js/exchange.js hands
/// the runtime's fetch its parts, `fetch(url, init)`, and a caller-supplied fetch one `Request`.
fn build_request(
    cfg: &Config,
    req: &Req,
    opts: &CallOpts,
    token: Option<&str>,
    signal: &web_sys::AbortSignal,
) -> Option<web_sys::Request> {
    // the builder's own Headers (a second one would cost a `new Headers` per attempt)
    let mut builder = RequestBuilder::new(&req.url)
        .method(http_method(req.method))
        .abort_signal(Some(signal))
        .header("accept", "application/json, text/plain, */*");
    if let Body::Json(_) = req.body {
        builder = builder.header("content-type", "application/json");
    }
    if req.auth {
        // the body's own type stays (a caller's would break an upload's multipart boundary), and
        // the runtime frames the request: Node's fetch fails on these (a Content-Length copied
        // from another request: every POST broke, or hung till its timeout), browsers drop them;
        // the host is the API's (Bun sent a copied Host, which a shared front end routes by);
        // a `Connection: close` stays (a way round stale keep-alive connections)
        for (k, v) in cfg
            .headers
            .iter()
            .chain(opts.headers.iter())
            .filter(|(k, _)| {
                ![
                    "content-type",
                    "content-length",
                    "transfer-encoding",
                    "keep-alive",
                    "upgrade",
                    "expect",
                    "host",
                ]
                .contains(&k.as_str())
            })
        {
            builder = builder.header(k, v);
        }
    }
    if let Some(t) = token {
        builder = builder.header("authorization", &js::cat(&["Bearer ", t]));
    }
    let built = match &req.body {
        Body::None => builder.build(),
        Body::Json(s) => builder.body(s.clone()),
        Body::Raw(v) => builder.body(v.clone()),
    };
    built.ok().map(web_sys::Request::from)
}

/// One fetch, with the body read completely, under the attempt's timeout and the caller's signal.
/// `arrived` is told when the response's headers came (before the body is read: the request has
/// reached the server by then), with their time, the status and `Retry-After`.
pub async fn attempt(
    cfg: &Config,
    req: &Req,
    opts: &CallOpts,
    token: Option<&str>,
    arrived: impl FnOnce(f64, u16, Option<&str>),
) -> Res<Reply> {
    let user = opts.watch.as_ref();
    if user.is_some_and(Watch::aborted) {
        return Err(abort_failure(user));
    }
    let ctl = AbortController::new();
    let signal = ctl.signal();
    // (gloo-net's builder makes a `Headers` first thing, and throws past the wasm without one: the
    // call would never settle, and the throw would end a Node process; js/exchange.js needs
    // `Request` and `Response`, whose absence would pass for a lost connection, retried)
    let api = ["Headers", "Request", "Response"]
        .iter()
        .all(|n| js::global(n).is_function());
    let fetch_fn = match (&cfg.fetch, api) {
        (_, false) => return Err(req.failure(Kind::InvalidArgument, Msg::NoFetch)),
        (Some(f), _) => f.clone(),
        (None, _) => match js::global("fetch") {
            g if g.is_function() => g.unchecked_into(),
            _ => return Err(req.failure(Kind::InvalidArgument, Msg::NoFetch)),
        },
    };
    let failed = |e: Option<JsValue>, msg: Msg| -> Failure {
        if user.is_some_and(Watch::aborted) {
            return abort_failure(user);
        }
        // (a POST is never sent again: its failure on the way says it may have reached the API)
        let sent = !req.idempotent;
        if signal.aborted() {
            return req
                .failure(
                    Kind::Timeout,
                    if sent { Msg::TimeoutSent } else { Msg::Timeout },
                )
                .with(req.what(), opts.timeout_ms);
        }
        req.failure(
            Kind::Network,
            if sent && msg == Msg::Network {
                Msg::NetworkSent
            } else {
                msg
            },
        )
        .with_cause(e.unwrap_or_default())
    };
    let Some(request) = build_request(cfg, req, opts, token, signal.unchecked_ref()) else {
        // (nothing was sent)
        return Err(req.failure(Kind::Network, Msg::Network));
    };
    // fetch and the whole body in one promise (js/exchange.js), which the controller's `stop`
    // (abort the signal, end the wait) ends: the timeout's and the caller's abort
    // (a request never sent twice that is no POST goes on a connection of its own: Bun sends a
    // GET, PUT or DELETE again by itself when a reused one is reset)
    let sent = js::exchange(
        &fetch_fn,
        &request,
        (cfg.fetch.is_some() as u8 | ((!req.idempotent && req.method != Method::Post) as u8) << 1)
            as f64,
        &ctl,
    );
    let stop: Function = js::get(&ctl, "stop").unchecked_into();
    let mut guard = AttemptGuard {
        timer: JsValue::UNDEFINED,
        forward: None,
    };
    if opts.timeout_ms.is_finite() {
        guard.timer = js::timer(&stop, opts.timeout_ms);
    }
    if let Some(w) = user {
        // (a caller's fetch may have aborted it while it started: its listeners have run, so the
        // attempt is stopped here, as aborted)
        if w.aborted() {
            let _ = js::handled(&sent);
            let _ = stop.call0(&JsValue::UNDEFINED);
            return Err(abort_failure(user));
        }
        w.on_abort(&stop);
        guard.forward = Some((w, stop));
    }
    let parts: Array = race(sent, None)
        .await
        .map_err(|e| failed(e, Msg::Network))?
        .unchecked_into();
    let headers_at = parts.get(1).as_f64().unwrap_or_else(js::mono);
    // a caller-supplied fetch may resolve with anything: exchange reads a body only from a Response
    if parts.length() < 3 {
        return Err(req
            .failure(Kind::Network, Msg::NotResponse)
            .with_cause(parts.get(0)));
    }
    let raw = parts.get(0);
    let opaque_redirect = js::get(&raw, "type") == "opaqueredirect";
    let response = gloo_net::http::Response::from(raw.unchecked_into::<web_sys::Response>());
    // Redirects are never followed (`redirect: 'manual'`): browsers hand back an opaque
    // response of type `opaqueredirect` (status 0), every other runtime the 3xx itself.
    let status = response.status();
    if opaque_redirect || (300..400).contains(&status) {
        let mut f = req.failure(Kind::Http, Msg::Redirect);
        f.status = (status != 0).then_some(status);
        return Err(f);
    }
    // status 0 and no redirect: a network error as a Response (`Response.error()`), no answer
    if status == 0 {
        return Err(failed(None, Msg::Network));
    }
    let headers = response.headers();
    let content_type = headers.get("content-type").unwrap_or_default();
    // Retry-After only means something on a refusal (429, 503); not read on a success
    let retry_after = if status >= 400 {
        headers.get("retry-after")
    } else {
        None
    };
    arrived(headers_at, status, retry_after.as_deref());
    let body: Array = race(parts.get(2).unchecked_into(), None)
        .await
        .map_err(|e| failed(e, Msg::Network))?
        .unchecked_into();
    if body.length() > 1 {
        return Err(failed(Some(body.get(1)), Msg::BodyReset));
    }
    let buf = body.get(0);
    drop(guard);
    Ok(Reply {
        status,
        content_type,
        bytes: Uint8Array::new(&buf),
    })
}

thread_local! {
    static UTF8: Option<TextDecoder> = {
        let opts = js::obj();
        set(&opts, "fatal", &JsValue::TRUE);
        TextDecoder::new("utf-8", &opts).ok()
    };
}

/// Strict text decoding: invalid bytes are an error, never replacement characters.
pub fn decode_text(bytes: &Uint8Array, content_type: &str) -> Option<JsString> {
    let charset = content_type
        .split(';')
        .filter_map(|p| p.trim().split_once('='))
        .find(|(k, _)| k.trim().eq_ignore_ascii_case("charset"))
        .map(|(_, v)| v.trim().trim_matches('"').to_ascii_lowercase());
    if let Some(cs) = charset.filter(|c| c != "utf-8" && c != "utf8") {
        let opts = js::obj();
        set(&opts, "fatal", &JsValue::TRUE);
        if let Ok(d) = TextDecoder::new(&cs, &opts) {
            return d.decode(bytes).ok();
        }
    }
    UTF8.with(|d| d.as_ref().and_then(|d| d.decode(bytes).ok()))
}

/// How a body is read, from its content type: JSON (also when no type is given), text, or bytes.
#[derive(PartialEq, Debug)]
pub enum BodyType {
    Json,
    Text,
    Bytes,
}

pub fn body_type(content_type: &str) -> BodyType {
    let mime = content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    if mime.is_empty()
        || mime == "application/json"
        || mime.ends_with("+json")
        || mime == "text/json"
    {
        BodyType::Json
    } else if mime.starts_with("text/")
        || mime == "application/xml"
        || mime == "application/javascript"
    {
        BodyType::Text
    } else {
        BodyType::Bytes
    }
}

/// Decodes a 2xx body: JSON → value, text → string, anything else → `Uint8Array`, empty →
/// `null`. A row marked `BYTES` or `TEXT` always gets bytes or text (empty when the body is).
/// A body that is not valid JSON keeps the parser's error as the cause, whose message may quote
/// part of the body: `secrets` go along in the failure's `b`, as for an HTTP failure, and
/// `makeError` rewrites the cause without them.
pub fn decode(reply: Reply, req: &Req, secrets: &[&str]) -> Res<JsValue> {
    let kind = match req.flags {
        f if f & BYTES != 0 => BodyType::Bytes,
        f if f & TEXT != 0 => BodyType::Text,
        _ if reply.bytes.length() == 0 => return Ok(JsValue::NULL),
        _ => body_type(&reply.content_type),
    };
    let parse_fail = |msg: Msg| {
        let mut f = req.failure(Kind::Parse, msg);
        f.status = Some(reply.status);
        f
    };
    match kind {
        BodyType::Bytes => Ok(reply.bytes.into()),
        BodyType::Text => {
            let text = decode_text(&reply.bytes, &reply.content_type)
                .ok_or_else(|| parse_fail(Msg::BadText))?;
            // (`tickets.html` labelled JSON: a JSON string is the page, as glassix-js's axios
            // read it; anything else stays the text it is)
            if body_type(&reply.content_type) == BodyType::Json {
                if let Ok(v) = js::json_parse(&text) {
                    if v.is_string() {
                        return Ok(v);
                    }
                }
            }
            Ok(text.into())
        }
        BodyType::Json => {
            let text = decode_text(&reply.bytes, &reply.content_type)
                .ok_or_else(|| parse_fail(Msg::BadUtf8))?;
            js::json_parse(&text)
                .map_err(|e| parse_fail(Msg::BadJson).with_cause(e).hiding(secrets))
        }
    }
}

/// The failure for a non-2xx response. Its body goes to JS as text (or as bytes when it is not
/// valid text in its charset), with `secrets` (the attempt's bearer token, the API key and
/// secret) in the failure's `b`: the package's `makeError` parses it and cuts them out of every
/// string once JSON has unescaped it, so a server that echoes what it was sent puts no
/// credential into an error, in whatever JSON spelling; the secrets themselves are not kept.
pub fn http_failure(
    reply: Reply,
    req: &Req,
    retry_after: Option<f64>,
    secrets: &[&str],
) -> Failure {
    let mut f = req.failure(Kind::Http, Msg::Http).hiding(secrets);
    f.body = decode_text(&reply.bytes, &reply.content_type)
        .map_or_else(|| reply.bytes.into(), JsValue::from);
    f.status = Some(reply.status);
    f.retry_after = retry_after;
    f
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(
        outcome: Outcome,
        idempotent: bool,
        retries: u32,
        reauthed: bool,
        ra: Option<f64>,
    ) -> Next {
        decide(outcome, idempotent, retries, 2, reauthed, true, ra, 0.5)
    }

    #[test]
    fn success_is_done() {
        assert_eq!(d(Outcome::Status(200), false, 0, false, None), Next::Done);
        assert_eq!(d(Outcome::Status(204), true, 2, true, None), Next::Done);
    }

    #[test]
    fn unauthorized_refreshes_once() {
        assert_eq!(d(Outcome::Status(401), false, 0, false, None), Next::Reauth);
        assert_eq!(d(Outcome::Status(401), false, 0, true, None), Next::Fail);
        // nothing to refresh with (accessToken only)
        assert_eq!(
            decide(Outcome::Status(401), true, 0, 2, false, false, None, 0.5),
            Next::Fail
        );
    }

    #[test]
    fn too_many_requests_is_retried_for_every_method() {
        assert_eq!(
            d(Outcome::Status(429), false, 0, false, Some(3.0)),
            Next::Retry {
                delay: 3000.0,
                pause: true
            }
        );
        assert_eq!(
            d(Outcome::Status(429), true, 1, false, None),
            Next::Retry {
                delay: 500.0,
                pause: true
            }
        );
        assert_eq!(
            d(Outcome::Status(429), true, 2, false, Some(1.0)),
            Next::Fail
        );
        // a server asking for more than a minute gets its 429 back at once
        assert_eq!(
            d(Outcome::Status(429), true, 0, false, Some(3600.0)),
            Next::Fail
        );
        assert_eq!(
            d(Outcome::Status(429), true, 0, false, Some(60.0)),
            Next::Retry {
                delay: 60000.0,
                pause: true
            }
        );
    }

    #[test]
    fn gateway_errors_and_network_failures_retry_only_when_idempotent() {
        for o in [
            Outcome::Status(502),
            Outcome::Status(503),
            Outcome::Status(504),
            Outcome::Network,
            Outcome::Timeout,
        ] {
            assert!(
                matches!(d(o, true, 0, false, None), Next::Retry { pause: false, .. }),
                "{o:?}"
            );
            assert_eq!(
                d(o, false, 0, false, None),
                Next::Fail,
                "POST must never be re-sent after {o:?}"
            );
            assert_eq!(
                d(o, true, 2, false, None),
                Next::Fail,
                "retries exhausted after {o:?}"
            );
        }
        // a 503's Retry-After: waited out by this call (never less than the backoff), and one
        // past 60 s fails at once
        assert_eq!(
            d(Outcome::Status(503), true, 0, false, Some(5.0)),
            Next::Retry {
                delay: 5000.0,
                pause: false
            }
        );
        assert_eq!(
            d(Outcome::Status(503), true, 0, false, Some(61.0)),
            Next::Fail
        );
        assert!(matches!(
            d(Outcome::Status(503), true, 0, false, Some(0.0)),
            Next::Retry { pause: false, .. }
        ));
        for s in [400, 403, 404, 500, 501] {
            assert_eq!(
                d(Outcome::Status(s), true, 0, false, None),
                Next::Fail,
                "{s}"
            );
        }
    }

    #[test]
    fn max_retries_zero_disables() {
        assert_eq!(
            decide(Outcome::Status(503), true, 0, 0, false, true, None, 0.5),
            Next::Fail
        );
        assert_eq!(
            decide(
                Outcome::Status(429),
                true,
                0,
                0,
                false,
                true,
                Some(1.0),
                0.5
            ),
            Next::Fail
        );
    }

    #[test]
    fn backoff_is_full_jitter_capped() {
        assert_eq!(backoff_ms(0, 1.0), 500.0);
        assert_eq!(backoff_ms(1, 1.0), 1000.0);
        assert_eq!(backoff_ms(4, 1.0), 8000.0);
        assert_eq!(backoff_ms(30, 1.0), 8000.0);
        assert_eq!(backoff_ms(3, 0.0), 0.0);
        assert_eq!(backoff_ms(2, 0.5), 1000.0);
    }

    #[test]
    fn retry_after_seconds_or_date() {
        let date = |s: &str| (s == "Wed, 21 Oct 2015 07:28:00 GMT").then_some(1_445_412_480_000.0);
        assert_eq!(parse_retry_after("3", 0.0, date), Some(3.0));
        assert_eq!(parse_retry_after(" 120 ", 0.0, date), Some(120.0));
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", 1_445_412_470_000.0, date),
            Some(10.0)
        );
        // a date in the past means "now"
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", 1_445_412_490_000.0, date),
            Some(0.0)
        );
        assert_eq!(parse_retry_after("soon", 0.0, date), None);
        assert_eq!(parse_retry_after("1.5", 0.0, |_| Some(0.0)), Some(1.5));
        assert_eq!(parse_retry_after("0.25", 0.0, |_| None), Some(0.25));
        assert_eq!(parse_retry_after("-1", 0.0, |_| None), None);
        assert_eq!(parse_retry_after("1.", 0.0, |_| None), Some(1.0));
        // long numbers are long waits, never "no Retry-After"
        assert_eq!(
            parse_retry_after("1000000000000000", 0.0, |_| None),
            Some(1e15)
        );
        assert!(
            parse_retry_after("99999999999999999999999", 0.0, |_| None).is_some_and(|s| s > 9.9e22)
        );
        assert_eq!(parse_retry_after("2.0000000001", 0.0, |_| None), Some(2.0));
        assert!(parse_retry_after("0.1234567891234", 0.0, |_| None)
            .is_some_and(|s| (s - 0.123456789).abs() < 1e-12));
    }

    #[test]
    fn body_type_from_content_type() {
        assert_eq!(body_type("application/json; charset=utf-8"), BodyType::Json);
        assert_eq!(body_type(""), BodyType::Json);
        assert_eq!(body_type("application/problem+json"), BodyType::Json);
        assert_eq!(body_type("text/html; charset=utf-8"), BodyType::Text);
        assert_eq!(body_type("TEXT/PLAIN"), BodyType::Text);
        assert_eq!(body_type("application/pdf"), BodyType::Bytes);
        assert_eq!(body_type("application/octet-stream"), BodyType::Bytes);
    }
}
