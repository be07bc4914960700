//! The table of endpoints: one row per method, `rust_name "jsName" => METHOD "/path" [args] flags`.
//! The macro turns each group into an `Endpoint` constant per row (module `tickets`, `users`, …)
//! and a wasm-bindgen class whose methods are one line each, forwarding to the request pipeline.
//! Adding an endpoint is one row here plus a test.

use std::rc::Rc;

use js_sys::Promise;
use wasm_bindgen::prelude::*;

use crate::request::{call, Arg::*, BodyRule::*, Endpoint, Need::*, BODY_DATES, DAY_DATES, EMPTY_BODY};
use crate::transport::{Core, Method};

macro_rules! endpoints {
    ($( $class:ident $group:ident {
        $( $rust:ident $js:literal => $method:ident $path:literal [$($arg:expr),*] $($flag:ident)|* ; )*
    } )*) => {
        $(
            #[allow(non_upper_case_globals)]
            pub mod $group {
                use super::*;
                $(
                    pub const $rust: Endpoint = Endpoint {
                        name: concat!(stringify!($group), ".", $js),
                        method: Method::$method,
                        path: $path,
                        args: &[$($arg),*],
                        flags: 0 $(| $flag)*,
                    };
                )*
                /// Every row of this group (for tests).
                pub const ALL: &[&Endpoint] = &[$(&$rust),*];
            }

            #[wasm_bindgen]
            pub struct $class {
                pub(crate) core: Rc<Core>,
            }

            #[wasm_bindgen]
            impl $class {
                $(
                    #[wasm_bindgen(js_name = $js)]
                    pub fn $rust(&self, a: JsValue, b: JsValue, c: JsValue) -> Promise {
                        call(&self.core, &$group::$rust, [a, b, c])
                    }
                )*
            }
        )*

        /// Every row of the table (for tests).
        pub fn all() -> Vec<&'static Endpoint> {
            let mut v = Vec::new();
            $( v.extend_from_slice($group::ALL); )*
            v
        }
    };
}

