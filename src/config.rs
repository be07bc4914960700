//! Configuration: both constructor forms, defaults and validation, and the one reader of
//! options objects, shared by the client's options and each call's options. A bad option fails
//! at once with the option named.
//!
//! Options are read by hand rather than with `#[derive(Deserialize)]` + serde-wasm-bindgen: that
//! was measured at +16 KB gzip (every type check formats the unexpected value through
//! `invalid_type`), against a budget of 3 KB. See the README's Architecture section.

use js_sys::{Array, Function, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::error::{Failure, Msg, Res};
use crate::js::{self, absent, get, Url};
use crate::wait::Watch;

pub struct Creds {
    pub api_key: String,
    pub api_secret: String,
    pub user_name: String,
}

pub enum RateLimit {
    None,
    Window { requests: u32, per_ms: f64 },
    Func(Function),
}

pub struct Config {
    /// API root without a trailing slash, e.g. `https://acme.glassix.com/api/v1.2`.
    pub root: String,
    /// Origin of `root`; `paging.next` must stay on it.
    pub origin: String,
    pub creds: Option<Creds>,
    pub access_token: Option<String>,
    pub get_access_token: Option<Function>,
    /// Extra headers for every API call, names lower-cased.
    pub headers: Vec<(String, String)>,
    pub fetch: Option<Function>,
    pub timeout_ms: f64,
    pub max_retries: u32,
    pub max_concurrency: u32,
    pub rate_limit: RateLimit,
}

pub const DEFAULT_TIMEOUT_MS: f64 = 60_000.0;
pub const DEFAULT_MAX_RETRIES: u32 = 2;

/// `'1.2'`, `'v1.2'` and `1.2` all mean API version `1.2`.
pub fn normalize_version(v: &str) -> Option<String> {
    let v = v.trim();
    let v = v.strip_prefix(['v', 'V']).unwrap_or(v);
    let ok = !v.is_empty()
        && v.split('.')
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
    ok.then(|| v.to_string())
}

/// `http` only for `localhost` and `localhost:PORT`; everything else is `https`.
pub fn is_localhost(domain: &str) -> bool {
    let d = domain.to_ascii_lowercase();
    match d.strip_prefix("localhost") {
        Some("") => true,
        Some(rest) => rest
            .strip_prefix(':')
            .is_some_and(|port| !port.is_empty() && port.bytes().all(|b| b.is_ascii_digit())),
        None => false,
    }
}

/// Host name labels joined by dots: none empty (`.`, `a..b`) or over 63 characters (DNS's
/// limit), none starting or ending with `-`.
fn host_label_ok(s: &str) -> bool {
    s.split('.').all(|l| {
        !l.is_empty()
            && l.len() < 64
            && !l.starts_with('-')
            && !l.ends_with('-')
            && l.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    })
}

/// `https://{workspace}.{domain}/api/v{version}`.
pub fn default_root(workspace: &str, domain: &str, version: &str) -> Result<String, Msg> {
    let (host, port) = match domain.split_once(':') {
        Some((h, p)) => (h, Some(p)),
        None => (domain, None),
    };
    // (the sub-domain, not the whole host: `acme.glassix.com` would go to
    // acme.glassix.com.glassix.com, a DNS failure at the first call; so would
    // `acme.glassix-dev.com` under `domain: 'glassix-dev.com'`: the domain's own host ends it)
    let (w, h) = (workspace.as_bytes(), host.as_bytes());
    let whole = w
        .len()
        .checked_sub(h.len())
        .is_some_and(|t| w[t..].eq_ignore_ascii_case(h) && (t == 0 || w[t - 1] == b'.'));
    if !host_label_ok(workspace) || whole {
        return Err(Msg::Workspace);
    }
    if !host_label_ok(host)
        || port.is_some_and(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()))
    {
        return Err(Msg::Domain);
    }
    let scheme = if is_localhost(domain) {
        "http://"
    } else {
        "https://"
    };
    Ok(js::cat(&[
        scheme, workspace, ".", domain, "/api/v", version,
    ]))
}

