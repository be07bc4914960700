//! Turns a resource method's JS arguments into a [`Req`], following its [`Endpoint`] entry.
//! All argument validation happens here, before anything is sent.

use std::rc::Rc;

use js_sys::{Array, Object, Promise};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::future_to_promise;

use crate::dates;
use crate::js::{object_assign, object_entries};
use crate::error::{get, quote, set, Failure, Res};
use crate::transport::{send, Body, CallOpts, Core, Method, Req};

/// How one positional argument of a method is used.
#[derive(Clone, Copy, Debug)]
pub enum Arg {
    /// `{id}` in the path: a ticket id (positive integer, number or decimal string).
    TicketId,
    /// `{id}` in the path: a contact id (GUID).
    ContactId,
    /// The JSON body.
    Body(BodyRule),
    /// An object whose keys become the query string.
    Query(Need),
    /// `tickets.setState`: `nextState`, `sendTicketStateChangedMessage`, `getTicket`,
    /// `enableWebhook` go to the query, every other key to the body.
    StateSplit,
    /// `webhooks.getevents`: only `deleteEvents` is read, into the query.
    DeleteEventsFlag,
    /// A `FormData`, sent as multipart/form-data.
    Form,
}

#[derive(Clone, Copy, PartialEq, Debug)]
pub enum Need {
    Required,
    Optional,
}

#[derive(Clone, Copy, PartialEq, Debug)]
pub enum BodyRule {
    Object(Need),
    /// A bare JSON array of strings (tags, roles).
    Strings,
    /// A bare JSON array of objects (users to add).
    Objects,
    /// Polled webhook events, each with `queueReceiptHandle` and `queueMessageId`.
    Events,
}

/// How `Date` values in the query or body are written.
#[derive(Clone, Copy, PartialEq, Debug)]
pub enum Dates {
    /// `dd/MM/yyyy HH:mm:ss:ff` (tickets/list, phone calls).
    Full,
    /// `dd/MM/yyyy` (users/statuslogs).
    Day,
}

/// Send `{}` as the body even though no argument is a body (glassix-js did for two PUTs).
pub const EMPTY_BODY: u8 = 1;
/// `Date`s are written as `dd/MM/yyyy` instead of the full format.
pub const DAY_DATES: u8 = 2;
/// Top-level `Date` values of the body are written in the Glassix format (not ISO).
pub const BODY_DATES: u8 = 4;

pub struct Endpoint {
    /// `group.method`, for messages.
    pub name: &'static str,
    pub method: Method,
    /// Path under the API root; `{id}` is replaced by the encoded id argument.
    pub path: &'static str,
    pub args: &'static [Arg],
    pub flags: u8,
}

impl Endpoint {
    pub fn dates(&self) -> Dates {
        if self.flags & DAY_DATES != 0 {
            Dates::Day
        } else {
            Dates::Full
        }
    }
}

pub const STATE_QUERY_KEYS: [&str; 4] = ["nextState", "sendTicketStateChangedMessage", "getTicket", "enableWebhook"];

/// A ticket id from a JS number: a positive safe integer.
pub fn ticket_id_from_number(n: f64) -> Option<String> {
    (n.is_finite() && n.fract() == 0.0 && n >= 1.0 && n <= 9_007_199_254_740_991.0).then(|| format!("{}", n as u64))
}

