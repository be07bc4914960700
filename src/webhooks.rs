//! Webhook deliveries: signature verification (both Glassix schemes, HMAC-SHA1 keyed with the
//! API secret, constant-time comparison), parsing a delivery into events, and `consume`, the
//! at-least-once polling loop.

use std::rc::Rc;

use js_sys::{Array, Function, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use crate::client::{send, Core};
use crate::config::{CallOpts, Config, Num, Options};
use crate::endpoints::{row_for, Method, ROWS};
use crate::error::{At, Failure, Kind, Msg, Res};
use crate::js::{self, absent, call_to_promise, get};
use crate::request::{build, deletable, is_date};
use crate::transport::{backoff_ms, decode_text};
use crate::wait::{sleep, Watch};

/// The HMAC-SHA1 (RFC 2104) of `message` keyed with `secret`, as 40 lower-case hex digits,
/// computed by `js/exchange.js` (`hmacSha1`: a SHA-1 in JS is about 1.5 KB gzip less wasm than
/// one in Rust; WebCrypto's is async).
#[cfg(target_arch = "wasm32")]
fn hmac_sha1_hex(secret: &[u8], message: &Message) -> String {
    js::hmac_sha1(&Uint8Array::from(secret), message)
        .as_string()
        .unwrap_or_default()
}

/// What is signed: a JS `Uint8Array` in the wasm (a webhook's body never copies into wasm memory),
/// bytes on the host, where the verification logic is tested.
#[cfg(target_arch = "wasm32")]
pub type Message = Uint8Array;
#[cfg(not(target_arch = "wasm32"))]
pub type Message = [u8];

/// Whether `header` signs `text` (the auth date).
#[cfg(target_arch = "wasm32")]
fn signs_text(header: &str, secret: &[u8], text: &str) -> bool {
    signature_matches(header, secret, &Uint8Array::from(text.as_bytes()))
}
#[cfg(not(target_arch = "wasm32"))]
fn signs_text(header: &str, secret: &[u8], text: &str) -> bool {
    signature_matches(header, secret, text.as_bytes())
}

/// The host build's HMAC-SHA1 (sha1_smol, a host-only dependency), so that the verification
/// logic around it is tested natively; the shipped one in JS is tested against node:crypto.
#[cfg(not(target_arch = "wasm32"))]
fn hmac_sha1_hex(secret: &[u8], message: &[u8]) -> String {
    let mut k = [0u8; 64];
    if secret.len() > 64 {
        k[..20].copy_from_slice(&sha1_smol::Sha1::from(secret).digest().bytes());
    } else {
        k[..secret.len()].copy_from_slice(secret);
    }
    let mut inner = sha1_smol::Sha1::new();
    inner.update(&k.map(|b| b ^ 0x36));
    inner.update(message);
    let mut outer = sha1_smol::Sha1::new();
    outer.update(&k.map(|b| b ^ 0x5c));
    outer.update(&inner.digest().bytes());
    outer.digest().to_string()
}

/// Equal, in time that depends only on the lengths.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |d, (x, y)| d | (x ^ y)) == 0
}

pub const DEFAULT_TOLERANCE_MS: f64 = 300_000.0;

/// Whether `header` (`sha1=<hex>`, either case) is the HMAC-SHA1 of `message` keyed with
/// `secret`. The comparison is constant-time.
pub fn signature_matches(header: &str, secret: &[u8], message: &Message) -> bool {
    let h = header.trim();
    match h.get(..5) {
        Some(p) if p.eq_ignore_ascii_case("sha1=") => constant_time_eq(
            hmac_sha1_hex(secret, message).as_bytes(),
            h[5..].to_ascii_lowercase().as_bytes(),
        ),
        _ => false,
    }
}

/// `sha1=<lower-case hex>` of the HMAC-SHA1 of `message` keyed with `secret`.
#[cfg(all(test, not(target_arch = "wasm32")))]
pub fn sign(secret: &[u8], message: &[u8]) -> String {
    ["sha1=", &hmac_sha1_hex(secret, message)].concat()
}

