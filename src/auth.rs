//! The client's access token: cached until shortly before it expires, fetched by at most one
//! request at a time however many calls need it, refreshed once after a 401. Tokens come from
//! `POST /token/get` (apiKey/apiSecret/userName), from a pre-issued `accessToken`, or from the
//! caller's `getAccessToken` callback. How a token is fetched is the caller's (`core`'s)
//! business: this module only caches and shares.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use js_sys::{Array, Function, Promise};
use wasm_bindgen::prelude::*;

use crate::config::{token_ok, too_long, Config};
use crate::error::{Failure, Kind, Msg, Res};
use crate::js::{self, get, AbortController};
use crate::wait::{abort_failure, check, race, within, Watch};

pub struct Token {
    pub value: String,
    /// When to stop using it (already moved earlier by the safety margin).
    pub refresh_at: f64,
    /// The token response it came in (what `getToken()` resolves with).
    pub response: JsValue,
}

struct State {
    token: RefCell<Option<Token>>,
    /// The token the API last rejected (401), handed to `getAccessToken` so that a shared store
    /// can drop it for everyone.
    rejected: RefCell<Option<String>>,
    /// The shared fetch under way: its generation, its promise, and what stops it when no call
    /// waits for it any more (a token request for a call that gave up is never sent).
    inflight: RefCell<Option<(u64, Promise, AbortController)>>,
    generation: Cell<u64>,
    /// Calls waiting for a shared fetch.
    waiting: Cell<u32>,
}

pub struct Auth {
    state: Rc<State>,
    can_refresh: bool,
}

/// Use a token until 10 % of its lifetime (at most 5 minutes) is left.
pub fn refresh_at(now_ms: f64, expires_in_s: Option<f64>) -> f64 {
    match expires_in_s {
        Some(s) if s.is_finite() && s > 0.0 => now_ms + s * 1000.0 - (s * 100.0).min(300_000.0),
        // already due when it came (`expires_in` 0 or less): never cached, never `stale`
        Some(_) => f64::NEG_INFINITY,
        // no lifetime given: keep it until the API answers 401
        None => f64::INFINITY,
    }
}

impl Auth {
    pub fn new(cfg: &Config) -> Auth {
        let token = cfg.access_token.as_ref().map(|t| Token {
            value: t.clone(),
            refresh_at: f64::INFINITY,
            response: JsValue::UNDEFINED,
        });
        Auth {
            state: Rc::new(State {
                token: RefCell::new(token),
                rejected: RefCell::new(None),
                inflight: RefCell::new(None),
                generation: Cell::new(0),
                waiting: Cell::new(0),
            }),
            can_refresh: cfg.creds.is_some() || cfg.get_access_token.is_some(),
        }
    }

    /// Whether a rejected token can be replaced (not with a bare `accessToken`).
    pub fn can_refresh(&self) -> bool {
        self.can_refresh
    }

    fn cached(&self) -> Option<String> {
        let t = self.state.token.borrow();
        t.as_ref()
            .filter(|t| js::now() < t.refresh_at)
            .map(|t| t.value.clone())
    }

    /// Whether a call holding `token` should get a fresh one first (a call that waited in the
    /// queue longer than the refresh margin gets one instead of a 401): `token` is no longer the
    /// cached token, or it is past its refresh point; not when it came already due (`expires_in`
    /// 0 or less: fetching another would bring the same).
    pub fn stale(&self, token: &str) -> bool {
        match self.state.token.borrow().as_ref() {
            Some(t) if t.value == token => {
                t.refresh_at != f64::NEG_INFINITY && js::now() >= t.refresh_at
            }
            _ => true,
        }
    }

    /// Drops the cached token if it is still the one that was rejected (a concurrent call may
    /// already have replaced it).
    pub fn invalidate(&self, rejected: Option<&str>) {
        let mut t = self.state.token.borrow_mut();
        if t.as_ref().map(|t| t.value.as_str()) == rejected {
            *t = None;
            *self.state.rejected.borrow_mut() = rejected.map(String::from);
        }
    }

    /// The token the API last rejected, if any (taken: it is reported once).
    pub fn take_rejected(&self) -> JsValue {
        self.state
            .rejected
            .borrow_mut()
            .take()
            .map_or(JsValue::UNDEFINED, JsValue::from)
    }

