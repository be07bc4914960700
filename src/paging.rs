//! `tickets.list` and `tickets.iterate`: every ticket of a window, page by page, following
//! `paging.next` verbatim (same origin only). Ranges longer than the API's one calendar month
//! are split into month windows; tickets seen in an earlier window are not repeated. Both are
//! loops over [`fetch_page`]: `list` collects, `iterate` hands out one ticket per `next()`.

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{Array, Object};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::client::{send, Core};
use crate::config::{short, CallOpts, CALL_KEYS};
use crate::dates;
use crate::endpoints::ROWS;
use crate::error::{At, Failure, Kind, Msg, Res};
use crate::js::{self, absent, get, set, Url};
use crate::request::{is_date, query_pairs, query_string, Dates};
use crate::transport::{Body, Req};

pub struct State {
    core: Rc<Core>,
    at: At,
    /// Query strings still to run, one per window.
    /// The month windows' queries still to read, the next one last (`pop`).
    windows: Vec<String>,
    /// The URL of the page the tickets in `page` came from (`iterator.position`).
    pub position: JsValue,
    /// `paging.next` of the last page, if any.
    next: Option<String>,
    /// Every `paging.next` followed so far: one seen twice would loop for ever.
    followed: js_sys::Set,
    /// The tickets of the page read and not handed out yet (a JS array: no queue type in the wasm).
    page: Array,
    /// Ticket ids already yielded (only when there is more than one window). A JS `Set`: it
    /// keeps hashing code out of the wasm.
    seen: Option<js_sys::Set>,
    opts: Rc<CallOpts>,
    pub done: bool,
}

/// `since` or `until`, both required by the API: a missing one is named before any request.
fn date_ms(params: &JsValue, key: &'static str) -> Res<f64> {
    let v = get(params, key);
    let ms = if is_date(&v) {
        Some(v.unchecked_ref::<js_sys::Date>().get_time()).filter(|ms| dates::in_range(*ms))
    } else {
        short(&v).and_then(|s| dates::parse(&s))
    };
    ms.ok_or_else(|| Failure::invalid(Msg::ListDate).with(key, v))
}

/// The query string of every window for `params`. `since` and `until` always go out in the
/// API's full form, `dd/MM/yyyy HH:mm:ss:ff`: a `Date` `since` is rounded down and a `Date`
/// `until` up to the API's hundredth of a second, so `until: new Date()` includes what happened
/// in its last few milliseconds, and a string in a shorter form (`dd/MM/yyyy`,
/// `dd/MM/yyyy HH:mm`) is written out in full, as the API requires.
fn plan(params: &JsValue) -> Res<Vec<String>> {
    if !js::plain(params) {
        return Err(Failure::invalid(Msg::ListParams));
    }
    let s = dates::floor_hundredth(date_ms(params, "since")?);
    let u = dates::ceil_hundredth(date_ms(params, "until")?);
    let mut rest = Vec::new();
    query_pairs(params, Dates::Full, &mut rest, "params")?;
    rest.retain(|(k, _)| k != "since" && k != "until");
    if s > u {
        return Err(Failure::invalid(Msg::SinceAfterUntil));
    }
    Ok(dates::month_windows(s, u)
        .into_iter()
        .map(|(a, b)| {
            let mut q = vec![
                ("since".to_string(), dates::format_full(a)),
                ("until".to_string(), dates::format_full(b)),
            ];
            q.extend(rest.iter().cloned());
            query_string(&q)
        })
        .collect())
}

impl State {
    /// Its row: `tickets.list` and `tickets.iterate` both read `tickets/list`, by their row's
    /// method and path.
    fn row(&self) -> &'static crate::endpoints::Row {
        &ROWS[usize::from(self.at)]
    }

    /// Checks `params` and `options` (before any request) and plans the windows.
    /// `{ next }` (a page's URL, as `iterator.position` gives it) continues from that page.
    pub fn new(core: Rc<Core>, at: At, params: &JsValue, options: &JsValue) -> Res<State> {
        let next = match get(params, "next") {
            n if absent(&n) => None,
            // a page's URL under the API's root, as `position` gives it, checked as it will be
            // followed (resolved: `..`, `%2e%2e` or `\` segments could climb out of the root)
            // (never quoted: it may carry a password)
            n => Some(
                short(&n)
                    .and_then(|s| under_root(&s, &core.cfg.root.as_str().into(), &core).ok())
                    .ok_or_else(|| Failure::invalid(Msg::ListNext))?,
            ),
        };
        let windows = match next {
            Some(_) => Vec::new(),
            None => plan(params)?.into_iter().rev().collect(),
        };
        let opts = Rc::new(CallOpts::read(options, &core.cfg, CALL_KEYS)?);
        let seen = (windows.len() > 1).then(|| js_sys::Set::new(&JsValue::UNDEFINED));
        Ok(State {
            core,
            at,
            windows,
            position: JsValue::UNDEFINED,
            next,
            followed: js_sys::Set::new(&JsValue::UNDEFINED),
            page: Array::new(),
            seen,
            opts,
            done: false,
        })
    }

    /// Stops the iteration: no further page is fetched, and a page in flight is dropped.
    pub fn stop(&mut self) {
        self.done = true;
        self.page.set_length(0);
    }
}