/// The signature headers of one delivery, already looked up.
pub struct Signed<'a> {
    pub hub: Option<&'a str>,
    pub auth: Option<&'a str>,
    pub date: Option<&'a str>,
}

/// True only when `X-Hub-Signature` (the body's) is present and verifies, and so does
/// `X-Glassix-Auth-Signature` when present, with a `X-Glassix-Auth-Date` within `tolerance_ms` of
/// `now_ms`. The date's signature covers the date alone: on its own it would vouch for any body
/// sent with a captured pair of headers.
pub fn verify_parts(
    s: &Signed,
    body: &Message,
    secret: &[u8],
    now_ms: f64,
    tolerance_ms: f64,
    date_ms: impl Fn(&str) -> Option<f64>,
) -> bool {
    let Some(h) = s.hub else { return false };
    if !signature_matches(h, secret, body) {
        return false;
    }
    if let Some(a) = s.auth {
        let Some(date) = s.date else { return false };
        if !signs_text(a, secret, date) {
            return false;
        }
        match date_ms(date.trim()) {
            Some(t) if (now_ms - t).abs() <= tolerance_ms => {}
            _ => return false,
        }
    }
    true
}

/// `X-Glassix-Auth-Date` as epoch ms: Unix seconds or milliseconds, or any date `Date.parse` reads.
fn auth_date_ms(s: &str) -> Option<f64> {
    if !s.is_empty() && s.len() < 16 && s.bytes().all(|b| b.is_ascii_digit()) {
        let n = s.parse::<u64>().ok()? as f64;
        return Some(if n < 100_000_000_000.0 { n * 1000.0 } else { n });
    }
    let t = js_sys::Date::parse(s);
    (!t.is_nan()).then_some(t)
}

/// The raw body as bytes: a string (UTF-8), `Uint8Array` / `Buffer`, or `ArrayBuffer`, of any
/// realm. They stay in JS (`js/exchange.js`, `bodyBytes`).
fn body_bytes(v: &JsValue) -> Res<Uint8Array> {
    let bytes = js::body_bytes(v);
    match bytes.is_undefined() {
        true => Err(Failure::invalid(Msg::RawBody).with(v.clone(), JsValue::UNDEFINED)),
        false => Ok(bytes.unchecked_into()),
    }
}

/// A header's value, looked up case-insensitively in a `Headers`, a plain object or Node's
/// `IncomingHttpHeaders`. `Err` when the value is ambiguous (several values or spellings).
fn header(headers: &JsValue, name: &str) -> Result<Option<String>, ()> {
    let getter = get(headers, "get");
    if getter.is_function() {
        let v = getter
            .unchecked_into::<Function>()
            .call1(headers, &name.into())
            .map_err(|_| ())?;
        // (an empty value is no header: Koa's `get` answers '' for a missing one)
        return Ok(v.as_string().filter(|s| !s.is_empty()));
    }
    let mut found = None;
    for key in crate::js::object_keys(headers).map_err(|_| ())?.iter() {
        let k = key.as_string().unwrap_or_default();
        if !k.eq_ignore_ascii_case(name) {
            continue;
        }
        let v = get(headers, &k);
        let value = if let Some(s) = v.as_string() {
            Some(s)
        } else if let Some(a) = crate::js::array(&v)
            .map_err(|_| ())?
            .filter(|a| a.length() == 1)
        {
            a.get(0).as_string()
        } else if v.is_undefined() || v.is_null() {
            None
        } else {
            return Err(());
        }
        // (an empty value, alone or as the one item of a list, is no header)
        .filter(|s| !s.is_empty());
        if value.is_some() && found.is_some() {
            return Err(());
        }
        if value.is_some() {
            found = value;
        }
    }
    Ok(found)
}

fn now_option(options: &JsValue) -> Res<f64> {
    let now = get(options, "now");
    if absent(&now) {
        return Ok(js::now());
    }
    let ms = if is_date(&now) {
        now.unchecked_ref::<js_sys::Date>().get_time()
    } else {
        now.as_f64().unwrap_or(f64::NAN)
    };
    if ms.is_finite() {
        Ok(ms)
    } else {
        Err(Failure::invalid(Msg::NowOption))
    }
}

