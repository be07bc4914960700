//! Waiting on JS promises and timers, abort-aware: `race` a promise against a caller's signal,
//! `within` a time limit, `sleep`. Every wait ends at once, with kind `aborted`, when the
//! caller's signal fires.

use js_sys::{Array, Function, Object, Promise};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use crate::error::{Failure, Kind, Msg, Res};
use crate::js::{self, clear_timeout, timer, AbortSignal};

thread_local! {
    static HUBS: js_sys::WeakMap = js_sys::WeakMap::new();
}

/// The functions to call when `signal` aborts. Each signal gets one `abort` listener, however
/// many calls share it: one listener per call would make Node warn (MaxListenersExceededWarning)
/// once eleven calls share a signal.
fn hub(signal: &AbortSignal) -> js_sys::Set {
    HUBS.with(|hubs| {
        let key: &Object = signal.unchecked_ref();
        let known = hubs.get(key);
        if !known.is_undefined() {
            return known.unchecked_into();
        }
        let fns = js_sys::Set::new(&JsValue::UNDEFINED);
        let callbacks = fns.clone();
        let listener: Function = Closure::<dyn FnMut()>::new(move || {
            // a snapshot: callbacks may remove themselves while running
            let due = Array::from(&callbacks);
            callbacks.clear();
            for f in due.iter() {
                let _ = f.unchecked_ref::<Function>().call0(&JsValue::UNDEFINED);
            }
        })
        .into_js_value()
        .unchecked_into();
        let opts = js::obj();
        js::set(&opts, "once", &JsValue::TRUE);
        signal.add_event_listener("abort", &listener, &opts);
        hubs.set(key, &fns);
        fns
    })
}

/// Watches an `AbortSignal` for the length of one operation. Each wait registers its own one-off
/// callback in the signal's hub and removes it when the wait ends, so a watch kept for a long
/// time (`consume`) accumulates nothing, and neither does a signal shared by many calls.
pub struct Watch {
    pub signal: AbortSignal,
    hub: js_sys::Set,
}

impl Watch {
    pub fn new(signal: AbortSignal) -> Watch {
        let hub = hub(&signal);
        Watch { signal, hub }
    }

    pub fn aborted(&self) -> bool {
        self.signal.aborted()
    }

    /// Calls `f` if the signal aborts (until `off`).
    pub fn on_abort(&self, f: &Function) {
        self.hub.add(f);
    }

    pub fn off(&self, f: &Function) {
        self.hub.delete(f);
    }
}

/// The failure for a call whose signal fired (`cause`: the abort reason).
pub fn abort_failure(watch: Option<&Watch>) -> Failure {
    let f = Failure::new(Kind::Aborted, Msg::Aborted);
    match watch {
        Some(w) => f.with_cause(w.signal.reason()),
        None => f,
    }
}

/// `Err` with kind `aborted` if the caller's signal has fired: checked before anything is
/// scheduled, and again after every wait.
pub fn check(watch: Option<&Watch>) -> Res<()> {
    match watch.is_some_and(Watch::aborted) {
        true => Err(abort_failure(watch)),
        false => Ok(()),
    }
}

/// Awaits `p`, or fails at once if `watch`'s signal fires first. `Err` carries the rejection
/// value, or `None` when the signal fired.
pub async fn race(p: Promise, watch: Option<&Watch>) -> Result<JsValue, Option<JsValue>> {
    let Some(w) = watch else {
        return JsFuture::from(p).await.map_err(Some);
    };
    if w.aborted() {
        // (`p` is dropped: a rejection of the caller's fetch or limiter, aborted as it was called,
        // must not surface as an unhandled rejection)
        let _ = js::handled(&p);
        return Err(None);
    }
    let mut reject_fn = None;
    let on_abort = Promise::new(&mut |_, reject| reject_fn = Some(reject));
    let _ = js::handled(&on_abort);
    if let Some(r) = &reject_fn {
        w.on_abort(r);
    }
    let r = JsFuture::from(Promise::race(&Array::of2(&p, &on_abort))).await;
    if let Some(f) = &reject_fn {
        w.off(f);
    }
    match r {
        Err(_) if w.aborted() => Err(None),
        other => other.map_err(Some),
    }
}

/// Awaits `p` for at most `ms` (`Infinity`: no limit); `Err(None)` when the time ran out. Once
/// `stop` fires (nobody waits for the answer any more) the bound stays, but its timer no longer
/// keeps a Node process alive (`unref`): a `p` that never settles holds nothing up. The timer is
/// always cleared.
pub async fn within(p: Promise, ms: f64, stop: Option<&Watch>) -> Result<JsValue, Option<JsValue>> {
    let expired_marker: JsValue = Object::new().into();
    let mut id = JsValue::UNDEFINED;
    let bounded = match ms.is_finite() {
        true => Promise::race(&Array::of2(
            &p,
            &Promise::new(&mut |_, reject| {
                id = timer(
                    reject
                        .bind1(&JsValue::UNDEFINED, &expired_marker)
                        .unchecked_ref(),
                    ms,
                )
            }),
        )),
        false => p,
    };
    let r = match race(bounded.clone(), stop).await {
        Err(None) => {
            let unref = js::get(&id, "unref");
            if unref.is_function() {
                let _ = unref.unchecked_ref::<Function>().call0(&id);
            }
            JsFuture::from(bounded).await.map_err(Some)
        }
        other => other,
    };
    clear_timeout(&id);
    match r {
        Err(Some(e)) if e == expired_marker => Err(None),
        other => other,
    }
}

/// Sleeps `ms`; a fired signal ends the sleep at once with kind `aborted`. The timer is always
/// cleared, so nothing keeps a Node process alive afterwards.
pub async fn sleep(ms: f64, watch: Option<&Watch>) -> Res<()> {
    check(watch)?;
    let mut id = JsValue::UNDEFINED;
    let p = Promise::new(&mut |resolve, _| id = timer(&resolve, ms));
    let r = race(p, watch).await;
    clear_timeout(&id);
    r.map(|_| ()).map_err(|_| abort_failure(watch))
}