/// The API root for a `baseUrl` that parsed as `protocol` / `origin` / `pathname`: an origin
/// (no path) gets `/api/v{version}` appended; a URL with a path is used as given.
pub fn root_from_base(
    protocol: &str,
    origin: &str,
    pathname: &str,
    version: &str,
) -> Result<String, Msg> {
    if protocol != "http:" && protocol != "https:" {
        return Err(Msg::BaseUrl);
    }
    let path = pathname.trim_end_matches('/');
    if path.is_empty() {
        Ok(js::cat(&[origin, "/api/v", version]))
    } else {
        Ok(js::cat(&[origin, path]))
    }
}

/// Header names are RFC 7230 tokens; values may not contain control characters (CR, LF, NUL,
/// the other C0 controls but tab, DEL, the C1 controls), nor characters above U+00FF (fetch refuses them: said
/// now, not as a network error later).
pub fn check_header(name: &str, value: &str) -> Result<(), Msg> {
    const SEP: &[u8] = b"()<>@,;:\\\"/[]?={} \t";
    if name.is_empty() || !name.bytes().all(|b| b > 32 && b < 127 && !SEP.contains(&b)) {
        return Err(Msg::HeaderName);
    }
    if value
        .chars()
        .any(|c| (c < ' ' && c != '\t') || ('\u{7f}'..='\u{9f}').contains(&c))
    {
        return Err(Msg::HeaderCrLf);
    }
    if value.chars().any(|c| u32::from(c) > 0xFF) {
        return Err(Msg::HeaderWide);
    }
    Ok(())
}

/// Whether `t` can be sent as a bearer token: not empty, and no whitespace, control character
/// or character above U+00FF (the `accessToken` option, `getAccessToken()`'s result and the
/// token response are all held to it, so a bad token fails at once, never late and retried).
pub fn token_ok(t: &str) -> bool {
    // DEL, the C1 controls (NEL among them) and the no-break space are refused as well
    !t.is_empty()
        && t.chars()
            .all(|c| c > ' ' && !('\u{7f}'..='\u{a0}').contains(&c) && u32::from(c) <= 0xFF)
}

/// Which numbers an option accepts.
#[derive(Clone, Copy)]
pub enum Num {
    /// `>= min`, fractions allowed, and `Infinity` (no limit).
    Inf(u8),
    /// `>= min`, fractions allowed.
    Finite(u8),
    /// A whole number `>= min`.
    Whole(u8),
    /// A whole number `>= min`, or `Infinity`.
    WholeInf(u8),
}

/// Reads one options object. Every refusal names the option.
pub struct Options<'a>(pub &'a JsValue);

