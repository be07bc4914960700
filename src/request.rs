//! Turns a row's JS arguments into a [`Req`]. All argument validation happens here, before
//! anything is sent; every refusal names the argument and describes what was passed.

use js_sys::{Array, JsString};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::config::{
    array, entries, from_entries, short, text, CallOpts, Config, Options, CALL_KEYS, MAX_TEXT,
    RAW_KEYS,
};
use crate::dates;
use crate::endpoints::{
    Arg, BodyRule, Handler, Method, Need, Row, BODY_DATES, DAY_DATES, EMPTY_BODY, GUID_IDS,
};
use crate::error::{At, Failure, Msg, Res};
use crate::js::{self, absent, get};
use crate::transport::{Body, Req};

/// How `Date` values in the query or body are written.
#[derive(Clone, Copy, PartialEq, Debug)]
pub enum Dates {
    /// `dd/MM/yyyy HH:mm:ss:ff` (tickets/list, phone calls).
    Full,
    /// `dd/MM/yyyy` (users/statuslogs).
    Day,
}

pub const STATE_QUERY_KEYS: [&str; 4] = [
    "nextState",
    "sendTicketStateChangedMessage",
    "getTicket",
    "enableWebhook",
];

/// A ticket id from a JS number: a positive safe integer.
pub fn ticket_id_from_number(n: f64) -> Option<String> {
    (n.fract() == 0.0 && (1.0..=9_007_199_254_740_991.0).contains(&n)).then(|| {
        let mut s = String::new();
        js::push_num(&mut s, n as u64, 1);
        s
    })
}

/// A ticket id from a string: decimal digits only, positive, at most 2^53-1; written canonically.
pub fn ticket_id_from_str(s: &str) -> Option<String> {
    if s.is_empty() || s.len() > 30 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let digits = s.trim_start_matches('0');
    if digits.is_empty() || digits.len() > 16 {
        return None;
    }
    let n = digits
        .bytes()
        .fold(0u64, |n, b| n * 10 + u64::from(b - b'0'));
    ticket_id_from_number(n as f64).filter(|_| n <= 9_007_199_254_740_991)
}

/// `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx` with hexadecimal digits.
pub fn is_guid(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 36
        && b.iter().enumerate().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => *c == b'-',
            _ => c.is_ascii_hexdigit(),
        })
}

/// The longest URL sent (`MAX_TEXT`). A query whose keys and values add up to more is refused
/// before it is encoded (encoded, it is at least as long), and the URL when it is built.
const MAX_URL: usize = MAX_TEXT as usize;

/// Percent-encodes like `encodeURIComponent`, so no argument can add a path segment, a query or
/// a fragment.
pub fn encode(s: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(s.len());
    for &b in s.as_bytes() {
        if b.is_ascii_alphanumeric() || b"-_.!~*'()".contains(&b) {
            out.push(b as char);
        } else {
            out.push('%');
            out.push(HEX[usize::from(b >> 4)] as char);
            out.push(HEX[usize::from(b & 15)] as char);
        }
    }
    out
}

pub fn query_string(pairs: &[(String, String)]) -> String {
    let mut out = String::new();
    for (i, (k, v)) in pairs.iter().enumerate() {
        out.push(if i == 0 { '?' } else { '&' });
        out.push_str(&encode(k));
        out.push('=');
        out.push_str(&encode(v));
    }
    out
}

pub fn is_date(v: &JsValue) -> bool {
    v.is_instance_of::<js_sys::Date>()
}

/// A `Date` (or epoch milliseconds) as Glassix writes dates.
pub fn format_date_value(v: &JsValue, fmt: Dates) -> Option<String> {
    let ms = if is_date(v) {
        v.unchecked_ref::<js_sys::Date>().get_time()
    } else {
        v.as_f64()?
    };
    dates::in_range(ms).then(|| match fmt {
        Dates::Full => dates::format_full(ms),
        Dates::Day => dates::format_day(ms),
    })
}