endpoints! {
    Tickets tickets {
        create "create" => Post "/tickets/create" [Body(Object(Required))];
        get "get" => Get "/tickets/get/{id}" [TicketId];
        send "send" => Post "/tickets/send/{id}" [TicketId, Body(Object(Required))];
        set_state "setState" => Put "/tickets/setstate/{id}" [TicketId, StateSplit];
        set_fields "setFields" => Put "/tickets/setfields/{id}" [TicketId, Body(Object(Required))];
        set_participant_name "setParticipantName" => Put "/tickets/setparticipantname/{id}" [TicketId, Body(Object(Required))];
        set_owner "setOwner" => Put "/tickets/setowner/{id}" [TicketId, Query(Required)] EMPTY_BODY;
        assign_available_user "assignAvailableUser" => Put "/tickets/assignavailableuser/{id}" [TicketId] EMPTY_BODY;
        set_department "setDepartment" => Put "/tickets/setdepartment/{id}" [TicketId, Body(Object(Required))];
        add_tags "addTags" => Post "/tickets/addtags/{id}" [TicketId, Body(Strings)];
        remove_tag "removeTag" => Delete "/tickets/removetag/{id}" [TicketId, Query(Required)];
        add_note "addNote" => Post "/tickets/addnote/{id}" [TicketId, Body(Object(Required))];
        scramble "scramble" => Delete "/tickets/scramble/{id}" [TicketId];
        pdf "pdf" => Post "/tickets/pdf/{id}" [TicketId, Body(Object(Optional))];
        html "html" => Post "/tickets/html/{id}" [TicketId, Body(Object(Optional))];
        generate_survey_link "generateSurveyLink" => Post "/tickets/generatesurveylink/{id}" [TicketId, Body(Object(Required))];
        set_summary "setSummary" => Post "/tickets/setsummary/{id}" [TicketId, Body(Object(Required))];
    }
    Users users {
        get_all "getAll" => Get "/users/allusers" [];
        set_status "setStatus" => Put "/users/setstatus" [Body(Object(Required))];
        get_status "getStatus" => Get "/users/getstatus" [];
        get_status_logs "getStatusLogs" => Get "/users/statuslogs" [Query(Required)] DAY_DATES;
        add "add" => Post "/users/add" [Body(Objects), Query(Required)];
        delete "delete" => Delete "/users/delete" [Query(Required)];
        set_unique_argument "setUniqueArgument" => Put "/users/setuniqueargument" [Body(Object(Required))];
        update "update" => Post "/users/update" [Body(Object(Required))];
        get_by_unique_argument "getByUniqueArgument" => Get "/users/getbyuniqueargument" [Query(Required)];
        set_roles "setRoles" => Post "/users/setroles" [Body(Strings), Query(Required)];
    }
    Tenants tenants {
        is_online "isOnline" => Get "/tenants/isonline" [Query(Optional)];
        get_tags "getTags" => Get "/tenants/gettags" [];
    }
    Contacts contacts {
        get "get" => Get "/contacts/get/{id}" [ContactId];
        set_name "setName" => Put "/contacts/setname/{id}" [ContactId, Body(Object(Required))];
        add_identifier "addIdentifier" => Post "/contacts/addidentifier/{id}" [ContactId, Body(Object(Required))];
        set_unique_argument "setUniqueArgument" => Put "/contacts/setuniqueargument/{id}" [ContactId, Body(Object(Required))];
        delete_identifier "deleteIdentifier" => Delete "/contacts/deleteidentifier/{id}" [ContactId, Query(Required)];
    }
    CannedReplies canned_replies {
        get_all "getAll" => Get "/cannedreplies/getall" [];
        add "add" => Post "/cannedreplies/add" [Body(Object(Required))];
        delete "delete" => Delete "/cannedreplies/delete" [Query(Required)];
    }
    InteractiveDocuments interactive_documents {
        send "send" => Post "/interactivedocuments/send/{id}" [TicketId, Body(Object(Required))];
    }
    Protocols protocols {
        send "send" => Post "/protocols/send" [Body(Object(Required))];
    }
    PhoneCalls phone_calls {
        started "started" => Post "/phonecalls/started/{id}" [TicketId, Body(Object(Required))] BODY_DATES;
        ended "ended" => Post "/phonecalls/ended/{id}" [TicketId, Body(Object(Required))] BODY_DATES;
        audio_link "audioLink" => Post "/phonecalls/audiolink/{id}" [TicketId, Body(Object(Required))];
    }
    Files files {
        upload "upload" => Post "/files/upload" [Form];
    }
    Webhooks webhooks {
        getevents "getevents" => Get "/webhooks/getevents" [DeleteEventsFlag];
        get_events "getEvents" => Get "/webhooks/getevents" [DeleteEventsFlag];
        delete_events "deleteEvents" => Post "/webhooks/deleteevents" [Body(Events)];
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::request::Arg;

    #[test]
    fn every_path_is_lower_case_and_ids_match_the_arguments() {
        for ep in all() {
            assert_eq!(ep.path, ep.path.to_ascii_lowercase(), "{}", ep.name);
            let has_id = ep.args.iter().any(|a| matches!(a, Arg::TicketId | Arg::ContactId));
            assert_eq!(ep.path.contains("{id}"), has_id, "{}", ep.name);
        }
    }

    #[test]
    fn the_glassix_js_quirks_are_in_the_table() {
        assert_eq!(tickets::set_owner.method, Method::Put);
        assert_eq!(tickets::set_owner.flags & EMPTY_BODY, EMPTY_BODY);
        assert_eq!(tickets::assign_available_user.flags & EMPTY_BODY, EMPTY_BODY);
        assert!(matches!(tickets::set_state.args, [TicketId, StateSplit]));
        assert!(matches!(webhooks::getevents.args, [DeleteEventsFlag]));
        assert_eq!(users::update.method, Method::Post);
        assert!(matches!(users::add.args, [Body(Objects), Query(Required)]));
        assert!(matches!(tickets::add_tags.args, [TicketId, Body(Strings)]));
    }

    #[test]
    fn only_posts_are_never_retried() {
        let posts: Vec<_> = all().into_iter().filter(|e| e.method == Method::Post).map(|e| e.name).collect();
        assert!(posts.contains(&"tickets.send"));
        assert!(posts.contains(&"protocols.send"));
        assert_eq!(all().len(), 46);
    }
}
