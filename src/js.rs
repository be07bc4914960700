//! The few JS APIs the client binds directly (timers, `AbortController`, `TextDecoder`, `JSON`,
//! `Object`, `URL`), and small helpers on JS values. Nothing here knows about failures: the
//! abort-aware waiting built on these lives in `wait`.

use js_sys::{Array, Function, Object, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_name = clearTimeout)]
    pub fn clear_timeout(id: &JsValue);

    pub type AbortController;
    #[wasm_bindgen(constructor)]
    pub fn new() -> AbortController;
    #[wasm_bindgen(method, getter)]
    pub fn signal(this: &AbortController) -> AbortSignal;
    #[wasm_bindgen(method)]
    pub fn abort(this: &AbortController);

    // (a caller's signal may be any object with `aborted` and `addEventListener`: every read of
    // it catches, as a JS throw must never unwind through the wasm)
    #[derive(Clone)]
    pub type AbortSignal;
    #[wasm_bindgen(method, getter, js_name = aborted, catch)]
    fn aborted_(this: &AbortSignal) -> Result<bool, JsValue>;
    #[wasm_bindgen(method, getter, js_name = reason, catch)]
    fn reason_(this: &AbortSignal) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(method, js_name = addEventListener, catch)]
    fn add_event_listener_(
        this: &AbortSignal,
        kind: &str,
        listener: &Function,
        options: &JsValue,
    ) -> Result<(), JsValue>;

    #[wasm_bindgen(js_namespace = Array, js_name = isArray, catch)]
    fn is_array(v: &JsValue) -> Result<bool, JsValue>;
    #[wasm_bindgen(js_namespace = Array, js_name = from, catch)]
    fn array_from(v: &JsValue) -> Result<Array, JsValue>;

    #[wasm_bindgen(js_namespace = Object, js_name = entries, catch)]
    pub fn object_entries(v: &JsValue) -> Result<Array, JsValue>;
    #[wasm_bindgen(js_namespace = Object, js_name = keys, catch)]
    pub fn object_keys(v: &JsValue) -> Result<Array, JsValue>;
    #[wasm_bindgen(js_namespace = Object, js_name = assign, catch)]
    pub fn object_assign(target: &JsValue, source: &JsValue) -> Result<JsValue, JsValue>;

    pub type TextDecoder;
    #[wasm_bindgen(constructor, catch)]
    pub fn new(label: &str, options: &JsValue) -> Result<TextDecoder, JsValue>;
    /// The decoded text stays a JS string: large bodies never round-trip through wasm memory.
    #[wasm_bindgen(method, catch)]
    pub fn decode(this: &TextDecoder, bytes: &JsValue) -> Result<js_sys::JsString, JsValue>;

    #[wasm_bindgen(js_namespace = JSON, js_name = parse, catch)]
    pub fn json_parse(text: &js_sys::JsString) -> Result<JsValue, JsValue>;

    pub type Url;
    #[wasm_bindgen(constructor, js_class = "URL", catch)]
    pub fn new(url: &str, base: &JsValue) -> Result<Url, JsValue>;

    /// The global object (`globalThis` in every runtime we support).
    #[wasm_bindgen(thread_local_v2, js_name = globalThis)]
    static GLOBAL_THIS: JsValue;
}

impl AbortSignal {
    /// Whether it fired; a signal that cannot say counts as fired (the call stops).
    pub fn aborted(&self) -> bool {
        self.aborted_().unwrap_or(true)
    }

    pub fn reason(&self) -> JsValue {
        self.reason_().unwrap_or_default()
    }

    pub fn add_event_listener(&self, kind: &str, listener: &Function, options: &JsValue) {
        let _ = self.add_event_listener_(kind, listener, options);
    }
}

/// A copy of `v` if it is an array, its elements read once, here: a revoked Proxy or a throwing
/// element getter is `Err`, never a throw through the wasm.
pub fn array(v: &JsValue) -> Result<Option<Array>, JsValue> {
    if !is_array(v)? {
        return Ok(None);
    }
    array_from(v).map(Some)
}

