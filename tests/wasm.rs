//! wasm-bindgen tests in Node: `wasm-pack test --node -- --test wasm`.
#![cfg(target_arch = "wasm32")]

include!("wasm/cases.rs");
