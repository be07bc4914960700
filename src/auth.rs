//! The client's access token: cached until shortly before it expires, fetched by at most one
//! request at a time however many calls need it, refreshed once after a 401. Tokens come from
//! `POST /token/get` (apiKey/apiSecret/userName), from a pre-issued `accessToken`, or from the
//! caller's `getAccessToken` callback.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use js_sys::{Array, Function, Promise};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;

use crate::config::Config;
use crate::error::{get, set, Failure, Kind, Res};
use crate::js::{self, abort_failure, call_to_promise, race, within, Watch};
use crate::transport::{send, Body, CallOpts, Core, Method, Req};

struct Token {
    value: String,
    /// When to stop using it (already moved earlier by the safety margin).
    refresh_at: f64,
    /// The token response it came in (what `getToken()` resolves with).
    response: JsValue,
}

pub struct Auth {
    token: RefCell<Option<Token>>,
    inflight: RefCell<Option<(u64, Promise)>>,
    generation: Cell<u64>,
    from_credentials: bool,
    provider: Option<Function>,
}

/// Use a token until 10 % of its lifetime (at most 5 minutes) is left.
pub fn refresh_at(now_ms: f64, expires_in_s: Option<f64>) -> f64 {
    match expires_in_s {
        Some(s) if s.is_finite() && s > 0.0 => now_ms + s * 1000.0 - (s * 100.0).min(300_000.0),
        Some(_) => now_ms,
        // no lifetime given: keep it until the API answers 401
        None => f64::INFINITY,
    }
}

impl Auth {
    pub fn new(cfg: &Config) -> Auth {
        let token = cfg.access_token.as_ref().map(|t| Token { value: t.clone(), refresh_at: f64::INFINITY, response: JsValue::UNDEFINED });
        Auth {
            token: RefCell::new(token),
            inflight: RefCell::new(None),
            generation: Cell::new(0),
            from_credentials: cfg.creds.is_some(),
            provider: cfg.get_access_token.clone(),
        }
    }

    /// Whether a rejected token can be replaced (not with a bare `accessToken`).
    pub fn can_refresh(&self) -> bool {
        self.from_credentials || self.provider.is_some()
    }

    fn cached(&self) -> Option<String> {
        let t = self.token.borrow();
        t.as_ref().filter(|t| js::now() < t.refresh_at).map(|t| t.value.clone())
    }

    /// Drops the cached token if it is still the one that was rejected (a concurrent call may
    /// already have replaced it).
    pub fn invalidate(&self, rejected: Option<&str>) {
        let mut t = self.token.borrow_mut();
        if t.as_ref().map(|t| t.value.as_str()) == rejected {
            *t = None;
        }
    }

    /// A usable token: the cached one, or the one being fetched, or a new fetch.
    pub async fn token(&self, core: &Rc<Core>, watch: Option<&Watch>) -> Res<String> {
        if let Some(t) = self.cached() {
            return Ok(t);
        }
        if !self.can_refresh() {
            return Err(Failure::invalid("the access token expired and there is no way to get another"));
        }
        // an aborted call starts no token request (and a shared one is not its to start)
        if watch.is_some_and(Watch::aborted) {
            return Err(abort_failure(watch));
        }
        let shared = self.inflight.borrow().as_ref().map(|(_, p)| p.clone());
        let p = match shared {
            Some(p) => p,
            None => self.start(core),
        };
        match race(p, watch).await {
            Ok(v) => v.as_string().ok_or_else(|| Failure::new(Kind::Parse, "token is not a string")),
            Err(None) => Err(abort_failure(watch)),
            Err(Some(e)) => Err(Failure::from_js(e, Kind::Network, "getting an access token failed")),
        }
    }

    /// Starts the one shared token request; every waiter awaits the same promise.
    fn start(&self, core: &Rc<Core>) -> Promise {
        let gen = self.generation.get() + 1;
        self.generation.set(gen);
        let core2 = core.clone();
        let p = future_to_promise(async move {
            let result = fetch_token(&core2).await;
            let auth = &core2.auth;
            if auth.inflight.borrow().as_ref().is_some_and(|(g, _)| *g == gen) {
                auth.inflight.borrow_mut().take();
            }
            match result {
                Ok(t) => {
                    let value = t.value.clone();
                    *auth.token.borrow_mut() = Some(t);
                    Ok(value.into())
                }
                Err(f) => Err(f.into_js()),
            }
        });
        // every waiter may have given up (aborted); the rejection is still handled
        let _ = js::handled(&p);
        *self.inflight.borrow_mut() = Some((gen, p.clone()));
        p
    }
}

