//! The few JS APIs the client needs, bound directly (no web-sys: these bindings are all we use),
//! plus the abort-aware waiting primitives every other module builds on.

use std::cell::RefCell;

use js_sys::{Array, Function, Object, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use crate::error::{get, set, Failure, Kind, Res};

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_name = setTimeout)]
    fn set_timeout(callback: &Function, ms: f64) -> JsValue;
    #[wasm_bindgen(js_name = clearTimeout)]
    pub fn clear_timeout(id: &JsValue);

    pub type AbortController;
    #[wasm_bindgen(constructor)]
    pub fn new() -> AbortController;
    #[wasm_bindgen(method, getter)]
    pub fn signal(this: &AbortController) -> AbortSignal;

    #[derive(Clone)]
    pub type AbortSignal;
    #[wasm_bindgen(method, getter)]
    pub fn aborted(this: &AbortSignal) -> bool;
    #[wasm_bindgen(method, getter)]
    pub fn reason(this: &AbortSignal) -> JsValue;
    #[wasm_bindgen(method, js_name = addEventListener)]
    pub fn add_event_listener(this: &AbortSignal, kind: &str, listener: &Function, options: &JsValue);

    // Everything that touches a value from a caller or a caller-supplied fetch is `catch`: a JS
    // exception thrown through wasm frames would skip every destructor and never settle the call.
    pub type Response;
    #[wasm_bindgen(method, getter, js_name = type, catch)]
    pub fn kind(this: &Response) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(method, getter, catch)]
    pub fn status(this: &Response) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(method, getter, catch)]
    pub fn headers(this: &Response) -> Result<ResponseHeaders, JsValue>;
    #[wasm_bindgen(method, js_name = arrayBuffer, catch)]
    pub fn array_buffer(this: &Response) -> Result<Promise, JsValue>;

    #[wasm_bindgen(js_namespace = Object, js_name = entries, catch)]
    pub fn object_entries(v: &JsValue) -> Result<Array, JsValue>;
    #[wasm_bindgen(js_namespace = Object, js_name = keys, catch)]
    pub fn object_keys(v: &JsValue) -> Result<Array, JsValue>;
    #[wasm_bindgen(js_namespace = Object, js_name = assign, catch)]
    pub fn object_assign(target: &JsValue, source: &JsValue) -> Result<JsValue, JsValue>;

    pub type ResponseHeaders;
    #[wasm_bindgen(method, catch)]
    pub fn get(this: &ResponseHeaders, name: &str) -> Result<Option<String>, JsValue>;

    pub type TextDecoder;
    #[wasm_bindgen(constructor, catch)]
    pub fn new(label: &str, options: &JsValue) -> Result<TextDecoder, JsValue>;
    /// The decoded text stays a JS string: large bodies never round-trip through wasm memory.
    #[wasm_bindgen(method, catch)]
    pub fn decode(this: &TextDecoder, bytes: &JsValue) -> Result<js_sys::JsString, JsValue>;

    #[wasm_bindgen(js_namespace = JSON, js_name = parse, catch)]
    pub fn json_parse(text: &js_sys::JsString) -> Result<JsValue, JsValue>;

    pub type TextEncoder;
    #[wasm_bindgen(constructor)]
    pub fn new() -> TextEncoder;
    #[wasm_bindgen(method)]
    pub fn encode(this: &TextEncoder, s: &str) -> Vec<u8>;

    pub type Url;
    #[wasm_bindgen(constructor, js_class = "URL", catch)]
    pub fn new(url: &str, base: &JsValue) -> Result<Url, JsValue>;
    #[wasm_bindgen(method, getter, js_class = "URL")]
    pub fn origin(this: &Url) -> String;
    #[wasm_bindgen(method, getter, js_class = "URL")]
    pub fn protocol(this: &Url) -> String;
    #[wasm_bindgen(method, getter, js_class = "URL")]
    pub fn pathname(this: &Url) -> String;
    #[wasm_bindgen(method, getter, js_class = "URL")]
    pub fn href(this: &Url) -> String;
    #[wasm_bindgen(method, getter, js_class = "URL")]
    pub fn search(this: &Url) -> String;
    #[wasm_bindgen(method, getter, js_class = "URL")]
    pub fn hash(this: &Url) -> String;
    #[wasm_bindgen(method, getter, js_class = "URL")]
    pub fn username(this: &Url) -> String;
    #[wasm_bindgen(method, getter, js_class = "URL")]
    pub fn password(this: &Url) -> String;
}

/// `setTimeout` with the delay clamped to what every runtime accepts (Node warns on console and
/// fires at once beyond 2^31-1 ms).
pub fn timer(callback: &Function, ms: f64) -> JsValue {
    set_timeout(callback, ms.clamp(0.0, 2_147_483_647.0))
}

pub fn now() -> f64 {
    js_sys::Date::now()
}

pub fn obj() -> JsValue {
    Object::new().into()
}

/// Calls `f()` and turns whatever it returns (value or promise) into a promise; a synchronous
/// throw becomes a rejected promise.
pub fn call_to_promise(f: &Function, args: &Array) -> Promise {
    match f.apply(&JsValue::UNDEFINED, args) {
        Ok(v) => Promise::resolve(&v),
        Err(e) => Promise::reject(&e),
    }
}

