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
    let err = new_client(opts(false)).err().expect("refused in a browser");
    assert_eq!(
        get(&err, "kind").as_string().as_deref(),
        Some("invalid_argument")
    );
    assert_eq!(
        get(&err, "msg").as_f64(),
        Some(f64::from(glassix_wasm::error::Msg::BrowserSecret as u8))
    );
    assert!(new_client(opts(true)).is_ok());
    // the secret without the rest of the credentials: refused as a secret in a page, not told
    // which other credentials it lacks
    let partial = obj(&[
        ("workspace", "acme".into()),
        ("apiSecret", "secret".into()),
        ("accessToken", "from-my-server".into()),
    ]);
    let err = new_client(partial).err().expect("refused in a browser");
    assert_eq!(
        get(&err, "msg").as_f64(),
        Some(f64::from(glassix_wasm::error::Msg::BrowserSecret as u8))
    );
    // credentials without the secret, and no token: pointed to the browser's ways to a token,
    // not told it lacks the secret
    let no_secret = obj(&[
        ("workspace", "acme".into()),
        ("apiKey", "key".into()),
        ("userName", "api@example.com".into()),
    ]);
    let err = new_client(no_secret).err().expect("refused in a browser");
    assert_eq!(
        get(&err, "msg").as_f64(),
        Some(f64::from(glassix_wasm::error::Msg::BrowserSecret as u8))
    );
    let nothing = obj(&[("workspace", "acme".into())]);
    assert_eq!(
        get(&new_client(nothing).err().expect("refused"), "msg").as_f64(),
        Some(f64::from(glassix_wasm::error::Msg::BrowserSecret as u8))
    );
    // with dangerouslyAllowBrowser, the credentials it lacks are named as anywhere else
    let allowed = obj(&[
        ("workspace", "acme".into()),
        ("apiKey", "key".into()),
        ("dangerouslyAllowBrowser", true.into()),
    ]);
    assert_eq!(
        get(&new_client(allowed).err().expect("refused"), "msg").as_f64(),
        Some(f64::from(glassix_wasm::error::Msg::Missing as u8))
    );
    // a token issued by the app's server is the browser-safe way
    let token_only = obj(&[
        ("workspace", "acme".into()),
        ("accessToken", "from-my-server".into()),
    ]);
    assert!(new_client(token_only).is_ok());
}
