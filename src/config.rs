//! Both constructor forms, defaults and validation. Everything a client is configured with is
//! checked here, once, so a bad option fails at construction with the option named.

use js_sys::Function;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::error::{get, quote, Failure, Res};
use crate::js::{has_global, Url};

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
    let ok = !v.is_empty() && v.split('.').all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
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

fn host_label_ok(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.' || b == b'_')
}

/// `https://{workspace}.{domain}/api/v{version}`.
pub fn default_root(workspace: &str, domain: &str, version: &str) -> Result<String, String> {
    if !host_label_ok(workspace) {
        return Err(format!("workspace {} is not a valid host name label", quote(workspace)));
    }
    let (host, port) = match domain.split_once(':') {
        Some((h, p)) => (h, Some(p)),
        None => (domain, None),
    };
    if !host_label_ok(host) || port.is_some_and(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit())) {
        return Err(format!("domain {} is not a valid host name", quote(domain)));
    }
    let scheme = if is_localhost(domain) { "http" } else { "https" };
    Ok(format!("{scheme}://{workspace}.{domain}/api/v{version}"))
}

/// The API root for a `baseUrl` that parsed as `protocol` / `origin` / `pathname`: an origin
/// (no path) gets `/api/v{version}` appended; a URL with a path is used as given.
pub fn root_from_base(protocol: &str, origin: &str, pathname: &str, version: &str) -> Result<String, String> {
    if protocol != "http:" && protocol != "https:" {
        return Err("baseUrl must be an absolute http(s) URL".into());
    }
    let path = pathname.trim_end_matches('/');
    if path.is_empty() {
        Ok(format!("{origin}/api/v{version}"))
    } else {
        Ok(format!("{origin}{path}"))
    }
}

/// Header names are RFC 7230 tokens; values may not contain CR, LF or NUL.
pub fn check_header(name: &str, value: &str) -> Result<(), String> {
    const SEP: &[u8] = b"()<>@,;:\\\"/[]?={} \t";
    if name.is_empty() || !name.bytes().all(|b| b > 32 && b < 127 && !SEP.contains(&b)) {
        return Err(format!("header name {} is not valid", quote(name)));
    }
    if value.bytes().any(|b| b == b'\r' || b == b'\n' || b == 0) {
        return Err(format!("header {} has a CR, LF or NUL in its value", quote(name)));
    }
    if value.chars().any(|c| u32::from(c) > 0xFF) {
        // fetch refuses these (headers are byte strings); say so now, not as a network error
        return Err(format!("header {} has a character above U+00FF; encode it first (e.g. encodeURIComponent)", quote(name)));
    }
    Ok(())
}

/// Reads a `{ name: value }` headers object (string, number or boolean values).
pub fn read_headers(v: &JsValue, what: &str) -> Res<Vec<(String, String)>> {
    if v.is_undefined() || v.is_null() {
        return Ok(Vec::new());
    }
    if !v.is_object() || js_sys::Array::is_array(v) {
        return Err(Failure::invalid(format!("{what} must be an object of header names to values")));
    }
    let mut out = Vec::new();
    for entry in crate::request::entries(v, what)?.iter() {
        let pair: js_sys::Array = entry.unchecked_into();
        let name = pair.get(0).as_string().unwrap_or_default();
        let raw = pair.get(1);
        let value = if let Some(s) = raw.as_string() {
            s
        } else if let Some(n) = raw.as_f64() {
            crate::js::num_to_string(n)
        } else if let Some(b) = raw.as_bool() {
            (if b { "true" } else { "false" }).to_string()
        } else if raw.is_undefined() {
            continue;
        } else {
            return Err(Failure::invalid(format!("{what}: header {} must be a string", quote(&name))));
        };
        check_header(&name, &value).map_err(|m| Failure::invalid(format!("{what}: {m}")))?;
        out.push((name.to_ascii_lowercase(), value));
    }
    Ok(out)
}

/// A string option: absent, `null` and `""` are "not given".
fn opt_str(o: &JsValue, key: &str) -> Res<Option<String>> {
    let v = get(o, key);
    if v.is_undefined() || v.is_null() {
        return Ok(None);
    }
    if let Some(s) = v.as_string() {
        return Ok((!s.is_empty()).then_some(s));
    }
    if key == "apiVersion" {
        if let Some(n) = v.as_f64() {
            return Ok(Some(crate::js::num_to_string(n)));
        }
    }
    Err(Failure::invalid(format!("GlassixClient: option `{key}` must be a string")))
}