    /// The signal of the shared fetch of generation `gen`: it fires when no call waits for it.
    pub fn wanted(&self, gen: u64) -> Option<Watch> {
        self.state
            .inflight
            .borrow()
            .as_ref()
            .filter(|f| f.0 == gen)
            .map(|f| Watch::new(f.2.signal()))
    }

    /// The response the cached token came in.
    pub fn response(&self) -> Option<JsValue> {
        self.state
            .token
            .borrow()
            .as_ref()
            .map(|t| t.response.clone())
            .filter(|r| !r.is_undefined())
    }

    /// A usable token: the cached one (unless `fresh`: `getToken()` for the client's own user),
    /// or the one being fetched, or a new fetch, which `start` begins (given its generation) and
    /// which must end with [`Auth::settle`]. The cached token stays until a new one replaces it:
    /// a fresh fetch that fails leaves it in use.
    pub async fn token(
        &self,
        watch: Option<&Watch>,
        fresh: bool,
        start: impl FnOnce(u64) -> Promise,
    ) -> Res<String> {
        if let Some(t) = self.cached().filter(|_| !fresh) {
            return Ok(t);
        }
        // (without credentials or getAccessToken the token is `accessToken`, cached for ever and
        // never dropped: a 401 does not invalidate it. Not reached; no message of its own)
        if !self.can_refresh {
            return Err(Failure::invalid(Msg::NoCredentials));
        }
        // an aborted call starts no token request (and a shared one is not its to start)
        check(watch)?;
        let shared = self
            .state
            .inflight
            .borrow()
            .as_ref()
            .map(|(_, p, _)| p.clone());
        let p = match shared {
            Some(p) => p,
            None => {
                let gen = self.state.generation.get() + 1;
                self.state.generation.set(gen);
                // (the fetch starts on the task queue, after this has recorded it)
                let p = start(gen);
                // every waiter may give up (abort); the rejection is still handled
                let _ = js::handled(&p);
                *self.state.inflight.borrow_mut() = Some((gen, p.clone(), AbortController::new()));
                p
            }
        };
        let waiting = &self.state.waiting;
        waiting.set(waiting.get() + 1);
        let result = race(p, watch).await;
        waiting.set(waiting.get() - 1);
        // the last call waiting gave up: the fetch is stopped (a later call starts a new one)
        if waiting.get() == 0 {
            self.stop_inflight();
        }
        match result {
            Ok(v) => Ok(v.as_string().unwrap_or_default()),
            Err(None) => Err(abort_failure(watch)),
            Err(Some(e)) => Err(Failure::from_js(e, Kind::Network, Msg::TokenMissing)),
        }
    }

    /// Forgets the shared fetch under way and fires its signal: no call waits for it.
    fn stop_inflight(&self) {
        if let Some((_, _, stop)) = self.state.inflight.borrow_mut().take() {
            stop.abort();
        }
    }

    /// Ends the fetch of generation `gen`: caches its token, and resolves every waiter with it
    /// (or rejects them all with its failure).
    pub fn settle(&self, gen: u64, result: Res<Token>) -> Result<JsValue, JsValue> {
        if self
            .state
            .inflight
            .borrow()
            .as_ref()
            .is_some_and(|(g, _, _)| *g == gen)
        {
            // no call waits for it any more: a provider still at work (one that did not answer
            // within the timeout) is told so through its signal
            self.stop_inflight();
        }
        match result {
            Ok(t) => {
                let value = t.value.clone();
                // (a fetch nobody waited for that answered late does not replace the token of a
                // newer one)
                if gen == self.state.generation.get() {
                    *self.state.token.borrow_mut() = Some(t);
                }
                Ok(value.into())
            }
            Err(f) => Err(f.into_js()),
        }
    }
}