/// `verifyWebhook(rawBody, headers, apiSecret, options?)`.
pub fn verify(raw_body: &JsValue, headers: &JsValue, secret: &str, options: &JsValue) -> Res<bool> {
    if secret.is_empty() {
        return Err(Failure::invalid(Msg::SecretRequired));
    }
    // in the order of the parameters, so a call with none names the first
    let body = body_bytes(raw_body)?;
    // (the host build signs bytes: see `Message`)
    #[cfg(not(target_arch = "wasm32"))]
    let body = body.to_vec();
    if !headers.is_object() {
        return Err(Failure::invalid(Msg::HeadersType));
    }
    let opts = match options {
        o if js::plain(o) => o.clone(),
        o if js::absent(o) => js::obj(),
        o => return Err(Failure::invalid(Msg::NotObject).with("options", o.clone())),
    };
    Options(&opts).only("toleranceMs now", "")?;
    let tolerance = Options(&opts)
        .number("toleranceMs", Num::Inf(0))?
        .unwrap_or(DEFAULT_TOLERANCE_MS);
    let now = now_option(&opts)?;
    let (Ok(hub), Ok(auth), Ok(auth_old), Ok(date)) = (
        header(headers, "x-hub-signature"),
        header(headers, "x-glassix-auth-signature"),
        header(headers, "x-glassix-auth"),
        header(headers, "x-glassix-auth-date"),
    ) else {
        return Ok(false);
    };
    if auth.is_some() && auth_old.is_some() && auth != auth_old {
        return Ok(false);
    }
    let signed = Signed {
        hub: hub.as_deref(),
        auth: auth.as_deref().or(auth_old.as_deref()),
        date: date.as_deref(),
    };
    Ok(verify_parts(
        &signed,
        &body,
        secret.as_bytes(),
        now,
        tolerance,
        auth_date_ms,
    ))
}

/// `parseWebhook(rawBody)`: the events of a delivery, as an array whether it held one or many.
pub fn parse(raw_body: &JsValue) -> Res<Array> {
    // strict UTF-8, as a response's body is read; the decoder drops one byte order mark, which is
    // no part of the JSON (`res.json()` drops it too)
    let text = decode_text(&body_bytes(raw_body)?, "")
        .ok_or_else(|| Failure::new(Kind::Parse, Msg::BodyUtf8))?;
    let v = js::json_parse(&text)
        .map_err(|e| Failure::new(Kind::Parse, Msg::BodyJson).with_cause(e))?;
    // one event (an object) or a list of them, nothing else
    let events = if Array::is_array(&v) {
        Array::from(&v)
    } else {
        Array::of1(&v)
    };
    match events.iter().all(|e| js::plain(&e)) {
        true => Ok(events),
        false => Err(Failure::new(Kind::Parse, Msg::NotEvents)),
    }
}

/// A failure of one of `consume`'s own requests, named after `consume` (the method the caller
/// called): `webhooks.consume: Glassix API responded 500 to GET /webhooks/getevents`.
fn in_consume(mut f: Failure, at: At) -> JsValue {
    f.at = at;
    f.into_js()
}

fn report(on_error: &Option<Function>, err: &JsValue, event: &JsValue) {
    if let Some(f) = on_error {
        // a throwing onError must not stop the loop
        let _ = js::handled(&call_to_promise(f, &Array::of2(err, event)));
    }
}

fn queue_id(event: &JsValue) -> Option<String> {
    js::string_prop(event, "queueMessageId").or_else(|| js::string_prop(event, "key"))
}

/// How many handled ids `consume` remembers.
const SEEN_LIMIT: u32 = 10_000;

/// `webhooks.consume`'s arguments, read as it is called.
pub struct Consume {
    handler: Function,
    opts: CallOpts,
    interval: f64,
    on_error: Option<Function>,
}

