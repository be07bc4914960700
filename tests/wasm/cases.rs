// wasm-bindgen tests shared by tests/wasm.rs (Node) and tests/browser.rs (headless Chromium):
// the compiled core, driven through its one entry point (`call` with a row of the table), with a
// recording `fetch` injected. Without the package entry no `GlassixError` class is registered,
// so failures are plain `Error`s carrying the same fields.

use std::cell::RefCell;
use std::rc::Rc;

use glassix_wasm::endpoints::{row_for, Method};
use glassix_wasm::{call, Handle};
use js_sys::{Array, Function, Object, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::{future_to_promise, JsFuture};
use wasm_bindgen_test::*;

#[wasm_bindgen]
extern "C" {
    type Response;
    #[wasm_bindgen(constructor)]
    fn new(body: &str, init: &JsValue) -> Response;

    type Request;
    #[wasm_bindgen(method, getter)]
    fn url(this: &Request) -> String;
    #[wasm_bindgen(method, getter)]
    fn method(this: &Request) -> String;
    #[wasm_bindgen(method, getter)]
    fn headers(this: &Request) -> JsValue;
    #[wasm_bindgen(method)]
    fn text(this: &Request) -> Promise;
}

fn get(v: &JsValue, k: &str) -> JsValue {
    Reflect::get(v, &k.into()).unwrap()
}

fn obj(pairs: &[(&str, JsValue)]) -> JsValue {
    let o = Object::new();
    for (k, v) in pairs {
        Reflect::set(&o, &(*k).into(), v).unwrap();
    }
    o.into()
}

type Log = Rc<RefCell<Vec<(String, String, String, String)>>>;

/// A `fetch` that records `(url, method, authorization, body)` of the one `Request` it gets and
/// answers JSON.
fn recording_fetch(log: Log) -> Function {
    Closure::<dyn FnMut(JsValue) -> Promise>::new(move |request: JsValue| {
        let log = log.clone();
        future_to_promise(async move {
            let request: Request = request.unchecked_into();
            let headers = request.headers();
            let auth = get(&headers, "get").unchecked_into::<Function>().call1(&headers, &"authorization".into()).unwrap();
            let body = JsFuture::from(request.text()).await.unwrap().as_string().unwrap_or_default();
            let url = request.url();
            log.borrow_mut().push((url.clone(), request.method(), auth.as_string().unwrap_or_default(), body));
            let body = if url.ends_with("/token/get") {
                r#"{"access_token":"t-1","token_type":"bearer","expires_in":10800}"#.to_string()
            } else {
                ["{\"echo\":\"", &url, "\"}"].concat()
            };
            let init = obj(&[("status", 200.into()), ("headers", obj(&[("content-type", "application/json".into())]))]);
            Ok(Response::new(&body, &init).into())
        })
    })
    .into_js_value()
    .unchecked_into()
}

fn new_client(options: JsValue) -> Result<Handle, JsValue> {
    Handle::new(Array::of1(&options))
}

fn client(fetch: &Function) -> Handle {
    let opts = obj(&[
        ("baseUrl", "http://127.0.0.1:9/api/v1.2".into()),
        ("apiKey", "key".into()),
        ("apiSecret", "secret".into()),
        ("userName", "api@example.com".into()),
        ("fetch", fetch.clone().into()),
        ("dangerouslyAllowBrowser", true.into()),
    ]);
    new_client(opts).unwrap_or_else(|e| panic!("constructor failed: {:?}", e))
}

/// Calls row `row` and awaits its promise.
async fn run(c: &Handle, row: usize, args: &[JsValue]) -> Result<JsValue, JsValue> {
    let arg = |i: usize| args.get(i).cloned().unwrap_or(JsValue::UNDEFINED);
    let p: Promise = call(c, row as u8, arg(0), arg(1), arg(2))?.unchecked_into();
    JsFuture::from(p).await
}

#[wasm_bindgen_test]
fn missing_credentials_are_named_at_construction() {
    // (in a browser, a client without a token is pointed to accessToken first: tests/browser.rs)
    let err = new_client(obj(&[("workspace", "acme".into()), ("dangerouslyAllowBrowser", true.into())]))
        .err()
        .expect("construction must fail");
    assert_eq!(get(&err, "kind").as_string().as_deref(), Some("invalid_argument"));
    // the message is made from the catalog by the package entry; the core names what is missing
    let missing = get(&err, "a").as_string().unwrap();
    for name in ["apiKey", "apiSecret", "userName"] {
        assert!(missing.contains(name), "{missing}");
    }
    assert!(err.is_instance_of::<js_sys::Error>());
}

#[wasm_bindgen_test]
async fn a_call_fetches_one_token_then_sends_the_bearer() {
    let log = Rc::new(RefCell::new(Vec::new()));
    let c = client(&recording_fetch(log.clone()));
    let v = run(&c, row_for(Method::Get, "/tickets/get/{ticketId}"), &[42.into()]).await.unwrap();
    assert_eq!(get(&v, "echo").as_string().unwrap(), "http://127.0.0.1:9/api/v1.2/tickets/get/42");
    run(&c, row_for(Method::Get, "/users/allusers"), &[]).await.unwrap();
    let log = log.borrow();
    assert_eq!(log.len(), 3, "one token request, two calls: {log:?}");
    assert_eq!(log[0].0, "http://127.0.0.1:9/api/v1.2/token/get");
    assert_eq!(log[0].1, "POST");
    assert_eq!(log[0].3, r#"{"apiKey":"key","apiSecret":"secret","userName":"api@example.com"}"#);
    assert_eq!(log[1].1, "GET");
    assert_eq!(log[1].2, "Bearer t-1");
    assert_eq!(log[2].0, "http://127.0.0.1:9/api/v1.2/users/allusers");
}

#[wasm_bindgen_test]
async fn bad_ids_are_refused_before_any_request() {
    let log = Rc::new(RefCell::new(Vec::new()));
    let c = client(&recording_fetch(log.clone()));
    for bad in [JsValue::from("../../users/delete"), JsValue::from(0), JsValue::from(1.5), JsValue::UNDEFINED] {
        let err = run(&c, row_for(Method::Get, "/tickets/get/{ticketId}"), &[bad]).await.unwrap_err();
        assert_eq!(get(&err, "kind").as_string().as_deref(), Some("invalid_argument"));
    }
    let err = run(&c, row_for(Method::Get, "/contacts/get/{contactId}"), &["not-a-guid".into()]).await.unwrap_err();
    assert_eq!(get(&err, "kind").as_string().as_deref(), Some("invalid_argument"));
    assert!(log.borrow().is_empty(), "nothing may be sent: {:?}", log.borrow());
}

#[wasm_bindgen_test]
async fn set_state_splits_query_and_body() {
    let log = Rc::new(RefCell::new(Vec::new()));
    let c = client(&recording_fetch(log.clone()));
    let payload = obj(&[("nextState", "Closed".into()), ("getTicket", true.into()), ("summary", "done".into())]);
    run(&c, row_for(Method::Put, "/tickets/setstate/{ticketId}"), &[7.into(), payload]).await.unwrap();
    let log = log.borrow();
    assert_eq!(log[1].0, "http://127.0.0.1:9/api/v1.2/tickets/setstate/7?nextState=Closed&getTicket=true");
    assert_eq!(log[1].1, "PUT");
    assert_eq!(log[1].3, r#"{"summary":"done"}"#);
}

#[wasm_bindgen_test]
fn format_date_is_utc_with_hundredths() {
    let d = js_sys::Date::new(&JsValue::from(1_608_808_800_229.0));
    assert_eq!(glassix_wasm::format_date(d.into()).unwrap(), "24/12/2020 11:20:00:22");
    assert!(glassix_wasm::format_date("yesterday".into()).is_err());
}

#[wasm_bindgen_test]
async fn a_redirect_is_never_followed() {
    let calls = Rc::new(RefCell::new(0));
    let counter = calls.clone();
    let fetch: Function = Closure::<dyn FnMut(JsValue) -> Promise>::new(move |_request: JsValue| {
        *counter.borrow_mut() += 1;
        let init = obj(&[("status", 307.into()), ("headers", obj(&[("location", "http://127.0.0.2:9/steal".into())]))]);
        Promise::resolve(&JsValue::from(Response::new("", &init)))
    })
    .into_js_value()
    .unchecked_into();
    let c = new_client(obj(&[("baseUrl", "http://127.0.0.1:9/api/v1.2".into()), ("accessToken", "t".into()), ("fetch", fetch.into())])).unwrap();
    let err = run(&c, row_for(Method::Get, "/tickets/get/{ticketId}"), &[1.into()]).await.unwrap_err();
    assert_eq!(get(&err, "kind").as_string().as_deref(), Some("http"));
    assert_eq!(get(&err, "status").as_f64(), Some(307.0));
    assert_eq!(*calls.borrow(), 1, "not retried, not followed");
}

/// Runs `f` on the client's own executor (src/task.rs), as every call runs: a call waiting in
/// the gate parks its task, which only that executor polls. Resolves with what `f` returns, so
/// the test asserts outside it.
fn own(f: impl std::future::Future<Output = JsValue> + 'static) -> Promise {
    let mut done = None;
    let p = Promise::new(&mut |resolve, _| done = Some(resolve));
    let done = done.unwrap();
    glassix_wasm::task::spawn(async move {
        let v = f.await;
        done.call1(&JsValue::UNDEFINED, &v).unwrap();
    });
    p
}

/// The gate serves waiting calls strictly in arrival order: a call that arrives just as a slot
/// frees (before the woken head has run) queues behind it instead of taking the slot.
#[wasm_bindgen_test]
async fn the_gate_serves_the_queue_in_order_and_no_newcomer_jumps_it() {
    use glassix_wasm::gate::Gate;
    let gate = Gate::new(1, None);
    let order: Rc<RefCell<Vec<&str>>> = Rc::default();
    let first = gate.admit(None, false).await.map_err(|_| "first").unwrap();
    let waiter = |name: &'static str| {
        let (gate, order) = (gate.clone(), order.clone());
        own(async move {
            let Ok(permit) = gate.admit(None, false).await else { return JsValue::FALSE };
            order.borrow_mut().push(name);
            drop(permit);
            JsValue::TRUE
        })
    };
    // B queues behind the one slot
    let b = waiter("B");
    JsFuture::from(Promise::resolve(&JsValue::UNDEFINED)).await.unwrap(); // B is in the queue now
    // C arrives, and in the same turn the slot frees: C's first look comes before B (woken) has
    // run, with the slot free and B still in the queue
    let c = waiter("C");
    drop(first);
    JsFuture::from(Promise::all(&Array::of2(&b, &c))).await.unwrap();
    assert_eq!(*order.borrow(), ["B", "C"], "C took the slot ahead of B");
}

/// After a grant the gate wakes the next in line too: two slots freed at once admit two waiters,
/// not one now and one at the next release.
#[wasm_bindgen_test]
async fn the_gate_admits_as_many_waiters_as_slots_free_at_once() {
    use glassix_wasm::gate::Gate;
    let gate = Gate::new(2, None);
    let (p1, p2) = (gate.admit(None, false).await.map_err(|_| "1").unwrap(), gate.admit(None, false).await.map_err(|_| "2").unwrap());
    // each waiter holds its slot once admitted (the permit lives as long as the gate)
    let waiter = |name: &'static str| {
        let gate = gate.clone();
        own(async move {
            let Ok(permit) = gate.admit(None, false).await else { return JsValue::NULL };
            std::mem::forget(permit);
            JsValue::from(name)
        })
    };
    let (b, c) = (waiter("B"), waiter("C"));
    JsFuture::from(Promise::resolve(&JsValue::UNDEFINED)).await.unwrap();
    drop(p1);
    drop(p2);
    let set_timeout: Function = Reflect::get(&js_sys::global(), &"setTimeout".into()).unwrap().unchecked_into();
    let late = Promise::new(&mut |resolve, _| {
        set_timeout.call2(&JsValue::UNDEFINED, &resolve, &JsValue::from(500)).unwrap();
    });
    let both = Promise::all(&Array::of2(&b, &c));
    let first = JsFuture::from(Promise::race(&Array::of2(&both, &late))).await.unwrap();
    assert!(Array::is_array(&first), "C was not admitted while a slot was free");
    assert_eq!(Array::from(&first).join(",").as_string().unwrap(), "B,C");
}
