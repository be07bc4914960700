//! glassix-wasm: the Glassix REST API client for JavaScript, in Rust compiled to WebAssembly.
//!
//! The boundary is one entry point: the generated JS facade's methods call [`call`] with the
//! client's [`Handle`] (held privately by the JS `GlassixClient`), their row number in
//! `endpoints::ROWS` and their arguments. Everything behind it is Rust: validation (`request`,
//! `config`), the token (`auth`), admission (`gate`), the request loop (`client`), one attempt
//! over gloo-net (`transport`), paging, webhooks, dates, and the one catalog of failures
//! (`error`). Every async method runs as the one future type [`run`], so the wasm carries one
//! task wrapper however many methods there are.

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
pub mod task;
pub mod transport;
pub mod wait;
pub mod webhooks;

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{Array, Function, Promise};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use crate::client::Core;
use crate::config::Config;
use crate::endpoints::{Handler, ROWS};
use crate::error::{
    At, Failure, Hooks, Msg, Res, AT_CLIENT, AT_FORMAT_DATE, AT_PARSE_WEBHOOK, AT_VERIFY_WEBHOOK,
    HOOKS,
};
use crate::paging::State;
use crate::request::{format_date_value, Dates};

/// A client's core. The JS `GlassixClient` holds it in a private field: users never see it.
#[wasm_bindgen(js_name = Core)]
pub struct Handle {
    core: Rc<Core>,
}

#[wasm_bindgen(js_class = Core)]
impl Handle {
    /// `args`: the arguments of `new GlassixClient(…)`, either form.
    #[wasm_bindgen(constructor)]
    pub fn new(args: Array) -> Result<Handle, JsValue> {
        let cfg = Config::from_args(&args).map_err(|f| f.about(AT_CLIENT).into_js())?;
        Ok(Handle {
            core: Rc::new(Core::new(cfg, |core, gen| spawn(Op::Refresh(core, gen)))),
        })
    }

    /// The API root (what `client.toJSON()` shows; never a credential).
    #[wasm_bindgen(getter, js_name = baseUrl)]
    pub fn base_url(&self) -> String {
        self.core.cfg.root.clone()
    }
}

/// The one entry point: row `row` of the table with its arguments. Async rows return a promise
/// that rejects with a `GlassixError` (bad input included); `tickets.iterate` returns the
/// iterator and `webhooks.verify` the verdict, both throwing on bad input.
#[wasm_bindgen]
pub fn call(
    handle: &Handle,
    row: u8,
    a: JsValue,
    b: JsValue,
    c: JsValue,
) -> Result<JsValue, JsValue> {
    let core = handle.core.clone();
    let fail = |f: Failure| f.about(row).into_js();
    match ROWS.get(usize::from(row)).map(|r| r.handler) {
        Some(Handler::Verify) => {
            let secret = core
                .cfg
                .creds
                .as_ref()
                .map(|c| c.api_secret.as_str())
                .unwrap_or_default();
            if secret.is_empty() {
                return Err(fail(Failure::invalid(Msg::VerifyNoSecret)));
            }
            webhooks::verify(&a, &b, secret, &c)
                .map(JsValue::from)
                .map_err(fail)
        }
        Some(Handler::Iterate) => {
            let state = State::new(core, row, &a, &b).map_err(fail)?;
            let pager = Pager {
                state: Rc::new(RefCell::new(state)),
                tail: RefCell::new(Promise::resolve(&JsValue::UNDEFINED)),
                at: row,
            };
            let iterator = HOOKS.with(|h| h.borrow().as_ref().map(|h| h.iterator.clone()));
            let pager = JsValue::from(pager);
            Ok(iterator
                .and_then(|f| f.call1(&JsValue::UNDEFINED, &pager).ok())
                .unwrap_or(pager))
        }
        Some(handler) => {
            // What the caller passed is read now, as the call is made, not when its task first
            // runs (a turn later, or after a wait for a place): a payload object reused in a loop
            // (`payload.to = n; client.protocols.send(payload)`) would otherwise send every
            // call with the loop's last values. The body becomes its JSON text, the path and
            // query their text, the options are read; a refusal is the promise's rejection.
            let given = match handler {
                Handler::List => State::new(core.clone(), row, &a, &b)
                    .map(|state| Given::List(Rc::new(RefCell::new(state)))),
                Handler::Consume => {
                    webhooks::Consume::read(&core.cfg, &a, &b).map(|c| Given::Consume(Box::new(c)))
                }
                Handler::GetToken => {
                    client::token_args(&core, &a, &b).map(|t| Given::Token(Box::new(t)))
                }
                _ => request::build(&core.cfg, row, &ROWS[usize::from(row)], &[a, b, c])
                    .map(|sent| Given::Send(Box::new(sent))),
            };
            Ok(match given {
                Ok(given) => spawn(Op::Call(core, row, given)),
                Err(f) => Promise::reject(&fail(f)),
            }
            .into())
        }
        None => Err(fail(Failure::invalid(Msg::Unreadable))),
    }
}

/// A call's arguments as read when it was made. (Behind a pointer each: the task holds them
/// while the call waits for a place, and the future that reads them would hold them again:
/// rust-lang/rust#62958, 250 B of wasm memory more per queued call.)
enum Given {
    Send(Box<(transport::Req, config::CallOpts)>),
    List(Rc<RefCell<State>>),
    Consume(Box<webhooks::Consume>),
    Token(Box<(String, config::CallOpts)>),
}