/// Checks that `next`, resolved as fetch will resolve it, stays under the API's root (the token
/// goes nowhere else, on the origin or off it), and returns it as an absolute URL.
/// A relative one is resolved against `base`: the page it came from (the root for a caller's).
fn under_root(next: &str, base: &JsValue, core: &Core) -> Res<String> {
    let root = core.cfg.root.as_str();
    let u = Url::new(next, base).map_err(|_| Failure::new(Kind::Parse, Msg::NextNotUrl))?;
    // a `user:password@` (which fetch would refuse anyway) is said as such, and never quoted
    if !u.part("username").is_empty() || !u.part("password").is_empty() {
        return Err(Failure::new(Kind::Parse, Msg::NextCreds));
    }
    let href = u.part("href");
    if !href.starts_with(&js::cat(&[root, "/"])) {
        // (where it points is not said: a server could put the token in its path or host; nor
        // is the root, whose path may hold a gateway's key: a `baseUrl` is never echoed)
        return Err(Failure::new(Kind::Parse, Msg::NextOrigin));
    }
    Ok(href)
}

/// The URL of the next page; `None` when every window is exhausted.
fn next_url(st: &mut State) -> Res<Option<String>> {
    if st.done {
        return Ok(None);
    }
    if let Some(n) = st.next.take() {
        let url = under_root(&n, &st.position, &st.core)?;
        let key = JsValue::from(url.as_str());
        if st.followed.has(&key) {
            return Err(Failure::new(Kind::Parse, Msg::NextLoop));
        }
        st.followed.add(&key);
        st.position = key;
        return Ok(Some(url));
    }
    match st.windows.pop() {
        Some(q) => {
            let url = js::cat(&[st.core.cfg.root.as_str(), st.row().path, &q]);
            st.position = url.as_str().into();
            Ok(Some(url))
        }
        None => {
            st.done = true;
            Ok(None)
        }
    }
}

/// Fetches the next page into `state.page`; `false` when there is none.
async fn fetch_page(state: &Rc<RefCell<State>>) -> Res<bool> {
    let (core, req, opts) = {
        let mut st = state.borrow_mut();
        let Some(url) = next_url(&mut st)? else {
            return Ok(false);
        };
        let row = st.row();
        (
            st.core.clone(),
            Req::new(st.at, row.method, url, row.path.into(), Body::None),
            st.opts.clone(),
        )
    };
    let body = send(&core, &req, &opts).await?;
    let mut st = state.borrow_mut();
    // (js/exchange.js's `isPage` says what a page is: anything else would lose tickets)
    if !js::is_page(&body) {
        return Err(Failure::new(Kind::Parse, Msg::NoTickets));
    }
    let tickets = get(&body, "tickets");
    st.next = get(&get(&body, "paging"), "next")
        .as_string()
        .filter(|s| !s.is_empty());
    if st.done {
        // stopped while this page was in flight: drop it
        return Ok(true);
    }
    let page = if Array::is_array(&tickets) {
        Array::from(&tickets)
    } else {
        Array::new()
    };
    let seen = st.seen.clone();
    for t in page.iter() {
        if let Some(seen) = &seen {
            let id = get(&t, "id");
            if !id.is_undefined() && seen.has(&id) {
                continue;
            }
            seen.add(&id);
        }
        st.page.push(&t);
    }
    Ok(true)
}

fn step(value: &JsValue, done: bool) -> JsValue {
    let r = Object::new();
    set(&r, "value", value);
    set(&r, "done", &done.into());
    r.into()
}

/// `next()` of `tickets.iterate`: the next ticket, fetching a page only when the previous one is
/// used up.
pub async fn next_item(state: Rc<RefCell<State>>) -> Res<JsValue> {
    loop {
        let page = state.borrow().page.clone();
        if page.length() > 0 {
            return Ok(step(&page.shift(), false));
        }
        if state.borrow().done {
            return Ok(step(&JsValue::UNDEFINED, true));
        }
        match fetch_page(&state).await {
            Ok(true) => {}
            Ok(false) => return Ok(step(&JsValue::UNDEFINED, true)),
            Err(f) => {
                state.borrow_mut().done = true;
                return Err(f);
            }
        }
    }
}

/// `tickets.list`: every ticket, in one array.
pub async fn list(state: Rc<RefCell<State>>) -> Res<JsValue> {
    let all = Array::new();
    while fetch_page(&state).await? {
        let page = state.borrow().page.clone();
        for t in page.iter() {
            all.push(&t);
        }
        page.set_length(0);
    }
    Ok(all.into())
}