/// One query value: strings, numbers and booleans as written by JS, `Date`s in the Glassix
/// format, arrays comma-joined; `null`/`undefined` leave the key out.
pub fn query_value(v: &JsValue, fmt: Dates, key: &str) -> Res<Option<String>> {
    if absent(v) {
        return Ok(None);
    }
    if let Some(s) = text(v, key)? {
        return Ok(Some(s));
    }
    if let Some(b) = v.as_bool() {
        return Ok(Some(if b { "true" } else { "false" }.into()));
    }
    if let Some(n) = v.as_f64().filter(|n| n.is_finite()) {
        return Ok(Some(js::num_to_string(n)));
    }
    if is_date(v) {
        return format_date_value(v, fmt)
            .map(Some)
            .ok_or_else(|| Failure::invalid(Msg::InvalidDate).with(key, JsValue::UNDEFINED));
    }
    if let Some(items) = array(v)? {
        // joined by hand: `Vec<String>::join` is a second copy of std's join code (1 KB raw)
        let mut joined: Option<String> = None;
        for item in items.iter() {
            if item.is_object() && !is_date(&item) {
                return Err(Failure::invalid(Msg::QueryItems).with(key, JsValue::UNDEFINED));
            }
            if let Some(s) = query_value(&item, fmt, key)? {
                match &mut joined {
                    Some(j) => {
                        if j.len() + s.len() >= MAX_URL {
                            return Err(Failure::invalid(Msg::LongUrl));
                        }
                        j.push(',');
                        j.push_str(&s);
                    }
                    None => joined = Some(s),
                }
            }
        }
        // an empty array (or one of `null`s) leaves the key out, as a `null` does (as glassix-js's
        // axios did): `ticketState: []` is no filter, not `ticketState=`
        return Ok(joined);
    }
    Err(Failure::invalid(Msg::QueryValue).with(key, v.clone()))
}

/// The query pairs of an object argument.
pub fn query_pairs(
    v: &JsValue,
    fmt: Dates,
    out: &mut Vec<(String, String)>,
    what: &str,
) -> Res<()> {
    if !js::plain(v) {
        return Err(Failure::invalid(Msg::NotObject).with(what, v.clone()));
    }
    let mut total = 0;
    for entry in entries(v)?.iter() {
        let pair: Array = entry.unchecked_into();
        let key = text(&pair.get(0), what)?.unwrap_or_default();
        if let Some(value) = query_value(&pair.get(1), fmt, &key)? {
            // (each pair is at least as long encoded: refused before the copies add up)
            total += key.len() + value.len();
            if total > MAX_URL {
                return Err(Failure::invalid(Msg::LongUrl));
            }
            out.push((key, value));
        }
    }
    Ok(())
}

/// The JSON text stays a JS string: a large body never copies into wasm memory.
fn stringify(v: &JsValue) -> Res<JsString> {
    let fail = || Failure::invalid(Msg::NotJson);
    match js_sys::JSON::stringify(v) {
        Ok(s) if s.is_string() => Ok(s),
        Ok(_) => Err(fail()),
        Err(e) => Err(fail().with_cause(e)),
    }
}

/// The keys of `TicketRenderOptions` (glassix-api.md §6.4).
const RENDER_KEYS: &str = "includeDetails includeConversationLink includeNotes fontSizeInPixels replaceContentId showParticipantType";

/// A shallow copy of the object body `v` as sent: with `BODY_DATES`, its top-level `Date`
/// values written in the Glassix format; with `GUID_IDS`, its `…Id` values checked to be GUIDs.
fn checked_body(v: &JsValue, row: &Row) -> Res<JsValue> {
    // (made by `Object.fromEntries`: an own `__proto__` key stays a key)
    let pairs = entries(v)?;
    for entry in pairs.iter() {
        let pair: Array = entry.unchecked_into();
        let (key, value) = (pair.get(0).as_string().unwrap_or_default(), pair.get(1));
        // (`undefined` is left out of the JSON, as from the query)
        if row.flags & GUID_IDS != 0
            && key.ends_with("Id")
            && !value.is_undefined()
            && !value.as_string().is_some_and(|s| is_guid(&s))
        {
            return Err(Failure::invalid(Msg::BodyGuid).with(key, value));
        }
        if row.flags & BODY_DATES != 0 && is_date(&value) {
            let s = format_date_value(&value, dates_of(row)).ok_or_else(|| {
                Failure::invalid(Msg::InvalidDate).with(key.as_str(), JsValue::UNDEFINED)
            })?;
            pair.set(1, s.into());
        }
    }
    from_entries(&pairs)
}

