//! wasm-bindgen tests in headless Chromium:
//! `CHROMEDRIVER=/usr/bin/chromedriver wasm-pack test --headless --chrome -- --test browser`.
#![cfg(target_arch = "wasm32")]

wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

include!("wasm/cases.rs");

#[wasm_bindgen_test]
fn the_api_secret_is_refused_in_a_browser_unless_dangerously_allowed() {
    let opts = |allow: bool| {
        obj(&[
            ("workspace", "acme".into()),
            ("apiKey", "key".into()),
            ("apiSecret", "secret".into()),
            ("userName", "api@example.com".into()),
            ("dangerouslyAllowBrowser", allow.into()),
        ])
    };
    let u = || JsValue::UNDEFINED;
    let err = GlassixClient::new(opts(false), u(), u(), u(), u(), u()).err().expect("refused in a browser");
    assert_eq!(get(&err, "kind").as_string().as_deref(), Some("invalid_argument"));
    assert!(get(&err, "message").as_string().unwrap().contains("dangerouslyAllowBrowser"));
    assert!(GlassixClient::new(opts(true), u(), u(), u(), u(), u()).is_ok());
    // a token issued by the app's server is the browser-safe way
    let token_only = obj(&[("workspace", "acme".into()), ("accessToken", "from-my-server".into())]);
    assert!(GlassixClient::new(token_only, u(), u(), u(), u(), u()).is_ok());
}