fn opt_fn(o: &JsValue, key: &str) -> Res<Option<Function>> {
    let v = get(o, key);
    if v.is_undefined() || v.is_null() {
        Ok(None)
    } else if v.is_function() {
        Ok(Some(v.unchecked_into()))
    } else {
        Err(Failure::invalid(format!("GlassixClient: option `{key}` must be a function")))
    }
}

/// A non-negative number option; `integer` also requires a whole number. `Infinity` is allowed
/// where `allow_infinite` (no limit).
pub fn opt_num(o: &JsValue, key: &str, integer: bool, min: f64, allow_infinite: bool) -> Res<Option<f64>> {
    let v = get(o, key);
    if v.is_undefined() || v.is_null() {
        return Ok(None);
    }
    match v.as_f64() {
        Some(n) if n.is_infinite() && n > 0.0 && allow_infinite => Ok(Some(n)),
        Some(n) if n.is_finite() && n >= min && (!integer || n.fract() == 0.0) => Ok(Some(n)),
        _ => Err(Failure::invalid(format!(
            "option `{key}` must be {} number >= {}{}",
            if integer { "a whole" } else { "a" },
            min as u32,
            if allow_infinite { " (or Infinity)" } else { "" }
        ))),
    }
}

impl Config {
    /// `new GlassixClient(options)` or `new GlassixClient(workspace, apiKey, apiSecret,
    /// apiVersion, userName, domain)`.
    pub fn from_args(args: [JsValue; 6]) -> Res<Config> {
        let o = if args[0].is_object() {
            args[0].clone()
        } else {
            let o = crate::js::obj();
            for (key, v) in ["workspace", "apiKey", "apiSecret", "apiVersion", "userName", "domain"].iter().zip(args.iter()) {
                crate::error::set(&o, key, v);
            }
            o
        };
        Config::from_options(&o)
    }

    fn from_options(o: &JsValue) -> Res<Config> {
        let workspace = opt_str(o, "workspace")?;
        let api_key = opt_str(o, "apiKey")?;
        let api_secret = opt_str(o, "apiSecret")?;
        let user_name = opt_str(o, "userName")?;
        let domain = opt_str(o, "domain")?.unwrap_or_else(|| "glassix.com".into());
        let version_raw = opt_str(o, "apiVersion")?.unwrap_or_else(|| "1.2".into());
        let base_url = opt_str(o, "baseUrl")?;
        let access_token = opt_str(o, "accessToken")?;
        let get_access_token = opt_fn(o, "getAccessToken")?;

        let version = normalize_version(&version_raw).ok_or_else(|| {
            Failure::invalid(format!("GlassixClient: apiVersion {} is not a version like '1.2'", quote(&version_raw)))
        })?;
        if let Some(t) = &access_token {
            check_header("authorization", t).map_err(|_| Failure::invalid("GlassixClient: accessToken has a CR, LF or NUL"))?;
        }

        // Which credentials are required depends on how the client gets its token.
        let token_given = access_token.is_some() || get_access_token.is_some();
        let mut missing = Vec::new();
        if workspace.is_none() && base_url.is_none() {
            missing.push("workspace (or baseUrl)");
        }
        let any_cred = api_key.is_some() || api_secret.is_some();
        if !token_given || any_cred {
            for (name, v) in [("apiKey", &api_key), ("apiSecret", &api_secret), ("userName", &user_name)] {
                if v.is_none() {
                    missing.push(name);
                }
            }
        }
        if !missing.is_empty() {
            return Err(Failure::invalid(format!("GlassixClient: missing {}", missing.join(", "))));
        }

        let (root, origin) = match &base_url {
            Some(b) => {
                let u = Url::new(b, &JsValue::UNDEFINED)
                    .map_err(|_| Failure::invalid("GlassixClient: baseUrl is not an absolute http(s) URL"))?;
                // nothing would be done with these, and silently dropping them hides a mistake
                if !u.search().is_empty() || !u.hash().is_empty() || !u.username().is_empty() || !u.password().is_empty() {
                    // the URL itself is not echoed: it may hold a password
                    return Err(Failure::invalid("GlassixClient: baseUrl must not carry a query, a fragment or credentials"));
                }
                let root = root_from_base(&u.protocol(), &u.origin(), &u.pathname(), &version)
                    .map_err(|m| Failure::invalid(format!("GlassixClient: {m}")))?;
                (root, u.origin())
            }
            None => {
                let ws = workspace.as_deref().unwrap_or_default();
                let root = default_root(ws, &domain, &version).map_err(|m| Failure::invalid(format!("GlassixClient: {m}")))?;
                let u = Url::new(&root, &JsValue::UNDEFINED)
                    .map_err(|_| Failure::invalid(format!("GlassixClient: {} is not a valid URL", quote(&root))))?;
                (root, u.origin())
            }
        };

        let creds = match (api_key, api_secret, user_name) {
            (Some(api_key), Some(api_secret), Some(user_name)) => Some(Creds { api_key, api_secret, user_name }),
            _ => None,
        };

        let in_browser = has_global("window") || has_global("document");
        if in_browser && creds.is_some() && get(o, "dangerouslyAllowBrowser") != JsValue::TRUE {
            return Err(Failure::invalid(
                "GlassixClient: refusing to use apiSecret in a browser, where every visitor could read it. \
                 Issue tokens on your server and pass `accessToken` or `getAccessToken` instead, \
                 or set `dangerouslyAllowBrowser: true` if you understand the risk.",
            ));
        }

        let rate_limit = read_rate_limit(&get(o, "rateLimit"))?;

        Ok(Config {
            root,
            origin,
            creds,
            access_token,
            get_access_token,
            headers: read_headers(&get(o, "headers"), "GlassixClient: option `headers`")?,
            fetch: opt_fn(o, "fetch")?,
            timeout_ms: opt_num(o, "timeout", false, 1.0, true)?.unwrap_or(DEFAULT_TIMEOUT_MS),
            max_retries: opt_num(o, "maxRetries", true, 0.0, false)?.map_or(DEFAULT_MAX_RETRIES, |n| n as u32),
            max_concurrency: opt_num(o, "maxConcurrency", true, 1.0, true)?.map_or(u32::MAX, |n| n.min(u32::MAX as f64) as u32),
            rate_limit,
        })
    }
}

