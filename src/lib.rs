//! glassix-wasm: the Glassix REST API client for JavaScript, in Rust compiled to WebAssembly.
//!
//! Layout: `endpoints` (the table and the resource classes it generates) → `request` (arguments
//! to a request) → `transport` (the one pipeline: admission, token, fetch, retries, decoding),
//! with `auth`, `gate`, `paging`, `webhooks`, `config`, `dates`, `error` and `js` beside it.

pub mod auth;
pub mod client;
pub mod config;
pub mod dates;
pub mod endpoints;
pub mod error;
pub mod gate;
pub mod js;
pub mod paging;
pub mod request;
pub mod transport;
pub mod webhooks;

use wasm_bindgen::prelude::*;

pub use client::GlassixClient;

/// Called once by the package entry with the JS `GlassixError` class.
#[wasm_bindgen(js_name = __setErrorClass)]
pub fn set_error_class(class: js_sys::Function) {
    error::set_error_class(class);
}

/// The wasm instance's linear memory, for the memory benchmark (not part of the public API).
#[wasm_bindgen(js_name = __wasmMemory)]
pub fn wasm_memory() -> JsValue {
    wasm_bindgen::memory()
}

/// `verifyWebhook(rawBody, headers, apiSecret, options?)`: whether a webhook delivery is signed
/// with `apiSecret` (see `webhooks::verify`).
#[wasm_bindgen(js_name = verifyWebhook)]
pub fn verify_webhook(raw_body: JsValue, headers: JsValue, api_secret: JsValue, options: JsValue) -> Result<bool, JsValue> {
    let secret = api_secret.as_string().unwrap_or_default();
    webhooks::verify(&raw_body, &headers, &secret, &options).map_err(error::Failure::into_js)
}

/// `parseWebhook(rawBody)`: the events of a delivery, always as an array.
#[wasm_bindgen(js_name = parseWebhook)]
pub fn parse_webhook(raw_body: JsValue) -> Result<js_sys::Array, JsValue> {
    webhooks::parse(&raw_body).map_err(error::Failure::into_js)
}

/// `formatDate(date)`: `dd/MM/yyyy HH:mm:ss:ff` in UTC, as `tickets.list` expects.
#[wasm_bindgen(js_name = formatDate)]
pub fn format_date(date: JsValue) -> Result<String, JsValue> {
    paging::format_date(&date)
}

// Talc's wasm allocator: a smaller binary than the default dlmalloc (measured in the README's
// performance section). The wasm build is single-threaded, which `new_global` requires.
#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOCATOR: talc::TalckWasm = unsafe { talc::TalckWasm::new_global() };