impl Options<'_> {
    /// The option's value (`None`: absent or null). A getter that throws, own or inherited (a
    /// class's), is refused; an options object that throws for a key it does not have (a strict
    /// Proxy) leaves that option not given.
    pub fn raw(&self, key: &str) -> Res<Option<JsValue>> {
        let k = JsValue::from_str(key);
        match Reflect::get(self.0, &k) {
            Ok(v) => Ok((!absent(&v)).then_some(v)),
            // (not one that only `Object.prototype` has, polluted: as before, not given)
            Err(e)
                if Reflect::has(self.0, &k).unwrap_or(false)
                    && !Reflect::has(&get(&js::global("Object"), "prototype"), &k)
                        .unwrap_or(true) =>
            {
                Err(unreadable_option(key, e))
            }
            Err(_) => Ok(None),
        }
    }

    /// Refuses a key that is not in `known`: a misspelt option would silently do nothing.
    /// `within`: the option these are the keys of (`rateLimit.`), or "".
    /// `known`: the names, separated by spaces or `, ` (one string in the wasm, not a table of
    /// them; a call's options as `OptObject` lists them).
    pub fn only(&self, known: &str, within: &str) -> Res<()> {
        let found = js::unknown_key(self.0, &known.into());
        match found.as_string() {
            Some(k) => {
                Err(Failure::invalid(Msg::OptUnknown)
                    .with(js::cat(&[within, &k]), JsValue::UNDEFINED))
            }
            None if found.is_undefined() => Ok(()),
            // [key, error]: its getter threw
            None => {
                let pair: Array = found.unchecked_into();
                let key = pair.get(0).as_string().unwrap_or_default();
                Err(unreadable_option(js::cat(&[within, &key]), pair.get(1)))
            }
        }
    }

    /// A string option: absent, `null` and `""` are "not given".
    pub fn string(&self, key: &'static str) -> Res<Option<String>> {
        let Some(v) = self.raw(key)? else {
            return Ok(None);
        };
        match text(&v, key)? {
            Some(s) => Ok((!s.is_empty()).then_some(s)),
            None => Err(Failure::invalid(Msg::OptString).with(key, JsValue::UNDEFINED)),
        }
    }

    pub fn function(&self, key: &'static str) -> Res<Option<Function>> {
        match self.raw(key)? {
            None => Ok(None),
            Some(v) if v.is_function() => Ok(Some(v.unchecked_into())),
            Some(_) => Err(Failure::invalid(Msg::OptFunction).with(key, JsValue::UNDEFINED)),
        }
    }

    pub fn number(&self, key: &'static str, spec: Num) -> Res<Option<f64>> {
        let Some(v) = self.raw(key)? else {
            return Ok(None);
        };
        let (min, whole, inf, msg) = match spec {
            Num::Inf(m) => (m, false, true, Msg::OptNumberInf),
            Num::Finite(m) => (m, false, false, Msg::OptNumber),
            Num::Whole(m) => (m, true, false, Msg::OptWhole),
            Num::WholeInf(m) => (m, true, true, Msg::OptWholeInf),
        };
        match v.as_f64() {
            Some(n) if n == f64::INFINITY && inf => Ok(Some(n)),
            Some(n) if n.is_finite() && n >= f64::from(min) && (!whole || n.fract() == 0.0) => {
                Ok(Some(n))
            }
            _ => Err(Failure::invalid(msg).with(key, min)),
        }
    }

    /// A `{ name: value }` headers object (string, number or boolean values, as axios takes them;
    /// `undefined` skips one), names lower-cased.
    pub fn headers(&self, key: &'static str) -> Res<Vec<(String, String)>> {
        let Some(v) = self.raw(key)? else {
            return Ok(Vec::new());
        };
        let refuse = |msg: Msg, name: &str| Failure::invalid(msg).with(key, name);
        if !js::plain(&v) {
            return Err(Failure::invalid(Msg::HeadersObject).with(key, JsValue::UNDEFINED));
        }
        let mut out = Vec::new();
        // (a header's getter that throws is named by its option, as an option's getter is)
        let all = js::object_entries(&v).map_err(|e| unreadable_option(key, e))?;
        for entry in all.iter() {
            let pair: Array = entry.unchecked_into();
            let (name, raw) = (pair.get(0), pair.get(1));
            if too_long(&name) || too_long(&raw) {
                return Err(Failure::invalid(Msg::HeaderLong).with(key, name));
            }
            let name = name.as_string().unwrap_or_default();
            let value = if let Some(s) = raw.as_string() {
                s
            } else if let Some(n) = raw.as_f64() {
                js::num_to_string(n)
            } else if let Some(b) = raw.as_bool() {
                (if b { "true" } else { "false" }).to_string()
            } else if raw.is_undefined() {
                continue;
            } else {
                return Err(refuse(Msg::HeaderType, &name));
            };
            check_header(&name, &value).map_err(|m| refuse(m, &name))?;
            out.push((name.to_ascii_lowercase(), value));
        }
        Ok(out)
    }

    /// An `AbortSignal` option.
    pub fn signal(&self, key: &'static str) -> Res<Option<Watch>> {
        let Some(s) = self.raw(key)? else {
            return Ok(None);
        };
        if get(&s, "aborted").as_bool().is_none() || !get(&s, "addEventListener").is_function() {
            return Err(Failure::invalid(Msg::OptSignal));
        }
        Ok(Some(Watch::new(s.unchecked_into())))
    }
}

/// `Object.entries` of a caller's object; a throwing getter is an `invalid_argument`.
pub fn entries(v: &JsValue) -> Res<Array> {
    js::object_entries(v).map_err(unreadable)
}

/// A copy of a caller's array (`None`: not an array); one that cannot be read is an
/// `invalid_argument`.
pub fn array(v: &JsValue) -> Res<Option<Array>> {
    js::array(v).map_err(unreadable)
}

