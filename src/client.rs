//! One client's state (configuration, admission gate, token) and [`send`], the loop every request
//! goes through: admission (concurrency, rate limit, 429 pause), the bearer token, one attempt
//! (`transport`), and the retry policy, until the request succeeds or the policy gives up.

use std::rc::Rc;

use js_sys::{Array, Function};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::auth::{self, Auth, Token};
use crate::config::{CallOpts, Config, RateLimit};
use crate::endpoints::{row_of, Handler, ROWS};
use crate::error::{At, Failure, Kind, Msg, Res};
use crate::gate::Gate;
use crate::js;
use crate::transport::{
    attempt, decide, decode, http_failure, parse_retry_after, Body, Next, Outcome, Req,
    MAX_RETRY_AFTER_S,
};
use crate::wait::{abort_failure, check, race, sleep, Watch};

/// Runs [`refresh`] as a promise. It is `lib`'s task spawner, handed in so that the token fetch
/// runs as the one future type every call runs as (one task wrapper in the wasm, not two).
pub type Spawn = fn(Rc<Core>, u64) -> js_sys::Promise;

/// Everything one client owns.
pub struct Core {
    pub cfg: Config,
    pub gate: Rc<Gate>,
    pub auth: Auth,
    spawn_refresh: Spawn,
}

impl Core {
    pub fn new(cfg: Config, spawn_refresh: Spawn) -> Core {
        let window = match cfg.rate_limit {
            RateLimit::Window { requests, per_ms } => Some((requests, per_ms)),
            _ => None,
        };
        Core {
            gate: Gate::new(cfg.max_concurrency, window),
            auth: Auth::new(&cfg),
            cfg,
            spawn_refresh,
        }
    }
}

/// The client's token: cached, shared, or fetched (with the credentials or the caller's
/// `getAccessToken`).
async fn token(core: &Rc<Core>, watch: Option<&Watch>, fresh: bool) -> Res<String> {
    core.auth
        .token(watch, fresh, |gen| (core.spawn_refresh)(core.clone(), gen))
        .await
}

/// The one shared token fetch of generation `gen`, settled into the cache.
pub async fn refresh(core: Rc<Core>, gen: u64) -> Result<JsValue, JsValue> {
    // stopped when no call waits for it any more: nothing is sent for calls that gave up
    let wanted = core.auth.wanted(gen);
    let result = fetch_token(&core, wanted).await;
    core.auth.settle(gen, result)
}

/// A token from the caller's `getAccessToken` when there is one (a shared store's included),
/// else from `POST /token/get` with the credentials.
async fn fetch_token(core: &Rc<Core>, wanted: Option<Watch>) -> Res<Token> {
    if let Some(provider) = &core.cfg.get_access_token {
        // The store's own provider (js/runtime.js marks it with the ms to add) waits for a place
        // in the shared window and out a 429 pause, queueing, which a call's timeout does not
        // count; bounded all the same, so that a store that never answers fails the calls.
        let bound = core.cfg.timeout_ms + js::get(provider, "glassixStore").as_f64().unwrap_or(0.0);
        return auth::from_provider(provider, bound, core.auth.take_rejected(), wanted.as_ref())
            .await;
    }
    match core.cfg.creds.as_ref().map(|c| c.user_name.clone()) {
        Some(user) => {
            let started = js::now();
            let v = request_token(
                core,
                &user,
                &CallOpts {
                    watch: wanted,
                    ..CallOpts::defaults(&core.cfg)
                },
            )
            .await?;
            // a bad token response is the token request's failure, named as such
            auth::from_response(&v, started).map_err(|f| f.about(row_of(Handler::GetToken) as At))
        }
        None => Err(Failure::invalid(Msg::NoCredentials)),
    }
}

/// `POST /token/get` for `user_name`; resolves with the whole token response. It is retried like
/// an idempotent call (getting a token has no side effect) and honours the 429 pause.
async fn request_token(core: &Rc<Core>, user_name: &str, opts: &CallOpts) -> Res<JsValue> {
    let at = row_of(Handler::GetToken);
    let Some(c) = core.cfg.creds.as_ref() else {
        return Err(Failure::invalid(Msg::NoCredentials).about(at as At));
    };
    let body = js::obj();
    js::set(&body, "apiKey", &c.api_key.as_str().into());
    js::set(&body, "apiSecret", &c.api_secret.as_str().into());
    js::set(&body, "userName", &user_name.into());
    let json = js_sys::JSON::stringify(&body).unwrap_or_default();
    let row = &ROWS[at];
    let mut req = Req::new(
        at as At,
        row.method,
        js::cat(&[core.cfg.root.as_str(), row.path]),
        row.path.into(),
        Body::Json(json),
    );
    req.auth = false;
    req.idempotent = row.idempotent;
    send(core, &req, opts).await
}

