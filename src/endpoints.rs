//! The table of endpoints: the one description of the API. Each row is a method users call:
//! its parameters (name, TypeScript type, and how the argument is used), what it resolves with,
//! the HTTP method and path, flags for the few wire quirks, and, for the methods that are more
//! than one request, a named handler. Rows are numbered in order; the JS facade hands its row
//! number to `call`.
//!
//! From this table, `scripts/gen.mjs` (through `cargo run --bin gen-table`) writes the JS
//! facade, the `*Resource` TypeScript declarations (and their names in `types/index.d.mts`), the
//! README's method table and `js/table.json` (which the sandbox coverage test and the methods
//! test read); `npm test` fails when any of them is stale. Adding an endpoint is one row here,
//! its model types in `types/index.d.ts` (named in `index.d.mts`'s re-exports), one test, and a
//! sandbox route (README: Architecture, "Adding an endpoint").
//!
//! In the wasm only [`ROWS`] exists (method, path, argument shapes, flags, handler); the names,
//! types and docs are compiled for the host only, where the generator reads them.

/// The HTTP method of a row; `Local` rows make no request of their own (`client.request` takes
/// its method from its arguments).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Method {
    Get,
    Post,
    Put,
    Delete,
    Local,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Delete => "DELETE",
            Method::Local => "",
        }
    }
}

/// How one positional argument of a method is used.
#[derive(Clone, Copy, PartialEq, Debug)]
pub enum Arg {
    /// `{ticketId}` in the path: a positive integer (number or decimal string).
    TicketId,
    /// `{contactId}` in the path: a GUID.
    ContactId,
    /// The JSON body.
    Body(BodyRule),
    /// An object whose keys become the query string.
    Query(Need),
    /// `tickets.setState` (glassix-js's split): `nextState`, `sendTicketStateChangedMessage`,
    /// `getTicket` and `enableWebhook` go to the query, every other key to the body.
    SetStateSplit,
    /// `webhooks.getevents`: `{ deleteEvents }` into the query; any other key is refused (a
    /// misspelt `deleteEvent` would leave the server's default, which deletes the events).
    GetEventsFlag,
    /// A `FormData`, sent as multipart/form-data.
    Form,
    // Read by the row's handler:
    /// `{ since, until, … }` of `tickets.list` / `tickets.iterate`.
    ListParams,
    /// A webhook delivery's raw body.
    RawBody,
    /// A webhook delivery's headers.
    HeadersArg,
    /// `{ toleranceMs, now }`.
    VerifyOptions,
    /// `consume`'s event handler.
    HandlerFn,
    /// `{ signal, intervalMs, onError }` and the per-call options of its polls and deletes.
    ConsumeOptions,
    /// `getToken`'s optional user name.
    UserName,
    /// `client.request`'s HTTP method.
    HttpMethod,
    /// `client.request`'s path under the API root.
    RawPath,
}

#[derive(Clone, Copy, PartialEq, Debug)]
pub enum Need {
    Required,
    Optional,
}

#[derive(Clone, Copy, PartialEq, Debug)]
pub enum BodyRule {
    /// A JSON object (a payload), required.
    Object,
    /// Optional `TicketRenderOptions` (`tickets.pdf`/`html`): an object of its six keys only, so
    /// a misspelt one, or a per-call option given one argument too early, is refused by name.
    Render,
    /// A bare JSON array of strings (tags, roles).
    Strings,
    /// A bare JSON array of objects (users to add).
    Objects,
    /// Polled webhook events, each with `queueReceiptHandle` and `queueMessageId`.
    Events,
}

impl Arg {
    /// Whether the argument may be left out.
    pub fn optional(self) -> bool {
        matches!(
            self,
            Arg::Body(BodyRule::Render)
                | Arg::Query(Need::Optional)
                | Arg::GetEventsFlag
                | Arg::VerifyOptions
                | Arg::ConsumeOptions
                | Arg::UserName
        )
    }
}

/// What `call` does with a row.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Handler {
    /// One request, built from the arguments (the default).
    Request,
    /// Every page of `tickets/list`, in one array.
    List,
    /// An async iterator over `tickets/list`'s pages (returned at once, not a promise).
    Iterate,
    /// Webhook signature check (synchronous, no request).
    Verify,
    /// The at-least-once polling loop over `getevents` / `deleteevents`.
    Consume,
    /// `POST /token/get`.
    GetToken,
    /// `client.request`: a method and path under the API root given by the caller.
    Raw,
}