fn body(v: &JsValue, rule: BodyRule, row: &Row) -> Res<Option<JsString>> {
    match rule {
        BodyRule::Object | BodyRule::Render => {
            if absent(v) && rule == BodyRule::Render {
                return Ok(None);
            }
            if !js::plain(v) {
                return Err(Failure::invalid(Msg::BodyObject).with(v.clone(), JsValue::UNDEFINED));
            }
            if rule == BodyRule::Render {
                Options(v).only(RENDER_KEYS, "renderOptions.")?;
            }
            let v = match row.flags & (BODY_DATES | GUID_IDS) {
                0 => v.clone(),
                _ => checked_body(v, row)?,
            };
            stringify(&v).map(Some)
        }
        BodyRule::Strings | BodyRule::Objects | BodyRule::Events => {
            let Some(items) = array(v)? else {
                return Err(Failure::invalid(Msg::NotArray).with(v.clone(), JsValue::UNDEFINED));
            };
            if rule == BodyRule::Events && items.length() == 0 {
                return Err(Failure::invalid(Msg::NoEvents));
            }
            for (i, item) in items.iter().enumerate() {
                let (ok, msg) = match rule {
                    BodyRule::Strings => (item.is_string(), Msg::ItemString),
                    BodyRule::Objects => (js::plain(&item), Msg::ItemObject),
                    _ => (js::plain(&item) && deletable(&item), Msg::ItemEvent),
                };
                if !ok {
                    return Err(Failure::invalid(msg).with(i as u32, item));
                }
            }
            stringify(v).map(Some)
        }
    }
}

/// Whether a polled event carries what `webhooks/deleteevents` needs: non-empty
/// `queueReceiptHandle` and `queueMessageId`.
pub fn deletable(event: &JsValue) -> bool {
    // (its own values, which are what JSON sends: an inherited one stands for nothing)
    let Ok(pairs) = js::object_entries(event) else {
        return false;
    };
    ["queueReceiptHandle", "queueMessageId"].iter().all(|k| {
        pairs.iter().any(|p| {
            let p: Array = p.unchecked_into();
            p.get(0).as_string().is_some_and(|n| n == *k)
                && p.get(1).as_string().is_some_and(|s| !s.is_empty())
        })
    })
}

fn dates_of(row: &Row) -> Dates {
    match row.flags & DAY_DATES {
        0 => Dates::Full,
        _ => Dates::Day,
    }
}

fn path_id(v: &JsValue, arg: Arg) -> Res<String> {
    // (a string too long to be an id is not copied to be looked at)
    let s = || short(v);
    if arg == Arg::TicketId {
        return v
            .as_f64()
            .and_then(ticket_id_from_number)
            .or_else(|| s().and_then(|s| ticket_id_from_str(&s)))
            .ok_or_else(|| Failure::invalid(Msg::TicketId).with(v.clone(), JsValue::UNDEFINED));
    }
    match s() {
        Some(s) if is_guid(&s) => Ok(s),
        _ => Err(Failure::invalid(Msg::Guid).with("contactId", v.clone())),
    }
}