/// `client.getToken(userName?, options?)`'s arguments, read as it is called: the user name
/// (default: the client's own user) and the options.
pub fn token_args(core: &Core, user: &JsValue, options: &JsValue) -> Res<(String, CallOpts)> {
    // (`headers` are not among them: the token request carries none of the caller's)
    let opts = CallOpts::read(options, &core.cfg, "signal, timeout, maxRetries")?;
    let user = match crate::config::text(user, "userName")?.filter(|s| !s.is_empty()) {
        Some(u) => u,
        None if js::absent(user) || user.is_string() => core
            .cfg
            .creds
            .as_ref()
            .map(|c| c.user_name.clone())
            .ok_or_else(|| Failure::invalid(Msg::NoCredentials))?,
        None => return Err(Failure::invalid(Msg::UserName)),
    };
    Ok((user, opts))
}

/// `client.getToken(userName?, options?)`: a token for `user`. A token for the client's own user
/// also replaces the cached one; another user's token never does.
pub async fn get_token(core: &Rc<Core>, user: &str, opts: &CallOpts) -> Res<JsValue> {
    let own = core.cfg.creds.as_ref().map(|c| c.user_name.as_str());
    if own == Some(user) {
        // A fresh token for the client's own user goes through the shared refresh, so it is never
        // fetched twice at once (joining one already in flight), and becomes the cached token;
        // until it comes (or if it fails), calls go on with the one cached.
        token(core, opts.watch.as_ref(), true).await?;
        return core
            .auth
            .response()
            .ok_or_else(|| Failure::new(Kind::Parse, Msg::TokenMissing));
    }
    let started = js::now();
    let v = request_token(core, user, opts).await?;
    auth::from_response(&v, started)?;
    Ok(v)
}

/// Awaits the caller's `rateLimit(signal)` function (or a store's admission) before an attempt;
/// `signal` is the call's, so a limiter can give back a place granted after the call gave up. If
/// it resolves with a function, that is the attempt's `done(status, retryAfter, ago)`, called
/// once the attempt is over (`status` undefined when no response came; `ago`: how many ms ago
/// the response headers arrived, when the place starts to age), so a limiter shared between
/// processes knows when the request has arrived, and a 429's pause reaches every process.
async fn wait_for_limiter(f: &Function, watch: Option<&Watch>) -> Res<Option<Function>> {
    let signal = watch.map_or(JsValue::UNDEFINED, |w| w.signal.clone().into());
    match race(js::call_to_promise(f, &Array::of1(&signal)), watch).await {
        Ok(v) if v.is_undefined() => Ok(None),
        Ok(v) if v.is_function() => Ok(Some(v.unchecked_into())),
        // (anything else would leave its place held and its 429 unshared in silence; the value is
        // the failure's cause)
        Ok(v) => Err(Failure::from_js(
            v,
            Kind::InvalidArgument,
            Msg::LimiterValue,
        )),
        Err(None) => Err(abort_failure(watch)),
        Err(Some(e)) => Err(Failure::from_js(e, Kind::Network, Msg::Limiter)),
    }
}

/// Calls a limiter's `done` with `args`: whatever it throws or rejects with (an async `done` on a
/// database) is its own, the attempt being over, and never goes unhandled.
fn report(done: &Function, args: Array) {
    let _ = js::handled(&js::call_to_promise(done, &args));
}

/// What a response must never echo into an error: the attempt's bearer token, the API key and
/// the secret.
fn secrets<'a>(core: &'a Core, token: Option<&'a str>) -> [&'a str; 3] {
    let creds = core.cfg.creds.as_ref();
    [
        token.unwrap_or_default(),
        creds.map_or("", |c| c.api_key.as_str()),
        creds.map_or("", |c| c.api_secret.as_str()),
    ]
}