fn read_rate_limit(v: &JsValue) -> Res<RateLimit> {
    if v.is_undefined() || v.is_null() {
        return Ok(RateLimit::None);
    }
    if v.is_function() {
        return Ok(RateLimit::Func(v.clone().unchecked_into()));
    }
    if v.is_object() {
        let requests = opt_num(v, "requests", true, 1.0, false)?;
        let per_ms = opt_num(v, "perMs", false, 1.0, false)?;
        if let (Some(requests), Some(per_ms)) = (requests, per_ms) {
            return Ok(RateLimit::Window { requests: requests.min(u32::MAX as f64) as u32, per_ms });
        }
    }
    Err(Failure::invalid(
        "GlassixClient: option `rateLimit` must be { requests, perMs } or an async function",
    ))
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
        assert_eq!(default_root("acme", "glassix.com", "1.2").unwrap(), "https://acme.glassix.com/api/v1.2");
        assert_eq!(default_root("acme", "glassix-dev.com", "1.2").unwrap(), "https://acme.glassix-dev.com/api/v1.2");
        assert_eq!(default_root("acme", "localhost", "1.2").unwrap(), "http://acme.localhost/api/v1.2");
        assert_eq!(default_root("acme", "localhost:8080", "1.2").unwrap(), "http://acme.localhost:8080/api/v1.2");
        // glassix-js chose http for anything containing "localhost"; we do not
        assert_eq!(default_root("acme", "notlocalhost.com", "1.2").unwrap(), "https://acme.notlocalhost.com/api/v1.2");
        assert_eq!(default_root("acme", "localhost.evil.com", "1.2").unwrap(), "https://acme.localhost.evil.com/api/v1.2");
    }

    #[test]
    fn default_root_refuses_url_tricks() {
        for ws in ["", "a/b", "a@b", "a b", "a?b", "a#b", "a:1"] {
            assert!(default_root(ws, "glassix.com", "1.2").is_err(), "{ws}");
        }
        for d in ["evil.com/x", "evil.com:", "evil.com:80x", "a@b.com"] {
            assert!(default_root("acme", d, "1.2").is_err(), "{d}");
        }
    }

    #[test]
    fn base_url_origin_or_full_root() {
        assert_eq!(root_from_base("https:", "https://acme.glassix.com", "/", "1.2").unwrap(), "https://acme.glassix.com/api/v1.2");
        assert_eq!(root_from_base("https:", "https://acme.glassix.com", "", "1.2").unwrap(), "https://acme.glassix.com/api/v1.2");
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
        assert!(check_header("bad name", "v").is_err());
        assert!(check_header("bad\r\nname", "v").is_err());
        assert!(check_header("", "v").is_err());
    }
}