impl Consume {
    pub fn read(cfg: &Config, handler: &JsValue, options: &JsValue) -> Res<Consume> {
        if !handler.is_function() {
            return Err(Failure::invalid(Msg::Handler));
        }
        let options = if absent(options) {
            js::obj()
        } else {
            options.clone()
        };
        // its own options, and the per-call ones every poll and delete goes out with (validated
        // here, before anything is sent; options that are no object are refused with every key)
        let opts = CallOpts::read(
            &options,
            cfg,
            "signal, timeout, maxRetries, headers, intervalMs, onError",
        )?;
        Ok(Consume {
            handler: handler.clone().unchecked_into(),
            opts,
            interval: Options(&options)
                .number("intervalMs", Num::Finite(0))?
                .unwrap_or(5000.0),
            on_error: Options(&options)
                .function("onError")
                .map_err(|_| Failure::invalid(Msg::OnError))?,
        })
    }
}

/// `webhooks.consume(handler, { signal, intervalMs, onError, timeout, maxRetries, headers })`
/// (the last three each poll's and delete's): polls `getevents` with
/// `deleteEvents=false`, hands each new event to `handler`, and deletes only the events whose
/// handler resolved. Resolves once `signal` aborts (after the handler in progress finishes);
/// no request is made after that.
pub async fn consume(core: Rc<Core>, at: At, given: Box<Consume>) -> Res<()> {
    let Consume {
        handler,
        opts,
        interval,
        on_error,
    } = *given;
    // polls what its own row reads (`getevents`); deletes through the `deleteEvents` row
    let own = &ROWS[usize::from(at)];
    let (poll_at, delete_at) = (
        row_for(own.method, own.path),
        row_for(Method::Post, "/webhooks/deleteevents"),
    );
    let watch = opts.watch.as_ref();
    let poll_args = {
        let flag = js::obj();
        js::set(&flag, "deleteEvents", &JsValue::FALSE);
        [flag]
    };
    let stopped = || watch.is_some_and(Watch::aborted);
    let seen = js_sys::Set::new(&JsValue::UNDEFINED);
    let mut failures = 0u32;
    loop {
        if stopped() {
            return Ok(());
        }
        let (req, _) = build(&core.cfg, poll_at as At, &ROWS[poll_at], &poll_args)?;
        let polled = send(&core, &req, &opts).await;
        if stopped() {
            return Ok(());
        }
        let events = match polled {
            Ok(v) if Array::is_array(&v) => Array::from(&v),
            Ok(v) if v.is_null() => Array::new(),
            other => {
                let f = other
                    .err()
                    .unwrap_or_else(|| Failure::new(Kind::Parse, Msg::PollNotArray));
                report(&on_error, &in_consume(f, at), &JsValue::UNDEFINED);
                failures += 1;
                if sleep(backoff_ms(failures, 1.0).max(interval), watch)
                    .await
                    .is_err()
                {
                    return Ok(());
                }
                continue;
            }
        };
        failures = 0;
        let done = Array::new();
        // Poll again at once only while new events keep coming and all of them were handled;
        // events seen before (undeletable, or still visible after their delete) do not count,
        // or such a queue would be polled as fast as the network allows.
        let mut fresh = 0u32;
        let mut all_handled = true;
        for event in events.iter() {
            if stopped() {
                break;
            }
            let id = queue_id(&event);
            if id.as_ref().is_some_and(|i| seen.has(&i.into())) {
                if deletable(&event) {
                    done.push(&event);
                }
                continue;
            }
            match JsFuture::from(call_to_promise(&handler, &Array::of1(&event))).await {
                Ok(_) => {
                    // (an event with no id to know it by again counts as nothing new: it would
                    // come back in every poll, and be polled for as fast as the network allows)
                    if let Some(i) = id {
                        fresh += 1;
                        seen.add(&i.into());
                        if seen.size() > SEEN_LIMIT {
                            let oldest = seen.values().next().ok().map(|r| get(&r, "value"));
                            if let Some(o) = oldest {
                                seen.delete(&o);
                            }
                        }
                    }
                    if deletable(&event) {
                        done.push(&event);
                    }
                }
                Err(e) => {
                    all_handled = false;
                    report(&on_error, &e, &event);
                }
            }
        }
        if stopped() {
            return Ok(());
        }
        if done.length() > 0 {
            let deleted = match build(&core.cfg, delete_at as At, &ROWS[delete_at], &[done.into()])
            {
                Ok((req, _)) => send(&core, &req, &opts).await.map(|_| ()),
                Err(f) => Err(f),
            };
            if let Err(f) = deleted {
                if stopped() {
                    return Ok(());
                }
                all_handled = false;
                report(&on_error, &in_consume(f, at), &JsValue::UNDEFINED);
            }
        }
        // drain a busy queue at once; otherwise wait before the next poll
        let busy = fresh > 0 && all_handled;
        if !busy && sleep(interval, watch).await.is_err() {
            return Ok(());
        }
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))] // (the host's: `Message` is bytes there)
mod tests {
    use super::*;

