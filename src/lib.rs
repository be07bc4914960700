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

use wasm_bindgen::prelude::*;

pub use client::GlassixClient;

/// Called once by the package entry with the JS `GlassixError` class.
#[wasm_bindgen(js_name = __setErrorClass)]
pub fn set_error_class(class: js_sys::Function) {
    error::set_error_class(class);
}

/// `formatDate(date)`: `dd/MM/yyyy HH:mm:ss:ff` in UTC, as `tickets.list` expects.
#[wasm_bindgen(js_name = formatDate)]
pub fn format_date(date: JsValue) -> Result<String, JsValue> {
    paging::format_date(&date)
}