impl Handler {
    /// Whether the method resolves (a promise) rather than returning at once.
    pub fn is_async(self) -> bool {
        !matches!(self, Handler::Iterate | Handler::Verify)
    }

    /// Whether the method takes per-call options (`{ signal, timeout, maxRetries, headers }`)
    /// as its last argument.
    pub fn takes_call_options(self) -> bool {
        matches!(
            self,
            Handler::Request | Handler::List | Handler::Iterate | Handler::GetToken | Handler::Raw
        )
    }
}

/// Send `{}` as the body when no argument gives one (glassix-js did for two PUTs, and for
/// `tickets.pdf`/`html` without render options).
pub const EMPTY_BODY: u8 = 1;
/// `Date`s in the query are written `dd/MM/yyyy` instead of the full format.
pub const DAY_DATES: u8 = 2;
/// Top-level `Date` values of the body are written in the Glassix format (not ISO).
pub const BODY_DATES: u8 = 4;
/// A 2xx body always resolves as bytes (`Uint8Array`, empty when the body is).
pub const BYTES: u8 = 8;
/// A 2xx body always resolves as text (`""` when the body is empty).
pub const TEXT: u8 = 16;
/// Retried like a GET although it is a POST: it has no side effect (the token request).
pub const RETRY: u8 = 32;
/// Every key of its query or object body named `…Id` is typed `Guid`: a value given that is not a
/// GUID string is refused before any request.
pub const GUID_IDS: u8 = 64;
/// Never sent again after the server may have acted, though not a POST: each call makes
/// something new (`tickets.setDepartment` copies the ticket into the other department).
pub const ONCE: u8 = 128;

/// What the wasm knows of a row.
pub struct Row {
    pub method: Method,
    /// Under the API root; `{ticketId}` / `{contactId}` is replaced by the encoded id.
    pub path: &'static str,
    pub args: &'static [Arg],
    pub flags: u8,
    pub handler: Handler,
    /// May be sent again after a 5xx, a network failure or a timeout: everything but POST.
    pub idempotent: bool,
    /// The query keys the API requires, space-separated (`""`: none): a missing or empty one is
    /// refused before any request.
    pub requires: &'static str,
}

/// What the generator knows of a row besides (host only).
#[cfg(not(target_arch = "wasm32"))]
pub struct Doc {
    /// The group's property on the client (`client` for the client's own methods).
    pub group: &'static str,
    pub name: &'static str,
    /// `(name, TypeScript type)` of each argument, in order (per-call options not included).
    pub params: &'static [(&'static str, &'static str)],
    /// The TypeScript type it resolves with (or returns, for synchronous handlers).
    pub returns: &'static str,
    pub doc: &'static [&'static str],
    /// The reference page under https://docs.glassix.com/reference/.
    pub see: &'static str,
}

/// A resource group (host only).
#[cfg(not(target_arch = "wasm32"))]
pub struct Group {
    /// The property on the client (`tickets`); `client` is the client itself.
    pub name: &'static str,
    /// The JS class and the TypeScript `{class}Resource` interface.
    pub class: &'static str,
    /// A second property naming the same object (glassix-js README's `client.user`).
    pub alias: Option<&'static str>,
    pub doc: &'static [&'static str],
}