/// Builds the request for row `at` from `args` (the method's arguments; the one after the row's
/// own arguments is the per-call options).
pub fn build(cfg: &Config, at: At, row: &Row, args: &[JsValue]) -> Res<(Req, CallOpts)> {
    let arg = |i: usize| args.get(i).cloned().unwrap_or(JsValue::UNDEFINED);
    let mut path = row.path.to_string();
    let mut query = Vec::new();
    let mut json = None;
    let mut raw = None;
    let mut method = row.method;
    for (i, a) in row.args.iter().enumerate() {
        let v = arg(i);
        match *a {
            Arg::TicketId | Arg::ContactId => {
                let id = encode(&path_id(&v, *a)?);
                if let (Some(s), Some(e)) = (path.find('{'), path.find('}')) {
                    path.replace_range(s..=e, &id);
                }
            }
            Arg::Body(rule) => json = body(&v, rule, row)?,
            Arg::Query(need) => {
                if !(need == Need::Optional && absent(&v)) {
                    query_pairs(&v, dates_of(row), &mut query, "params")?;
                }
                for key in row.requires.split(' ').filter(|k| !k.is_empty()) {
                    if !query.iter().any(|(k, value)| k == key && !value.is_empty()) {
                        return Err(Failure::invalid(Msg::QueryKey).with(key, JsValue::UNDEFINED));
                    }
                }
                if row.flags & GUID_IDS != 0 {
                    if let Some((k, _)) = query
                        .iter()
                        .find(|(k, value)| k.ends_with("Id") && !is_guid(value))
                    {
                        return Err(
                            Failure::invalid(Msg::Guid).with(js::cat(&["params.", k]), get(&v, k))
                        );
                    }
                }
            }
            Arg::SetStateSplit => {
                if !js::plain(&v) {
                    return Err(Failure::invalid(Msg::NextState));
                }
                // (the rest as entries, made an object by `Object.fromEntries`: an own
                // `__proto__` key stays a key, as in every other body)
                let rest = Array::new();
                for entry in entries(&v)?.iter() {
                    let pair: Array = entry.unchecked_into();
                    let key = pair.get(0).as_string().unwrap_or_default();
                    if STATE_QUERY_KEYS.contains(&key.as_str()) {
                        if let Some(s) = query_value(&pair.get(1), Dates::Full, &key)? {
                            query.push((key, s));
                        }
                    } else {
                        rest.push(&pair);
                    }
                }
                // checked on what is sent: an inherited or null `nextState` is none
                if !query.iter().any(|(k, _)| k == "nextState") {
                    return Err(Failure::invalid(Msg::NextState));
                }
                json = Some(stringify(&from_entries(&rest)?)?);
            }
            Arg::GetEventsFlag if !absent(&v) => {
                if !js::plain(&v) {
                    return Err(Failure::invalid(Msg::DeleteEventsObject));
                }
                // only `deleteEvents`: a misspelt one (glassix-js's README has `deleteEvent`)
                // would leave the server's default, which deletes the events; per-call
                // options given one argument too early would go unheard
                Options(&v).only("deleteEvents", "params.")?;
                let flag = get(&v, "deleteEvents");
                if !absent(&flag) {
                    let b = flag
                        .as_bool()
                        .ok_or_else(|| Failure::invalid(Msg::DeleteEventsBool))?;
                    query.push((
                        "deleteEvents".into(),
                        if b { "true" } else { "false" }.into(),
                    ));
                }
            }
            Arg::GetEventsFlag => {}
            Arg::Form => {
                let form = js::form_copy(&v);
                if form.is_undefined() {
                    return Err(Failure::invalid(Msg::FormData).with(v, JsValue::UNDEFINED));
                }
                raw = Some(form);
            }
            // `client.request`'s: checked, not guessed at
            Arg::HttpMethod => {
                method = text(&v, "method")?
                    .and_then(|s| {
                        [Method::Get, Method::Post, Method::Put, Method::Delete]
                            .into_iter()
                            .find(|m| m.as_str().eq_ignore_ascii_case(&s))
                    })
                    .ok_or_else(|| Failure::invalid(Msg::RawMethod).with(v, JsValue::UNDEFINED))?
            }
            Arg::RawPath => {
                path = text(&v, "path")?
                    .filter(|s| raw_path_ok(s))
                    .ok_or_else(|| Failure::invalid(Msg::RawPath).with(v, JsValue::UNDEFINED))?
            }
            // read by the handlers themselves
            _ => {}
        }
    }
    let given = arg(row.args.len());
    let custom = row.handler == Handler::Raw;
    let opts = CallOpts::read(&given, cfg, if custom { RAW_KEYS } else { CALL_KEYS })?;
    if custom {
        // (what it sends is in its options: `{ query, body, signal, … }`)
        let given = Options(&given);
        if let Some(q) = given.raw("query")? {
            query_pairs(&q, Dates::Full, &mut query, "options.query")?;
        }
        match given.raw("body")? {
            None => {}
            Some(v) if method == Method::Get => {
                return Err(Failure::invalid(Msg::RawGetBody).with(v, JsValue::UNDEFINED))
            }
            Some(v) => match js::form_copy(&v) {
                form if !form.is_undefined() => raw = Some(form),
                _ if js::plain(&v) || array(&v)?.is_some() => json = Some(stringify(&v)?),
                _ => return Err(Failure::invalid(Msg::RequestBody).with(v, JsValue::UNDEFINED)),
            },
        }
    }
    let body = match (json, raw) {
        (Some(s), _) => Body::Json(s),
        (None, Some(v)) => Body::Raw(v),
        (None, None) if row.flags & EMPTY_BODY != 0 => Body::Json(JsString::from("{}")),
        (None, None) => Body::None,
    };
    let url = js::cat(&[cfg.root.as_str(), &path, &query_string(&query)]);
    if url.len() > MAX_URL {
        return Err(Failure::invalid(Msg::LongUrl));
    }
    let mut req = Req::new(at, method, url, path, body);
    // (`client.request`'s is its method's: a POST is not sent again)
    if !custom {
        req.idempotent = row.idempotent;
    }
    req.flags = row.flags;
    Ok((req, opts))
}