/// The most UTF-16 units a string that goes into a URL or a header may have. Longer ones are
/// refused before they are copied into wasm memory: no server takes a URL or a header that long,
/// the memory a copy grows stays grown, and a string of hundreds of megabytes would end the
/// process (its percent-encoded URL is longer than JS strings may be).
pub const MAX_TEXT: u32 = 65_536;

/// Whether `v` is a string longer than `MAX_TEXT`.
pub fn too_long(v: &JsValue) -> bool {
    v.is_string() && v.unchecked_ref::<js_sys::JsString>().length() > MAX_TEXT
}

/// `v` as a Rust string when it is a string of at most `MAX_TEXT` units (a longer one is not
/// copied).
pub fn short(v: &JsValue) -> Option<String> {
    if too_long(v) {
        None
    } else {
        v.as_string()
    }
}

/// `v` as a Rust string when it is a string. One with a lone surrogate is refused (`what` names
/// it): it has no UTF-8 form, and `as_string` would send U+FFFD in its place without a word. So
/// is one longer than `MAX_TEXT`.
pub fn text(v: &JsValue, what: &str) -> Res<Option<String>> {
    if too_long(v) {
        return Err(Failure::invalid(Msg::TooLong).with(what, JsValue::UNDEFINED));
    }
    let s = v.as_string();
    // (only a string holding U+FFFD, whose UTF-8 starts with the byte EF, can have lost one:
    // compared with the original then)
    if s.as_ref()
        .is_some_and(|s| s.bytes().any(|b| b == 0xEF) && JsValue::from_str(s) != *v)
    {
        return Err(Failure::invalid(Msg::LoneSurrogate).with(what, JsValue::UNDEFINED));
    }
    Ok(s)
}

/// `Object.fromEntries` of `[key, value]` pairs.
pub fn from_entries(pairs: &Array) -> Res<JsValue> {
    js_sys::Object::from_entries(pairs)
        .map(JsValue::from)
        .map_err(unreadable)
}

fn unreadable(e: JsValue) -> Failure {
    Failure::invalid(Msg::Unreadable).with_cause(e)
}

/// Option `key` could not be read (its getter threw `e`).
fn unreadable_option(key: impl Into<JsValue>, e: JsValue) -> Failure {
    Failure::invalid(Msg::OptUnreadable)
        .with(key, JsValue::UNDEFINED)
        .with_cause(e)
}

/// Per-call options: `{ signal, timeout, maxRetries, headers }`.
pub struct CallOpts {
    pub watch: Option<Watch>,
    pub timeout_ms: f64,
    pub max_retries: u32,
    pub headers: Vec<(String, String)>,
}

impl CallOpts {
    pub fn defaults(cfg: &Config) -> CallOpts {
        CallOpts {
            watch: None,
            timeout_ms: cfg.timeout_ms,
            max_retries: cfg.max_retries,
            headers: Vec::new(),
        }
    }

    /// `known`: `CALL_KEYS`, or those and more (`webhooks.consume` takes its own too), or fewer
    /// (`getToken`'s): what a refusal of options that are not an object lists.
    pub fn read(v: &JsValue, cfg: &Config, known: &str) -> Res<CallOpts> {
        let mut o = CallOpts::defaults(cfg);
        if absent(v) {
            return Ok(o);
        }
        if !js::plain(v) {
            return Err(Failure::invalid(Msg::OptObject).with(known, JsValue::UNDEFINED));
        }
        let r = Options(v);
        r.only(known, "")?;
        o.watch = r.signal("signal")?;
        if let Some(t) = r.number("timeout", Num::Inf(1))? {
            o.timeout_ms = t;
        }
        if let Some(n) = r.number("maxRetries", Num::Whole(0))? {
            o.max_retries = n as u32;
        }
        o.headers = r.headers("headers")?;
        Ok(o)
    }
}

/// The per-call options every resource method takes.
pub const CALL_KEYS: &str = "signal, timeout, maxRetries, headers";
/// `client.request`'s options: a call's, and what it sends.
pub const RAW_KEYS: &str = "query, body, signal, timeout, maxRetries, headers";

