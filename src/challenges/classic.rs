//! The classic catalogue: the 59 challenges of the 2024-2026 hosted instance, in order, with their
//! exact titles, keys and completion rules. Paths are root paths (there is no `/api`),
//! and rules look at the real method, never an `X-HTTP-Method-Override`.

use super::catalogue::{
    create_new_challenger, create_secret_token_201, create_secret_token_401, created_at_limits,
    delete_heartbeat_405, get_challenges, get_head_todos, get_heartbeat_204,
    get_restorable_challenger_progress_status, get_restorable_todos, get_secret_note_200,
    get_secret_note_401, get_secret_note_403, get_secret_note_bearer_200, get_todos, on_request,
    on_response, only_in, options_todos, patch_heartbeat_500, post_secret_note_200,
    post_secret_note_401, post_secret_note_403, post_secret_note_bearer_200, post_todos_404,
    post_todos_415, post_update_todo, put_new_restored_challenger_progress_status,
    put_restorable_challenger_progress_status, put_restorable_todos, put_todos_full_200,
    put_todos_partial_200, store_has_both, trace_heartbeat_501, Availability, Challenge,
};
use crate::challenges::tracking::Exchange;
use crate::todo::negotiation::classic as accept;

/// Section titles of the classic profile, in order, as the reference GUI shows them.
pub static CLASSIC_SECTIONS: &[&str] = &[
    "Getting Started",
    "First Real Challenge",
    "GET Challenges",
    "HEAD Challenges",
    "Creation Challenges with POST",
    "Creation Challenges with PUT",
    "Update Challenges with POST",
    "Update Challenges with PUT",
    "DELETE Challenges",
    "OPTIONS Challenges",
    "Accept Challenges",
    "Content-Type Challenges",
    "Fancy a Break? Restore your session",
    "Mix Accept and Content-Type Challenges",
    "Status Code Challenges",
    "HTTP Method Override Challenges",
    "Authentication Challenges",
    "Authorization Challenges",
    "Miscellaneous Challenges",
];