/// Whether `s` is a path `client.request` sends under the API root: it starts with `/` (not
/// `//`), holds only a URL path's characters (letters, digits, `-._~!$&'()*+,;=:@/` and `%`
/// with two hex digits: no query, fragment, space or backslash) and no `.` or `..` segment, so
/// the URL cannot leave the API root. An encoded `.`, `/` or `\` (`%2e`, `%2f`, `%5c`) is
/// refused too: the URL parser reads `%2e%2e` as `..`, and a server that decodes the others
/// would see a segment climb out.
pub fn raw_path_ok(s: &str) -> bool {
    let b = s.as_bytes();
    let hex = |i: usize| b.get(i).is_some_and(u8::is_ascii_hexdigit);
    b.first() == Some(&b'/')
        && b.get(1) != Some(&b'/')
        && (0..b.len()).all(|i| {
            let c = b[i];
            c.is_ascii_alphanumeric()
                || b"-._~!$&'()*+,;=:@/".contains(&c)
                || (c == b'%'
                    && hex(i + 1)
                    && hex(i + 2)
                    && !matches!(
                        (b[i + 1], b[i + 2] | 0x20),
                        (b'2', b'e' | b'f') | (b'5', b'c')
                    ))
        })
        && !s.split('/').any(|g| g == "." || g == "..")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_paths_stay_under_the_api_root() {
        for ok in [
            "/",
            "/tickets/get/1",
            "/a/%20b/..c/.d",
            "/a:b@c!$&'()*+,;=~_-",
            "/%2d%5b%5D%25",
        ] {
            assert!(raw_path_ok(ok), "{ok}");
        }
        for bad in [
            "",
            "a",
            "//evil",
            "/a?b",
            "/a#b",
            "/a b",
            "/a\\b",
            "/.",
            "/..",
            "/a/../b",
            "/a/./b",
            "/%2e%2e/b",
            "/%2E/b",
            "/a%2eb",
            "/%zz",
            "/%4",
            "/%",
            "/é",
            "/a%2Fb",
            "/..%2f..%2fx",
            "/..%5C..%5Cx",
        ] {
            assert!(!raw_path_ok(bad), "{bad}");
        }
    }

    #[test]
    fn ticket_ids_are_positive_integers() {
        assert_eq!(
            ticket_id_from_number(160_000_001.0).as_deref(),
            Some("160000001")
        );
        assert_eq!(ticket_id_from_str("42").as_deref(), Some("42"));
        assert_eq!(ticket_id_from_str("0042").as_deref(), Some("42"));
        assert_eq!(
            ticket_id_from_str("9007199254740991").as_deref(),
            Some("9007199254740991")
        );
        for n in [
            0.0,
            -1.0,
            1.5,
            f64::NAN,
            f64::INFINITY,
            9_007_199_254_740_992.0,
        ] {
            assert_eq!(ticket_id_from_number(n), None, "{n}");
        }
        for s in [
            "",
            "0",
            "-1",
            "1.0",
            "1e3",
            " 1",
            "1 ",
            "../../users/delete",
            "1/2",
            "12?x=1",
            "9007199254740992",
            "0x10",
        ] {
            assert_eq!(ticket_id_from_str(s), None, "{s}");
        }
    }

    #[test]
    fn contact_ids_are_guids() {
        assert!(is_guid("0f8fad5b-d9cb-469f-a165-70867728950e"));
        assert!(is_guid("0F8FAD5B-D9CB-469F-A165-70867728950E"));
        for s in [
            "",
            "0f8fad5b-d9cb-469f-a165-70867728950",
            "0f8fad5bd9cb469fa16570867728950e",
            "0f8fad5b-d9cb-469f-a165-70867728950g",
            "../../users/delete/00000000000000000",
        ] {
            assert!(!is_guid(s), "{s}");
        }
    }

    #[test]
    fn encoding_matches_encode_uri_component() {
        assert_eq!(encode("../../users/delete"), "..%2F..%2Fusers%2Fdelete");
        assert_eq!(
            encode("01/07/2023 00:00:00:00"),
            "01%2F07%2F2023%2000%3A00%3A00%3A00"
        );
        assert_eq!(encode("a&b=c?d#e"), "a%26b%3Dc%3Fd%23e");
        assert_eq!(encode("שלום"), "%D7%A9%D7%9C%D7%95%D7%9D");
        assert_eq!(encode("A-z_0.9!~*'()"), "A-z_0.9!~*'()");
        assert_eq!(
            query_string(&[
                ("userName".into(), "a+b@x.com".into()),
                ("deleteEvents".into(), "true".into())
            ]),
            "?userName=a%2Bb%40x.com&deleteEvents=true"
        );
        assert_eq!(query_string(&[]), "");
    }

    #[test]
    fn state_split_keys_are_the_glassix_js_ones() {
        assert_eq!(
            STATE_QUERY_KEYS,
            [
                "nextState",
                "sendTicketStateChangedMessage",
                "getTicket",
                "enableWebhook"
            ]
        );
    }
}
