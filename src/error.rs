//! The one place a `GlassixError` is made.
//!
//! Inside Rust every failure is a [`Failure`]: a [`Kind`] plus what the caller needs to know
//! (status, parsed body, `Retry-After`, cause). [`Failure::into_js`] turns it into an instance of
//! the JS `GlassixError` class that the package entry registers with [`set_error_class`].

use std::cell::RefCell;

use js_sys::{Array, Function, Object, Reflect};
use wasm_bindgen::prelude::*;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Kind {
    Http,
    Network,
    Timeout,
    Aborted,
    InvalidArgument,
    Parse,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Http => "http",
            Kind::Network => "network",
            Kind::Timeout => "timeout",
            Kind::Aborted => "aborted",
            Kind::InvalidArgument => "invalid_argument",
            Kind::Parse => "parse",
        }
    }

    fn from_str(s: &str) -> Kind {
        match s {
            "http" => Kind::Http,
            "timeout" => Kind::Timeout,
            "aborted" => Kind::Aborted,
            "invalid_argument" => Kind::InvalidArgument,
            "parse" => Kind::Parse,
            _ => Kind::Network,
        }
    }
}

pub struct Failure {
    pub kind: Kind,
    pub message: String,
    pub status: Option<u16>,
    /// Parsed response body (JSON value, text, or undefined).
    pub body: JsValue,
    /// Seconds the server asked us to wait (429).
    pub retry_after: Option<f64>,
    pub cause: JsValue,
    /// A `GlassixError` that already exists on the JS side (shared token failures, errors
    /// thrown by user callbacks that already are `GlassixError`s).
    prebuilt: Option<JsValue>,
}

pub type Res<T> = Result<T, Failure>;

impl Failure {
    pub fn new(kind: Kind, message: impl Into<String>) -> Failure {
        Failure {
            kind,
            message: message.into(),
            status: None,
            body: JsValue::UNDEFINED,
            retry_after: None,
            cause: JsValue::UNDEFINED,
            prebuilt: None,
        }
    }

    pub fn invalid(message: impl Into<String>) -> Failure {
        Failure::new(Kind::InvalidArgument, message)
    }

    pub fn with_status(mut self, status: u16) -> Failure {
        self.status = Some(status);
        self
    }

    pub fn with_cause(mut self, cause: JsValue) -> Failure {
        self.cause = cause;
        self
    }

    /// Wraps a value that was thrown on the JS side. A `GlassixError` keeps its identity and
    /// kind; anything else becomes the `cause` of a new failure of `kind`.
    pub fn from_js(value: JsValue, kind: Kind, message: &str) -> Failure {
        if is_glassix_error(&value) {
            let kind = Reflect::get(&value, &"kind".into())
                .ok()
                .and_then(|k| k.as_string())
                .map_or(Kind::Network, |k| Kind::from_str(&k));
            let mut f = Failure::new(kind, "");
            f.prebuilt = Some(value);
            return f;
        }
        Failure::new(kind, message).with_cause(value)
    }

    pub fn into_js(self) -> JsValue {
        if let Some(v) = self.prebuilt {
            return v;
        }
        let fields = Object::new();
        set(&fields, "kind", &self.kind.as_str().into());
        if let Some(s) = self.status {
            set(&fields, "status", &s.into());
        }
        set(&fields, "body", &self.body);
        if let Some(r) = self.retry_after {
            set(&fields, "retryAfter", &r.into());
        }
        if !self.cause.is_undefined() {
            set(&fields, "cause", &self.cause);
        }
        let message = JsValue::from(self.message);
        let made = ERROR_CLASS.with(|c| {
            c.borrow()
                .as_ref()
                .and_then(|class| Reflect::construct(class, &Array::of2(&message, &fields)).ok())
        });
        made.unwrap_or_else(|| {
            // Only reached when the package entry did not register the class (e.g. bare
            // wasm-bindgen tests): still an Error with the same fields.
            let e = js_sys::Error::new(&message.as_string().unwrap_or_default());
            e.set_name("GlassixError");
            let _ = Object::assign(e.as_ref(), &fields);
            set(&e, "code", &Reflect::get(&fields, &"status".into()).unwrap_or_default());
            e.into()
        })
    }
}

thread_local! {
    static ERROR_CLASS: RefCell<Option<Function>> = const { RefCell::new(None) };
}

/// Registers the JS `GlassixError` class (called once by the package entry).
pub fn set_error_class(class: Function) {
    ERROR_CLASS.with(|c| *c.borrow_mut() = Some(class));
}

fn is_glassix_error(v: &JsValue) -> bool {
    ERROR_CLASS.with(|c| {
        c.borrow().as_ref().is_some_and(|class| crate::js::instance_of(v, class))
    })
}

/// `"s"` for messages: at most 40 characters of a caller's or server's string, control
/// characters escaped, so a message stays one short line and never carries a long value whole.
/// (Debug formatting of strings would pull Unicode tables into the wasm.)
pub fn quote(s: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(s.len().min(48) + 2);
    out.push('"');
    for (i, c) in s.chars().enumerate() {
        if i == 40 {
            out.push_str("...");
            break;
        }
        if (c as u32) < 0x20 || c as u32 == 0x7f {
            out.push_str("\\x");
            out.push(HEX[(c as usize) >> 4] as char);
            out.push(HEX[(c as usize) & 15] as char);
        } else {
            out.push(c);
        }
    }
    out.push('"');
    out
}

pub fn set(target: &JsValue, key: &str, value: &JsValue) {
    let _ = Reflect::set(target, &JsValue::from_str(key), value);
}

pub fn get(target: &JsValue, key: &str) -> JsValue {
    Reflect::get(target, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

/// The message an HTTP failure carries: the body's `message` / `Message` when it has one.
pub fn http_message(status: u16, body_message: Option<String>, method: &str, path: &str) -> String {
    match body_message {
        Some(m) if !m.trim().is_empty() => m,
        _ => format!("Glassix API responded {status} to {method} {path}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn message_prefers_the_body() {
        assert_eq!(http_message(404, Some("Ticket not found".into()), "GET", "/tickets/get/1"), "Ticket not found");
    }

    #[test]
    fn message_falls_back_to_status_and_request() {
        assert_eq!(
            http_message(500, None, "GET", "/tickets/get/1"),
            "Glassix API responded 500 to GET /tickets/get/1"
        );
        assert_eq!(http_message(502, Some("  ".into()), "PUT", "/x"), "Glassix API responded 502 to PUT /x");
    }

    #[test]
    fn quoted_values_are_short_and_escaped() {
        assert_eq!(quote("abc"), "\"abc\"");
        assert_eq!(quote("a\r\nb"), "\"a\\x0d\\x0ab\"");
        let long = "x".repeat(100);
        assert_eq!(quote(&long), format!("\"{}...\"", "x".repeat(40)));
    }

    #[test]
    fn kind_names_round_trip() {
        for k in [Kind::Http, Kind::Network, Kind::Timeout, Kind::Aborted, Kind::InvalidArgument, Kind::Parse] {
            assert_eq!(Kind::from_str(k.as_str()), k);
        }
    }
}