/// Every asynchronous operation.
enum Op {
    Call(Rc<Core>, At, Given),
    Next(Rc<RefCell<State>>, At, Promise),
    /// The client's shared token fetch (`client::refresh`).
    Refresh(Rc<Core>, u64),
}

/// `future_to_promise(run(op))`, with the future made inside the task instead of moved into it:
/// a future the task awaits after it was moved in is stored in the task twice (the captured
/// value and the one awaited: rust-lang/rust#62958), which made every call's task 1,248 B of
/// wasm memory, held while the call waits for a place, instead of about 650.
fn spawn(op: Op) -> Promise {
    let mut op = Some(op);
    Promise::new(&mut |resolve, reject| {
        if let Some(op) = op.take() {
            task::spawn(async move {
                let (settle, value) = match run(op).await {
                    Ok(v) => (resolve, v),
                    Err(e) => (reject, e),
                };
                let _ = settle.call1(&JsValue::UNDEFINED, &value);
            })
        }
    })
}

async fn run(op: Op) -> Result<JsValue, JsValue> {
    let (at, result) = match op {
        Op::Call(core, at, given) => (at, call_async(core, at, given).await),
        Op::Next(state, at, previous) => {
            // each next() runs after the one before, so pages are fetched in order
            let _ = JsFuture::from(previous).await;
            (at, Box::pin(paging::next_item(state)).await)
        }
        Op::Refresh(core, gen) => return Box::pin(client::refresh(core, gen)).await,
    };
    result.map_err(|f| f.about(at).into_js())
}

async fn call_async(core: Rc<Core>, at: At, given: Given) -> Res<JsValue> {
    match given {
        // (the handlers other than the common path are boxed: their futures are the largest, and
        // every call's task, held while it waits for a place, is as large as the largest)
        Given::List(state) => Box::pin(paging::list(state)).await,
        Given::Consume(c) => Box::pin(webhooks::consume(core, at, c))
            .await
            .map(|_| JsValue::UNDEFINED),
        Given::Token(t) => Box::pin(client::get_token(&core, &t.0, &t.1)).await,
        Given::Send(sent) => client::send(&core, &sent.0, &sent.1).await,
    }
}

/// The pages of one `tickets.iterate()`. The package wraps it in a plain async iterator (the
/// `iterator` hook), so users never hold it.
#[wasm_bindgen]
pub struct Pager {
    state: Rc<RefCell<State>>,
    tail: RefCell<Promise>,
    at: At,
}

#[wasm_bindgen]
impl Pager {
    /// The next `{ value, done }`.
    pub fn next(&self) -> Promise {
        let previous = self.tail.borrow().clone();
        let p = spawn(Op::Next(self.state.clone(), self.at, previous));
        *self.tail.borrow_mut() = js::handled(&p);
        p
    }

    /// The URL of the page the last ticket handed out came from: `{ next: position }` reads on
    /// from that page (its tickets again, then the rest).
    #[wasm_bindgen(getter)]
    pub fn position(&self) -> JsValue {
        self.state.borrow().position.clone()
    }

    /// No further page is fetched.
    pub fn stop(&self) {
        self.state.borrow_mut().stop();
    }
}

/// Called once by the package entry: `makeError(fields)` makes every `GlassixError` (from the
/// catalog), `errorClass` is that class, `iterator(pager)` wraps a [`Pager`].
#[wasm_bindgen(js_name = __init)]
pub fn init(make_error: Function, error_class: JsValue, iterator: Function) {
    HOOKS.with(|h| {
        *h.borrow_mut() = Some(Hooks {
            make_error,
            error_class,
            iterator,
        })
    });
}

/// `verifyWebhook(rawBody, headers, apiSecret, options?)`: whether a webhook delivery is signed
/// with `apiSecret` (see `webhooks::verify`).
#[wasm_bindgen(js_name = verifyWebhook)]
pub fn verify_webhook(
    raw_body: JsValue,
    headers: JsValue,
    api_secret: JsValue,
    options: JsValue,
) -> Result<bool, JsValue> {
    // (a secret with a lone surrogate is refused by name: as U+FFFD it would verify nothing)
    crate::config::text(&api_secret, "apiSecret")
        .and_then(|s| webhooks::verify(&raw_body, &headers, &s.unwrap_or_default(), &options))
        .map_err(|f| f.about(AT_VERIFY_WEBHOOK).into_js())
}

/// `parseWebhook(rawBody)`: the events of a delivery, always as an array.
#[wasm_bindgen(js_name = parseWebhook)]
pub fn parse_webhook(raw_body: JsValue) -> Result<Array, JsValue> {
    webhooks::parse(&raw_body).map_err(|f| f.about(AT_PARSE_WEBHOOK).into_js())
}

/// `formatDate(date)`: `dd/MM/yyyy HH:mm:ss:ff` in UTC, as `tickets.list` expects.
#[wasm_bindgen(js_name = formatDate)]
pub fn format_date(date: JsValue) -> Result<String, JsValue> {
    format_date_value(&date, Dates::Full).ok_or_else(|| {
        Failure::invalid(Msg::DateValue)
            .with(date, JsValue::UNDEFINED)
            .about(AT_FORMAT_DATE)
            .into_js()
    })
}

// Talc's wasm allocator: a smaller binary than the default dlmalloc (measured in the README's
// performance section). The wasm build is single-threaded, which `new_global` requires.
#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOCATOR: talc::TalckWasm = unsafe { talc::TalckWasm::new_global() };
