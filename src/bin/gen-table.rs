//! Prints the table of endpoints, the message catalog and the subjects of messages as JSON, for
//! `scripts/gen.mjs` (host only: `cargo run --quiet --bin gen-table`).

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    use glassix_wasm::endpoints::{DOCS, GROUPS, ROWS};
    use glassix_wasm::error::{
        AT_CLIENT, AT_FORMAT_DATE, AT_PARSE_WEBHOOK, AT_VERIFY_WEBHOOK, CATALOG,
    };

    fn s(v: &str) -> String {
        let mut out = String::from("\"");
        for c in v.chars() {
            match c {
                '"' => out.push_str("\\\""),
                '\\' => out.push_str("\\\\"),
                '\n' => out.push_str("\\n"),
                c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
                c => out.push(c),
            }
        }
        out.push('"');
        out
    }
    fn list(items: impl IntoIterator<Item = String>) -> String {
        format!("[{}]", items.into_iter().collect::<Vec<_>>().join(","))
    }

    let rows = ROWS.iter().zip(DOCS).map(|(r, d)| {
        let params = list(d.params.iter().zip(r.args).map(|((name, ts), arg)| {
            format!("{{\"name\":{},\"type\":{},\"optional\":{},\"shape\":{}}}", s(name), s(ts), arg.optional(), s(&format!("{arg:?}")))
        }));
        format!(
            "{{\"group\":{},\"name\":{},\"method\":{},\"path\":{},\"params\":{},\"returns\":{},\"handler\":{},\"async\":{},\"callOptions\":{},\"idempotent\":{},\"flags\":{},\"doc\":{},\"see\":{}}}",
            s(d.group),
            s(d.name),
            s(r.method.as_str()),
            s(r.path),
            params,
            s(d.returns),
            s(&format!("{:?}", r.handler)),
            r.handler.is_async(),
            r.handler.takes_call_options(),
            r.idempotent,
            r.flags,
            list(d.doc.iter().map(|l| s(l.trim()))),
            s(d.see),
        )
    });
    let groups = GROUPS.iter().map(|g| {
        format!(
            "{{\"name\":{},\"class\":{},\"alias\":{},\"doc\":{}}}",
            s(g.name),
            s(g.class),
            g.alias.map_or("null".into(), s),
            list(g.doc.iter().map(|l| s(l.trim())))
        )
    });
    let catalog = CATALOG
        .iter()
        .map(|(name, text)| format!("[{},{}]", s(name), s(text)));
    let subjects = [
        (AT_CLIENT, "GlassixClient"),
        (AT_VERIFY_WEBHOOK, "verifyWebhook"),
        (AT_PARSE_WEBHOOK, "parseWebhook"),
        (AT_FORMAT_DATE, "formatDate"),
    ]
    .iter()
    .map(|(at, name)| format!("\"{at}\":{}", s(name)))
    .collect::<Vec<_>>()
    .join(",");
    let state_keys = list(glassix_wasm::request::STATE_QUERY_KEYS.iter().map(|k| s(k)));
    println!(
        "{{\"rows\":{},\"groups\":{},\"catalog\":{},\"subjects\":{{{}}},\"stateQueryKeys\":{}}}",
        list(rows),
        list(groups),
        list(catalog),
        subjects,
        state_keys
    );
}

#[cfg(target_arch = "wasm32")]
fn main() {}