thread_local! {
    static NOOP: RefCell<Option<Function>> = const { RefCell::new(None) };
}

/// Marks `p` as handled (its rejection never reports as unhandled); returns the promise that
/// settles, always fulfilled, once `p` has.
pub fn handled(p: &Promise) -> Promise {
    get(p, "catch")
        .unchecked_into::<Function>()
        .call1(p, &noop())
        .map(JsValue::unchecked_into)
        .unwrap_or_else(|_| p.clone())
}

/// `String(n)` for a finite number, as JS writes it.
pub fn num_to_string(n: f64) -> String {
    js_sys::Number::from(n).to_string_with_radix(10).map(String::from).unwrap_or_default()
}

/// A function that does nothing, made once (used to mark promises as handled).
pub fn noop() -> Function {
    NOOP.with(|n| {
        n.borrow_mut()
            .get_or_insert_with(|| Closure::<dyn Fn()>::new(|| {}).into_js_value().unchecked_into())
            .clone()
    })
}

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
        let opts = obj();
        set(&opts, "once", &JsValue::TRUE);
        signal.add_event_listener("abort", &listener, &opts);
        hubs.set(key, &fns);
        fns
    })
}

/// Watches an `AbortSignal` for the length of one operation. Each wait (`race`) registers its
/// own one-off callback in the signal's hub and removes it when the wait ends, so a watch kept
/// for a long time (`consume`) accumulates nothing, and neither does a signal shared by many calls.
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

/// The failure a caller's abort turns into.
pub fn aborted(signal: &AbortSignal) -> Failure {
    Failure::new(Kind::Aborted, "The request was aborted").with_cause(signal.reason())
}

/// The failure for a wait that ended because the caller's signal fired.
pub fn abort_failure(watch: Option<&Watch>) -> Failure {
    match watch {
        Some(w) => aborted(&w.signal),
        None => Failure::new(Kind::Aborted, "The request was aborted"),
    }
}

/// Awaits `p`, or fails at once if `watch`'s signal fires first. `Err` carries the rejection
/// value, or `None` when the signal fired.
pub async fn race(p: Promise, watch: Option<&Watch>) -> Result<JsValue, Option<JsValue>> {
    match watch {
        None => JsFuture::from(p).await.map_err(Some),
        Some(w) => {
            if w.aborted() {
                return Err(None);
            }
            let mut reject_fn = None;
            let on_abort = Promise::new(&mut |_, reject| reject_fn = Some(reject));
            let _ = handled(&on_abort);
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
    }
}

/// Awaits `p` for at most `ms` (`Infinity`: no limit); `Err(None)` when the time ran out. The timer
/// is always cleared.
pub async fn within(p: Promise, ms: f64) -> Result<JsValue, Option<JsValue>> {
    if !ms.is_finite() {
        return JsFuture::from(p).await.map_err(Some);
    }
    let expired_marker: JsValue = Object::new().into();
    let mut id = JsValue::UNDEFINED;
    let expired = Promise::new(&mut |_, reject| id = timer(reject.bind1(&JsValue::UNDEFINED, &expired_marker).unchecked_ref(), ms));
    let r = JsFuture::from(Promise::race(&Array::of2(&p, &expired))).await;
    clear_timeout(&id);
    match r {
        Ok(v) => Ok(v),
        Err(e) if e == expired_marker => Err(None),
        Err(e) => Err(Some(e)),
    }
}

/// Sleeps `ms`; a fired signal ends the sleep at once with kind `aborted`. The timer is always
/// cleared, so nothing keeps a Node process alive afterwards.
pub async fn sleep(ms: f64, watch: Option<&Watch>) -> Res<()> {
    if let Some(w) = watch {
        if w.aborted() {
            return Err(aborted(&w.signal));
        }
    }
    let mut id = JsValue::UNDEFINED;
    let p = Promise::new(&mut |resolve, _| id = timer(&resolve, ms));
    let r = race(p, watch).await;
    clear_timeout(&id);
    r.map(|_| ()).map_err(|_| abort_failure(watch))
}

/// A JS `(resolve)`-style wake-up: a promise plus the function that settles it.
pub fn deferred() -> (Promise, Function) {
    let mut resolve_fn = None;
    let p = Promise::new(&mut |resolve, _| resolve_fn = Some(resolve));
    (p, resolve_fn.unwrap_or_else(noop))
}

/// `v instanceof class` for a class held as a value (the registered `GlassixError`, the
/// runtime's `FormData`).
pub fn instance_of(v: &JsValue, class: &JsValue) -> bool {
    v.is_object() && class.is_function() && get(class, "prototype").unchecked_into::<Object>().is_prototype_of(v)
}

pub fn string_prop(v: &JsValue, key: &str) -> Option<String> {
    get(v, key).as_string()
}

pub fn has_global(name: &str) -> bool {
    Reflect::get(&js_sys::global(), &name.into()).is_ok_and(|v| !v.is_undefined())
}