/// Calls the caller's `getAccessToken(rejected, signal)` (`rejected`: the token the API just
/// refused with a 401, else `undefined`; `signal` fires when no call waits for the token),
/// bounded by the client's timeout so that a provider that never answers cannot hang every call, and checks what it returns like the `accessToken` option and
/// a token response: a bad value fails the call at once (no request, no retry), and its value is
/// never echoed.
pub async fn from_provider(
    provider: &Function,
    timeout_ms: f64,
    rejected: JsValue,
    wanted: Option<&Watch>,
) -> Res<Token> {
    let started = js::now();
    let signal = wanted.map_or(JsValue::UNDEFINED, |w| w.signal.clone().into());
    // (ended when `wanted` fires too: a provider that ignores its signal holds no timer then)
    let v = within(
        js::call_to_promise(provider, &Array::of2(&rejected, &signal)),
        timeout_ms,
        wanted,
    )
    .await
    .map_err(|e| match e {
        Some(e) => Failure::from_js(e, Kind::Network, Msg::ProviderFailed),
        None => Failure::new(Kind::Timeout, Msg::ProviderTimeout),
    })?;
    // what it returned, described by the catalog (`an object`, `undefined`, `""`): a string that
    // is not empty is a token and never reaches a message
    let bad = || Failure::invalid(Msg::ProviderValue).with(v.clone(), JsValue::UNDEFINED);
    let (token, expires_in) = if v.is_string() {
        (v.clone(), JsValue::UNDEFINED)
    } else if v.is_object() {
        (
            first_defined(&v, "access_token", "accessToken"),
            first_defined(&v, "expires_in", "expiresIn"),
        )
    } else {
        return Err(bad());
    };
    // (one too long to send is not copied to be looked at)
    if too_long(&token) {
        return Err(Failure::invalid(Msg::ProviderToken));
    }
    let value = token.as_string().ok_or_else(bad)?;
    if value.is_empty() {
        return Err(bad());
    }
    if !token_ok(&value) {
        return Err(Failure::invalid(Msg::ProviderToken));
    }
    // what `getToken()` resolves with: a token response as it was given, else (a bare string, the
    // camelCase form) one made of it, `{ access_token, expires_in }`
    let response = if get(&v, "access_token").is_string() {
        v
    } else {
        let r = js::obj();
        js::set(&r, "access_token", &JsValue::from(&value));
        if !expires_in.is_undefined() {
            js::set(&r, "expires_in", &expires_in);
        }
        r
    };
    Ok(Token {
        value,
        refresh_at: refresh_at(started, read_expires_in(&expires_in)),
        response,
    })
}

fn first_defined(v: &JsValue, a: &str, b: &str) -> JsValue {
    let x = get(v, a);
    if x.is_undefined() {
        get(v, b)
    } else {
        x
    }
}

/// The token of a `POST /token/get` response that arrived when the request started at `started`.
pub fn from_response(v: &JsValue, started: f64) -> Res<Token> {
    let token = get(v, "access_token");
    // (one too long to send is not copied into the wasm, whose memory never shrinks)
    if too_long(&token) {
        return Err(Failure::new(Kind::Parse, Msg::TokenBad));
    }
    let value = token
        .as_string()
        .filter(|s| !s.is_empty())
        .ok_or_else(|| Failure::new(Kind::Parse, Msg::TokenMissing))?;
    if !token_ok(&value) {
        return Err(Failure::new(Kind::Parse, Msg::TokenBad));
    }
    Ok(Token {
        value,
        refresh_at: refresh_at(started, read_expires_in(&get(v, "expires_in"))),
        response: v.clone(),
    })
}

/// `expires_in` as seconds: a number or a numeric string.
fn read_expires_in(v: &JsValue) -> Option<f64> {
    v.as_f64().or_else(|| {
        v.as_string()
            .map(|s| js_sys::Number::from(JsValue::from(s)).value_of())
            .filter(|n| !n.is_nan())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refresh_margin_is_a_tenth_capped_at_five_minutes() {
        assert_eq!(refresh_at(0.0, Some(10_800.0)), 10_800_000.0 - 300_000.0);
        assert_eq!(refresh_at(0.0, Some(60.0)), 54_000.0);
        assert_eq!(refresh_at(1000.0, Some(1.0)), 1900.0);
        assert_eq!(refresh_at(5.0, Some(0.0)), f64::NEG_INFINITY);
        assert_eq!(refresh_at(5.0, Some(-5.0)), f64::NEG_INFINITY);
        assert_eq!(refresh_at(5.0, None), f64::INFINITY);
    }
}