/// The 59 classic challenges (58 in single-user mode, without #36).
pub static CLASSIC: &[Challenge] = &[
    // #1
    on_response(
        "CREATE_NEW_CHALLENGER",
        0,
        "POST /challenger (201)",
        "Start a new challenger session and keep its GUID for later calls.",
        create_new_challenger,
    ),
    // #2
    on_request(
        "GET_CHALLENGES",
        1,
        "GET /challenges (200)",
        "Read the challenge list, which also reports your progress.",
        get_challenges,
    ),
    // #3
    on_request(
        "GET_TODOS",
        2,
        "GET /todos (200)",
        "List every todo.",
        get_todos,
    ),
    // #4
    on_response(
        "GET_TODOS_NOT_PLURAL_404",
        2,
        "GET /todo (404) not plural",
        "Ask for the singular collection name and see that it does not exist.",
        // The reference checks before the Accept-based rewrite of the empty 404, so
        // the 307 a browser-like Accept turns it into still counts.
        |ex| ex.is("GET", "todo") && matches!(ex.status(), 404 | 307),
    ),
    // #5
    on_response(
        "GET_TODO",
        2,
        "GET /todos/{id} (200)",
        "Fetch a single existing todo by id.",
        |ex| ex.method == "GET" && ex.is_todo_item() && ex.status() == 200,
    ),
    // #6
    on_response(
        "GET_TODO_404",
        2,
        "GET /todos/{id} (404)",
        "Fetch a todo id that does not exist.",
        |ex| ex.method == "GET" && ex.is_todo_item() && ex.status() == 404,
    ),
    // #7
    on_response(
        "GET_TODOS_FILTERED",
        2,
        "GET /todos (200) ?filter",
        "List only the done todos while the list holds both done and open ones.",
        |ex| {
            ex.is("GET", "todos")
                && ex.status() == 200
                && ex.query().eq_value("doneStatus") == Some("true")
                && store_has_both(ex.store)
        },
    ),
    // #8
    on_request(
        "GET_HEAD_TODOS",
        3,
        "HEAD /todos (200)",
        "Fetch only the headers of the todo list.",
        get_head_todos,
    ),
    // #9
    on_response(
        "POST_TODOS",
        4,
        "POST /todos (201)",
        "Create a todo.",
        created,
    ),
    // #10
    on_response(
        "POST_TODOS_BAD_DONE_STATUS",
        4,
        "POST /todos (400) doneStatus",
        "Try to create a todo whose doneStatus is not a boolean.",
        |ex| create_refused(ex, "Failed Validation: doneStatus should be BOOLEAN"),
    ),
    // #11
    on_response(
        "POST_TODOS_TOO_LONG_TITLE_LENGTH",
        4,
        "POST /todos (400) title too long",
        "Try to create a todo with a title longer than allowed.",
        |ex| {
            post_todo_prefix_400(ex)
                && ex.message_contains("Failed Validation: Maximum allowable length exceeded for title - maximum allowed is 50")
        },
    ),
    // #12
    on_response(
        "POST_TODOS_TOO_LONG_DESCRIPTION_LENGTH",
        4,
        "POST /todos (400) description too long",
        "Try to create a todo with a description longer than allowed.",
        |ex| {
            post_todo_prefix_400(ex)
                && ex.message_contains("Failed Validation: Maximum allowable length exceeded for description - maximum allowed is 200")
        },
    ),
    // #13
    on_response(
        "POST_MAX_OUT_TITLE_DESCRIPTION_LENGTH",
        4,
        "POST /todos (201) max out content",
        "Create a todo whose title and description are both exactly at their maximum length.",
        created_at_limits,
    ),
    // #14
    on_response(
        "POST_TODOS_TOO_LONG_PAYLOAD_SIZE",
        4,
        "POST /todos (413) content too long",
        "Send a create request whose body is bigger than the size limit.",
        |ex| {
            ex.is("POST", "todos")
                && ex.status() == 413
                && ex.message_contains("Error: Request body too large, max allowed is 5000 bytes")
        },
    ),
    // #15
    on_response(
        "POST_TODOS_INVALID_EXTRA_FIELD",
        4,
        "POST /todos (400) extra",
        "Try to create a todo with a field the model does not know.",
        |ex| create_refused(ex, "Could not find field:"),
    ),
    // #16
    on_response(
        "PUT_TODOS_400",
        5,
        "PUT /todos/{id} (400)",
        "Try to create a todo with PUT and learn that ids are assigned by the server.",
        |ex| put_refused(ex, "Cannot create todo with PUT due to Auto fields id"),
    ),
    // #17
    on_response(
        "POST_UPDATE_TODO",
        6,
        "POST /todos/{id} (200)",
        "Amend an existing todo with POST.",
        post_update_todo,
    ),
    // #18
    on_response(
        "POST_TODOS_404",
        6,
        "POST /todos/{id} (404)",
        "Try to amend a todo that does not exist with POST.",
        post_todos_404,
    ),
    // #19
    on_response(
        "PUT_TODOS_FULL_200",
        7,
        "PUT /todos/{id} full (200)",
        "Replace an existing todo with PUT, sending every field.",
        put_todos_full_200,
    ),
    // #20
    on_response(
        "PUT_TODOS_PARTIAL_200",
        7,
        "PUT /todos/{id} partial (200)",
        "Replace an existing todo with PUT, sending only its title.",
        put_todos_partial_200,
    ),
    // #21
    on_response(
        "PUT_TODOS_MISSING_TITLE_400",
        7,
        "PUT /todos/{id} no title (400)",
        "Try a PUT on an existing todo without the mandatory title.",
        |ex| put_refused(ex, "title : field is mandatory"),
    ),
    // #22
    on_response(
        "PUT_TODOS_400_NO_AMEND_ID",
        7,
        "PUT /todos/{id} no amend id (400)",
        "Try a PUT that would change a todo's id.",
        |ex| put_refused(ex, "Can not amend id from"),
    ),
    // #23
    on_response(
        "DELETE_A_TODO",
        8,
        "DELETE /todos/{id} (200)",
        "Delete an existing todo.",
        deleted,
    ),
    // #24
    on_response(
        "OPTIONS_TODOS",
        9,
        "OPTIONS /todos (200)",
        "Find out which methods the todo collection allows.",
        options_todos,
    ),
    // #25
    on_response(
        "GET_ACCEPT_XML",
        10,
        "GET /todos (200) XML",
        "Get the todo list as XML.",
        |ex| listed_as(ex, "application/xml") && accept::asked_for_xml(ex.accept()),
    ),
    // #26
    on_response(
        "GET_ACCEPT_JSON",
        10,
        "GET /todos (200) JSON",
        "Get the todo list as JSON, asking for it explicitly.",
        |ex| listed_as(ex, "application/json") && accept::asked_for_json(ex.accept()),
    ),
    // #27
    on_response(
        "GET_ACCEPT_ANY_DEFAULT_JSON",
        10,
        "GET /todos (200) ANY",
        "Accept any format and get the default, JSON.",
        |ex| listed_as(ex, "application/json") && accept::asked_for_any(ex.accept()),
    ),
    // #28
    on_response(
        "GET_ACCEPT_XML_PREFERRED",
        10,
        "GET /todos (200) XML pref",
        "Accept both XML and JSON, list XML first, and get XML.",
        |ex| {
            let a = ex.accept();
            listed_as(ex, "application/xml")
                && accept::asked_for_xml(a)
                && accept::asked_for_json(a)
                && accept::prefers_xml(a)
        },
    ),
    // #29
    on_response(
        "GET_JSON_BY_DEFAULT_NO_ACCEPT",
        10,
        "GET /todos (200) no accept",
        "Send no Accept header and get the default, JSON.",
        |ex| listed_as(ex, "application/json") && accept::missing(ex.accept()),
    ),
    // #30
    on_response(
        "GET_UNSUPPORTED_ACCEPT_406",
        10,
        "GET /todos (406)",
        "Ask for a format the API cannot produce and get 406.",
        |ex| {
            ex.is("GET", "todos")
                && ex.no_query()
                && ex.status() == 406
                && !accept::supported(ex.accept())
        },
    ),
    // #31
    on_response(
        "POST_CREATE_XML",
        11,
        "POST /todos XML",
        "Create a todo from XML and get XML back.",
        |ex| created(ex) && sent_xml(ex) && ex.response_type() == "application/xml",
    ),
    // #32
    on_response(
        "POST_CREATE_JSON",
        11,
        "POST /todos JSON",
        "Create a todo from JSON, asking for JSON back.",
        |ex| {
            created(ex)
                && sent_json(ex)
                && accept::asked_for_json(ex.accept())
                && ex.response_type() == "application/json"
        },
    ),
    // #33
    on_response(
        "POST_TODOS_415",
        11,
        "POST /todos (415)",
        "Send a create request in a content type the API does not accept.",
        post_todos_415,
    ),
    // #34
    on_request(
        "GET_RESTORABLE_CHALLENGER_PROGRESS_STATUS",
        12,
        "GET /challenger/guid (existing X-CHALLENGER)",
        "Download your own progress so that it can be restored later.",
        get_restorable_challenger_progress_status,
    ),
    // #35
    on_response(
        "PUT_RESTORABLE_CHALLENGER_PROGRESS_STATUS",
        12,
        "PUT /challenger/guid RESTORE",
        "Overwrite an in-memory challenger's progress with a saved copy.",
        put_restorable_challenger_progress_status,
    ),
    // #36
    only_in(
        Availability::MultiUser,
        on_response(
            "PUT_NEW_RESTORED_CHALLENGER_PROGRESS_STATUS",
            12,
            "PUT /challenger/guid CREATE",
            "Recreate a challenger that is not in memory from saved progress.",
            put_new_restored_challenger_progress_status,
        ),
    ),
    // #37
    on_response(
        "GET_RESTORABLE_TODOS",
        12,
        "GET /challenger/database/guid (200)",
        "Download your todo data so that it can be restored later.",
        get_restorable_todos,
    ),
    // #38
    on_response(
        "PUT_RESTORABLE_TODOS",
        12,
        "PUT /challenger/database/guid (Update)",
        "Replace your todo data with a saved copy.",
        put_restorable_todos,
    ),
    // #39
    on_response(
        "POST_CREATE_XML_ACCEPT_JSON",
        13,
        "POST /todos XML to JSON",
        "Create a todo from XML and get JSON back.",
        |ex| {
            created(ex)
                && sent_xml(ex)
                && accept::asked_for_json(ex.accept())
                && ex.response_type() == "application/json"
        },
    ),
    // #40
    on_response(
        "POST_CREATE_JSON_ACCEPT_XML",
        13,
        "POST /todos JSON to XML",
        "Create a todo from JSON and get XML back.",
        |ex| created(ex) && sent_json(ex) && ex.response_type() == "application/xml",
    ),
    // #41
    on_request(
        "DELETE_HEARTBEAT_405",
        14,
        "DELETE /heartbeat (405)",
        "Use a method that the heartbeat does not allow.",
        delete_heartbeat_405,
    ),
    // #42
    on_request(
        "PATCH_HEARTBEAT_500",
        14,
        "PATCH /heartbeat (500)",
        "Trigger the heartbeat's deliberate server error.",
        patch_heartbeat_500,
    ),
    // #43
    on_request(
        "TRACE_HEARTBEAT_501",
        14,
        "TRACE /heartbeat (501)",
        "Send TRACE to the heartbeat and get \"not implemented\".",
        trace_heartbeat_501,
    ),
    // #44
    on_request(
        "GET_HEARTBEAT_204",
        14,
        "GET /heartbeat (204)",
        "Check that the server is alive.",
        get_heartbeat_204,
    ),
    // #45
    on_request(
        "OVERRIDE_DELETE_HEARTBEAT_405",
        15,
        "POST /heartbeat as DELETE (405)",
        "Make a POST act as DELETE with X-HTTP-Method-Override.",
        |ex| posted_to_heartbeat_as(ex, "delete"),
    ),
    // #46
    on_request(
        "OVERRIDE_PATCH_HEARTBEAT_500",
        15,
        "POST /heartbeat as PATCH (500)",
        "Make a POST act as PATCH with X-HTTP-Method-Override.",
        |ex| posted_to_heartbeat_as(ex, "patch"),
    ),
    // #47
    on_request(
        "OVERRIDE_TRACE_HEARTBEAT_501",
        15,
        "POST /heartbeat as Trace (501)",
        "Make a POST act as TRACE with X-HTTP-Method-Override.",
        |ex| posted_to_heartbeat_as(ex, "trace"),
    ),
    // #48
    on_response(
        "CREATE_SECRET_TOKEN_401",
        16,
        "POST /secret/token (401)",
        "Ask for a secret token with the wrong Basic credentials.",
        create_secret_token_401,
    ),
    // #49
    on_response(
        "CREATE_SECRET_TOKEN_201",
        16,
        "POST /secret/token (201)",
        "Get a secret token with the right Basic credentials.",
        create_secret_token_201,
    ),
    // #50
    on_response(
        "GET_SECRET_NOTE_403",
        17,
        "GET /secret/note (403)",
        "Read the secret note with a token that is not yours.",
        get_secret_note_403,
    ),
    // #51
    on_response(
        "GET_SECRET_NOTE_401",
        17,
        "GET /secret/note (401)",
        "Read the secret note without any token.",
        get_secret_note_401,
    ),
    // #52
    on_response(
        "GET_SECRET_NOTE_200",
        17,
        "GET /secret/note (200)",
        "Read the secret note with your token.",
        get_secret_note_200,
    ),
    // #53
    on_response(
        "POST_SECRET_NOTE_200",
        17,
        "POST /secret/note (200)",
        "Store a secret note with your token.",
        post_secret_note_200,
    ),
    // #54
    on_response(
        "POST_SECRET_NOTE_401",
        17,
        "POST /secret/note (401)",
        "Try to store a secret note without any token.",
        post_secret_note_401,
    ),
    // #55
    on_response(
        "POST_SECRET_NOTE_403",
        17,
        "POST /secret/note (403)",
        "Try to store a secret note with a token that is not yours.",
        post_secret_note_403,
    ),
    // #56
    on_response(
        "GET_SECRET_NOTE_BEARER_200",
        17,
        "GET /secret/note (Bearer)",
        "Read the secret note, sending your token as a Bearer credential.",
        get_secret_note_bearer_200,
    ),
    // #57
    on_response(
        "POST_SECRET_NOTE_BEARER_200",
        17,
        "POST /secret/note (Bearer)",
        "Store a secret note, sending your token as a Bearer credential.",
        post_secret_note_bearer_200,
    ),
    // #58
    on_response(
        "DELETE_ALL_TODOS",
        18,
        "DELETE /todos/{id} (200) all",
        "Delete todos until none are left.",
        |ex| deleted(ex) && ex.store.is_empty(),
    ),
    // #59
    on_response(
        "POST_ALL_TODOS",
        18,
        "POST /todos (201) all",
        "Keep creating todos until the limit of 20 refuses one.",
        |ex| {
            create_refused(
                ex,
                "ERROR: Cannot add instance, maximum limit of 20 reached",
            )
        },
    ),
];