    // RFC 2202 test case 2 for HMAC-SHA1
    const KEY: &[u8] = b"Jefe";
    const MSG: &[u8] = b"what do ya want for nothing?";
    const MAC: &str = "sha1=effcdf6ae5eb2fa2d27416d5f184df9c259a7c79";

    #[test]
    fn known_answer_vectors() {
        assert_eq!(sign(KEY, MSG), MAC);
        // RFC 2202 test case 1
        assert_eq!(
            sign(&[0x0b; 20], b"Hi There"),
            "sha1=b617318655057264e28bc0b6fb378c8ef146be00"
        );
        // a key longer than the block size
        assert_eq!(
            sign(
                &[0xaa; 80],
                b"Test Using Larger Than Block-Size Key - Hash Key First"
            ),
            "sha1=aa4ae5e15272d00e95705637ce8a3b55ed402112"
        );
    }

    #[test]
    fn signature_check_accepts_either_hex_case_and_refuses_tampering() {
        assert!(signature_matches(MAC, KEY, MSG));
        assert!(signature_matches(&MAC.to_uppercase(), KEY, MSG));
        assert!(!signature_matches(
            MAC,
            KEY,
            b"what do ya want for nothing!"
        ));
        assert!(!signature_matches(MAC, b"Jeff", MSG));
        assert!(
            !signature_matches("effcdf6ae5eb2fa2d27416d5f184df9c259a7c79", KEY, MSG),
            "prefix required"
        );
        assert!(!signature_matches("sha1=effcdf", KEY, MSG));
        assert!(!signature_matches("sha1=zz", KEY, MSG));
        assert!(!signature_matches("", KEY, MSG));
    }

    fn date(s: &str) -> Option<f64> {
        (s == "Tue, 24 Nov 2026 10:00:00 GMT").then_some(1_795_946_400_000.0)
    }

    #[test]
    fn verdict_needs_the_body_signature_and_every_present_one_valid() {
        let body = br#"{"key":"k"}"#;
        let now = 1_795_946_400_000.0;
        let d = "Tue, 24 Nov 2026 10:00:00 GMT";
        let hub = sign(b"s", body);
        let auth = sign(b"s", d.as_bytes());
        let v = |hub: Option<&str>, auth: Option<&str>, date_h: Option<&str>, at: f64| {
            verify_parts(
                &Signed {
                    hub,
                    auth,
                    date: date_h,
                },
                body,
                b"s",
                at,
                DEFAULT_TOLERANCE_MS,
                date,
            )
        };
        assert!(!v(None, None, None, now), "no signature at all");
        assert!(v(Some(&hub), None, None, now));
        assert!(
            !v(None, Some(&auth), Some(d), now),
            "the date's signature alone vouches for no body"
        );
        assert!(v(Some(&hub), Some(&auth), Some(d), now));
        assert!(
            !v(Some(&hub), Some("sha1=00"), Some(d), now),
            "one bad signature fails all"
        );
        assert!(
            !v(Some(&hub), Some(&auth), None, now),
            "auth signature without its date"
        );
        assert!(
            !v(Some(&hub), Some(&auth), Some(d), now + 300_001.0),
            "stale date"
        );
        assert!(
            v(Some(&hub), Some(&auth), Some(d), now + 300_000.0),
            "edge of the window"
        );
        assert!(
            !v(Some(&hub), Some(&auth), Some(d), now - 300_001.0),
            "date from the future"
        );
    }
}
