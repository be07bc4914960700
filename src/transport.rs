//! The one request pipeline. Every call (and the token request) goes through [`send`]: admission
//! (concurrency, rate limit, 429 pause), the bearer token, one `fetch` per attempt with its
//! timeout and the caller's signal, the retry policy, and decoding of the body. Nothing else
//! calls `fetch`.

use std::rc::Rc;

use js_sys::{Array, Function, JsString, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::auth::Auth;
use crate::config::{Config, RateLimit};
use crate::error::{get, http_message, set, Failure, Kind, Res};
use crate::gate::Gate;
use crate::js::{self, abort_failure, aborted, call_to_promise, race, sleep, AbortController, Response, TextDecoder, Watch};

/// Everything one client owns; shared by its resource groups.
pub struct Core {
    pub cfg: Config,
    pub gate: Rc<Gate>,
    pub auth: Auth,
}

impl Core {
    pub fn new(cfg: Config) -> Core {
        let window = match cfg.rate_limit {
            RateLimit::Window { requests, per_ms } => Some((requests, per_ms)),
            _ => None,
        };
        let auth = Auth::new(&cfg);
        Core { gate: Rc::new(Gate::new(cfg.max_concurrency, window)), auth, cfg }
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Method {
    Get,
    Post,
    Put,
    Delete,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Delete => "DELETE",
        }
    }
}

pub enum Body {
    None,
    Json(String),
    /// Passed to fetch untouched (FormData: the runtime sets the multipart boundary).
    Raw(JsValue),
}

pub struct Req {
    /// `group.method` (or `getToken`), for messages.
    pub name: &'static str,
    pub method: Method,
    pub url: String,
    /// The path template's expansion, for error messages (no query, nothing secret).
    pub path: String,
    pub body: Body,
    /// Carries the bearer token and counts against the client's limits.
    pub auth: bool,
    /// May be sent again after a 5xx or network failure.
    pub idempotent: bool,
}

impl Req {
    pub fn new(name: &'static str, method: Method, url: String, path: &str, body: Body) -> Req {
        Req {
            name,
            path: path.to_string(),
            idempotent: method != Method::Post,
            method,
            url,
            body,
            auth: true,
        }
    }

    /// `name (METHOD /path)`, for messages.
    pub fn what(&self) -> String {
        format!("{} ({} {})", self.name, self.method.as_str(), self.path)
    }
}

/// Per-call options: `{ signal, timeout, maxRetries, headers }`.
pub struct CallOpts {
    pub watch: Option<Watch>,
    pub timeout_ms: f64,
    pub max_retries: u32,
    pub headers: Vec<(String, String)>,
}

impl CallOpts {
    pub fn defaults(cfg: &Config) -> CallOpts {
        CallOpts { watch: None, timeout_ms: cfg.timeout_ms, max_retries: cfg.max_retries, headers: Vec::new() }
    }

    pub fn read(v: &JsValue, cfg: &Config) -> Res<CallOpts> {
        let mut o = CallOpts::defaults(cfg);
        if v.is_undefined() || v.is_null() {
            return Ok(o);
        }
        if !v.is_object() {
            return Err(Failure::invalid("options must be an object like { signal, timeout, maxRetries, headers }"));
        }
        let signal = get(v, "signal");
        if !(signal.is_undefined() || signal.is_null()) {
            if get(&signal, "aborted").as_bool().is_none() || !get(&signal, "addEventListener").is_function() {
                return Err(Failure::invalid("options.signal must be an AbortSignal"));
            }
            o.watch = Some(Watch::new(signal.unchecked_into()));
        }
        if let Some(t) = crate::config::opt_num(v, "timeout", false, 1.0, true)? {
            o.timeout_ms = t;
        }
        if let Some(r) = crate::config::opt_num(v, "maxRetries", true, 0.0, false)? {
            o.max_retries = r as u32;
        }
        o.headers = crate::config::read_headers(&get(v, "headers"), "options.headers")?;
        Ok(o)
    }
}

/// A complete HTTP response, body read.
pub struct Reply {
    pub status: u16,
    pub content_type: String,
    pub retry_after: Option<String>,
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
    Retry { delay: f64, pause: bool },
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
            Some(ra) => Next::Retry { delay: ra * 1000.0, pause: true },
            None => Next::Retry { delay: backoff_ms(retries_done, rand), pause: true },
        },
        Outcome::Status(502..=504) | Outcome::Network | Outcome::Timeout if idempotent && can_retry => {
            Next::Retry { delay: backoff_ms(retries_done, rand), pause: false }
        }
        _ => Next::Fail,
    }
}

