// wasm-bindgen tests shared by tests/wasm.rs (Node) and tests/browser.rs (headless Chromium):
// the compiled client, driven through its exported JS API, with a recording `fetch` injected.

use std::cell::RefCell;
use std::rc::Rc;

use glassix_wasm::GlassixClient;
use js_sys::{Array, Function, Object, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

#[wasm_bindgen]
extern "C" {
    type Response;
    #[wasm_bindgen(constructor)]
    fn new(body: &str, init: &JsValue) -> Response;
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

/// A `fetch` that records `(url, method, authorization, body)` and answers JSON.
fn recording_fetch(log: Rc<RefCell<Vec<(String, String, String, String)>>>) -> Function {
    Closure::<dyn FnMut(JsValue, JsValue) -> Promise>::new(move |url: JsValue, init: JsValue| {
        let headers = get(&init, "headers");
        let auth = get(&headers, "authorization").as_string().unwrap_or_default();
        let url = url.as_string().unwrap();
        log.borrow_mut().push((
            url.clone(),
            get(&init, "method").as_string().unwrap(),
            auth,
            get(&init, "body").as_string().unwrap_or_default(),
        ));
        let body = if url.ends_with("/token/get") {
            r#"{"access_token":"t-1","token_type":"bearer","expires_in":10800}"#.to_string()
        } else {
            format!(r#"{{"echo":"{url}"}}"#)
        };
        let init = obj(&[("status", 200.into()), ("headers", obj(&[("content-type", "application/json".into())]))]);
        Promise::resolve(&JsValue::from(Response::new(&body, &init)))
    })
    .into_js_value()
    .unchecked_into()
}

fn client(fetch: &Function) -> GlassixClient {
    let opts = obj(&[
        ("baseUrl", "http://127.0.0.1:9/api/v1.2".into()),
        ("apiKey", "key".into()),
        ("apiSecret", "secret".into()),
        ("userName", "api@example.com".into()),
        ("fetch", fetch.clone().into()),
        ("dangerouslyAllowBrowser", true.into()),
    ]);
    GlassixClient::new(opts, JsValue::UNDEFINED, JsValue::UNDEFINED, JsValue::UNDEFINED, JsValue::UNDEFINED, JsValue::UNDEFINED)
        .unwrap_or_else(|e| panic!("constructor failed: {:?}", e))
}

async fn call(group: &JsValue, method: &str, args: &[JsValue]) -> Result<JsValue, JsValue> {
    let f: Function = get(group, method).unchecked_into();
    let p: Promise = f.apply(group, &args.iter().cloned().collect::<Array>()).unwrap().unchecked_into();
    JsFuture::from(p).await
}

#[wasm_bindgen_test]
fn missing_credentials_are_named_at_construction() {
    let err = GlassixClient::new(obj(&[("workspace", "acme".into())]), JsValue::UNDEFINED, JsValue::UNDEFINED, JsValue::UNDEFINED, JsValue::UNDEFINED, JsValue::UNDEFINED)
        .err()
        .expect("construction must fail");
    assert_eq!(get(&err, "kind").as_string().as_deref(), Some("invalid_argument"));
    let msg = get(&err, "message").as_string().unwrap();
    for name in ["apiKey", "apiSecret", "userName"] {
        assert!(msg.contains(name), "{msg}");
    }
    assert!(err.is_instance_of::<js_sys::Error>());
}

#[wasm_bindgen_test]
async fn a_call_fetches_one_token_then_sends_the_bearer() {
    let log = Rc::new(RefCell::new(Vec::new()));
    let c = client(&recording_fetch(log.clone()));
    let v = call(&c.tickets(), "get", &[42.into()]).await.unwrap();
    assert_eq!(get(&v, "echo").as_string().unwrap(), "http://127.0.0.1:9/api/v1.2/tickets/get/42");
    call(&c.users(), "getAll", &[]).await.unwrap();
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
        let err = call(&c.tickets(), "get", &[bad]).await.unwrap_err();
        assert_eq!(get(&err, "kind").as_string().as_deref(), Some("invalid_argument"));
    }
    let err = call(&c.contacts(), "get", &["not-a-guid".into()]).await.unwrap_err();
    assert_eq!(get(&err, "kind").as_string().as_deref(), Some("invalid_argument"));
    assert!(log.borrow().is_empty(), "nothing may be sent: {:?}", log.borrow());
}

#[wasm_bindgen_test]
async fn set_state_splits_query_and_body() {
    let log = Rc::new(RefCell::new(Vec::new()));
    let c = client(&recording_fetch(log.clone()));
    let payload = obj(&[("nextState", "Closed".into()), ("getTicket", true.into()), ("summary", "done".into())]);
    call(&c.tickets(), "setState", &[7.into(), payload]).await.unwrap();
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