/// A ticket id from a string: decimal digits only, positive, at most 2^53-1; written canonically.
pub fn ticket_id_from_str(s: &str) -> Option<String> {
    if s.is_empty() || s.len() > 30 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse::<u64>().ok().and_then(|n| ticket_id_from_number(n as f64).filter(|_| n <= 9_007_199_254_740_991))
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

fn describe(v: &JsValue) -> String {
    if v.is_undefined() {
        "undefined".into()
    } else if v.is_null() {
        "null".into()
    } else if let Some(s) = v.as_string() {
        quote(&s)
    } else if let Some(n) = v.as_f64() {
        crate::js::num_to_string(n)
    } else if Array::is_array(v) {
        "an array".into()
    } else {
        let t = v.js_typeof().as_string().unwrap_or_default();
        format!("{} {t}", if t.starts_with('o') || t.starts_with('u') { "an" } else { "a" })
    }
}

pub fn is_date(v: &JsValue) -> bool {
    v.is_instance_of::<js_sys::Date>()
}

/// A `Date` (or epoch milliseconds) as Glassix writes dates.
pub fn format_date_value(v: &JsValue, fmt: Dates) -> Option<String> {
    let ms = if is_date(v) { v.unchecked_ref::<js_sys::Date>().get_time() } else { v.as_f64()? };
    dates::in_range(ms).then(|| match fmt {
        Dates::Full => dates::format_full(ms),
        Dates::Day => dates::format_day(ms),
    })
}

/// One query value: strings, numbers and booleans as written by JS, `Date`s in the Glassix
/// format, arrays comma-joined; `null`/`undefined` leave the key out.
pub fn query_value(v: &JsValue, fmt: Dates, key: &str, name: &str) -> Res<Option<String>> {
    if v.is_undefined() || v.is_null() {
        return Ok(None);
    }
    if let Some(s) = v.as_string() {
        return Ok(Some(s));
    }
    if let Some(b) = v.as_bool() {
        return Ok(Some(if b { "true" } else { "false" }.into()));
    }
    if let Some(n) = v.as_f64() {
        if n.is_finite() {
            return Ok(Some(crate::js::num_to_string(n)));
        }
    }
    if is_date(v) {
        return format_date_value(v, fmt)
            .map(Some)
            .ok_or_else(|| Failure::invalid(format!("{name}: `{key}` is an invalid Date")));
    }
    if Array::is_array(v) {
        let mut parts = Vec::new();
        for item in Array::from(v).iter() {
            if item.is_object() && !is_date(&item) {
                return Err(Failure::invalid(format!("{name}: `{key}` must hold strings, numbers, booleans or Dates")));
            }
            if let Some(s) = query_value(&item, fmt, key, name)? {
                parts.push(s);
            }
        }
        return Ok(Some(parts.join(",")));
    }
    Err(Failure::invalid(format!(
        "{name}: query parameter `{key}` must be a string, number, boolean or Date, not {}",
        describe(v)
    )))
}

fn plain_object(v: &JsValue) -> bool {
    v.is_object() && !Array::is_array(v) && !v.is_function() && !is_date(v)
}

/// The query pairs of an object argument.
pub fn query_pairs(v: &JsValue, fmt: Dates, name: &str, out: &mut Vec<(String, String)>) -> Res<()> {
    if !plain_object(v) {
        return Err(Failure::invalid(format!("{name}: params must be an object, not {}", describe(v))));
    }
    for entry in entries(v, name)?.iter() {
        let pair: Array = entry.unchecked_into();
        let key = pair.get(0).as_string().unwrap_or_default();
        if let Some(value) = query_value(&pair.get(1), fmt, &key, name)? {
            out.push((key, value));
        }
    }
    Ok(())
}

/// `Object.entries` of a caller's object; a throwing getter is an `invalid_argument`.
pub fn entries(v: &JsValue, name: &str) -> Res<Array> {
    object_entries(v).map_err(|e| Failure::invalid(format!("{name}: the argument cannot be read")).with_cause(e))
}

fn stringify(v: &JsValue, name: &str) -> Res<String> {
    match js_sys::JSON::stringify(v) {
        Ok(s) => s.as_string().ok_or_else(|| Failure::invalid(format!("{name}: the payload cannot be written as JSON"))),
        Err(e) => Err(Failure::invalid(format!("{name}: the payload cannot be written as JSON")).with_cause(e)),
    }
}

/// A shallow copy of `v` with its top-level `Date` values written in the Glassix format.
fn with_glassix_dates(v: &JsValue, fmt: Dates, name: &str) -> Res<JsValue> {
    let copy = object_assign(&Object::new(), v).map_err(|e| Failure::invalid(format!("{name}: the payload cannot be read")).with_cause(e))?;
    for entry in entries(v, name)?.iter() {
        let pair: Array = entry.unchecked_into();
        if is_date(&pair.get(1)) {
            let key = pair.get(0).as_string().unwrap_or_default();
            let s = format_date_value(&pair.get(1), fmt)
                .ok_or_else(|| Failure::invalid(format!("{name}: `{key}` is an invalid Date")))?;
            set(&copy, &key, &s.into());
        }
    }
    Ok(copy)
}

fn body(v: &JsValue, rule: BodyRule, ep: &Endpoint) -> Res<Option<String>> {
    let name = ep.name;
    match rule {
        BodyRule::Object(need) => {
            if (v.is_undefined() || v.is_null()) && need == Need::Optional {
                return Ok(None);
            }
            if !plain_object(v) {
                return Err(Failure::invalid(format!("{name}: payload must be an object, not {}", describe(v))));
            }
            let v = if ep.flags & BODY_DATES != 0 {
                with_glassix_dates(v, ep.dates(), name)?
            } else {
                v.clone()
            };
            stringify(&v, name).map(Some)
        }
        BodyRule::Strings | BodyRule::Objects | BodyRule::Events => {
            if !Array::is_array(v) {
                return Err(Failure::invalid(format!("{name}: expected an array, not {}", describe(v))));
            }
            for (i, item) in Array::from(v).iter().enumerate() {
                let ok = match rule {
                    BodyRule::Strings => item.is_string(),
                    BodyRule::Objects => plain_object(&item),
                    _ => plain_object(&item) && crate::webhooks::deletable(&item),
                };
                if !ok {
                    let want = match rule {
                        BodyRule::Strings => "a string",
                        BodyRule::Objects => "an object",
                        _ => "a polled event with queueReceiptHandle and queueMessageId",
                    };
                    return Err(Failure::invalid(format!("{name}: item {i} must be {want}, not {}", describe(&item))));
                }
            }
            stringify(v, name).map(Some)
        }
    }
}

fn path_id(v: &JsValue, arg: Arg, name: &str) -> Res<String> {
    match arg {
        Arg::TicketId => v
            .as_f64()
            .and_then(ticket_id_from_number)
            .or_else(|| v.as_string().and_then(|s| ticket_id_from_str(&s)))
            .ok_or_else(|| Failure::invalid(format!("{name}: ticketId must be a positive integer, not {}", describe(v)))),
        _ => match v.as_string() {
            Some(s) if is_guid(&s) => Ok(s),
            _ => Err(Failure::invalid(format!("{name}: contactId must be a GUID, not {}", describe(v)))),
        },
    }
}

/// Builds the request for `ep` from `args` (the method's positional arguments; the one after
/// the endpoint's own arguments is the per-call options).
pub fn build(core: &Core, ep: &Endpoint, args: &[JsValue]) -> Res<(Req, CallOpts)> {
    let arg = |i: usize| args.get(i).cloned().unwrap_or(JsValue::UNDEFINED);
    let mut path = ep.path.to_string();
    let mut query = Vec::new();
    let mut json = None;
    let mut raw = None;
    for (i, a) in ep.args.iter().enumerate() {
        let v = arg(i);
        match *a {
            Arg::TicketId | Arg::ContactId => path = path.replace("{id}", &encode(&path_id(&v, *a, ep.name)?)),
            Arg::Body(rule) => {
                if rule == BodyRule::Events && Array::is_array(&v) && Array::from(&v).length() == 0 {
                    return Err(Failure::invalid(format!("{}: there are no events to delete", ep.name)));
                }
                json = body(&v, rule, ep)?
            }
            Arg::Query(need) => {
                if !(need == Need::Optional && (v.is_undefined() || v.is_null())) {
                    query_pairs(&v, ep.dates(), ep.name, &mut query)?;
                }
            }
            Arg::StateSplit => {
                if !plain_object(&v) || get(&v, "nextState").is_undefined() {
                    return Err(Failure::invalid(format!("{}: payload must be an object with nextState", ep.name)));
                }
                let rest = Object::new();
                for entry in entries(&v, ep.name)?.iter() {
                    let pair: Array = entry.unchecked_into();
                    let key = pair.get(0).as_string().unwrap_or_default();
                    if STATE_QUERY_KEYS.contains(&key.as_str()) {
                        if let Some(s) = query_value(&pair.get(1), ep.dates(), &key, ep.name)? {
                            query.push((key, s));
                        }
                    } else {
                        set(&rest, &key, &pair.get(1));
                    }
                }
                json = Some(stringify(&rest, ep.name)?);
            }
            Arg::DeleteEventsFlag => {
                if !(v.is_undefined() || v.is_null()) {
                    if !plain_object(&v) {
                        return Err(Failure::invalid(format!("{}: options must be an object like {{ deleteEvents }}", ep.name)));
                    }
                    let flag = get(&v, "deleteEvents");
                    if !(flag.is_undefined() || flag.is_null()) {
                        let b = flag.as_bool().ok_or_else(|| Failure::invalid(format!("{}: deleteEvents must be a boolean", ep.name)))?;
                        query.push(("deleteEvents".into(), if b { "true" } else { "false" }.into()));
                    }
                }
            }
            Arg::Form => {
                if !is_form_data(&v) {
                    return Err(Failure::invalid(format!("{}: expected a FormData, not {}", ep.name, describe(&v))));
                }
                raw = Some(v);
            }
        }
    }
    let opts = CallOpts::read(&arg(ep.args.len()), &core.cfg)?;
    let body = match (json, raw) {
        (Some(s), _) => Body::Json(s),
        (None, Some(v)) => Body::Raw(v),
        (None, None) if ep.flags & EMPTY_BODY != 0 => Body::Json("{}".into()),
        (None, None) => Body::None,
    };
    let url = format!("{}{}{}", core.cfg.root, path, query_string(&query));
    Ok((Req::new(ep.name, ep.method, url, &path, body), opts))
}

fn is_form_data(v: &JsValue) -> bool {
    crate::js::instance_of(v, &get(&js_sys::global(), "FormData"))
}

/// A resource method: validate, then send. Every failure rejects with a `GlassixError`.
pub fn call(core: &Rc<Core>, ep: &'static Endpoint, args: [JsValue; 3]) -> Promise {
    let core = core.clone();
    future_to_promise(async move {
        let (req, opts) = build(&core, ep, &args).map_err(Failure::into_js)?;
        send(&core, &req, &opts).await.map_err(Failure::into_js)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticket_ids_are_positive_integers() {
        assert_eq!(ticket_id_from_number(160_000_001.0).as_deref(), Some("160000001"));
        assert_eq!(ticket_id_from_str("42").as_deref(), Some("42"));
        assert_eq!(ticket_id_from_str("0042").as_deref(), Some("42"));
        assert_eq!(ticket_id_from_str("9007199254740991").as_deref(), Some("9007199254740991"));
        for n in [0.0, -1.0, 1.5, f64::NAN, f64::INFINITY, 9_007_199_254_740_992.0] {
            assert_eq!(ticket_id_from_number(n), None, "{n}");
        }
        for s in ["", "0", "-1", "1.0", "1e3", " 1", "1 ", "../../users/delete", "1/2", "12?x=1", "9007199254740992", "0x10"] {
            assert_eq!(ticket_id_from_str(s), None, "{s}");
        }
    }

    #[test]
    fn contact_ids_are_guids() {
        assert!(is_guid("0f8fad5b-d9cb-469f-a165-70867728950e"));
        assert!(is_guid("0F8FAD5B-D9CB-469F-A165-70867728950E"));
        for s in ["", "0f8fad5b-d9cb-469f-a165-70867728950", "0f8fad5bd9cb469fa16570867728950e", "0f8fad5b-d9cb-469f-a165-70867728950g", "../../users/delete/00000000000000000"] {
            assert!(!is_guid(s), "{s}");
        }
    }

    #[test]
    fn encoding_matches_encode_uri_component() {
        assert_eq!(encode("../../users/delete"), "..%2F..%2Fusers%2Fdelete");
        assert_eq!(encode("01/07/2023 00:00:00:00"), "01%2F07%2F2023%2000%3A00%3A00%3A00");
        assert_eq!(encode("a&b=c?d#e"), "a%26b%3Dc%3Fd%23e");
        assert_eq!(encode("שלום"), "%D7%A9%D7%9C%D7%95%D7%9D");
        assert_eq!(encode("A-z_0.9!~*'()"), "A-z_0.9!~*'()");
        assert_eq!(
            query_string(&[("userName".into(), "a+b@x.com".into()), ("deleteEvents".into(), "true".into())]),
            "?userName=a%2Bb%40x.com&deleteEvents=true"
        );
        assert_eq!(query_string(&[]), "");
    }

    #[test]
    fn state_split_keys_are_the_glassix_js_ones() {
        assert_eq!(STATE_QUERY_KEYS, ["nextState", "sendTicketStateChangedMessage", "getTicket", "enableWebhook"]);
    }
}
