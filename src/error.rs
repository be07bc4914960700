//! Failures, and the one catalog of their messages.
//!
//! Inside Rust every failure is a [`Failure`]: a [`Kind`], a [`Msg`] from the catalog with up to
//! two parameters, and what the caller needs to know (status, parsed body, `Retry-After`,
//! cause). [`Failure::into_js`] hands its fields, as a `#[derive(Serialize)]` struct converted by
//! serde-wasm-bindgen, to the package's `makeError`, the one place a `GlassixError` is made.
//!
//! The catalog's text is not in the wasm: `messages!` gives Rust the codes, and on the host the
//! text, which `scripts/gen.mjs` writes into the JS catalog (`js/generated.js`). Every message
//! is prefixed there with what it is about (`tickets.get: …`, `GlassixClient: …`), from [`At`].

use serde::Serialize;
use wasm_bindgen::prelude::*;

use crate::js;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Kind {
    Http,
    Network,
    Timeout,
    Aborted,
    InvalidArgument,
    Parse,
}

/// Written as its name with `serialize_str`: serde's unit variants go through
/// serde-wasm-bindgen's interned-string cache (a hash map in the wasm) that nothing else needs.
impl Serialize for Kind {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(match self {
            Kind::Http => "http",
            Kind::Network => "network",
            Kind::Timeout => "timeout",
            Kind::Aborted => "aborted",
            Kind::InvalidArgument => "invalid_argument",
            Kind::Parse => "parse",
        })
    }
}

macro_rules! messages {
    ($($name:ident = $text:literal,)*) => {
        /// A message of the catalog. In the text, `{a}`/`{b}` are the parameters as written,
        /// `{a!}`/`{b!}` the parameters described (`"abc"`, `an object`, `42`), `{status}` the
        /// HTTP status, `{p}` the name of the row's body parameter (`payload`, `tags`, …).
        #[derive(Clone, Copy, PartialEq, Eq, Debug)]
        #[repr(u8)]
        pub enum Msg { $($name),* }

        impl Serialize for Msg {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_u8(*self as u8)
            }
        }

        /// The catalog, in code order (host only: the generator reads it).
        #[cfg(not(target_arch = "wasm32"))]
        pub const CATALOG: &[(&str, &str)] = &[$((stringify!($name), $text)),*];
    };
}