/// `setTimeout` with the delay clamped to what every runtime accepts (Node warns on console and
/// fires at once beyond 2^31-1 ms).
pub fn timer(callback: &Function, ms: f64) -> JsValue {
    set_timeout(callback, ms.clamp(0.0, 2_147_483_647.0))
}

/// The wall clock, for what is a date (a token's expiry, `Retry-After` dates, webhook times).
pub fn now() -> f64 {
    js_sys::Date::now()
}

pub fn obj() -> JsValue {
    Object::new().into()
}

pub fn set(target: &JsValue, key: &str, value: &JsValue) {
    let _ = Reflect::set(target, &JsValue::from_str(key), value);
}

pub fn get(target: &JsValue, key: &str) -> JsValue {
    Reflect::get(target, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

pub fn string_prop(v: &JsValue, key: &str) -> Option<String> {
    get(v, key).as_string()
}

/// `undefined` or `null`.
pub fn absent(v: &JsValue) -> bool {
    v.is_undefined() || v.is_null()
}

/// Calls `f(...args)` and turns whatever it returns (value or promise) into a promise; a
/// synchronous throw becomes a rejected promise.
pub fn call_to_promise(f: &Function, args: &Array) -> Promise {
    match f.apply(&JsValue::UNDEFINED, args) {
        Ok(v) => Promise::resolve(&v),
        Err(e) => Promise::reject(&e),
    }
}

/// `parts` joined into one string: `[..].concat()` and `.join()` pull in std's generic join code
/// (about 1 KB raw).
pub fn cat(parts: &[&str]) -> String {
    let mut s = String::with_capacity(parts.iter().map(|p| p.len()).sum());
    for p in parts {
        s.push_str(p);
    }
    s
}

/// `String(n)` for a finite number, as JS writes it.
pub fn num_to_string(n: f64) -> String {
    js_sys::Number::from(n)
        .to_string_with_radix(10)
        .map(String::from)
        .unwrap_or_default()
}

/// Decimal digits of `n`, at least `width` of them (no `core::fmt`).
pub fn push_num(out: &mut String, n: u64, width: usize) {
    let mut digits = [0u8; 20];
    let mut i = digits.len();
    let mut n = n;
    loop {
        i -= 1;
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 && digits.len() - i >= width {
            break;
        }
    }
    for d in &digits[i..] {
        out.push(*d as char);
    }
}

thread_local! {
    static NOOP: Function = Closure::<dyn Fn()>::new(|| {}).into_js_value().unchecked_into();
}

/// Marks `p` as handled (its rejection never reports as unhandled); returns the promise that
/// settles, always fulfilled, once `p` has.
pub fn handled(p: &Promise) -> Promise {
    NOOP.with(|noop| {
        get(p, "catch")
            .unchecked_into::<Function>()
            .call1(p, noop)
            .map(JsValue::unchecked_into)
            .unwrap_or_else(|_| p.clone())
    })
}

/// A global by name (`undefined` when the runtime has none).
pub fn global(name: &str) -> JsValue {
    GLOBAL_THIS.with(|g| get(g, name))
}

impl Url {
    /// A part of the URL (`origin`, `href`, `search`, …), read through the one generic property
    /// binding rather than a binding each: fewer imports in the wasm and the glue.
    pub fn part(&self, name: &str) -> String {
        string_prop(self, name).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_padded_without_fmt() {
        let w = |n: u64, width: usize| {
            let mut s = String::new();
            push_num(&mut s, n, width);
            s
        };
        assert_eq!(w(0, 1), "0");
        assert_eq!(w(7, 2), "07");
        assert_eq!(w(2026, 4), "2026");
        assert_eq!(w(45, 4), "0045");
        assert_eq!(w(9_007_199_254_740_991, 1), "9007199254740991");
    }
}

#[wasm_bindgen(module = "/js/exchange.js")]
extern "C" {
    /// `js/exchange.js`: calls `run(id)` in a promise reaction queued now (src/task.rs).
    pub fn schedule(run: &Function, id: f64);
    /// `js/exchange.js`: a function that, once called, calls `run(id)` in a reaction of a
    /// promise made now (`id` 0: calls nothing) (src/task.rs, `park`).
    pub fn park(run: &Function, id: f64) -> Function;
    /// `js/exchange.js`: one attempt's fetch and body read as one promise; puts on `ctl` its
    /// `stop` (abort the signal, end the wait). `how`: 1, a caller's fetch; 2, on a connection
    /// of its own (`keepalive: false`). (An `f64`, as `park`'s `id`: a `u32` would need a glue
    /// shim that requires the snippet by a path the Node bundle cannot follow.)
    pub fn exchange(
        fetch: &Function,
        request: &JsValue,
        how: f64,
        ctl: &AbortController,
    ) -> Promise;
    /// `js/exchange.js`: whether `v` is a plain object (not an array, Date, Map, Headers, …, nor
    /// a revoked Proxy).
    pub fn plain(v: &JsValue) -> bool;
    /// `js/exchange.js`: the first own key of `v` that is not one of `known` (space-separated),
    /// `[key, error]` for a known key whose getter throws, or `undefined`. Only `JsValue`s cross
    /// here: a string would need a glue shim that requires the snippet by a path the Node bundle
    /// cannot follow.
    #[wasm_bindgen(js_name = unknownKey)]
    pub fn unknown_key(v: &JsValue, known: &JsValue) -> JsValue;
    /// `js/exchange.js`: whether a `tickets/list` answer is a page, `{ tickets, paging }`.
    #[wasm_bindgen(js_name = isPage)]
    pub fn is_page(body: &JsValue) -> bool;
    /// `js/exchange.js`: a webhook's raw body (a string, `Uint8Array` or `ArrayBuffer`) as a
    /// `Uint8Array` that stays in JS, or `undefined`.
    #[wasm_bindgen(js_name = bodyBytes)]
    pub fn body_bytes(v: &JsValue) -> JsValue;
    /// `js/exchange.js`: a copy of the runtime's `FormData` `v` as it is now, or `undefined` for
    /// anything else (a form is read when the call is made, as every argument is).
    #[wasm_bindgen(js_name = formCopy)]
    pub fn form_copy(v: &JsValue) -> JsValue;
    /// `js/exchange.js`: HMAC-SHA1 of two `Uint8Array`s (key, message), as 40 lower-case hex digits.
    #[wasm_bindgen(js_name = hmacSha1)]
    pub fn hmac_sha1(key: &JsValue, message: &JsValue) -> JsValue;
    /// `js/exchange.js`: `v instanceof class` for a class held as a value (the runtime's
    /// `FormData`, the package's `GlassixError`), false where that throws. JS's own `instanceof`:
    /// the class's `Symbol.hasInstance` answers, so a `GlassixError` of another entry (a store's,
    /// made by the main entry, for a client of `glassix-wasm/init`) is one.
    #[wasm_bindgen(js_name = isA)]
    pub fn instance_of(v: &JsValue, class: &JsValue) -> bool;
    /// `js/exchange.js`: the clock of what measures elapsed time (the rate window, the 429
    /// pause): monotonic, as the wall clock steps (NTP, an administrator, a VM resumed hours
    /// off), and a step would hold calls back for its length or age a full window out at once.
    /// It keeps up with fake timers that leave `performance` real (see `timer`).
    pub fn mono() -> f64;
    /// `js/exchange.js`: `setTimeout`, whose firing moves `mono` on where it lags behind.
    #[wasm_bindgen(js_name = timer)]
    fn set_timeout(callback: &Function, ms: f64) -> JsValue;
}