async fn fetch_token(core: &Rc<Core>) -> Res<Token> {
    if core.cfg.creds.is_some() {
        let user = core.cfg.creds.as_ref().map(|c| c.user_name.clone()).unwrap_or_default();
        let started = js::now();
        let v = request_token(core, &user).await?;
        return token_from_response(&v, started);
    }
    let Some(provider) = core.auth.provider.clone() else {
        return Err(Failure::invalid("no credentials to get an access token with"));
    };
    let started = js::now();
    // bounded by the client's timeout, so a provider that never answers cannot hang every call
    let v = within(call_to_promise(&provider, &Array::new()), core.cfg.timeout_ms).await.map_err(|e| match e {
        Some(e) => Failure::from_js(e, Kind::Network, "getAccessToken() failed"),
        None => Failure::new(Kind::Timeout, "getAccessToken() did not resolve within the client's timeout"),
    })?;
    // The provider's token is checked like the `accessToken` option and a token response: a bad
    // one fails the call at once (no request, no retry), and its value is never echoed.
    let bad = |what: &str| Failure::invalid(format!("getAccessToken() returned {what}; expected a token string or {{ access_token, expires_in }}"));
    let (value, expires_in) = if let Some(s) = v.as_string() {
        (s, JsValue::UNDEFINED)
    } else if v.is_object() {
        match first_defined(&v, &["access_token", "accessToken"]).as_string() {
            Some(s) => (s, first_defined(&v, &["expires_in", "expiresIn"])),
            None => return Err(bad("an object without an access_token string")),
        }
    } else {
        return Err(bad(if v.is_undefined() || v.is_null() { "nothing" } else { "a value that is not a string" }));
    };
    if value.is_empty() {
        return Err(bad("an empty token"));
    }
    if crate::config::check_header("authorization", &value).is_err() {
        return Err(Failure::invalid(
            "getAccessToken() returned a token with a CR, LF, NUL or a character above U+00FF, which cannot be sent in a header",
        ));
    }
    Ok(Token { value, refresh_at: refresh_at(started, read_expires_in(&expires_in)), response: JsValue::UNDEFINED })
}

fn first_defined(v: &JsValue, keys: &[&str]) -> JsValue {
    if !v.is_object() {
        return JsValue::UNDEFINED;
    }
    keys.iter().map(|k| get(v, k)).find(|x| !x.is_undefined()).unwrap_or_default()
}

fn token_from_response(v: &JsValue, started: f64) -> Res<Token> {
    let value = if v.is_object() { js::string_prop(v, "access_token") } else { None };
    let value = value
        .filter(|s| !s.is_empty())
        .ok_or_else(|| Failure::new(Kind::Parse, "the token response has no access_token"))?;
    crate::config::check_header("authorization", &value)
        .map_err(|_| Failure::new(Kind::Parse, "the access token has a CR, LF or NUL"))?;
    Ok(Token { value, refresh_at: refresh_at(started, read_expires_in(&get(v, "expires_in"))), response: v.clone() })
}

/// `expires_in` as seconds: a number or a numeric string.
fn read_expires_in(v: &JsValue) -> Option<f64> {
    v.as_f64().or_else(|| v.as_string().map(|s| js_sys::Number::from(JsValue::from(s)).value_of()).filter(|n| !n.is_nan()))
}

/// `POST /token/get` for `user_name`; resolves with the whole token response. It is retried like
/// an idempotent call (getting a token has no side effect) and honours the 429 pause.
pub async fn request_token(core: &Rc<Core>, user_name: &str) -> Res<JsValue> {
    let Some(c) = core.cfg.creds.as_ref() else {
        return Err(Failure::invalid("getToken needs apiKey, apiSecret and userName"));
    };
    let body = js::obj();
    set(&body, "apiKey", &c.api_key.as_str().into());
    set(&body, "apiSecret", &c.api_secret.as_str().into());
    set(&body, "userName", &user_name.into());
    let json = js_sys::JSON::stringify(&body).map(String::from).unwrap_or_default();
    let mut req = Req::new("getToken", Method::Post, format!("{}/token/get", core.cfg.root), "/token/get", Body::Json(json));
    req.auth = false;
    req.idempotent = true;
    send(core, &req, &CallOpts::defaults(&core.cfg)).await
}

/// `client.getToken(userName?)`: a token for `userName` (default: the client's own user). A token
/// for the client's own user also replaces the cached one; another user's token never does.
pub async fn get_token(core: Rc<Core>, user: JsValue) -> Res<JsValue> {
    let own = core.cfg.creds.as_ref().map(|c| c.user_name.clone());
    let user = match user.as_string().filter(|s| !s.is_empty()) {
        Some(u) => u,
        None if user.is_undefined() || user.is_null() || user.as_string().is_some() => {
            own.clone().ok_or_else(|| Failure::invalid("getToken needs apiKey, apiSecret and userName"))?
        }
        None => return Err(Failure::invalid("getToken(userName): userName must be a string")),
    };
    if own.as_deref() == Some(user.as_str()) {
        // A fresh token for the client's own user goes through the shared refresh, so it is never
        // fetched twice at once (joining one already in flight), and becomes the cached token.
        let auth = &core.auth;
        if auth.inflight.borrow().is_none() {
            let current = auth.token.borrow().as_ref().map(|t| t.value.clone());
            auth.invalidate(current.as_deref());
        }
        auth.token(&core, None).await?;
        let response = auth.token.borrow().as_ref().map(|t| t.response.clone());
        return response
            .filter(|r| !r.is_undefined())
            .ok_or_else(|| Failure::new(Kind::Parse, "getToken: no token response"));
    }
    let started = js::now();
    let v = request_token(&core, &user).await?;
    token_from_response(&v, started)?;
    Ok(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refresh_margin_is_a_tenth_capped_at_five_minutes() {
        assert_eq!(refresh_at(0.0, Some(10_800.0)), 10_800_000.0 - 300_000.0);
        assert_eq!(refresh_at(0.0, Some(60.0)), 54_000.0);
        assert_eq!(refresh_at(1000.0, Some(1.0)), 1900.0);
        assert_eq!(refresh_at(5.0, Some(0.0)), 5.0);
        assert_eq!(refresh_at(5.0, None), f64::INFINITY);
    }
}