macro_rules! table {
    ($(
        $(#[doc = $gdoc:literal])*
        group $class:ident $group:ident $(alias $alias:ident)? {
            $(
                $(#[doc = $doc:literal])*
                $js:ident ( $( $p:ident : $ts:literal = $arg:expr ),* ) -> $ret:literal
                    = $method:ident $path:literal $(| $flag:ident)* $(=> $handler:ident)? $(, see $see:literal)? $(, requires $req:literal)? ;
            )*
        }
    )*) => {
        pub const ROWS: &[Row] = &[$($(
            Row {
                method: Method::$method,
                path: $path,
                args: &[$($arg),*],
                flags: 0 $(| $flag)*,
                handler: table!(@handler $($handler)?),
                idempotent: (!matches!(Method::$method, Method::Post) || (0 $(| $flag)*) & RETRY != 0)
                    && (0 $(| $flag)*) & ONCE == 0,
                requires: table!(@str $($req)?),
            },
        )*)*];

        #[cfg(not(target_arch = "wasm32"))]
        pub const DOCS: &[Doc] = &[$($(
            Doc {
                group: stringify!($group),
                name: stringify!($js),
                params: &[$((stringify!($p), $ts)),*],
                returns: $ret,
                doc: &[$($doc),*],
                see: table!(@str $($see)?),
            },
        )*)*];

        #[cfg(not(target_arch = "wasm32"))]
        pub const GROUPS: &[Group] = &[$(
            Group { name: stringify!($group), class: stringify!($class), alias: table!(@alias $($alias)?), doc: &[$($gdoc),*] },
        )*];
    };
    (@handler) => { Handler::Request };
    (@handler $h:ident) => { Handler::$h };
    // an optional literal (`see`, `requires`): "" when the row has none
    (@str) => { "" };
    (@str $s:literal) => { $s };
    (@alias) => { None };
    (@alias $a:ident) => { Some(stringify!($a)) };
}

use Arg::*;
use BodyRule::*;
use Need::*;

table! {
    /// The client's own methods.
    group GlassixClient client {
        /// Requests an access token: `POST /token/get` with the client's apiKey and apiSecret, for
        /// `userName` (default: the client's own user). A token for another user never changes who
        /// this client acts as. Needs apiKey, apiSecret and userName. With a `getAccessToken` or a
        /// `store`, the client's own user's token comes from it (`{ access_token }` for a string).
        getToken(userName: "string" = UserName) -> "TokenResponse" = Post "/token/get" | RETRY => GetToken, see "access-token";
        /// Any endpoint by its HTTP method and its path under the API root (one this client has
        /// no method for), with the client's token, limits, retries and errors:
        /// `request('GET', '/tickets/get/1')`. `options` takes `query` (an object of query values)
        /// and `body` (an object or array, sent as JSON, or a FormData) besides the per-call
        /// options. Resolves with the body: JSON as its value, text as a string, any other type
        /// as a `Uint8Array`, an empty body as `null`. A POST is never sent again after a 5xx.
        request(method: "HttpMethod" = HttpMethod, path: "string" = RawPath) -> "T" = Local "" => Raw;
    }
    /// Tickets: create, read, list, message, state, fields, tags, notes, PDF/HTML export.
    group Tickets tickets {
        /// Creates a ticket.
        create(payload: "CreateTicketRequest" = Body(Object)) -> "Ticket" = Post "/tickets/create", see "create-ticket";
        /// Gets a ticket with its transactions.
        get(ticketId: "TicketId" = TicketId) -> "Ticket" = Get "/tickets/get/{ticketId}", see "get-ticket";
        /// Every ticket with activity in `[since, until]`, following `paging.next` to the last page
        /// (no cap). `{ next }` reads from a page's URL on instead (an iterator's `position`).
        list(params: "ListTicketsParams | ListFromPage" = ListParams) -> "Ticket[]" = Get "/tickets/list" => List, see "get-tickets-list";
        /// The same tickets as `list`, lazily: a page is fetched only when the previous one is used up.
        /// Returns the iterator at once (not a promise). Its `position` is the URL of the page the
        /// last ticket came from; `iterate({ next: position })` reads on from that page.
        /// @throws {GlassixError} synchronously, `kind: 'invalid_argument'`, for bad `params` or options.
        iterate(params: "ListTicketsParams | ListFromPage" = ListParams) -> "TicketIterator" = Get "/tickets/list" => Iterate, see "get-tickets-list";
        /// Sends a message into the ticket.
        send(ticketId: "TicketId" = TicketId, payload: "SendMessageRequest" = Body(Object)) -> "Transaction" = Post "/tickets/send/{ticketId}", see "send-ticket";
        /// Opens, closes or pends the ticket.
        /// Resolves with the API's answer, which is not pinned down: a `{ message }` acknowledgement,
        /// perhaps the ticket with `getTicket: true`, or `null` for an empty body.
        setState(ticketId: "TicketId" = TicketId, payload: "SetTicketStateRequest" = SetStateSplit) -> "Ticket | MessageResponse | null" = Put "/tickets/setstate/{ticketId}", see "set-ticket-sate";
        /// Sets field1…field10, uniqueArgument and details.
        setFields(ticketId: "TicketId" = TicketId, payload: "SetTicketFieldsRequest" = Body(Object)) -> "unknown" = Put "/tickets/setfields/{ticketId}", see "setfields";
        /// Renames a participant (by its id within the ticket).
        setParticipantName(ticketId: "TicketId" = TicketId, payload: "{ id: number; name: string }" = Body(Object)) -> "unknown" = Put "/tickets/setparticipantname/{ticketId}", see "set-participant-name";
        /// Assigns the ticket to another user (parameters go to the query).
        setOwner(ticketId: "TicketId" = TicketId, params: "{ nextOwnerUserName: string; keepCurrentOwnerInConversation?: boolean }" = Query(Required)) -> "unknown" = Put "/tickets/setowner/{ticketId}" | EMPTY_BODY, see "set-owner", requires "nextOwnerUserName";
        /// Assigns the ticket to an available user, or queues it.
        assignAvailableUser(ticketId: "TicketId" = TicketId) -> "unknown" = Put "/tickets/assignavailableuser/{ticketId}" | EMPTY_BODY, see "assign-available-user";
        /// Moves (copies) the ticket to another department; resolves with the new ticket's id.
        /// Never sent again after the server may have acted: a second call would copy it again.
        setDepartment(ticketId: "TicketId" = TicketId, payload: "{ departmentId: Guid }" = Body(Object)) -> "SetDepartmentResponse" = Put "/tickets/setdepartment/{ticketId}" | GUID_IDS | ONCE, see "set-department";
        /// Adds tags (which must exist in the department); resolves with the ticket's tags.
        addTags(ticketId: "TicketId" = TicketId, tags: "readonly string[]" = Body(Strings)) -> "string[]" = Post "/tickets/addtags/{ticketId}", see "add-tags";
        /// Removes a tag; resolves with the remaining tags.
        removeTag(ticketId: "TicketId" = TicketId, params: "{ tag: string }" = Query(Required)) -> "string[]" = Delete "/tickets/removetag/{ticketId}", see "remove-tag", requires "tag";
        /// Adds an agent-only note (`text` and/or `html`).
        addNote(ticketId: "TicketId" = TicketId, payload: "{ text?: string; html?: string }" = Body(Object)) -> "unknown" = Post "/tickets/addnote/{ticketId}", see "add-note";
        /// Irreversibly wipes the ticket's data.
        scramble(ticketId: "TicketId" = TicketId) -> "unknown" = Delete "/tickets/scramble/{ticketId}", see "scramble-ticket";
        /// Renders the ticket as PDF; resolves with the PDF's bytes (empty if the API sends an
        /// empty body).
        pdf(ticketId: "TicketId" = TicketId, renderOptions: "TicketRenderOptions" = Body(Render)) -> "Uint8Array" = Post "/tickets/pdf/{ticketId}" | BYTES | EMPTY_BODY, see "ticket-pdf";
        /// Renders the ticket as an HTML document (`""` if the API sends an empty body).
        html(ticketId: "TicketId" = TicketId, renderOptions: "TicketRenderOptions" = Body(Render)) -> "string" = Post "/tickets/html/{ticketId}" | TEXT | EMPTY_BODY, see "ticket-html";
        /// Creates a survey link for a closed ticket.
        generateSurveyLink(ticketId: "TicketId" = TicketId, payload: "{ surveyId: number; participantId?: number }" = Body(Object)) -> "SurveyLinkResponse" = Post "/tickets/generatesurveylink/{ticketId}", see "generate-survey-link";
        /// Sets the ticket's summary (`ticket.ticketSummary.value`).
        setSummary(ticketId: "TicketId" = TicketId, payload: "{ summary: string }" = Body(Object)) -> "unknown" = Post "/tickets/setsummary/{ticketId}", see "post-tickets-setsummary";
    }
    /// Users of the department (the token's user for the `set*` / `update` calls).
    group Users users alias user {
        /// Lists the department's users.
        getAll() -> "User[]" = Get "/users/allusers", see "get-all-users";
        /// Sets the token user's status.
        setStatus(payload: "{ nextStatus: UserStatus }" = Body(Object)) -> "unknown" = Put "/users/setstatus", see "set-status";
        /// Gets the token user's status.
        getStatus() -> "UserStatusResponse" = Get "/users/getstatus", see "get-status";
        /// Status history of the department's users (or one `userId`); `Date`s are sent as `dd/MM/yyyy`.
        getStatusLogs(params: "{ since: Date | string; until: Date | string; userId?: Guid }" = Query(Required)) -> "UserInfoData[]" = Get "/users/statuslogs" | DAY_DATES | GUID_IDS, see "get-users-statuslogs", requires "since until";
        /// Adds users to the department (`userType` and `role` go to the query).
        add(users: "readonly AddUserRequest[]" = Body(Objects), params: "{ userType: UserType; role?: Role }" = Query(Required)) -> "MessageResponse | null" = Post "/users/add", see "add-user", requires "userType";
        /// Removes a user from the departments shared with the caller.
        delete(params: "{ userName: string }" = Query(Required)) -> "DeleteUserResponse" = Delete "/users/delete", see "delete-user", requires "userName";
        /// Sets the token user's unique argument (≤ 50 characters).
        setUniqueArgument(payload: "{ nextUniqueArgument: string }" = Body(Object)) -> "unknown" = Put "/users/setuniqueargument", see "put_users-setuniqueargument";
        /// Updates the token user's names and job title.
        update(payload: "{ shortName?: string; fullName?: string; jobTitle?: string }" = Body(Object)) -> "unknown" = Post "/users/update", see "user-update";
        /// Finds a user by unique argument.
        getByUniqueArgument(params: "{ uniqueArgument: string }" = Query(Required)) -> "User" = Get "/users/getbyuniqueargument", see "get-by-unique-argument", requires "uniqueArgument";
        /// Replaces a user's roles (caller must be admin).
        setRoles(roles: "readonly Role[]" = Body(Strings), params: "{ userName: string }" = Query(Required)) -> "unknown" = Post "/users/setroles", see "set-roles", requires "userName";
    }
    /// Department-level data: business-hours status and the tag list.
    group Tenants tenants {
        /// Whether the department is open now (business hours, per channel).
        isOnline(params: "{ departmentId: Guid; protocolType?: ProtocolType }" = Query(Required)) -> "boolean" = Get "/tenants/isonline" | GUID_IDS, see "is-online", requires "departmentId";
        /// The department's tags.
        getTags() -> "Tag[]" = Get "/tenants/gettags", see "get-tags";
    }
    /// Contacts (ids are GUID strings).
    group Contacts contacts {
        /// Gets a contact.
        get(contactId: "ContactId" = ContactId) -> "Contact" = Get "/contacts/get/{contactId}", see "get-contacts";
        /// Renames a contact (≤ 25 characters).
        setName(contactId: "ContactId" = ContactId, payload: "{ nextName: string }" = Body(Object)) -> "MessageResponse" = Put "/contacts/setname/{contactId}", see "set-name";
        /// Adds a phone number, e-mail or platform id to a contact.
        addIdentifier(contactId: "ContactId" = ContactId, payload: "{ identifierType: IdentifierType; identifier: string; forceMerge?: boolean }" = Body(Object)) -> "MessageResponse" = Post "/contacts/addidentifier/{contactId}", see "add-identifier";
        /// Sets a contact's unique argument (≤ 50 characters).
        setUniqueArgument(contactId: "ContactId" = ContactId, payload: "{ nextUniqueArgument: string }" = Body(Object)) -> "MessageResponse" = Put "/contacts/setuniqueargument/{contactId}", see "set-contact-unique-argument";
        /// Removes an identifier (by its integer `id`).
        deleteIdentifier(contactId: "ContactId" = ContactId, params: "{ contactIdentifierId: number }" = Query(Required)) -> "MessageResponse" = Delete "/contacts/deleteidentifier/{contactId}", see "delete-identifier", requires "contactIdentifierId";
    }
    /// Canned replies of the department.
    group CannedReplies cannedReplies {
        /// Lists the canned replies.
        getAll() -> "CannedReply[]" = Get "/cannedreplies/getall", see "get-all-c-anned-replies";
        /// Adds a canned reply.
        add(payload: "CannedReplyInput" = Body(Object)) -> "unknown" = Post "/cannedreplies/add", see "add-canned-replies";
        /// Deletes a canned reply.
        delete(params: "{ cannedReplyId: number }" = Query(Required)) -> "unknown" = Delete "/cannedreplies/delete", see "delete-canned-replies", requires "cannedReplyId";
    }
    /// Interactive documents sent into a ticket.
    group InteractiveDocuments interactiveDocuments {
        /// Sends an interactive document to the ticket's participants.
        send(ticketId: "TicketId" = TicketId, payload: "InteractiveDocumentRequest" = Body(Object)) -> "unknown" = Post "/interactivedocuments/send/{ticketId}", see "send-interactive-document";
    }
    /// Non-ticket ("protocol") messages, e.g. WhatsApp templates to a number.
    group Protocols protocols {
        /// Sends a message outside any ticket (replies open a ticket).
        send(message: "ProtocolMessageRequest" = Body(Object)) -> "ProtocolMessage" = Post "/protocols/send", see "protocols-send";
    }
    /// Phone-call events of a ticket (the first argument is a ticket id).
    group PhoneCalls phoneCalls {
        /// Records that the ticket's call started; a `Date` is sent as `dd/MM/yyyy HH:mm:ss:ff`.
        /// (No reference page of its own is known; the glassix-js README links to the
        /// interactive-document page by mistake.)
        started(ticketId: "TicketId" = TicketId, payload: "{ dateTime: Date | GlassixDateString }" = Body(Object)) -> "unknown" = Post "/phonecalls/started/{ticketId}" | BODY_DATES, see "call-ended";
        /// Records that the ticket's call ended; a `Date` is sent as `dd/MM/yyyy HH:mm:ss:ff`.
        ended(ticketId: "TicketId" = TicketId, payload: "{ dateTime: Date | GlassixDateString }" = Body(Object)) -> "unknown" = Post "/phonecalls/ended/{ticketId}" | BODY_DATES, see "call-ended";
        /// Attaches the call recording's URL.
        audioLink(ticketId: "TicketId" = TicketId, payload: "{ audioUri: string }" = Body(Object)) -> "unknown" = Post "/phonecalls/audiolink/{ticketId}", see "call-audio-link";
    }
    /// File upload.
    group Files files {
        /// Uploads files (multipart; glassix-js appends the file under the field name `"0"`).
        /// Resolves with the API's answer (shape undocumented).
        upload(form: "FormDataType" = Form) -> "unknown" = Post "/files/upload", see "file-upload";
    }
    /// Polled webhook events, delivery verification and an at-least-once consumer.
    group Webhooks webhooks {
        /// Polls queued events (glassix-js's name; same as `getEvents`). `params` takes only `deleteEvents` (any other key is refused).
        getevents(params: "{ deleteEvents?: boolean }" = GetEventsFlag) -> "PolledWebhookEvent[]" = Get "/webhooks/getevents", see "get-events";
        /// Polls queued events; `deleteEvents: false` leaves them queued until `deleteEvents()`.
        getEvents(params: "{ deleteEvents?: boolean }" = GetEventsFlag) -> "PolledWebhookEvent[]" = Get "/webhooks/getevents", see "get-events";
        /// Deletes polled events from the queue (each as received, with `queueReceiptHandle` and
        /// `queueMessageId`; an empty array is refused: there is nothing to delete).
        deleteEvents(events: "readonly PolledWebhookEvent[]" = Body(Events)) -> "unknown" = Post "/webhooks/deleteevents", see "delete-event";
        /// `verifyWebhook` with this client's `apiSecret` (no HTTP call).
        /// @throws {GlassixError} `kind: 'invalid_argument'` when the client has no apiSecret.
        verify(rawBody: "RawBody" = RawBody, headers: "HeadersLike" = HeadersArg, options: "VerifyOptions" = VerifyOptions) -> "boolean" = Local "" => Verify, see "../docs/validate-outbound-webhooks-and-api";
        /// At-least-once consumer: polls `GET /webhooks/getevents?deleteEvents=false`, calls
        /// `handler` for each new event and deletes (`POST /webhooks/deleteevents`) only the
        /// events whose handler resolved. Runs until `options.signal` aborts, then resolves.
        consume(handler: "(event: PolledWebhookEvent) => unknown" = HandlerFn, options: "ConsumeOptions" = ConsumeOptions) -> "void" = Get "/webhooks/getevents" => Consume, see "get-events";
    }

}

/// The row with this handler (each special handler has exactly one row).
pub fn row_of(handler: Handler) -> usize {
    ROWS.iter().position(|r| r.handler == handler).unwrap_or(0)
}

/// The first row for `method path` (the consume loop's `getevents` and `deleteevents`).
pub fn row_for(method: Method, path: &str) -> usize {
    ROWS.iter()
        .position(|r| r.method == method && r.path == path && r.handler == Handler::Request)
        .unwrap_or(0)
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    fn named(name: &str) -> &'static Row {
        let i = DOCS
            .iter()
            .position(|d| format!("{}.{}", d.group, d.name) == name)
            .expect(name);
        &ROWS[i]
    }

    #[test]
    fn docs_and_rows_line_up() {
        assert_eq!(ROWS.len(), DOCS.len());
        for (r, d) in ROWS.iter().zip(DOCS) {
            assert_eq!(r.args.len(), d.params.len(), "{}.{}", d.group, d.name);
            assert!(GROUPS.iter().any(|g| g.name == d.group), "{}", d.group);
        }
        assert!(
            ROWS.len() < 250,
            "row numbers share a byte with the other subjects of messages"
        );
    }

    #[test]
    fn every_path_is_lower_case_and_ids_match_the_arguments() {
        for (r, d) in ROWS.iter().zip(DOCS) {
            let bare = r.path.replace("{ticketId}", "").replace("{contactId}", "");
            assert_eq!(bare, bare.to_ascii_lowercase(), "{}", d.name);
            assert_eq!(
                r.path.contains("{ticketId}"),
                r.args.contains(&TicketId),
                "{}",
                d.name
            );
            assert_eq!(
                r.path.contains("{contactId}"),
                r.args.contains(&ContactId),
                "{}",
                d.name
            );
            assert_eq!(r.method == Method::Local, r.path.is_empty(), "{}", d.name);
        }
    }

    #[test]
    fn the_glassix_js_quirks_are_in_the_table() {
        assert_eq!(named("tickets.setOwner").method, Method::Put);
        assert_eq!(named("tickets.setOwner").flags & EMPTY_BODY, EMPTY_BODY);
        assert_eq!(
            named("tickets.assignAvailableUser").flags & EMPTY_BODY,
            EMPTY_BODY
        );
        assert_eq!(named("tickets.setState").args, &[TicketId, SetStateSplit]);
        assert_eq!(named("webhooks.getevents").args, &[GetEventsFlag]);
        assert_eq!(named("users.update").method, Method::Post);
        assert_eq!(named("users.add").args, &[Body(Objects), Query(Required)]);
        assert_eq!(named("tickets.addTags").args, &[TicketId, Body(Strings)]);
        assert_eq!(named("tickets.pdf").flags & BYTES, BYTES);
        assert_eq!(named("tickets.pdf").flags & EMPTY_BODY, EMPTY_BODY);
        assert_eq!(named("tickets.html").flags & EMPTY_BODY, EMPTY_BODY);
        assert_eq!(named("tickets.html").flags & TEXT, TEXT);
    }

    /// The keys of a TypeScript object type `{ a: T; b?: U }` that are not optional.
    fn required_keys(ts: &str) -> Vec<String> {
        ts.trim()
            .trim_start_matches('{')
            .trim_end_matches('}')
            .split(';')
            .filter_map(|m| {
                let (k, _) = m.split_once(':')?;
                let k = k.trim();
                (!k.ends_with('?') && !k.is_empty()).then(|| k.to_string())
            })
            .collect()
    }

    #[test]
    fn required_query_keys_come_from_the_params_type() {
        for (r, d) in ROWS.iter().zip(DOCS) {
            let query = r.args.iter().position(|a| *a == Query(Required));
            let declared = query
                .map(|i| required_keys(d.params[i].1))
                .unwrap_or_default();
            let enforced: Vec<String> = r
                .requires
                .split(' ')
                .filter(|k| !k.is_empty())
                .map(String::from)
                .collect();
            // users.add's `role` is declared (GlassixSharp always sends one) but not enforced:
            // what the API does without one is not known (the sandbox's rules.addUserRole)
            let expected: Vec<String> = declared
                .into_iter()
                .filter(|k| !(d.name == "add" && k == "role"))
                .collect();
            assert_eq!(enforced, expected, "{}.{}", d.group, d.name);
        }
        assert_eq!(
            required_keys("{ since: Date | string; until: Date | string; userId?: Guid }"),
            ["since", "until"]
        );
    }

    #[test]
    fn guid_keys_come_from_the_params_and_payload_types() {
        for (r, d) in ROWS.iter().zip(DOCS) {
            // the `(key, type)` fields of the row's query and object body types
            let fields: Vec<(String, String)> = r
                .args
                .iter()
                .zip(d.params)
                .filter(|(a, _)| matches!(a, Query(_) | Body(Object)))
                .flat_map(|(_, (_, ts))| {
                    ts.trim_matches(|c| c == '{' || c == '}' || c == ' ')
                        .split(';')
                        .filter_map(|f| f.split_once(':'))
                        .map(|(k, t)| {
                            (
                                k.trim().trim_end_matches('?').to_string(),
                                t.trim().to_string(),
                            )
                        })
                        .collect::<Vec<_>>()
                })
                .collect();
            let typed = fields.iter().any(|(_, t)| t == "Guid");
            assert_eq!(r.flags & GUID_IDS != 0, typed, "{}.{}", d.group, d.name);
            if typed {
                // the flag checks the keys by name: exactly the `…Id` keys are the GUIDs
                for (k, t) in &fields {
                    assert_eq!(
                        k.ends_with("Id"),
                        t == "Guid",
                        "{}.{}: {k}",
                        d.group,
                        d.name
                    );
                }
            }
        }
        assert!(named("users.getStatusLogs").flags & GUID_IDS != 0);
    }

    #[test]
    fn only_posts_and_the_once_rows_are_never_retried() {
        // (spelt out, not the macro's own expression again: a row that changes class fails here)
        let never = "tickets.create tickets.send tickets.setDepartment tickets.addTags \
            tickets.addNote tickets.pdf tickets.html tickets.generateSurveyLink tickets.setSummary \
            users.add users.update users.setRoles contacts.addIdentifier cannedReplies.add \
            interactiveDocuments.send protocols.send phoneCalls.started phoneCalls.ended \
            phoneCalls.audioLink files.upload webhooks.deleteEvents";
        for (r, d) in ROWS.iter().zip(DOCS) {
            let name = format!("{}.{}", d.group, d.name);
            let listed = never.split_whitespace().any(|n| n == name);
            assert_eq!(r.idempotent, !listed, "{name}");
            assert_eq!(
                listed,
                (r.method == Method::Post && r.flags & RETRY == 0) || r.flags & ONCE != 0,
                "{name}: a POST, or flagged ONCE"
            );
        }
        assert!(
            !named("tickets.setDepartment").idempotent,
            "each call copies the ticket"
        );
        assert!(!named("tickets.send").idempotent);
        assert!(!named("protocols.send").idempotent);
        assert!(named("tickets.get").idempotent);
        assert!(
            named("client.getToken").idempotent,
            "getting a token has no side effect"
        );
    }

    #[test]
    fn each_special_handler_has_one_row() {
        for h in [
            Handler::List,
            Handler::Iterate,
            Handler::Verify,
            Handler::Consume,
            Handler::GetToken,
            Handler::Raw,
        ] {
            assert_eq!(ROWS.iter().filter(|r| r.handler == h).count(), 1, "{h:?}");
        }
        assert_eq!(DOCS[row_of(Handler::GetToken)].name, "getToken");
        assert_eq!(
            DOCS[row_for(Method::Get, "/webhooks/getevents")].name,
            "getevents"
        );
        assert_eq!(
            DOCS[row_for(Method::Post, "/webhooks/deleteevents")].name,
            "deleteEvents"
        );
    }
}