impl Config {
    /// `new GlassixClient(options)` or `new GlassixClient(workspace, apiKey, apiSecret,
    /// apiVersion, userName, domain)`: `args` is the constructor's arguments.
    pub fn from_args(args: &Array) -> Res<Config> {
        // (js/runtime.js `configure` already hands the positional form over as an options object
        // with no prototype; this branch stays because taking it out measured +121 B gzip: the
        // optimiser lays the wasm out worse without it)
        let first = args.get(0);
        let o = if js::plain(&first) {
            first
        } else {
            let o = js::obj();
            for (i, key) in [
                "workspace",
                "apiKey",
                "apiSecret",
                "apiVersion",
                "userName",
                "domain",
            ]
            .iter()
            .enumerate()
            {
                js::set(&o, key, &args.get(i as u32));
            }
            o
        };
        Config::from_options(&o)
    }

    fn from_options(o: &JsValue) -> Res<Config> {
        let r = Options(o);
        // `store` is the package's (js/runtime.js takes it out; `store: null` is left in)
        r.only("workspace apiKey apiSecret userName domain apiVersion baseUrl accessToken getAccessToken headers fetch timeout maxRetries maxConcurrency rateLimit dangerouslyAllowBrowser store", "")?;
        let workspace = r.string("workspace")?;
        let api_key = r.string("apiKey")?;
        let api_secret = r.string("apiSecret")?;
        let user_name = r.string("userName")?;
        let domain = r.string("domain")?.unwrap_or_else(|| "glassix.com".into());
        let version_raw = match get(o, "apiVersion").as_f64() {
            Some(n) => js::num_to_string(n),
            None => r.string("apiVersion")?.unwrap_or_else(|| "1.2".into()),
        };
        let base_url = r.string("baseUrl")?;
        let access_token = r.string("accessToken")?;
        let get_access_token = r.function("getAccessToken")?;

        let version = normalize_version(&version_raw).ok_or_else(|| {
            Failure::invalid(Msg::ApiVersion).with(version_raw.as_str(), JsValue::UNDEFINED)
        })?;
        if let Some(t) = &access_token {
            if !token_ok(t) {
                return Err(Failure::invalid(Msg::AccessToken));
            }
        }

        // A page never holds the secret: refused first, before any credential it lacks is named
        // (which would only send its author after the rest of them, the secret included), and
        // a page with no way to a token is pointed to the ways it has
        let token_given = access_token.is_some() || get_access_token.is_some();
        let allow = get(o, "dangerouslyAllowBrowser");
        if !absent(&allow) && allow.as_bool().is_none() {
            return Err(
                Failure::invalid(Msg::OptBool).with("dangerouslyAllowBrowser", JsValue::UNDEFINED)
            );
        }
        let in_browser =
            !js::global("window").is_undefined() || !js::global("document").is_undefined();
        if in_browser && (api_secret.is_some() || !token_given) && allow != JsValue::TRUE {
            return Err(Failure::invalid(Msg::BrowserSecret));
        }

        // Which credentials are required depends on how the client gets its token.
        // the names, comma-separated (by hand: `Vec::join` is std's generic join code)
        let mut missing = String::new();
        let mut miss = |name: &str| {
            if !missing.is_empty() {
                missing.push_str(", ");
            }
            missing.push_str(name);
        };
        if workspace.is_none() && base_url.is_none() {
            miss("workspace (or baseUrl)");
        }
        if !token_given || api_key.is_some() || api_secret.is_some() {
            for (name, v) in [
                ("apiKey", &api_key),
                ("apiSecret", &api_secret),
                ("userName", &user_name),
            ] {
                if v.is_none() {
                    miss(name);
                }
            }
        }
        if !missing.is_empty() {
            return Err(Failure::invalid(Msg::Missing).with(missing, JsValue::UNDEFINED));
        }

        let (root, origin) = match &base_url {
            Some(b) => {
                // the URL itself is never echoed: it may hold a password
                let u =
                    Url::new(b, &JsValue::UNDEFINED).map_err(|_| Failure::invalid(Msg::BaseUrl))?;
                if !u.part("search").is_empty()
                    || !u.part("hash").is_empty()
                    || !u.part("username").is_empty()
                    || !u.part("password").is_empty()
                {
                    return Err(Failure::invalid(Msg::BaseUrlParts));
                }
                let root = root_from_base(
                    &u.part("protocol"),
                    &u.part("origin"),
                    &u.part("pathname"),
                    &version,
                )
                .map_err(Failure::invalid)?;
                (root, u.part("origin"))
            }
            None => {
                let ws = workspace.as_deref().unwrap_or_default();
                let root = default_root(ws, &domain, &version).map_err(|m| {
                    Failure::invalid(m).with(
                        if m == Msg::Workspace {
                            ws
                        } else {
                            domain.as_str()
                        },
                        JsValue::UNDEFINED,
                    )
                })?;
                // as a URL writes it (a host in lower case, no default port): `paging.next` comes
                // back that way, and must be found under this root
                let u = Url::new(&root, &JsValue::UNDEFINED).map_err(|_| {
                    Failure::invalid(Msg::Domain).with(domain.as_str(), JsValue::UNDEFINED)
                })?;
                (u.part("href"), u.part("origin"))
            }
        };

        let creds = match (api_key, api_secret, user_name) {
            (Some(api_key), Some(api_secret), Some(user_name)) => Some(Creds {
                api_key,
                api_secret,
                user_name,
            }),
            _ => None,
        };

        Ok(Config {
            root,
            origin,
            creds,
            access_token,
            get_access_token,
            headers: r.headers("headers")?,
            fetch: r.function("fetch")?,
            timeout_ms: r
                .number("timeout", Num::Inf(1))?
                .unwrap_or(DEFAULT_TIMEOUT_MS),
            max_retries: r
                .number("maxRetries", Num::Whole(0))?
                .map_or(DEFAULT_MAX_RETRIES, |n| n as u32),
            max_concurrency: r
                .number("maxConcurrency", Num::WholeInf(1))?
                .map_or(u32::MAX, |n| n.min(u32::MAX as f64) as u32),
            rate_limit: read_rate_limit(&get(o, "rateLimit"))?,
        })
    }
}

