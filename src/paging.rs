//! `tickets.iterate` and `tickets.list`: every ticket of a window, page by page, following
//! `paging.next` verbatim (same origin only). Ranges longer than the API's one calendar month
//! are split into month windows; tickets seen in an earlier window are not repeated.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;

use js_sys::{Array, Object, Promise};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::future_to_promise;

use crate::dates;
use crate::error::{get, quote, set, Failure, Kind, Res};
use crate::js::{self, Url};
use crate::request::{format_date_value, is_date, query_pairs, query_string, Dates};
use crate::transport::{send, CallOpts, Core, Method, Req};

const LIST_PATH: &str = "/tickets/list";
const NAME: &str = "tickets.list";

struct State {
    core: Rc<Core>,
    /// Query strings still to run, one per window.
    windows: VecDeque<String>,
    /// `paging.next` of the last page, if any.
    next: Option<String>,
    /// Every `paging.next` followed so far: one seen twice would loop for ever.
    followed: js_sys::Set,
    page: VecDeque<JsValue>,
    /// Ticket ids already yielded (only when there is more than one window). A JS `Set`: it
    /// keeps hashing code out of the wasm.
    seen: Option<js_sys::Set>,
    options: JsValue,
    done: bool,
}

/// The async iterator `tickets.iterate()` returns.
#[wasm_bindgen]
pub struct TicketIterator {
    state: Rc<RefCell<State>>,
    /// The previous `next()`; each `next()` runs after it, so pages are fetched in order.
    tail: RefCell<Promise>,
}

fn date_ms(v: &JsValue) -> Res<Option<f64>> {
    if v.is_undefined() || v.is_null() {
        return Ok(None);
    }
    if is_date(v) {
        let ms = v.unchecked_ref::<js_sys::Date>().get_time();
        return match dates::in_range(ms) {
            true => Ok(Some(ms)),
            false => Err(Failure::invalid(format!("{NAME}: since/until is an invalid Date"))),
        };
    }
    if let Some(s) = v.as_string() {
        return dates::parse(&s).map(Some).ok_or_else(|| {
            Failure::invalid(format!("{NAME}: {} is not a date in the format dd/MM/yyyy HH:mm:ss:ff", quote(&s)))
        });
    }
    Err(Failure::invalid(format!("{NAME}: since/until must be Date objects or 'dd/MM/yyyy HH:mm:ss:ff' strings")))
}

/// The query string of every window for `params`. A `Date` `since` is rounded down and a `Date`
/// `until` up to the API's hundredth of a second, so `until: new Date()` includes what happened
/// in its last few milliseconds; strings are sent as given.
fn plan(params: &JsValue) -> Res<Vec<String>> {
    if !params.is_object() || Array::is_array(params) {
        return Err(Failure::invalid(format!("{NAME}: params must be an object like {{ since, until }}")));
    }
    let since = date_ms(&get(params, "since"))?.map(dates::floor_hundredth);
    let until = date_ms(&get(params, "until"))?.map(dates::ceil_hundredth);
    let mut base = Vec::new();
    query_pairs(params, Dates::Full, NAME, &mut base)?;
    if let (Some(u), true) = (until, is_date(&get(params, "until"))) {
        for (k, v) in base.iter_mut() {
            if k == "until" {
                *v = dates::format_full(u);
            }
        }
    }
    let (Some(s), Some(u)) = (since, until) else {
        return Ok(vec![query_string(&base)]);
    };
    if s > u {
        return Err(Failure::invalid(format!("{NAME}: since is after until")));
    }
    let windows = dates::month_windows(s, u);
    if windows.len() == 1 {
        return Ok(vec![query_string(&base)]);
    }
    let rest: Vec<_> = base.into_iter().filter(|(k, _)| k != "since" && k != "until").collect();
    Ok(windows
        .into_iter()
        .map(|(a, b)| {
            let mut q = vec![("since".to_string(), dates::format_full(a)), ("until".to_string(), dates::format_full(b))];
            q.extend(rest.iter().cloned());
            query_string(&q)
        })
        .collect())
}

impl State {
    fn new(core: Rc<Core>, params: &JsValue, options: JsValue) -> Res<State> {
        let windows: VecDeque<String> = plan(params)?.into();
        CallOpts::read(&options, &core.cfg)?;
        let seen = (windows.len() > 1).then(|| js_sys::Set::new(&JsValue::UNDEFINED));
        Ok(State { core, windows, next: None, followed: js_sys::Set::new(&JsValue::UNDEFINED), page: VecDeque::new(), seen, options, done: false })
    }
}

/// Checks that `next` stays on the API's origin and returns it as an absolute URL.
fn same_origin(next: &str, core: &Core) -> Res<String> {
    let u = Url::new(next, &core.cfg.root.as_str().into())
        .map_err(|_| Failure::new(Kind::Parse, format!("{NAME}: paging.next is not a URL")))?;
    if u.origin() != core.cfg.origin {
        return Err(Failure::new(
            Kind::Parse,
            format!("{NAME}: refusing to follow paging.next to another origin ({}); the access token stays with {}", u.origin(), core.cfg.origin),
        ));
    }
    Ok(u.href())
}