messages! {
    // options, of the client and of a call
    OptString = "option `{a}` must be a string",
    OptFunction = "option `{a}` must be a function",
    OptBool = "option `{a}` must be a boolean",
    OptNumber = "option `{a}` must be a number >= {b}",
    OptNumberInf = "option `{a}` must be a number >= {b} (or Infinity)",
    OptWhole = "option `{a}` must be a whole number >= {b}",
    OptWholeInf = "option `{a}` must be a whole number >= {b} (or Infinity)",
    OptObject = "options must be an object like { {a} }",
    OptSignal = "option `signal` must be an AbortSignal",
    OptRateLimit = "option `rateLimit` must be { requests, perMs } or an async function",
    OptUnknown = "unknown option `{a}`",
    OptUnreadable = "option `{a}` could not be read (its getter threw)",
    Missing = "missing {a}",
    ApiVersion = "apiVersion {a!} is not a version like '1.2'",
    AccessToken = "option `accessToken` has whitespace, a control character or a character above U+00FF",
    BaseUrl = "option `baseUrl` is not an absolute http(s) URL",
    BaseUrlParts = "option `baseUrl` must not carry a query, a fragment or credentials",
    Workspace = "workspace {a!} is not a sub-domain like \"acme\"",
    Domain = "domain {a!} is not a valid host name",
    BrowserSecret = "in a browser, give accessToken or getAccessToken (an apiSecret in a page is readable by every visitor; dangerouslyAllowBrowser: true allows it)",
    HeadersObject = "option `{a}` must be an object of header names to values",
    HeaderName = "option `{a}`: header name {b!} is not valid",
    HeaderCrLf = "option `{a}`: header {b!} has a control character (CR, LF, NUL, ...) in its value",
    HeaderWide = "option `{a}`: header {b!} has a character above U+00FF (encodeURIComponent it)",
    HeaderLong = "option `{a}`: header {b!} is longer than 65536 characters (name or value)",
    HeaderType = "option `{a}`: header {b!} must be a string, number or boolean",
    // a method's arguments
    TicketId = "ticketId must be a positive integer, not {a!}",
    Guid = "{a} must be a GUID, not {b!}",
    BodyGuid = "{p}.{a} must be a GUID, not {b!}",
    NotObject = "{a} must be an object, not {b!}",
    BodyObject = "{p} must be an object, not {a!}",
    NotArray = "{p} must be an array, not {a!}",
    ItemString = "{p}[{a}] must be a string, not {b!}",
    ItemObject = "{p}[{a}] must be an object, not {b!}",
    ItemEvent = "{p}[{a}] must be a polled event with queueReceiptHandle and queueMessageId, not {b!}",
    NoEvents = "there are no events to delete",
    NextState = "payload must be an object with nextState",
    DeleteEventsObject = "params must be an object like { deleteEvents }",
    DeleteEventsBool = "deleteEvents must be a boolean",
    FormData = "expected a FormData, not {a!}",
    InvalidDate = "`{a}` is an invalid Date",
    QueryItems = "`{a}` must hold strings, numbers, booleans or Dates",
    QueryValue = "query parameter `{a}` must be a string, number, boolean or Date, not {b!}",
    QueryKey = "params.{a} is required by the API",
    Unreadable = "the argument cannot be read",
    LoneSurrogate = "{a} has a lone surrogate (text with no UTF-8 form)",
    TooLong = "{a} is longer than 65536 characters",
    // client.request
    RawMethod = "method must be 'GET', 'POST', 'PUT' or 'DELETE', not {a!}",
    RawPath = "path must be a path under the API root like '/tickets/get/1' (URL path characters, others encoded; no query, fragment, . segment, %2e, %2f or %5c), not {a!}",
    RequestBody = "options.body must be an object, an array or a FormData, not {a!}",
    RawGetBody = "options.body: a GET sends no body",
    LongUrl = "the URL would be longer than 65536 characters",
    NotJson = "the {p} cannot be written as JSON",
    UserName = "userName must be a string",
    // tickets.list / tickets.iterate
    ListParams = "params must be an object like { since, until }",
    ListDate = "`{a}` must be a Date or a 'dd/MM/yyyy HH:mm:ss:ff' string, not {b!}",
    SinceAfterUntil = "since is after until",
    ListNext = "`next` must be a page's URL under the client's API root (an iterator's position)",
    NextNotUrl = "paging.next is not a URL",
    NextOrigin = "refusing to follow paging.next out of the API root, where the token stays",
    NextCreds = "refusing to follow paging.next: it carries a user name or password",
    NextLoop = "paging.next repeats a page already fetched",
    NoTickets = "the response is not a page of tickets ({ tickets: [...], paging })",
    // the token
    NoCredentials = "needs apiKey, apiSecret and userName",
    ProviderFailed = "getAccessToken() or the store's token() failed",
    ProviderTimeout = "getAccessToken() or the store's token() did not resolve within the timeout",
    ProviderValue = "getAccessToken() or the store's token() returned {a!}, not a token string or an object with an access_token string",
    ProviderToken = "getAccessToken() or the store's token() returned a token with whitespace, a control character or a character above U+00FF, or over 65536 characters",
    TokenMissing = "the token response has no access_token",
    TokenBad = "the access token has whitespace, a control character or a character above U+00FF, or over 65536 characters",
    NoToken = "no access token: {a}",
    // one attempt
    NoFetch = "no Fetch API (fetch, Headers, Request, Response): pass the `fetch` option or load a polyfill",
    Timeout = "{a} timed out after {b} ms",
    Network = "{a}: network error",
    // (a POST: never sent twice, so its caller must know)
    TimeoutSent = "{a} timed out after {b} ms (not sent again: it may have reached Glassix)",
    NetworkSent = "{a}: network error (not sent again: it may have reached Glassix)",
    BodyReset = "{a}: the connection broke while its body was read",
    NotResponse = "{a}: fetch did not resolve with a Response",
    Redirect = "{a}: the server answered with a redirect (never followed)",
    BadText = "{a}: the response is not valid text in its charset",
    BadUtf8 = "{a}: the response is not valid UTF-8",
    BadJson = "{a}: the response is not valid JSON",
    Http = "Glassix API responded {status} to {a}",
    Aborted = "the call was aborted",
    Limiter = "the rate limiter (the rateLimit function or the store) failed",
    LimiterValue = "the store's acquire() resolved with a value that is neither a function nor undefined (see the cause)",
    // webhooks
    VerifyNoSecret = "needs the client's apiSecret; use verifyWebhook(rawBody, headers, apiSecret)",
    SecretRequired = "apiSecret must be a non-empty string",
    HeadersType = "headers must be an object or a Headers",
    RawBody = "rawBody must be the raw request body (a string, Buffer, Uint8Array or ArrayBuffer), not {a!}",
    NowOption = "option `now` must be a Date or a number of milliseconds",
    BodyUtf8 = "the body is not valid UTF-8",
    BodyJson = "the body is not valid JSON",
    NotEvents = "expected an event object or an array of events",
    Handler = "handler must be a function",
    OnError = "option `onError` must be a function",
    PollNotArray = "getevents did not return an array",
    // formatDate
    DateValue = "expected a valid Date or a number of milliseconds, of the years 0 to 9999, not {a!}",
    // the package (JS side only): glassix-wasm/init used before its init() resolved; a bad store
    NotReady = "call `await init(wasmUrl)` from glassix-wasm/init before using the client",
    OptStore = "option `store` must be an object with token() and acquire() methods",
    NotNew = "{a} is made by the client, not with new",
    WasmLoad = "could not load the .wasm ({a})",
}