/// POST on the collection answered 201.
fn created(ex: &Exchange) -> bool {
    ex.is("POST", "todos") && ex.status() == 201
}

/// POST on the collection answered 400 with a message containing `fragment`.
fn create_refused(ex: &Exchange, fragment: &str) -> bool {
    ex.is("POST", "todos") && ex.status() == 400 && ex.message_contains(fragment)
}

/// POST on any path starting with `todo` answered 400 (#11, #12 trap create and amend).
fn post_todo_prefix_400(ex: &Exchange) -> bool {
    ex.method == "POST" && ex.path.starts_with("todo") && ex.status() == 400
}

/// PUT on `todos/{x}` answered with this status.
fn put_item(ex: &Exchange, status: u16) -> bool {
    ex.method == "PUT" && ex.is_todo_item() && ex.status() == status
}

/// PUT on `todos/{x}` answered 400 with `fragment` somewhere in the body.
fn put_refused(ex: &Exchange, fragment: &str) -> bool {
    put_item(ex, 400) && ex.response_text().contains(fragment)
}

/// DELETE on `todos/{x}` answered 200.
fn deleted(ex: &Exchange) -> bool {
    ex.method == "DELETE" && ex.is_todo_item() && ex.status() == 200
}

/// GET on the collection, no query, answered 200 in this media type.
fn listed_as(ex: &Exchange, media_type: &str) -> bool {
    ex.is("GET", "todos") && ex.no_query() && ex.status() == 200 && ex.response_type() == media_type
}