/// Sends `req` until it succeeds or the policy gives up.
pub async fn send(core: &Rc<Core>, req: &Req, opts: &CallOpts) -> Res<JsValue> {
    let watch = opts.watch.as_ref();
    let mut retries = 0u32;
    let mut reauthed = false;
    // times this call stepped out of the head of the queue for a fresh token
    let mut requeued = 0u8;
    // whether it stepped out of the head (for a token, or a 429's pause): it goes back there
    let mut to_head = false;
    loop {
        // checked before anything is scheduled: an aborted call sends nothing, token included
        check(watch)?;
        let token = match req.auth {
            true => Some(token(core, watch, false).await.map_err(Failure::own)?),
            false => None,
        };
        // Every attempt, the token request's included, counts against the client's limits: a
        // server's rate limit counts it too. (Calls waiting for a token hold no slot, so the
        // token request can always get one.)
        // (`Retry-After`, read as the headers come)
        let mut retry_after = None;
        let result = {
            // the token request (what every queued call needs) and a call that stepped out of the
            // head of the queue for a fresh token go to the head
            let permit = core.gate.admit(watch, !req.auth || to_head).await?;
            let mut done = match &core.cfg.rate_limit {
                RateLimit::Func(f) => wait_for_limiter(f, watch).await?,
                _ => None,
            };
            // `done()` with no arguments: the place was not used, nothing was sent
            let release = |done: Option<Function>| {
                if let Some(done) = done {
                    report(&done, Array::new());
                }
            };
            // the call gave up just as its place came
            if let Err(f) = check(watch) {
                permit.cancel();
                release(done);
                return Err(f);
            }
            // A call that waited past its token's refresh point gets a fresh token first. It
            // gives its place back (the token request, at the head, can take it: with every place
            // held by calls waiting for a token, that request would have none) and queues again
            // at the head, at most eight times: a token that lives shorter than one wait for a
            // place must not send it round for ever (while a refresh is under way every call that
            // reaches the head steps out with it, and a token living about as long as that wait
            // may go stale again). After that it goes out with the token it has (past its refresh
            // point, most likely still valid; a 401 refreshes it). So no call ever holds a place
            // while it waits for a token, and the token request can always wait for one.
            // A 429 that came while a `rateLimit` function kept it waiting sends it back to the
            // head the same way, to wait the pause out: the whole client pauses. (Only then:
            // `admit` has just looked at the pause, and nothing else awaits since; a pause does
            // not count against the eight.)
            let paused = matches!(core.cfg.rate_limit, RateLimit::Func(_)) && core.gate.paused();
            if paused || (requeued < 8 && token.as_deref().is_some_and(|t| core.auth.stale(t))) {
                requeued += u8::from(!paused);
                to_head = true;
                permit.cancel();
                release(done);
                continue;
            }
            // The place ages from the response's headers, not from when its body is in: the
            // client's window and a `rateLimit` function's (a store's) both hear of them as they
            // come, `done(status, retryAfter, ago)`.
            // (boxed: a call waiting for its place holds no room for an attempt's state, which is
            // made only once it starts)
            let result = Box::pin(attempt(
                &core.cfg,
                req,
                opts,
                token.as_deref(),
                |at, status, ra| {
                    permit.landed(at);
                    retry_after = ra.and_then(|v| {
                        parse_retry_after(v, js::now(), crate::dates::parse_http_date)
                    });
                    if let Some(done) = done.take() {
                        // (a Retry-After only as far as the client honours it: a store that paused the
                        // fleet for an hour's would hold back calls that this client would reject at
                        // once; the headers time is a millisecond late on purpose, js/exchange.js:
                        // never a negative age)
                        let honoured = retry_after
                            .filter(|ra| *ra <= MAX_RETRY_AFTER_S)
                            .map_or(JsValue::UNDEFINED, JsValue::from);
                        let ago = JsValue::from((js::mono() - at).max(0.0));
                        report(&done, Array::of3(&status.into(), &honoured, &ago));
                    }
                },
            ))
            .await;
            // no headers came (the network, a timeout, a redirect refused): `done()` hears so
            if let Some(done) = done {
                let no = JsValue::UNDEFINED;
                report(&done, Array::of3(&no, &no, &no));
            }
            result
        };
        // (a response read whole: one whose body broke is a network failure, as before)
        let retry_after = retry_after.filter(|_| result.is_ok());
        let outcome = match &result {
            Ok(r) => Outcome::Status(r.status),
            Err(f) if f.kind == Kind::Network => Outcome::Network,
            Err(f) if f.kind == Kind::Timeout => Outcome::Timeout,
            Err(_) => return result.map(|_| JsValue::UNDEFINED),
        };
        // A 429 pauses the whole client for its Retry-After, whether or not this call retries.
        if outcome == Outcome::Status(429) {
            if let Some(ra) = retry_after.filter(|ra| *ra <= MAX_RETRY_AFTER_S) {
                core.gate.pause_for(ra * 1000.0);
            }
        }
        let can_refresh = req.auth && core.auth.can_refresh();
        match decide(
            outcome,
            req.idempotent,
            retries,
            opts.max_retries,
            reauthed,
            can_refresh,
            retry_after,
            js_sys::Math::random(),
        ) {
            Next::Done => return decode(result?, req, &secrets(core, token.as_deref())),
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
                    Ok(reply) => {
                        http_failure(reply, req, retry_after, &secrets(core, token.as_deref()))
                    }
                    // the runtime's fetch failed: its error may quote what it was sent (workerd
                    // quotes a bad header's value, which a server can make the request echoed
                    // back), so `makeError` gets the credentials to look for (a caller's own
                    // fetch's error is passed on as it is)
                    Err(f) if f.kind == Kind::Network && core.cfg.fetch.is_none() => {
                        f.hiding(&secrets(core, token.as_deref()))
                    }
                    Err(f) => f,
                });
            }
        }
    }
}