/// What a failure is about: a row of the table (`tickets.get`), or one of these.
pub type At = u8;
/// `new GlassixClient(…)`.
pub const AT_CLIENT: At = 250;
pub const AT_VERIFY_WEBHOOK: At = 251;
pub const AT_PARSE_WEBHOOK: At = 252;
pub const AT_FORMAT_DATE: At = 253;
/// Not known yet: the boundary fills it in.
pub const AT_UNSET: At = 255;

/// A failure: boxed, so a `Res<T>` is a pointer wide and `?` moves one word (smaller code and
/// smaller futures than carrying the fields inline).
pub struct Failure(Box<Fields>);

/// What crosses to JS: `makeError(fields)` turns it into a `GlassixError`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Fields {
    pub kind: Kind,
    pub msg: Msg,
    pub at: At,
    #[serde(with = "serde_wasm_bindgen::preserve")]
    pub a: JsValue,
    #[serde(with = "serde_wasm_bindgen::preserve")]
    pub b: JsValue,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    /// Parsed response body (JSON value, text, or undefined).
    #[serde(with = "serde_wasm_bindgen::preserve")]
    pub body: JsValue,
    /// Seconds the server asked us to wait (429).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retry_after: Option<f64>,
    #[serde(with = "serde_wasm_bindgen::preserve")]
    pub cause: JsValue,
    /// A `GlassixError` that already exists on the JS side (a shared token failure, or one
    /// thrown by a caller's callback).
    #[serde(skip)]
    prebuilt: Option<JsValue>,
}

impl std::ops::Deref for Failure {
    type Target = Fields;
    fn deref(&self) -> &Fields {
        &self.0
    }
}

impl std::ops::DerefMut for Failure {
    fn deref_mut(&mut self) -> &mut Fields {
        &mut self.0
    }
}

pub type Res<T> = Result<T, Failure>;

impl Failure {
    #[inline(never)]
    pub fn new(kind: Kind, msg: Msg) -> Failure {
        Failure(Box::new(Fields {
            kind,
            msg,
            at: AT_UNSET,
            a: JsValue::UNDEFINED,
            b: JsValue::UNDEFINED,
            status: None,
            body: JsValue::UNDEFINED,
            retry_after: None,
            cause: JsValue::UNDEFINED,
            prebuilt: None,
        }))
    }

    /// Bad input, refused before anything is sent.
    #[inline(never)]
    pub fn invalid(msg: Msg) -> Failure {
        Failure::new(Kind::InvalidArgument, msg)
    }

    /// With the message's parameters.
    pub fn with(mut self, a: impl Into<JsValue>, b: impl Into<JsValue>) -> Failure {
        self.0.a = a.into();
        self.0.b = b.into();
        self
    }

    /// With the call's credentials in `b`, for `makeError` to cut out of the body and the cause
    /// (not kept). Only values of 6 characters or more: a 1-character test secret would cut every
    /// `s` out of the body, keys included, and no real credential is that short.
    pub fn hiding(mut self, secrets: &[&str]) -> Failure {
        self.0.b = secrets
            .iter()
            .filter(|s| s.len() >= 6)
            .map(|s| JsValue::from_str(s))
            .collect::<js_sys::Array>()
            .into();
        self
    }

