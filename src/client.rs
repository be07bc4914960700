//! `GlassixClient`: configuration, the resource groups as properties, and `getToken`.
//! Credentials and tokens live in wasm memory only; the JS object holds nothing but a pointer,
//! so `JSON.stringify(client)` and `util.inspect(client)` cannot show them.

use std::rc::Rc;

use js_sys::Promise;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;

use crate::config::Config;
use crate::endpoints::{CannedReplies, Contacts, Files, InteractiveDocuments, PhoneCalls, Protocols, Tenants, Tickets, Users, Webhooks};
use crate::error::Failure;
use crate::paging::{self, TicketIterator};
use crate::transport::Core;
use crate::webhooks;

#[wasm_bindgen]
pub struct GlassixClient {
    core: Rc<Core>,
    tickets: JsValue,
    users: JsValue,
    tenants: JsValue,
    contacts: JsValue,
    canned_replies: JsValue,
    interactive_documents: JsValue,
    protocols: JsValue,
    phone_calls: JsValue,
    files: JsValue,
    webhooks: JsValue,
}

#[wasm_bindgen]
impl GlassixClient {
    /// `new GlassixClient(options)` or `new GlassixClient(workspace, apiKey, apiSecret,
    /// apiVersion, userName, domain)`.
    #[wasm_bindgen(constructor)]
    pub fn new(
        a: JsValue,
        b: JsValue,
        c: JsValue,
        d: JsValue,
        e: JsValue,
        f: JsValue,
    ) -> Result<GlassixClient, JsValue> {
        let cfg = Config::from_args([a, b, c, d, e, f]).map_err(Failure::into_js)?;
        let core = Rc::new(Core::new(cfg));
        let c = || core.clone();
        Ok(GlassixClient {
            tickets: Tickets { core: c() }.into(),
            users: Users { core: c() }.into(),
            tenants: Tenants { core: c() }.into(),
            contacts: Contacts { core: c() }.into(),
            canned_replies: CannedReplies { core: c() }.into(),
            interactive_documents: InteractiveDocuments { core: c() }.into(),
            protocols: Protocols { core: c() }.into(),
            phone_calls: PhoneCalls { core: c() }.into(),
            files: Files { core: c() }.into(),
            webhooks: Webhooks { core: c() }.into(),
            core,
        })
    }

    #[wasm_bindgen(getter)]
    pub fn tickets(&self) -> JsValue {
        self.tickets.clone()
    }

    #[wasm_bindgen(getter)]
    pub fn users(&self) -> JsValue {
        self.users.clone()
    }

    /// The glassix-js README's spelling of `users` (the very same object).
    #[wasm_bindgen(getter)]
    pub fn user(&self) -> JsValue {
        self.users.clone()
    }

    #[wasm_bindgen(getter)]
    pub fn tenants(&self) -> JsValue {
        self.tenants.clone()
    }

    #[wasm_bindgen(getter)]
    pub fn contacts(&self) -> JsValue {
        self.contacts.clone()
    }

    #[wasm_bindgen(getter, js_name = cannedReplies)]
    pub fn canned_replies(&self) -> JsValue {
        self.canned_replies.clone()
    }

    #[wasm_bindgen(getter, js_name = interactiveDocuments)]
    pub fn interactive_documents(&self) -> JsValue {
        self.interactive_documents.clone()
    }

    #[wasm_bindgen(getter)]
    pub fn protocols(&self) -> JsValue {
        self.protocols.clone()
    }

    #[wasm_bindgen(getter, js_name = phoneCalls)]
    pub fn phone_calls(&self) -> JsValue {
        self.phone_calls.clone()
    }

    #[wasm_bindgen(getter)]
    pub fn files(&self) -> JsValue {
        self.files.clone()
    }

    #[wasm_bindgen(getter)]
    pub fn webhooks(&self) -> JsValue {
        self.webhooks.clone()
    }

    /// `POST /token/get` for `userName` (default: the client's user). Resolves with the token
    /// response; a token for another user never changes who this client acts as.
    #[wasm_bindgen(js_name = getToken)]
    pub fn get_token(&self, user_name: JsValue) -> Promise {
        let core = self.core.clone();
        future_to_promise(async move { crate::auth::get_token(core, user_name).await.map_err(Failure::into_js) })
    }

    /// What `util.inspect` and `JSON.stringify` show: the API root, never a credential.
    #[wasm_bindgen(js_name = toJSON)]
    pub fn to_json(&self) -> JsValue {
        let o = crate::js::obj();
        crate::error::set(&o, "baseUrl", &self.core.cfg.root.as_str().into());
        o
    }
}

#[wasm_bindgen]
impl Webhooks {
    /// Whether a webhook delivery is signed with this client's API secret.
    pub fn verify(&self, raw_body: JsValue, headers: JsValue, options: JsValue) -> Result<bool, JsValue> {
        let secret = self.core.cfg.creds.as_ref().map(|c| c.api_secret.as_str()).unwrap_or_default();
        if secret.is_empty() {
            return Err(Failure::invalid("webhooks.verify needs the client's apiSecret; use verifyWebhook(rawBody, headers, apiSecret)").into_js());
        }
        webhooks::verify(&raw_body, &headers, secret, &options).map_err(Failure::into_js)
    }

    /// Polls events at least once: deletes each only after `handler` resolved for it.
    pub fn consume(&self, handler: JsValue, options: JsValue) -> Promise {
        let core = self.core.clone();
        future_to_promise(async move {
            webhooks::consume(core, handler, options).await.map(|_| JsValue::UNDEFINED).map_err(Failure::into_js)
        })
    }
}

#[wasm_bindgen]
impl Tickets {
    /// Every ticket of the window, following `paging.next` to the last page.
    pub fn list(&self, params: JsValue, options: JsValue) -> Promise {
        paging::list(&self.core, params, options)
    }

    /// An async iterable of tickets that fetches pages as they are consumed.
    pub fn iterate(&self, params: JsValue, options: JsValue) -> Result<TicketIterator, JsValue> {
        paging::iterate(&self.core, params, options)
    }
}