/// `Retry-After` as seconds from now: delta-seconds or an HTTP-date (`date_ms` parses dates).
pub fn parse_retry_after(v: &str, now_ms: f64, date_ms: impl Fn(&str) -> Option<f64>) -> Option<f64> {
    let v = v.trim();
    // delta-seconds; a fraction ("1.5") is read as such rather than as some date
    let (whole, frac) = v.split_once('.').unwrap_or((v, ""));
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if !whole.is_empty() && whole.len() < 16 && digits(whole) && digits(frac) && (frac.len() < 10) {
        let w = whole.parse::<u64>().ok()? as f64;
        let f = if frac.is_empty() { 0.0 } else { frac.parse::<u64>().ok()? as f64 / 10f64.powi(frac.len() as i32) };
        return Some(w + f);
    }
    date_ms(v).map(|t| ((t - now_ms) / 1000.0).max(0.0))
}

/// Retry-After dates are HTTP-dates, GMT by definition whatever the local time zone. Anything
/// else (`Date.parse` would read "-1" as a day in 2001) means no usable Retry-After.
fn js_date_ms(s: &str) -> Option<f64> {
    crate::dates::parse_http_date(s)
}

/// Sends `req` until it succeeds or the policy gives up.
pub async fn send(core: &Rc<Core>, req: &Req, opts: &CallOpts) -> Res<JsValue> {
    let watch = opts.watch.as_ref();
    let mut retries = 0u32;
    let mut reauthed = false;
    loop {
        // checked before anything is scheduled: an aborted call sends nothing, token included
        if let Some(w) = watch.filter(|w| w.aborted()) {
            return Err(aborted(&w.signal));
        }
        let token = match req.auth {
            true => Some(core.auth.token(core, watch).await?),
            false => None,
        };
        // Every attempt, the token request's included, counts against the client's limits: a
        // server's rate limit counts it too. (Calls waiting for a token hold no slot, so the
        // token request can always get one.)
        let result = {
            let _permit = core.gate.admit(watch).await?;
            if let RateLimit::Func(f) = &core.cfg.rate_limit {
                wait_for_limiter(f, watch).await?;
            }
            attempt(core, req, opts, token.as_deref()).await
        };
        let outcome = match &result {
            Ok(r) => Outcome::Status(r.status),
            Err(f) if f.kind == Kind::Network => Outcome::Network,
            Err(f) if f.kind == Kind::Timeout => Outcome::Timeout,
            Err(_) => return result.map(|_| JsValue::UNDEFINED),
        };
        let retry_after = result
            .as_ref()
            .ok()
            .and_then(|r| r.retry_after.as_deref())
            .and_then(|v| parse_retry_after(v, js::now(), js_date_ms));
        // A 429 pauses the whole client for its Retry-After, whether or not this call retries.
        if outcome == Outcome::Status(429) {
            if let Some(ra) = retry_after.filter(|ra| *ra <= MAX_RETRY_AFTER_S) {
                core.gate.pause_for(ra * 1000.0);
            }
        }
        let can_refresh = req.auth && core.auth.can_refresh();
        let next = decide(outcome, req.idempotent, retries, opts.max_retries, reauthed, can_refresh, retry_after, js_sys::Math::random());
        match next {
            Next::Done => return decode(result?, req),
            Next::Reauth => {
                reauthed = true;
                core.auth.invalidate(token.as_deref());
            }
            Next::Retry { delay, pause } => {
                retries += 1;
                if pause {
                    core.gate.pause_for(delay);
                } else {
                    sleep(delay, watch).await?;
                }
            }
            Next::Fail => {
                return Err(match result {
                    Ok(reply) => http_failure(reply, req, retry_after),
                    Err(f) => f,
                })
            }
        }
    }
}