    pub fn about(mut self, at: At) -> Failure {
        if self.0.at == AT_UNSET {
            self.0.at = at;
        }
        self
    }

    /// A call's own failure for a token failure shared by every call that waited for it (one
    /// `GlassixError`, made once): the same kind, status, body (already redacted) and
    /// `retryAfter`, the shared error as its cause, and the call's name in front
    /// (`tickets.get: no access token: …`).
    pub fn own(self) -> Failure {
        let Some(e) = &self.0.prebuilt else {
            return self;
        };
        let mut f = Failure::new(self.kind, Msg::NoToken)
            .with(js::get(e, "message"), JsValue::UNDEFINED)
            .with_cause(e.clone());
        f.status = js::get(e, "status").as_f64().map(|s| s as u16);
        f.retry_after = js::get(e, "retryAfter").as_f64();
        f.body = js::get(e, "body");
        f
    }

    pub fn with_cause(mut self, cause: JsValue) -> Failure {
        self.0.cause = cause;
        self
    }

    /// A value a caller's callback (or a shared wait) rejected with: a `GlassixError` is kept
    /// as it is; anything else becomes the `cause` of a new failure of `kind`.
    pub fn from_js(value: JsValue, kind: Kind, msg: Msg) -> Failure {
        let mut f = Failure::new(kind, msg);
        if HOOKS.with(|h| {
            h.borrow()
                .as_ref()
                .is_some_and(|h| js::instance_of(&value, &h.error_class))
        }) {
            f.kind = match js::string_prop(&value, "kind").as_deref() {
                Some("http") => Kind::Http,
                Some("timeout") => Kind::Timeout,
                Some("aborted") => Kind::Aborted,
                Some("invalid_argument") => Kind::InvalidArgument,
                Some("parse") => Kind::Parse,
                _ => Kind::Network,
            };
            f.prebuilt = Some(value);
            return f;
        }
        f.with_cause(value)
    }

    pub fn into_js(self) -> JsValue {
        if let Some(v) = self.0.prebuilt {
            return v;
        }
        // as a map (flattened): a struct's field names would go through serde-wasm-bindgen's
        // interned-string cache, a hash map in the wasm that nothing else needs
        #[derive(Serialize)]
        struct AsMap<'a> {
            #[serde(flatten)]
            f: &'a Fields,
        }
        let ser = serde_wasm_bindgen::Serializer::new().serialize_maps_as_objects(true);
        let fields = AsMap { f: &self.0 }.serialize(&ser).unwrap_or_default();
        let made = HOOKS.with(|h| {
            h.borrow()
                .as_ref()
                .and_then(|h| h.make_error.call1(&JsValue::UNDEFINED, &fields).ok())
        });
        // Only without the package entry (bare wasm-bindgen tests): an Error with the fields.
        made.unwrap_or_else(|| {
            let e = js_sys::Error::new("GlassixError");
            let _ = js::object_assign(&e, &fields);
            e.into()
        })
    }
}

/// What the package entry registers once, at load (see `lib.rs`'s `__init`).
pub struct Hooks {
    pub make_error: js_sys::Function,
    pub error_class: JsValue,
    pub iterator: js_sys::Function,
}

thread_local! {
    pub static HOOKS: std::cell::RefCell<Option<Hooks>> = const { std::cell::RefCell::new(None) };
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn every_message_is_one_line_and_uses_known_placeholders() {
        for (name, text) in CATALOG {
            assert!(!text.contains('\n'), "{name}");
            let mut rest = *text;
            while let Some(i) = rest.find('{') {
                let end = rest[i..].find('}').map(|e| i + e).expect(name);
                let p = &rest[i + 1..end];
                // `{ signal, … }` in prose is fine; placeholders are a few known words
                assert!(
                    p.starts_with(' ') || ["a", "b", "a!", "b!", "status", "p"].contains(&p),
                    "{name}: {{{p}}}"
                );
                rest = &rest[end + 1..];
            }
        }
    }

    #[test]
    fn codes_follow_catalog_order() {
        assert_eq!(CATALOG[Msg::TicketId as usize].0, "TicketId");
        assert_eq!(CATALOG[Msg::DateValue as usize].0, "DateValue");
        assert_eq!(CATALOG[Msg::NotReady as usize].0, "NotReady");
        assert!(CATALOG.len() < 250);
    }
}
