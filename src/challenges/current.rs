//! The current catalogue: the 99 challenges of today's reference, in order, each row
//! holding its key, section, exact title, our description and its completion rule.
//! Rules shared with the classic table and the conditions rules are built from live
//! in `catalogue`.

use super::catalogue::*;
use crate::todo::negotiation::predicates;
use crate::todo::query::Op;

/// Index of a challenge in [`CURRENT`] by its key (e.g. `GET_TODOS`).
pub fn find(key: &str) -> Option<usize> {
    CURRENT.iter().position(|c| c.key == key)
}

/// Section titles of the current profile, in order, exactly as the reference shows them.
pub static CURRENT_SECTIONS: &[&str] = &[
    "Getting Started",
    "First Real Challenge",
    "GET Challenges",
    "GET Filter Challenges",
    "GET Sorted Challenges",
    "GET Pagination Challenges",
    "HEAD Challenges",
    "Creation Challenges with POST",
    "Creation Challenges with PUT",
    "Update Challenges with POST",
    "Update Challenges with PUT",
    "DELETE Challenges",
    "QUERY Challenges",
    "PATCH Challenges",
    "OPTIONS Challenges",
    "Accept Challenges",
    "Advanced Accept Challenges",
    "Content-Type Challenges",
    "Content-Disposition Challenges",
    "Fancy a Break? Restore your session",
    "Mix Accept and Content-Type Challenges",
    "Status Code Challenges",
    "HTTP Method Override Challenges",
    "Authentication Challenges",
    "Authorization Challenges",
    "Miscellaneous Challenges",
];