/// Fetches the next page; `None` when every window is exhausted.
async fn fetch_page(state: &Rc<RefCell<State>>) -> Res<Option<Array>> {
    let (core, url, opts) = {
        let mut st = state.borrow_mut();
        if st.done {
            return Ok(None);
        }
        let url = match st.next.take() {
            Some(n) => {
                let url = same_origin(&n, &st.core)?;
                let key = JsValue::from(url.as_str());
                if st.followed.has(&key) {
                    return Err(Failure::new(Kind::Parse, format!("{NAME}: paging.next repeats a page already fetched; stopping instead of looping")));
                }
                st.followed.add(&key);
                url
            }
            None => match st.windows.pop_front() {
                Some(q) => format!("{}{}{}", st.core.cfg.root, LIST_PATH, q),
                None => {
                    st.done = true;
                    return Ok(None);
                }
            },
        };
        (st.core.clone(), url, st.options.clone())
    };
    let opts = CallOpts::read(&opts, &core.cfg)?;
    let body = send(&core, &Req::new(NAME, Method::Get, url, LIST_PATH, crate::transport::Body::None), &opts).await?;
    let tickets = get(&body, "tickets");
    if !(body.is_object() && (Array::is_array(&tickets) || tickets.is_undefined() || tickets.is_null())) {
        return Err(Failure::new(Kind::Parse, format!("{NAME}: the response has no tickets array")));
    }
    let next = get(&get(&body, "paging"), "next").as_string().filter(|s| !s.is_empty());
    let mut st = state.borrow_mut();
    st.next = next;
    let page = if Array::is_array(&tickets) { Array::from(&tickets) } else { Array::new() };
    if let Some(seen) = st.seen.as_ref() {
        let fresh = Array::new();
        for t in page.iter() {
            let id = get(&t, "id");
            if id.is_undefined() || !seen.has(&id) {
                seen.add(&id);
                fresh.push(&t);
            }
        }
        return Ok(Some(fresh));
    }
    Ok(Some(page))
}

fn step(value: &JsValue, done: bool) -> JsValue {
    let r = Object::new();
    set(&r, "value", value);
    set(&r, "done", &done.into());
    r.into()
}

async fn next_item(state: Rc<RefCell<State>>) -> Res<JsValue> {
    loop {
        if let Some(t) = state.borrow_mut().page.pop_front() {
            return Ok(step(&t, false));
        }
        match fetch_page(&state).await {
            // return() while this page was in flight closed the iterator: drop the page
            Ok(Some(_)) if state.borrow().done => return Ok(step(&JsValue::UNDEFINED, true)),
            Ok(Some(page)) => state.borrow_mut().page.extend(page.iter()),
            Ok(None) => return Ok(step(&JsValue::UNDEFINED, true)),
            Err(f) => {
                state.borrow_mut().done = true;
                return Err(f);
            }
        }
    }
}

#[wasm_bindgen]
impl TicketIterator {
    /// The next ticket; fetches a page only when the previous one is used up.
    pub fn next(&self) -> Promise {
        let state = self.state.clone();
        let prev = self.tail.borrow().clone();
        let p = future_to_promise(async move {
            let _ = wasm_bindgen_futures::JsFuture::from(prev).await;
            next_item(state).await.map_err(Failure::into_js)
        });
        *self.tail.borrow_mut() = js::handled(&p);
        p
    }

    /// Stops the iteration (`break` in `for await`); no further page is fetched.
    #[wasm_bindgen(js_name = "return")]
    pub fn finish(&self, value: JsValue) -> Promise {
        let mut st = self.state.borrow_mut();
        st.done = true;
        st.page.clear();
        Promise::resolve(&step(&value, true))
    }
}

/// `tickets.iterate(params, options?)`. Bad params throw at once (before any request).
pub fn iterate(core: &Rc<Core>, params: JsValue, options: JsValue) -> Result<TicketIterator, JsValue> {
    let state = State::new(core.clone(), &params, options).map_err(Failure::into_js)?;
    Ok(TicketIterator { state: Rc::new(RefCell::new(state)), tail: RefCell::new(Promise::resolve(&JsValue::UNDEFINED)) })
}

/// `tickets.list(params, options?)`: every ticket, in one array.
pub fn list(core: &Rc<Core>, params: JsValue, options: JsValue) -> Promise {
    let core = core.clone();
    future_to_promise(async move {
        let state = Rc::new(RefCell::new(State::new(core, &params, options).map_err(Failure::into_js)?));
        let all = Array::new();
        while let Some(page) = fetch_page(&state).await.map_err(Failure::into_js)? {
            for t in page.iter() {
                all.push(&t);
            }
        }
        Ok(all.into())
    })
}

/// `formatDate(date)`: a `Date` (or epoch ms) as `dd/MM/yyyy HH:mm:ss:ff` in UTC.
pub fn format_date(v: &JsValue) -> Result<String, JsValue> {
    format_date_value(v, Dates::Full)
        .ok_or_else(|| Failure::invalid("formatDate: expected a valid Date or a number of milliseconds").into_js())
}