/// Awaits the user's `rateLimit` function before an attempt.
async fn wait_for_limiter(f: &Function, watch: Option<&Watch>) -> Res<()> {
    match race(call_to_promise(f, &Array::new()), watch).await {
        Ok(_) => Ok(()),
        Err(None) => Err(abort_failure(watch)),
        Err(Some(e)) => Err(Failure::from_js(e, Kind::Network, "the rateLimit function threw")),
    }
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

/// One fetch, with the body read completely, under the attempt's timeout and the caller's signal.
async fn attempt(core: &Core, req: &Req, opts: &CallOpts, token: Option<&str>) -> Res<Reply> {
    let user = opts.watch.as_ref();
    if let Some(w) = user {
        if w.aborted() {
            return Err(aborted(&w.signal));
        }
    }
    let ctl = AbortController::new();
    let abort_fn: Function = get(&ctl, "abort").unchecked_into::<Function>().bind0(&ctl);
    let mut guard = AttemptGuard { timer: JsValue::UNDEFINED, forward: None };
    if opts.timeout_ms.is_finite() {
        guard.timer = js::timer(&abort_fn, opts.timeout_ms);
    }
    if let Some(w) = user {
        w.on_abort(&abort_fn);
        guard.forward = Some((w, abort_fn.clone()));
    }
    // Fetch itself honours the signal (in Node and browsers); only a caller-supplied fetch might
    // not, so only then is each await also raced against it.
    let signal = ctl.signal();
    let attempt_watch = core.cfg.fetch.as_ref().map(|_| Watch::new(signal.clone()));

    let init = build_init(core, req, opts, token, &ctl);
    let fetch_fn = match &core.cfg.fetch {
        Some(f) => f.clone(),
        None => {
            let g = get(&js_sys::global(), "fetch");
            if !g.is_function() {
                return Err(Failure::new(Kind::Network, "no fetch implementation: pass the `fetch` option"));
            }
            g.unchecked_into()
        }
    };
    let failed = |e: Option<JsValue>, reading: bool| -> Failure {
        if let Some(w) = user.filter(|w| w.aborted()) {
            return aborted(&w.signal);
        }
        if signal.aborted() {
            return Failure::new(Kind::Timeout, format!("{} timed out after {} ms", req.what(), opts.timeout_ms as u64));
        }
        let msg = if reading {
            format!("{}: the connection failed while reading the response body (reset or truncated)", req.what())
        } else {
            format!("{}: network error", req.what())
        };
        Failure::new(Kind::Network, msg).with_cause(e.unwrap_or_default())
    };

    let response: Response = race(call_to_promise(&fetch_fn, &Array::of2(&req.url.clone().into(), &init)), attempt_watch.as_ref())
        .await
        .map_err(|e| failed(e, false))?
        .unchecked_into();
    // a caller-supplied fetch may resolve with anything: check before trusting it
    let not_a_response = |cause: JsValue| {
        Failure::new(Kind::Network, format!("{}: fetch did not resolve with a Response", req.what())).with_cause(cause)
    };
    // Redirects are never followed (`redirect: 'manual'`): browsers hand back an opaque
    // response of type `opaqueredirect` (status 0), every other runtime the 3xx itself.
    if response.kind().ok().and_then(|t| t.as_string()).as_deref() == Some("opaqueredirect") {
        return Err(redirect_failure(req, None));
    }
    let status = match response.status().map(|s| s.as_f64()) {
        Ok(Some(s)) if (300.0..400.0).contains(&s) => return Err(redirect_failure(req, Some(s as u16))),
        Ok(Some(s)) if (100.0..600.0).contains(&s) => s as u16,
        Ok(_) => return Err(not_a_response(JsValue::UNDEFINED)),
        Err(e) => return Err(not_a_response(e)),
    };
    let headers = response.headers().map_err(not_a_response)?;
    let content_type = headers.get("content-type").ok().flatten().unwrap_or_default();
    let retry_after = headers.get("retry-after").ok().flatten();
    let body = response.array_buffer().map_err(not_a_response)?;
    let buf = race(body, attempt_watch.as_ref()).await.map_err(|e| failed(e, true))?;
    if !buf.is_instance_of::<js_sys::ArrayBuffer>() {
        return Err(not_a_response(buf));
    }
    drop(guard);
    Ok(Reply { status, content_type, retry_after, bytes: Uint8Array::new(&buf) })
}

/// A redirect answered: the call stops there. Following it would hand the body, the caller's
/// headers and (for the token request) the API key and secret to wherever it points.
fn redirect_failure(req: &Req, status: Option<u16>) -> Failure {
    let mut f = Failure::new(
        Kind::Http,
        format!("{}: the server answered with a redirect; redirects are never followed, so nothing of this call was sent on", req.what()),
    );
    f.status = status;
    f
}

fn build_init(core: &Core, req: &Req, opts: &CallOpts, token: Option<&str>, ctl: &AbortController) -> JsValue {
    let headers = js::obj();
    set(&headers, "accept", &"application/json, text/plain, */*".into());
    if let Body::Json(_) = req.body {
        set(&headers, "content-type", &"application/json".into());
    }
    if req.auth {
        for (k, v) in core.cfg.headers.iter().chain(opts.headers.iter()) {
            set(&headers, k, &v.into());
        }
    }
    if let Some(t) = token {
        set(&headers, "authorization", &format!("Bearer {t}").into());
    }
    let init = js::obj();
    set(&init, "method", &req.method.as_str().into());
    set(&init, "headers", &headers);
    set(&init, "redirect", &"manual".into());
    match &req.body {
        Body::None => {}
        Body::Json(s) => set(&init, "body", &s.into()),
        Body::Raw(v) => set(&init, "body", v),
    }
    set(&init, "signal", &ctl.signal().into());
    init
}

thread_local! {
    static UTF8: Option<TextDecoder> = {
        let opts = js::obj();
        set(&opts, "fatal", &JsValue::TRUE);
        TextDecoder::new("utf-8", &opts).ok()
    };
}

/// Strict text decoding: invalid bytes are an error, never replacement characters.
fn decode_text(bytes: &Uint8Array, content_type: &str) -> Option<JsString> {
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
    let mime = content_type.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    if mime.is_empty() || mime == "application/json" || mime.ends_with("+json") || mime == "text/json" {
        BodyType::Json
    } else if mime.starts_with("text/") || mime == "application/xml" || mime == "application/javascript" {
        BodyType::Text
    } else {
        BodyType::Bytes
    }
}

/// Decodes a 2xx body: JSON → value, text → string, anything else → `Uint8Array`, empty → `null`.
fn decode(reply: Reply, req: &Req) -> Res<JsValue> {
    if reply.bytes.length() == 0 {
        return Ok(JsValue::NULL);
    }
    let parse_fail = |m: &str| Failure::new(Kind::Parse, format!("{}: {m}", req.what())).with_status(reply.status);
    match body_type(&reply.content_type) {
        BodyType::Bytes => Ok(reply.bytes.into()),
        BodyType::Text => decode_text(&reply.bytes, &reply.content_type)
            .map(JsValue::from)
            .ok_or_else(|| parse_fail("the response is not valid text in its charset")),
        BodyType::Json => {
            let text = decode_text(&reply.bytes, &reply.content_type)
                .ok_or_else(|| parse_fail("the response is not valid UTF-8"))?;
            js::json_parse(&text).map_err(|e| parse_fail("the response is not valid JSON").with_cause(e))
        }
    }
}

/// The `GlassixError` for a non-2xx response: message from the body's `message` / `Message`.
fn http_failure(reply: Reply, req: &Req, retry_after: Option<f64>) -> Failure {
    let text = decode_text(&reply.bytes, &reply.content_type);
    let body = match &text {
        Some(t) if t.length() > 0 => js::json_parse(t).unwrap_or_else(|_| t.into()),
        Some(_) => JsValue::UNDEFINED,
        None => reply.bytes.clone().into(),
    };
    let body_message = if body.is_object() {
        js::string_prop(&body, "message").or_else(|| js::string_prop(&body, "Message"))
    } else {
        None
    };
    let mut f = Failure::new(Kind::Http, http_message(reply.status, body_message, req.method.as_str(), &req.path))
        .with_status(reply.status);
    f.body = body;
    f.retry_after = retry_after;
    f
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(outcome: Outcome, idempotent: bool, retries: u32, reauthed: bool, ra: Option<f64>) -> Next {
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
        assert_eq!(decide(Outcome::Status(401), true, 0, 2, false, false, None, 0.5), Next::Fail);
    }

    #[test]
    fn too_many_requests_is_retried_for_every_method() {
        assert_eq!(d(Outcome::Status(429), false, 0, false, Some(3.0)), Next::Retry { delay: 3000.0, pause: true });
        assert_eq!(d(Outcome::Status(429), true, 1, false, None), Next::Retry { delay: 500.0, pause: true });
        assert_eq!(d(Outcome::Status(429), true, 2, false, Some(1.0)), Next::Fail);
        // a server asking for more than a minute gets its 429 back at once
        assert_eq!(d(Outcome::Status(429), true, 0, false, Some(3600.0)), Next::Fail);
        assert_eq!(d(Outcome::Status(429), true, 0, false, Some(60.0)), Next::Retry { delay: 60000.0, pause: true });
    }

    #[test]
    fn gateway_errors_and_network_failures_retry_only_when_idempotent() {
        for o in [Outcome::Status(502), Outcome::Status(503), Outcome::Status(504), Outcome::Network, Outcome::Timeout] {
            assert!(matches!(d(o, true, 0, false, None), Next::Retry { pause: false, .. }), "{o:?}");
            assert_eq!(d(o, false, 0, false, None), Next::Fail, "POST must never be re-sent after {o:?}");
            assert_eq!(d(o, true, 2, false, None), Next::Fail, "retries exhausted after {o:?}");
        }
        for s in [400, 403, 404, 500, 501] {
            assert_eq!(d(Outcome::Status(s), true, 0, false, None), Next::Fail, "{s}");
        }
    }

    #[test]
    fn max_retries_zero_disables() {
        assert_eq!(decide(Outcome::Status(503), true, 0, 0, false, true, None, 0.5), Next::Fail);
        assert_eq!(decide(Outcome::Status(429), true, 0, 0, false, true, Some(1.0), 0.5), Next::Fail);
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
        assert_eq!(parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", 1_445_412_470_000.0, date), Some(10.0));
        // a date in the past means "now"
        assert_eq!(parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", 1_445_412_490_000.0, date), Some(0.0));
        assert_eq!(parse_retry_after("soon", 0.0, date), None);
        assert_eq!(parse_retry_after("1.5", 0.0, |_| Some(0.0)), Some(1.5));
        assert_eq!(parse_retry_after("0.25", 0.0, |_| None), Some(0.25));
        assert_eq!(parse_retry_after("-1", 0.0, |_| None), None);
        assert_eq!(parse_retry_after("1.", 0.0, |_| None), Some(1.0));
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