/// The 99 challenges of the current profile, in catalogue order (the full set; see `Availability`).
/// Sections: see `CURRENT_SECTIONS`; the comment before each row is its catalogue number.
pub static CURRENT: &[Challenge] = &[
    // #1
    on_response(
        "CREATE_NEW_CHALLENGER",
        0,
        "POST /api/challenger (201)",
        "Start a new challenger session and keep its GUID for later calls.",
        create_new_challenger,
    ),
    // #2
    on_request(
        "GET_CHALLENGES",
        1,
        "GET /api/challenges (200)",
        "Read the challenge list, which also reports your progress.",
        get_challenges,
    ),
    // #3
    on_request(
        "GET_TODOS",
        2,
        "GET /api/todos (200)",
        "List every todo.",
        get_todos,
    ),
    // #4
    on_response(
        "GET_TODOS_NOT_PLURAL_404",
        2,
        "GET /api/todo (404) not plural",
        "Ask for the singular collection name and see that it does not exist.",
        |ex| ex.is("GET", "todo") && ex.status() == 404,
    ),
    // #5
    on_response(
        "GET_TODO",
        2,
        "GET /api/todos/{id} (200)",
        "Fetch a single existing todo by id.",
        |ex| ex.method == "GET" && is_todo_route(ex) && ex.status() == 200,
    ),
    // #6
    on_response(
        "GET_TODO_404",
        2,
        "GET /api/todos/{id} (404)",
        "Fetch a todo id that does not exist.",
        |ex| ex.method == "GET" && is_todo_route(ex) && ex.status() == 404,
    ),
    // #7
    on_response(
        "GET_TODOS_FILTERED",
        3,
        "GET /api/todos (200) ?filter",
        "List only the done todos while the list holds both done and open ones.",
        filtered_done,
    ),
    // #8
    on_response(
        "GET_TODOS_FILTERED_ID_GREATER_THAN",
        3,
        "GET /api/todos (200) ?filter id greater than",
        "Filter on ids above a number so that some, but not all, todos come back.",
        |ex| id_filter_subset(ex, Op::Gt, |id, v| id > v),
    ),
    // #9
    on_response(
        "GET_TODOS_FILTERED_ID_LESS_THAN",
        3,
        "GET /api/todos (200) ?filter id less than",
        "Filter on ids below a number so that some, but not all, todos come back.",
        |ex| id_filter_subset(ex, Op::Lt, |id, v| id < v),
    ),
    // #10
    on_response(
        "GET_TODOS_FILTERED_ID_SINGLE_RESULT",
        3,
        "GET /api/todos (200) ?filter id single result",
        "Filter on one exact id and get exactly that todo back from a larger list.",
        filtered_single_id,
    ),
    // #11
    on_response(
        "GET_TODOS_FILTERED_DESCRIPTION_REGEX",
        3,
        "GET /api/todos (200) ?filter description regex",
        "Select todos whose description matches a regular expression.",
        |ex| descriptions_match(ex, Op::Regex, regex_source),
    ),
    // #12
    on_response(
        "GET_TODOS_FILTERED_DESCRIPTION_WILDCARD",
        3,
        "GET /api/todos (200) ?filter description wildcard",
        "Select todos whose description matches a wildcard pattern.",
        |ex| descriptions_match(ex, Op::Wildcard, wildcard_source),
    ),
    // #13
    on_response(
        "GET_TODOS_SORTED_ASCENDING",
        4,
        "GET /api/todos (200) ?_sortBy ascending",
        "Sort the todo list ascending on a single field.",
        |ex| single_sort(ex, false),
    ),
    // #14
    on_response(
        "GET_TODOS_SORTED_DESCENDING",
        4,
        "GET /api/todos (200) ?_sortBy descending",
        "Sort the todo list descending on a single field.",
        |ex| single_sort(ex, true),
    ),
    // #15
    on_response(
        "GET_TODOS_SORTED_MULTIPLE_FIELDS",
        4,
        "GET /api/todos (200) ?_sortBy multiple",
        "Sort the todo list on two or more fields.",
        |ex| get_todos_ok(ex) && ex.query().sort.len() >= 2 && sorts_valid(ex.query()),
    ),
    // #16
    on_response(
        "GET_TODOS_FILTERED_AND_SORTED",
        4,
        "GET /api/todos (200) ?filter&_sortBy",
        "Filter the todo list and sort the result in one request.",
        filtered_and_sorted,
    ),
    // #17
    on_response(
        "GET_TODOS_PAGINATED_LIMIT",
        5,
        "GET /api/todos (200) ?_limit",
        "Limit the todo list to a page of 8.",
        paged_limit,
    ),
    // #18
    on_response(
        "GET_TODOS_PAGINATED_LIMIT_OFFSET",
        5,
        "GET /api/todos (200) ?_limit&_offset",
        "Fetch the second page of 5 todos.",
        paged_limit_offset,
    ),
    // #19
    on_request(
        "GET_TODOS_PAGINATED_LIMIT_TOO_HIGH",
        5,
        "GET /api/todos (400) ?_limit too high",
        "Ask for a page larger than the maximum of 20 and be refused.",
        |ex| ex.is("GET", "todos") && ex.query().limit_value().is_some_and(|l| l > MAX_PAGE_LIMIT),
    ),
    // #20
    on_response(
        "GET_TODOS_PAGINATED_SORTED",
        5,
        "GET /api/todos (200) ?_sortBy&_limit&_offset",
        "Sort by id descending and fetch the second page of 5.",
        paged_sorted,
    ),
    // #21
    on_response(
        "GET_TODOS_PAGINATED_FILTERED",
        5,
        "GET /api/todos (200) ?filter&_limit&_offset",
        "Filter to open todos, skip the first one and take the next 2.",
        paged_filtered,
    ),
    // #22
    on_request(
        "GET_HEAD_TODOS",
        6,
        "HEAD /api/todos (200)",
        "Fetch only the headers of the todo list.",
        get_head_todos,
    ),
    // #23
    on_response(
        "POST_TODOS",
        7,
        "POST /api/todos (201)",
        "Create a todo.",
        |ex| ex.is("POST", "todos") && ex.status() == 201,
    ),
    // #24
    on_response(
        "POST_TODOS_BAD_DONE_STATUS",
        7,
        "POST /api/todos (422) doneStatus",
        "Try to create a todo whose doneStatus is not a boolean.",
        |ex| {
            ex.is("POST", "todos")
                && ex.status() == 422
                && ex.message_contains("Failed Validation: doneStatus should be BOOLEAN")
        },
    ),
    // #25
    on_response(
        "POST_TODOS_TOO_LONG_TITLE_LENGTH",
        7,
        "POST /api/todos (422) title too long",
        "Try to create a todo with a title longer than allowed.",
        |ex| {
            post_todo_prefix_422(ex) && ex.message_contains("Failed Validation: Maximum allowable length exceeded for title - maximum allowed is 50")
        },
    ),
    // #26
    on_response(
        "POST_TODOS_TOO_LONG_DESCRIPTION_LENGTH",
        7,
        "POST /api/todos (422) description too long",
        "Try to create a todo with a description longer than allowed.",
        |ex| {
            post_todo_prefix_422(ex) && ex.message_contains("Failed Validation: Maximum allowable length exceeded for description - maximum allowed is 200")
        },
    ),
    // #27
    on_response(
        "POST_MAX_OUT_TITLE_DESCRIPTION_LENGTH",
        7,
        "POST /api/todos (201) max out content",
        "Create a todo whose title and description are both exactly at their maximum length.",
        created_at_limits,
    ),
    // #28
    on_response(
        "POST_TODOS_TOO_LONG_PAYLOAD_SIZE",
        7,
        "POST /api/todos (413) content too long",
        "Send a create request whose body is bigger than the size limit.",
        |ex| {
            ex.is("POST", "todos")
                && ex.status() == 413
                && ex
                    .messages()
                    .iter()
                    .any(|m| m.to_lowercase().contains("request body too large"))
        },
    ),
    // #29
    on_response(
        "POST_TODOS_INVALID_EXTRA_FIELD",
        7,
        "POST /api/todos (422) extra",
        "Try to create a todo with a field the model does not know.",
        |ex| {
            ex.is("POST", "todos")
                && ex.status() == 422
                && ex.message_contains("Could not find field:")
        },
    ),
    // #30
    on_response(
        "PUT_TODOS_422",
        8,
        "PUT /api/todos/{id} (422)",
        "Try to create a todo with PUT and learn that ids are assigned by the server.",
        |ex| {
            put_item(ex, 422)
                && ex
                    .response_text()
                    .contains("Cannot create todo with PUT due to Auto fields id")
        },
    ),
    // #31
    on_response(
        "POST_UPDATE_TODO",
        9,
        "POST /api/todos/{id} (200)",
        "Amend an existing todo with POST.",
        post_update_todo,
    ),
    // #32
    on_response(
        "POST_TODOS_404",
        9,
        "POST /api/todos/{id} (404)",
        "Try to amend a todo that does not exist with POST.",
        post_todos_404,
    ),
    // #33
    on_response(
        "PUT_TODOS_FULL_200",
        10,
        "PUT /api/todos/{id} full (200)",
        "Replace an existing todo with PUT, sending every field.",
        put_todos_full_200,
    ),
    // #34
    on_response(
        "PUT_TODOS_PARTIAL_200",
        10,
        "PUT /api/todos/{id} partial (200)",
        "Replace an existing todo with PUT, sending only its title.",
        put_todos_partial_200,
    ),
    // #35
    on_response(
        "PUT_TODOS_BODY_ID_200",
        10,
        "PUT /api/todos body id (200)",
        "Update a todo with PUT on the collection, naming it by an id in the body.",
        |ex| ex.is("PUT", "todos") && ex.status() == 200 && body_has_id(ex),
    ),
    // #36
    on_response(
        "PUT_TODOS_ID_NO_BODY_ID_200",
        10,
        "PUT /api/todos/{id} no body id (200)",
        "Update a todo with PUT, naming it only in the URL.",
        |ex| put_item(ex, 200) && !body_has_id(ex),
    ),
    // #37
    on_response(
        "PUT_TODOS_MISSING_TITLE_422",
        10,
        "PUT /api/todos/{id} no title (422)",
        "Try a PUT on an existing todo without the mandatory title.",
        |ex| put_item(ex, 422) && ex.response_text().contains("title : field is mandatory"),
    ),
    // #38
    on_response(
        "PUT_TODOS_NO_ID_422",
        10,
        "PUT /api/todos no id (422)",
        "Try a PUT on the collection without saying which todo to change.",
        |ex| ex.is("PUT", "todos") && ex.status() == 422 && !body_has_id(ex),
    ),
    // #39
    on_response(
        "PUT_TODOS_ID_NOT_FOUND_404",
        10,
        "PUT /api/todos/{id} not found (404)",
        "PUT to an id that does not exist, with no id in the body, and get 404.",
        |ex| put_item(ex, 404) && !body_has_id(ex),
    ),
    // #40
    on_response(
        "PUT_TODOS_422_NO_AMEND_ID",
        10,
        "PUT /api/todos/{id} no amend id (422)",
        "Try a PUT that would change a todo's id.",
        |ex| put_item(ex, 422) && ex.response_text().contains("Can not amend id from"),
    ),
    // #41
    on_response(
        "DELETE_A_TODO",
        11,
        "DELETE /api/todos/{id} (204)",
        "Delete an existing todo.",
        |ex| ex.method == "DELETE" && ex.is_todo_item() && ex.status() == 204,
    ),
    // #42
    on_response(
        "QUERY_TODOS_FILTERED",
        12,
        "QUERY /api/todos (200)",
        "Use QUERY with a form-encoded filter in the body to find the done todos.",
        query_form_done,
    ),
    // #43
    on_response(
        "QUERY_TODOS_JSONPATH_FILTERED",
        12,
        "QUERY /api/todos (200) JSONPath",
        "Use QUERY with a JSONPath expression in the body to find the done todos.",
        query_jsonpath_done,
    ),
    // #44
    on_response(
        "QUERY_TODOS_STRUCTURED_JSON_FILTERED",
        12,
        "QUERY /api/todos (200) Structured JSON",
        "Use QUERY with a structured JSON query document to find the done todos.",
        query_structured_done,
    ),
    // #45
    on_response(
        "PATCH_TODOS_PARTIAL_200",
        13,
        "PATCH /api/todos/{id} (200) partial",
        "Change some fields of a todo with PATCH and a plain JSON body.",
        |ex| patched_with(ex, "application/json"),
    ),
    // #46
    on_response(
        "PATCH_TODOS_MERGE_PATCH_200",
        13,
        "PATCH /api/todos/{id} (200) merge-patch",
        "Change a todo with PATCH and a JSON Merge Patch document.",
        |ex| patched_with(ex, "application/merge-patch+json"),
    ),
    // #47
    on_response(
        "PATCH_TODOS_JSON_PATCH_200",
        13,
        "PATCH /api/todos/{id} (200) json-patch",
        "Change a todo with PATCH and a JSON Patch operation list.",
        |ex| patched_with(ex, "application/json-patch+json"),
    ),
    // #48
    on_response(
        "OPTIONS_TODOS",
        14,
        "OPTIONS /api/todos (200)",
        "Find out which methods the todo collection allows.",
        options_todos,
    ),
    // #49
    on_response(
        "GET_ACCEPT_XML",
        15,
        "GET /api/todos (200) XML",
        "Get the todo list as XML.",
        |ex| plain_list_answered(ex, 200, "application/xml") && predicates::allows_xml(ex.accept()),
    ),
    // #50
    on_response(
        "GET_ACCEPT_JSON",
        15,
        "GET /api/todos (200) JSON",
        "Get the todo list as JSON, asking for it explicitly.",
        |ex| {
            plain_list_answered(ex, 200, "application/json")
                && predicates::lists(ex.accept(), "application/json")
        },
    ),
    // #51
    on_response(
        "GET_ACCEPT_ANY_DEFAULT_JSON",
        15,
        "GET /api/todos (200) ANY",
        "Accept any format and get the default, JSON.",
        |ex| {
            plain_list_answered(ex, 200, "application/json")
                && predicates::lists(ex.accept(), "*/*")
        },
    ),
    // #52
    on_response(
        "GET_ACCEPT_XML_PREFERRED",
        15,
        "GET /api/todos (200) XML pref",
        "Accept both XML and JSON, prefer XML, and get XML.",
        xml_preferred,
    ),
    // #53
    on_response(
        "GET_JSON_BY_DEFAULT_NO_ACCEPT",
        15,
        "GET /api/todos (200) no accept",
        "Send no Accept header and get the default, JSON.",
        |ex| plain_list_answered(ex, 200, "application/json") && predicates::missing(ex.accept()),
    ),
    // #54
    on_response(
        "GET_UNSUPPORTED_ACCEPT_406",
        15,
        "GET /api/todos (406)",
        "Ask for a format the API cannot produce and get 406.",
        |ex| plain_get_todos(ex) && ex.status() == 406 && predicates::unsupported(ex.accept()),
    ),
    // #55
    on_response(
        "GET_TODO_ACCEPT_TEXT_CALENDAR",
        15,
        "GET /api/todos/{id} (200) text/calendar",
        "Fetch a single todo as an iCalendar VTODO.",
        |ex| {
            ex.method == "GET"
                && ex.is_single_todo_segment()
                && ex.status() == 200
                && predicates::prefers_calendar(ex.accept())
        },
    ),
    // #56
    on_response(
        "GET_ACCEPT_XML_Q_PREFERRED",
        16,
        "GET /api/todos (200) q XML preferred",
        "Prefer XML over JSON with quality values.",
        |ex| {
            plain_list_answered(ex, 200, "application/xml")
                && accept_normalised_is(ex, "application/json;q=0.5,application/xml;q=1")
        },
    ),
    // #57
    on_response(
        "GET_ACCEPT_JSON_Q_PREFERRED",
        16,
        "GET /api/todos (200) q JSON preferred",
        "Prefer JSON over XML with quality values.",
        |ex| {
            plain_list_answered(ex, 200, "application/json")
                && accept_normalised_is(ex, "application/xml;q=0.5,application/json;q=1")
        },
    ),
    // #58
    on_response(
        "GET_ACCEPT_Q_REJECTS_ALL_406",
        16,
        "GET /api/todos (406) q rejects all",
        "Rule out both JSON and XML with q=0 and get 406.",
        |ex| {
            plain_get_todos(ex)
                && ex.status() == 406
                && accept_normalised_is(ex, "application/json;q=0,application/xml;q=0")
        },
    ),
    // #59
    on_response(
        "GET_UNSUPPORTED_STRUCTURED_JSON_ACCEPT_406",
        16,
        "GET /api/todos (406) unsupported +json",
        "Ask for a structured +json type that plain JSON does not satisfy and get 406.",
        structured_json_refused,
    ),
    // #60
    on_response(
        "GET_ACCEPT_TEXT_XML",
        16,
        "GET /api/todos (200) text/xml",
        "Get the todo list as text/xml.",
        |ex| plain_list_answered(ex, 200, "text/xml") && accept_normalised_is(ex, "text/xml"),
    ),
    // #61
    on_response(
        "GET_ACCEPT_VENDOR_XML",
        16,
        "GET /api/todos (200) vendor XML",
        "Get the todo list in the todo vendor XML type.",
        |ex| plain_list_answered(ex, 200, VENDOR_XML) && accept_normalised_is(ex, VENDOR_XML),
    ),
    // #62
    on_response(
        "GET_ACCEPT_STRUCTURED_XML_WILDCARD",
        16,
        "GET /api/todos (200) structured XML wildcard",
        "Ask for any XML-based application type and get a todo XML type.",
        |ex| {
            plain_list_answered(ex, 200, "application/todo+xml")
                && accept_normalised_is(ex, "application/*+xml")
        },
    ),
    // #63
    on_response(
        "POST_CREATE_XML",
        17,
        "POST /api/todos XML",
        "Create a todo from XML and get XML back.",
        |ex| created(ex) && is_xml_content(ex) && ex.response_type() == "application/xml",
    ),
    // #64
    on_response(
        "POST_CREATE_JSON",
        17,
        "POST /api/todos JSON",
        "Create a todo from JSON, asking for JSON back.",
        |ex| {
            created(ex)
                && is_json_content(ex)
                && ex.response_type() == "application/json"
                && predicates::lists(ex.accept(), "application/json")
        },
    ),
    // #65
    on_response(
        "POST_CREATE_VENDOR_XML",
        17,
        "POST /api/todos vendor XML",
        "Create a todo from XML sent with the todo vendor media type.",
        |ex| created(ex) && ex.content_media_type() == VENDOR_XML,
    ),
    // #66
    on_response(
        "POST_TODOS_415",
        17,
        "POST /api/todos (415)",
        "Send a create request in a content type the API does not accept.",
        post_todos_415,
    ),
    // #67
    on_response(
        "GET_TODOS_EXPORT_CSV_CONTENT_DISPOSITION",
        18,
        "GET /api/todos/export (200) CSV download",
        "Download the todo list as a CSV file.",
        |ex| exported_as(ex, "filename=\"todos.csv\""),
    ),
    // #68
    on_response(
        "GET_TODOS_EXPORT_HTML_CONTENT_DISPOSITION",
        18,
        "GET /api/todos/export (200) HTML download",
        "Download the todo list as an HTML file.",
        |ex| exported_as(ex, "filename=\"todos.html\""),
    ),
    // #69
    on_response(
        "GET_TODOS_EXPORT_TSV_CONTENT_DISPOSITION",
        18,
        "GET /api/todos/export (200) tab-delimited download",
        "Download the todo list as a tab-separated file.",
        |ex| exported_as(ex, "filename=\"todos.tsv\""),
    ),
    // #70
    only_in(
        Availability::MultiUserWithStorage,
        on_response(
            "GET_RESTORE_EXISTING_CHALLENGER",
            19,
            "GET /api/challenger/guid (200)",
            "Bring a saved challenger back into memory by fetching it by GUID.",
            |ex| {
                ex.method == "GET"
                    && ex.path.starts_with("challenger/")
                    && ex.status() == 200
                    && ex.loaded_from_storage
            },
        ),
    ),
    // #71
    only_in(
        Availability::MultiUserWithStorage,
        on_response(
            "POST_RESTORE_EXISTING_CHALLENGER",
            19,
            "POST /api/challenger (existing X-CHALLENGER)",
            "Bring a saved challenger back into memory by POSTing with its GUID.",
            reloaded_by_post,
        ),
    ),
    // #72
    on_request(
        "GET_RESTORABLE_CHALLENGER_PROGRESS_STATUS",
        19,
        "GET /api/challenger/guid (existing X-CHALLENGER)",
        "Download your own progress so that it can be restored later.",
        get_restorable_challenger_progress_status,
    ),
    // #73
    on_response(
        "PUT_RESTORABLE_CHALLENGER_PROGRESS_STATUS",
        19,
        "PUT /api/challenger/guid RESTORE",
        "Overwrite a challenger's progress with a saved copy.",
        put_restorable_challenger_progress_status,
    ),
    // #74
    on_response(
        "PUT_CHALLENGER_GUID_MISMATCH_409",
        19,
        "PUT /api/challenger/guid (409) mismatch",
        "Send saved progress to a URL whose GUID differs from the one in the payload.",
        |ex| {
            ex.method == "PUT"
                && ex.path.starts_with("challenger/")
                && ex.status() == 409
                && ex
                    .response_text()
                    .contains("URL GUID does not match payload X-CHALLENGER")
        },
    ),
    // #75
    only_in(
        Availability::MultiUser,
        on_response(
            "PUT_NEW_RESTORED_CHALLENGER_PROGRESS_STATUS",
            19,
            "PUT /api/challenger/guid CREATE",
            "Recreate a challenger that is not in memory from saved progress.",
            put_new_restored_challenger_progress_status,
        ),
    ),
    // #76
    on_response(
        "GET_RESTORABLE_TODOS",
        19,
        "GET /api/challenger/database/guid (200)",
        "Download your todo data so that it can be restored later.",
        get_restorable_todos,
    ),
    // #77
    on_response(
        "PUT_RESTORABLE_TODOS",
        19,
        "PUT /api/challenger/database/guid (Update)",
        "Replace your todo data with a saved copy.",
        put_restorable_todos,
    ),
    // #78
    on_response(
        "POST_CREATE_XML_ACCEPT_JSON",
        20,
        "POST /api/todos XML to JSON",
        "Create a todo from XML and get JSON back.",
        |ex| {
            created(ex)
                && is_xml_content(ex)
                && ex.response_type() == "application/json"
                && predicates::lists(ex.accept(), "application/json")
        },
    ),
    // #79
    on_response(
        "POST_CREATE_JSON_ACCEPT_XML",
        20,
        "POST /api/todos JSON to XML",
        "Create a todo from JSON and get XML back.",
        |ex| created(ex) && is_json_content(ex) && ex.response_type() == "application/xml",
    ),
    // #80
    on_request(
        "DELETE_HEARTBEAT_405",
        21,
        "DELETE /api/heartbeat (405)",
        "Use a method that the heartbeat does not allow.",
        delete_heartbeat_405,
    ),
    // #81
    on_request(
        "PATCH_HEARTBEAT_500",
        21,
        "PATCH /api/heartbeat (500)",
        "Trigger the heartbeat's deliberate server error.",
        patch_heartbeat_500,
    ),
    // #82
    on_request(
        "TRACE_HEARTBEAT_501",
        21,
        "TRACE /api/heartbeat (501)",
        "Send TRACE to the heartbeat and get \"not implemented\".",
        trace_heartbeat_501,
    ),
    // #83
    on_request(
        "GET_HEARTBEAT_204",
        21,
        "GET /api/heartbeat (204)",
        "Check that the server is alive.",
        get_heartbeat_204,
    ),
    // #84
    on_request(
        "X_CHALLENGER_TOO_LONG_431",
        21,
        "GET /api/heartbeat (431) X-CHALLENGER too long",
        "Send an X-CHALLENGER header longer than 100 characters and get 431.",
        oversized_challenger_header,
    ),
    // #85
    on_request(
        "OVERRIDE_DELETE_HEARTBEAT_405",
        22,
        "POST /api/heartbeat as DELETE (405)",
        "Make a POST act as DELETE with X-HTTP-Method-Override.",
        |ex| overrides_heartbeat_as(ex, "delete"),
    ),
    // #86
    on_request(
        "OVERRIDE_PATCH_HEARTBEAT_500",
        22,
        "POST /api/heartbeat as PATCH (500)",
        "Make a POST act as PATCH with X-HTTP-Method-Override.",
        |ex| overrides_heartbeat_as(ex, "patch"),
    ),
    // #87
    on_request(
        "OVERRIDE_TRACE_HEARTBEAT_501",
        22,
        "POST /api/heartbeat as Trace (501)",
        "Make a POST act as TRACE with X-HTTP-Method-Override.",
        |ex| overrides_heartbeat_as(ex, "trace"),
    ),
    // #88
    on_response(
        "CREATE_SECRET_TOKEN_401",
        23,
        "POST /api/secret/token (401)",
        "Ask for a secret token with the wrong Basic credentials.",
        create_secret_token_401,
    ),
    // #89
    on_response(
        "CREATE_SECRET_TOKEN_201",
        23,
        "POST /api/secret/token (201)",
        "Get a secret token with the right Basic credentials.",
        create_secret_token_201,
    ),
    // #90
    on_response(
        "GET_SECRET_NOTE_403",
        24,
        "GET /api/secret/note (403)",
        "Read the secret note with a token that is not yours.",
        get_secret_note_403,
    ),
    // #91
    on_response(
        "GET_SECRET_NOTE_401",
        24,
        "GET /api/secret/note (401)",
        "Read the secret note without any token.",
        get_secret_note_401,
    ),
    // #92
    on_response(
        "GET_SECRET_NOTE_200",
        24,
        "GET /api/secret/note (200)",
        "Read the secret note with your token.",
        get_secret_note_200,
    ),
    // #93
    on_response(
        "POST_SECRET_NOTE_200",
        24,
        "POST /api/secret/note (200)",
        "Store a secret note with your token.",
        post_secret_note_200,
    ),
    // #94
    on_response(
        "POST_SECRET_NOTE_401",
        24,
        "POST /api/secret/note (401)",
        "Try to store a secret note without any token.",
        post_secret_note_401,
    ),
    // #95
    on_response(
        "POST_SECRET_NOTE_403",
        24,
        "POST /api/secret/note (403)",
        "Try to store a secret note with a token that is not yours.",
        post_secret_note_403,
    ),
    // #96
    on_response(
        "GET_SECRET_NOTE_BEARER_200",
        24,
        "GET /api/secret/note (Bearer)",
        "Read the secret note, sending your token as a Bearer credential.",
        get_secret_note_bearer_200,
    ),
    // #97
    on_response(
        "POST_SECRET_NOTE_BEARER_200",
        24,
        "POST /api/secret/note (Bearer)",
        "Store a secret note, sending your token as a Bearer credential.",
        post_secret_note_bearer_200,
    ),
    // #98
    on_response(
        "DELETE_ALL_TODOS",
        25,
        "DELETE /api/todos/{id} (204) all",
        "Delete todos until none are left.",
        |ex| {
            ex.method == "DELETE" && ex.is_todo_item() && ex.status() == 204 && ex.store.is_empty()
        },
    ),
    // #99
    on_response(
        "POST_ALL_TODOS",
        25,
        "POST /api/todos (409) max todos",
        "Keep creating todos until the limit of 20 refuses one.",
        |ex| {
            ex.is("POST", "todos")
                && ex.status() == 409
                && ex.message_contains("ERROR: Cannot add instance, maximum limit of 20 reached")
        },
    ),
];