fn sent_xml(ex: &Exchange) -> bool {
    accept::is_xml(ex.header("content-type"))
}

fn sent_json(ex: &Exchange) -> bool {
    accept::is_json(ex.header("content-type"))
}

/// A real POST on `heartbeat` whose `X-HTTP-Method-Override` names `method` (any case).
fn posted_to_heartbeat_as(ex: &Exchange, method: &str) -> bool {
    ex.is("POST", "heartbeat")
        && ex
            .header("x-http-method-override")
            .is_some_and(|v| v.trim().eq_ignore_ascii_case(method))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::challenges::catalogue::Phase;
    use std::collections::HashSet;

    #[test]
    fn fifty_nine_unique_challenges_in_nineteen_sections() {
        assert_eq!(CLASSIC.len(), 59);
        assert_eq!(CLASSIC_SECTIONS.len(), 19);
        let keys: HashSet<&str> = CLASSIC.iter().map(|c| c.key).collect();
        let titles: HashSet<&str> = CLASSIC.iter().map(|c| c.title).collect();
        assert_eq!((keys.len(), titles.len()), (59, 59));
        assert!(CLASSIC.iter().all(|c| !c.title.contains("/api")));
        let sections: Vec<usize> = CLASSIC.iter().map(|c| c.section).collect();
        assert!(sections.windows(2).all(|w| w[0] <= w[1]));
        assert_eq!(sections.last(), Some(&18));
    }

    #[test]
    fn section_boundaries_follow_the_reference_gui() {
        let first_of = |section: usize| CLASSIC.iter().position(|c| c.section == section);
        let expected = [
            0, 1, 2, 7, 8, 15, 16, 18, 22, 23, 24, 30, 33, 38, 40, 44, 47, 49, 57,
        ];
        for (section, start) in expected.iter().enumerate() {
            assert_eq!(first_of(section), Some(*start), "section {section}");
        }
    }

    #[test]
    fn only_the_documented_rules_run_before_the_response() {
        let request: Vec<usize> = CLASSIC
            .iter()
            .enumerate()
            .filter(|(_, c)| c.phase == Phase::Request)
            .map(|(i, _)| i + 1)
            .collect();
        assert_eq!(request, [2, 3, 8, 34, 41, 42, 43, 44, 45, 46, 47]);
        let multi_only: Vec<&str> = CLASSIC
            .iter()
            .filter(|c| c.availability != Availability::Always)
            .map(|c| c.key)
            .collect();
        assert_eq!(multi_only, ["PUT_NEW_RESTORED_CHALLENGER_PROGRESS_STATUS"]);
    }

    #[test]
    fn exact_titles_at_known_positions() {
        assert_eq!(CLASSIC[0].title, "POST /challenger (201)");
        assert_eq!(CLASSIC[15].title, "PUT /todos/{id} (400)");
        assert_eq!(CLASSIC[33].key, "GET_RESTORABLE_CHALLENGER_PROGRESS_STATUS");
        assert_eq!(CLASSIC[46].title, "POST /heartbeat as Trace (501)");
        assert_eq!(CLASSIC[58].title, "POST /todos (201) all");
        assert_eq!(CLASSIC[58].key, "POST_ALL_TODOS");
    }
}