fn read_rate_limit(v: &JsValue) -> Res<RateLimit> {
    if absent(v) {
        return Ok(RateLimit::None);
    }
    if v.is_function() {
        return Ok(RateLimit::Func(v.clone().unchecked_into()));
    }
    if js::plain(v) {
        let r = Options(v);
        r.only("requests perMs", "rateLimit.")?;
        if let (Some(requests), Some(per_ms)) = (
            r.number("requests", Num::Whole(1))
                .map_err(|f| f.with("rateLimit.requests", 1))?,
            r.number("perMs", Num::Finite(1))
                .map_err(|f| f.with("rateLimit.perMs", 1))?,
        ) {
            return Ok(RateLimit::Window {
                requests: requests.min(u32::MAX as f64) as u32,
                per_ms,
            });
        }
    }
    Err(Failure::invalid(Msg::OptRateLimit))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_with_or_without_v() {
        assert_eq!(normalize_version("1.2").as_deref(), Some("1.2"));
        assert_eq!(normalize_version("v1.2").as_deref(), Some("1.2"));
        assert_eq!(normalize_version("V2").as_deref(), Some("2"));
        for bad in ["", "v", "vv1.2", "1..2", "1.2/x", "latest"] {
            assert_eq!(normalize_version(bad), None, "{bad}");
        }
    }

    #[test]
    fn default_root_is_https_except_localhost() {
        assert_eq!(
            default_root("acme", "glassix.com", "1.2").unwrap(),
            "https://acme.glassix.com/api/v1.2"
        );
        assert_eq!(
            default_root("acme", "glassix-dev.com", "1.2").unwrap(),
            "https://acme.glassix-dev.com/api/v1.2"
        );
        assert_eq!(
            default_root("acme", "localhost", "1.2").unwrap(),
            "http://acme.localhost/api/v1.2"
        );
        assert_eq!(
            default_root("acme", "localhost:8080", "1.2").unwrap(),
            "http://acme.localhost:8080/api/v1.2"
        );
        // glassix-js chose http for anything containing "localhost"; we do not
        assert_eq!(
            default_root("acme", "notlocalhost.com", "1.2").unwrap(),
            "https://acme.notlocalhost.com/api/v1.2"
        );
        assert_eq!(
            default_root("acme", "localhost.evil.com", "1.2").unwrap(),
            "https://acme.localhost.evil.com/api/v1.2"
        );
    }

    #[test]
    fn default_root_refuses_url_tricks() {
        for ws in [
            "", "a/b", "a@b", "a b", "a?b", "a#b", "a:1", ".", "a..b", "-", "-acme", "acme-",
            "acme.", ".acme",
        ] {
            assert!(default_root(ws, "glassix.com", "1.2").is_err(), "{ws}");
        }
        // the whole host rather than its sub-domain; a label longer than DNS allows
        for ws in ["acme.glassix.com", "Acme.Glassix.COM", &"a".repeat(64)] {
            assert!(default_root(ws, "glassix.com", "1.2").is_err(), "{ws}");
        }
        // the whole host under another domain (the test environment's), or the domain itself
        for (ws, d) in [
            ("acme.glassix-dev.com", "glassix-dev.com"),
            ("ACME.Glassix-Dev.com", "glassix-dev.COM:443"),
            ("glassix.com", "glassix.com"),
            ("acme.example.com", "example.com"),
        ] {
            assert!(default_root(ws, d, "1.2").is_err(), "{ws} {d}");
        }
        // a workspace that only ends like the domain is still a sub-domain
        assert_eq!(
            default_root("acmeglassix", "glassix.com", "1.2").unwrap(),
            "https://acmeglassix.glassix.com/api/v1.2"
        );
        // labels joined by dots are a host name still under the domain
        assert_eq!(
            default_root("acme.eu", "glassix.com", "1.2").unwrap(),
            "https://acme.eu.glassix.com/api/v1.2"
        );
        assert_eq!(
            default_root("my-acme_2", "glassix.com", "1.2").unwrap(),
            "https://my-acme_2.glassix.com/api/v1.2"
        );
        for d in [
            "evil.com/x",
            "evil.com:",
            "evil.com:80x",
            "a@b.com",
            "glassix..com",
            ".glassix.com",
            "-glassix.com",
        ] {
            assert!(default_root("acme", d, "1.2").is_err(), "{d}");
        }
    }

    #[test]
    fn base_url_origin_or_full_root() {
        assert_eq!(
            root_from_base("https:", "https://acme.glassix.com", "/", "1.2").unwrap(),
            "https://acme.glassix.com/api/v1.2"
        );
        assert_eq!(
            root_from_base("https:", "https://acme.glassix.com", "", "1.2").unwrap(),
            "https://acme.glassix.com/api/v1.2"
        );
        assert_eq!(
            root_from_base("http:", "http://127.0.0.1:8080", "/api/v1.2/", "1.2").unwrap(),
            "http://127.0.0.1:8080/api/v1.2"
        );
        assert!(root_from_base("ftp:", "null", "/x", "1.2").is_err());
    }

    #[test]
    fn header_values_must_be_byte_strings() {
        assert!(check_header("x-name", "Zoë").is_ok());
        assert!(check_header("x-name", "דנה").is_err());
        assert!(check_header("x-name", "😀").is_err());
    }

    #[test]
    fn header_validation() {
        assert!(check_header("x-automation-token", "abc").is_ok());
        assert!(check_header("x-a", "a\r\nInjected: 1").is_err());
        assert!(check_header("x-a", "a\nb").is_err());
        assert!(check_header("x-a", "a\u{1}b").is_err());
        assert!(check_header("x-a", "a\u{7f}").is_err());
        assert!(check_header("x-a", "a\tb").is_ok());
        assert!(check_header("bad name", "v").is_err());
        assert!(token_ok("eyJhbGciOi.x-y_z~+/="));
        for bad in [
            "", "   ", "a b", "a\tb", "a\u{1}b", "a\u{7f}", "a\r\n", "a\0", "\u{100}",
        ] {
            assert!(!token_ok(bad), "{bad:?}");
        }
        assert!(check_header("bad\r\nname", "v").is_err());
        assert!(check_header("", "v").is_err());
    }
}
