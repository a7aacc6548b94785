//! The classic catalogue: the 59 challenges of the 2024-2026 hosted instance, in order, with their
//! exact titles, keys and completion rules, and what the progress page teaches with
//! (hints, a worked example, the reference's solution and video links). Paths are root paths (there is no `/api`),
//! and rules look at the real method, never an `X-HTTP-Method-Override`.

use super::catalogue::{
    bare, create_new_challenger, create_secret_token_201, create_secret_token_401,
    created_at_limits, delete_heartbeat_405, get_challenges, get_head_todos, get_heartbeat_204,
    get_restorable_challenger_progress_status, get_restorable_todos, get_secret_note_200,
    get_secret_note_401, get_secret_note_403, get_secret_note_bearer_200, get_todos, on_request,
    on_response, only_in, options_todos, patch_heartbeat_500, post_secret_note_200,
    post_secret_note_401, post_secret_note_403, post_secret_note_bearer_200, post_todos_404,
    post_todos_415, post_update_todo, put_new_restored_challenger_progress_status,
    put_restorable_challenger_progress_status, put_restorable_todos, put_todos_full_200,
    put_todos_partial_200, send, store_has_both, trace_heartbeat_501, with, Availability,
    Challenge, ADMIN_LOGIN, JSON_BODY, MY_TOKEN, WANTS_JSON, WANTS_XML, XML_BODY,
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
    )
    .teach(
        &[
            "Send the POST without an X-CHALLENGER header: the server creates a new challenger and answers 201 with its GUID in the X-CHALLENGER response header.",
            "Keep that GUID and send it as X-CHALLENGER on every later request; requests without it count for nobody.",
            "This page already belongs to a challenger, so this one is normally done: sending the example again starts a second, separate session.",
        ],
        bare("POST", "/challenger").anonymous(),
        "/apichallenges/solutions/create-session/post-challenger-201",
        Some("tNGuZMQgHxw"),
    ),
    // #2
    on_request(
        "GET_CHALLENGES",
        1,
        "GET /challenges (200)",
        "Read the challenge list, which also reports your progress.",
        get_challenges,
    )
    .teach(
        &[
            "Add your X-CHALLENGER header, or the list shows a blank scorecard instead of your progress.",
            "Each entry in the JSON answer has a status field that turns true once you complete that challenge.",
        ],
        bare("GET", "/challenges"),
        "/apichallenges/solutions/first-challenge/get-challenges-200",
        Some("DrAjk2NaPRo"),
    ),
    // #3
    on_request(
        "GET_TODOS",
        2,
        "GET /todos (200)",
        "List every todo.",
        get_todos,
    )
    .teach(
        &[
            "Without your X-CHALLENGER header you read a shared starting list, not your own todos.",
            "Use the plural collection name and no query string: exactly /todos.",
        ],
        bare("GET", "/todos"),
        "/apichallenges/solutions/get/get-todos-200",
        Some("OpisB0UZq0c"),
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
    )
    .teach(
        &[
            "The collection is called todos; asking for the singular name is the whole point here.",
            "No id and no query string: just /todo, and expect a 404.",
        ],
        bare("GET", "/todo"),
        "/apichallenges/solutions/get/get-todo-404",
        Some("gAJzqgcN9dc"),
    ),
    // #5
    on_response(
        "GET_TODO",
        2,
        "GET /todos/{id} (200)",
        "Fetch a single existing todo by id.",
        |ex| ex.method == "GET" && ex.is_todo_item() && ex.status() == 200,
    )
    .teach(
        &[
            "Put a real number where the title says {id}, for example /todos/1; the braces are not part of the URL.",
            "The id must belong to one of your todos; list them first with GET /todos if you are unsure.",
        ],
        bare("GET", "/todos/{id}"),
        "/apichallenges/solutions/get/get-todos-id-200",
        Some("JDbbSY3U_rY"),
    ),
    // #6
    on_response(
        "GET_TODO_404",
        2,
        "GET /todos/{id} (404)",
        "Fetch a todo id that does not exist.",
        |ex| ex.method == "GET" && ex.is_todo_item() && ex.status() == 404,
    )
    .teach(
        &[
            "Choose a whole number that none of your todos has, such as a very large one.",
            "Keep the shape /todos/<number>: only the number should be unknown.",
        ],
        bare("GET", "/todos/{missing}"),
        "/apichallenges/solutions/get/get-todos-id-404",
        Some("1S5kpd8-xfM"),
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
    )
    .teach(
        &[
            "A filter is a query parameter named after a field: ?doneStatus=true keeps only finished todos.",
            "The starting todos are all open: mark one done first (for example POST /todos/{id} with {\"doneStatus\":true}), so that the list holds both kinds.",
            "The filter must actually remove something, which is why open todos have to exist too.",
        ],
        with("GET", "/todos?doneStatus=true", &[WANTS_JSON]),
        "/apichallenges/solutions/get/get-todos-200-filter",
        Some("G-sLuhyPMuw"),
    ),
    // #8
    on_request(
        "GET_HEAD_TODOS",
        3,
        "HEAD /todos (200)",
        "Fetch only the headers of the todo list.",
        get_head_todos,
    )
    .teach(
        &[
            "HEAD asks for the headers a GET would send, without the body.",
            "Many tools hide HEAD in a menu of methods; with curl use -I or --head.",
        ],
        bare("HEAD", "/todos"),
        "/apichallenges/solutions/head/head-todos-200",
        Some("zKbytTelP84"),
    ),
    // #9
    on_response(
        "POST_TODOS",
        4,
        "POST /todos (201)",
        "Create a todo.",
        created,
    )
    .teach(
        &[
            "Send a JSON body with at least a title, and say so with Content-Type: application/json.",
            "Never send an id: the server assigns it and reports the new todo's address in the Location header.",
            "Without your X-CHALLENGER header a write is refused, because the shared list is read-only.",
        ],
        send("POST", "/todos", &[JSON_BODY], r#"{"title":"practise API testing","doneStatus":false,"description":"created from the worked example"}"#),
        "/apichallenges/solutions/post-create/post-todos-201",
        Some("T0LFHwavsNA"),
    ),
    // #10
    on_response(
        "POST_TODOS_BAD_DONE_STATUS",
        4,
        "POST /todos (400) doneStatus",
        "Try to create a todo whose doneStatus is not a boolean.",
        |ex| create_refused(ex, "Failed Validation: doneStatus should be BOOLEAN"),
    )
    .teach(
        &[
            "doneStatus has to be a JSON boolean; a string such as \"yes\" or a number fails validation with 400.",
            "Keep the rest of the body valid, so that the bad field is the only problem.",
        ],
        send("POST", "/todos", &[JSON_BODY], r#"{"title":"bad status","doneStatus":"yes"}"#),
        "/apichallenges/solutions/post-create/post-todos-400",
        Some("tlye5bQ72g0"),
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
    )
    .teach(
        &[
            "A title may hold at most 50 characters; send 51 to be refused with 400.",
            "A counter string (like the one in the example) shows at each * how many characters you have typed so far.",
        ],
        send("POST", "/todos", &[JSON_BODY], r#"{"title":"{chars:51}"}"#),
        "/apichallenges/solutions/post-create/post-todos-400-title-too-long",
        Some("tlye5bQ72g0"),
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
    )
    .teach(
        &[
            "A description may hold at most 200 characters; send 201.",
            "Keep the title valid so that only the description is refused.",
        ],
        send("POST", "/todos", &[JSON_BODY], r#"{"title":"long description","description":"{chars:201}"}"#),
        "/apichallenges/solutions/post-create/post-todos-400-description-too-long",
        Some("tlye5bQ72g0"),
    ),
    // #13
    on_response(
        "POST_MAX_OUT_TITLE_DESCRIPTION_LENGTH",
        4,
        "POST /todos (201) max out content",
        "Create a todo whose title and description are both exactly at their maximum length.",
        created_at_limits,
    )
    .teach(
        &[
            "Fill both fields exactly to their limits: 50 characters of title and 200 of description.",
            "Characters are counted, not bytes; plain letters and digits keep the arithmetic simple.",
        ],
        send("POST", "/todos", &[JSON_BODY], r#"{"title":"{chars:50}","description":"{chars:200}"}"#),
        "/apichallenges/solutions/post-create/post-todos-201-max-content",
        Some("tlye5bQ72g0"),
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
    )
    .teach(
        &[
            "The limit here is on the whole request body: more than 5000 bytes is refused with 413 before any field is checked.",
            "Pad any field with a long string; the example's description alone is 5000 characters.",
        ],
        send("POST", "/todos", &[JSON_BODY], r#"{"title":"too big","description":"{chars:5000}"}"#),
        "/apichallenges/solutions/post-create/post-todos-413-content-too-long",
        Some("tlye5bQ72g0"),
    ),
    // #15
    on_response(
        "POST_TODOS_INVALID_EXTRA_FIELD",
        4,
        "POST /todos (400) extra",
        "Try to create a todo with a field the model does not know.",
        |ex| create_refused(ex, "Could not find field:"),
    )
    .teach(
        &[
            "A todo has only id, title, doneStatus and description; any other field name is refused with 400.",
            "Send a valid todo plus one made-up field, such as priority.",
        ],
        send("POST", "/todos", &[JSON_BODY], r#"{"title":"with a priority","priority":"high"}"#),
        "/apichallenges/solutions/post-create/post-todos-400-extra-field",
        Some("tlye5bQ72g0"),
    ),
    // #16
    on_response(
        "PUT_TODOS_400",
        5,
        "PUT /todos/{id} (400)",
        "Try to create a todo with PUT and learn that ids are assigned by the server.",
        |ex| put_refused(ex, "Cannot create todo with PUT due to Auto fields id"),
    )
    .teach(
        &[
            "PUT to an id that does not exist, naming that same id in the body: the server cannot create a todo with an id you picked.",
            "Ids are assigned by the server; to create, POST to the collection instead.",
            "Without the id in the body the same request is a plain 404.",
        ],
        send("PUT", "/todos/{missing}", &[JSON_BODY], r#"{"id":{missing},"title":"created by PUT"}"#),
        "/apichallenges/solutions/put-create/put-todos-400-create",
        Some("T0LFHwavsNA"),
    ),
    // #17
    on_response(
        "POST_UPDATE_TODO",
        6,
        "POST /todos/{id} (200)",
        "Amend an existing todo with POST.",
        post_update_todo,
    )
    .teach(
        &[
            "POST to an existing todo's own address amends it; send only the fields you want to change.",
            "Use a real id in the path, for example /todos/1.",
        ],
        send("POST", "/todos/{id}", &[JSON_BODY], r#"{"title":"amended with POST"}"#),
        "/apichallenges/solutions/post-update/post-todos-id-200",
        Some("feXdRpZ_tgs"),
    ),
    // #18
    on_response(
        "POST_TODOS_404",
        6,
        "POST /todos/{id} (404)",
        "Try to amend a todo that does not exist with POST.",
        post_todos_404,
    )
    .teach(
        &[
            "Amend with POST, but at an id none of your todos has.",
            "The body can be valid: the missing todo is what should fail.",
        ],
        send("POST", "/todos/{missing}", &[JSON_BODY], r#"{"title":"nobody home"}"#),
        "/apichallenges/solutions/post-update/post-todos-id-404",
        Some("feXdRpZ_tgs"),
    ),
    // #19
    on_response(
        "PUT_TODOS_FULL_200",
        7,
        "PUT /todos/{id} full (200)",
        "Replace an existing todo with PUT, sending every field.",
        put_todos_full_200,
    )
    .teach(
        &[
            "PUT replaces a todo: send every field (title, doneStatus and description) but no id.",
            "Copy a todo from GET /todos/{id} and edit it if you are unsure of the shape.",
        ],
        send("PUT", "/todos/{id}", &[JSON_BODY], r#"{"title":"replaced","doneStatus":true,"description":"every field sent"}"#),
        "/apichallenges/solutions/put-update/put-todos-id-200-update-full",
        Some("T0LFHwavsNA"),
    ),
    // #20
    on_response(
        "PUT_TODOS_PARTIAL_200",
        7,
        "PUT /todos/{id} partial (200)",
        "Replace an existing todo with PUT, sending only its title.",
        put_todos_partial_200,
    )
    .teach(
        &[
            "Send just the title: the fields you leave out go back to their defaults.",
            "The title is the one field a PUT always needs.",
        ],
        send("PUT", "/todos/{id}", &[JSON_BODY], r#"{"title":"only a title"}"#),
        "/apichallenges/solutions/put-update/put-todos-id-200-update-partial",
        Some("T0LFHwavsNA"),
    ),
    // #21
    on_response(
        "PUT_TODOS_MISSING_TITLE_400",
        7,
        "PUT /todos/{id} no title (400)",
        "Try a PUT on an existing todo without the mandatory title.",
        |ex| put_refused(ex, "title : field is mandatory"),
    )
    .teach(
        &[
            "Because PUT replaces the whole todo, it needs a title; leave it out on purpose.",
            "POST can amend without a title; PUT cannot. That difference is the lesson.",
        ],
        send("PUT", "/todos/{id}", &[JSON_BODY], r#"{"description":"no title here"}"#),
        "/apichallenges/solutions/put-update/put-todos-id-400-no-title",
        None,
    ),
    // #22
    on_response(
        "PUT_TODOS_400_NO_AMEND_ID",
        7,
        "PUT /todos/{id} no amend id (400)",
        "Try a PUT that would change a todo's id.",
        |ex| put_refused(ex, "Can not amend id from"),
    )
    .teach(
        &[
            "Put one id in the path and a different one in the body: that reads as an attempt to change the id.",
            "Ids are assigned by the server and can never be changed.",
        ],
        send("PUT", "/todos/{id}", &[JSON_BODY], r#"{"id":{missing},"title":"a new id?"}"#),
        "/apichallenges/solutions/put-update/put-todos-id-400-no-amend-id",
        Some("T0LFHwavsNA"),
    ),
    // #23
    on_response(
        "DELETE_A_TODO",
        8,
        "DELETE /todos/{id} (200)",
        "Delete an existing todo.",
        deleted,
    )
    .teach(
        &[
            "DELETE an existing todo by its address; no body is needed.",
            "Each todo can be deleted only once: check with GET /todos which ids are left.",
        ],
        bare("DELETE", "/todos/{id}"),
        "/apichallenges/solutions/delete/delete-todos-id-200",
        Some("6MXTkaXn9qU"),
    ),
    // #24
    on_response(
        "OPTIONS_TODOS",
        9,
        "OPTIONS /todos (200)",
        "Find out which methods the todo collection allows.",
        options_todos,
    )
    .teach(
        &[
            "OPTIONS asks which methods a resource supports.",
            "Read the Allow header of the answer.",
        ],
        bare("OPTIONS", "/todos"),
        "/apichallenges/solutions/options/options-todos-200",
        Some("Ld5h1TSnXWA"),
    ),
    // #25
    on_response(
        "GET_ACCEPT_XML",
        10,
        "GET /todos (200) XML",
        "Get the todo list as XML.",
        |ex| listed_as(ex, "application/xml") && accept::asked_for_xml(ex.accept()),
    )
    .teach(
        &[
            "Ask for XML with Accept: application/xml; the path stays /todos.",
            "Check the Content-Type of the answer: it names the format you got.",
        ],
        with("GET", "/todos", &[WANTS_XML]),
        "/apichallenges/solutions/accept-header/get-todos-200-xml",
        Some("cLeEuZm2VG8"),
    ),
    // #26
    on_response(
        "GET_ACCEPT_JSON",
        10,
        "GET /todos (200) JSON",
        "Get the todo list as JSON, asking for it explicitly.",
        |ex| listed_as(ex, "application/json") && accept::asked_for_json(ex.accept()),
    )
    .teach(
        &[
            "Ask for JSON explicitly with Accept: application/json.",
            "A GET carries no body; the header alone chooses the format.",
        ],
        with("GET", "/todos", &[WANTS_JSON]),
        "/apichallenges/solutions/accept-header/get-todos-200-json",
        Some("79JTHiby2Qw"),
    ),
    // #27
    on_response(
        "GET_ACCEPT_ANY_DEFAULT_JSON",
        10,
        "GET /todos (200) ANY",
        "Accept any format and get the default, JSON.",
        |ex| listed_as(ex, "application/json") && accept::asked_for_any(ex.accept()),
    )
    .teach(
        &[
            "Accept: */* means any format will do, and the API then picks its default, JSON.",
            "Many clients send */* unless told otherwise.",
        ],
        with("GET", "/todos", &[("Accept", "*/*")]),
        "/apichallenges/solutions/accept-header/get-todos-200-any",
        Some("O4DhJ8Ohkk8"),
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
    )
    .teach(
        &[
            "Name both formats in Accept and put XML first to prefer it.",
            "The answer should come back as XML.",
        ],
        with("GET", "/todos", &[("Accept", "application/xml, application/json")]),
        "/apichallenges/solutions/accept-header/get-todos-200-xml-pref",
        Some("sLChuy9pc9U"),
    ),
    // #29
    on_response(
        "GET_JSON_BY_DEFAULT_NO_ACCEPT",
        10,
        "GET /todos (200) no accept",
        "Send no Accept header and get the default, JSON.",
        |ex| listed_as(ex, "application/json") && accept::missing(ex.accept()),
    )
    .teach(
        &[
            "Send the request without any Accept header; the API answers in JSON.",
            "Many clients add Accept on their own: curl sends */* unless you give -H 'Accept:', so check the raw request.",
        ],
        with("GET", "/todos", &[("Accept", "")]).browser_cannot("browsers always add an Accept header (*/*), so send this one with curl or another HTTP client"),
        "/apichallenges/solutions/accept-header/get-todos-200-no-accept",
        Some("CSVP2PcvOdg"),
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
    )
    .teach(
        &[
            "Ask for a format the API cannot produce, such as application/gzip.",
            "The answer is 406 Not Acceptable.",
        ],
        with("GET", "/todos", &[("Accept", "application/gzip")]),
        "/apichallenges/solutions/accept-header/get-todos-406",
        Some("QzfbegkY1ok"),
    ),
    // #31
    on_response(
        "POST_CREATE_XML",
        11,
        "POST /todos XML",
        "Create a todo from XML and get XML back.",
        |ex| created(ex) && sent_xml(ex) && ex.response_type() == "application/xml",
    )
    .teach(
        &[
            "Send the todo as XML, wrapped in <todo>, with Content-Type: application/xml.",
            "Ask for XML back with Accept: application/xml.",
        ],
        send("POST", "/todos", &[XML_BODY, WANTS_XML], "<todo><title>created from XML</title></todo>"),
        "/apichallenges/solutions/content-type-header/post-todos-xml",
        Some("2-KBYHwb7MM"),
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
    )
    .teach(
        &[
            "Content-Type describes the body you send; Accept describes the answer you want. Set both to application/json.",
            "A title is all the body needs.",
        ],
        send("POST", "/todos", &[JSON_BODY, WANTS_JSON], r#"{"title":"created from JSON"}"#),
        "/apichallenges/solutions/content-type-header/post-todos-json",
        Some("VS9qIhgp51Q"),
    ),
    // #33
    on_response(
        "POST_TODOS_415",
        11,
        "POST /todos (415)",
        "Send a create request in a content type the API does not accept.",
        post_todos_415,
    )
    .teach(
        &[
            "Label the body with a type the API cannot read, such as text/plain.",
            "The answer is 415 Unsupported Media Type.",
        ],
        send("POST", "/todos", &[("Content-Type", "text/plain")], "title=plain text"),
        "/apichallenges/solutions/content-type-header/post-todos-415",
        Some("L8H-vkbXyr0"),
    ),
    // #34
    on_request(
        "GET_RESTORABLE_CHALLENGER_PROGRESS_STATUS",
        12,
        "GET /challenger/guid (existing X-CHALLENGER)",
        "Download your own progress so that it can be restored later.",
        get_restorable_challenger_progress_status,
    )
    .teach(
        &[
            "Put your own GUID at the end of the path and send it as X-CHALLENGER too.",
            "Keep the JSON you get: it is the progress payload the PUT challenges send back.",
        ],
        bare("GET", "/challenger/{guid}"),
        "/apichallenges/solutions/manage-session/save-restore-session",
        Some("tNGuZMQgHxw"),
    ),
    // #35
    on_response(
        "PUT_RESTORABLE_CHALLENGER_PROGRESS_STATUS",
        12,
        "PUT /challenger/guid RESTORE",
        "Overwrite an in-memory challenger's progress with a saved copy.",
        put_restorable_challenger_progress_status,
    )
    .teach(
        &[
            "Send back a progress payload, such as the one GET /challenger/{guid} gave you.",
            "The GUID in the path and xChallenger in the body must match, and the challenger must be in memory.",
            "The payload replaces your statuses; the example holds your current progress, so sending it loses nothing.",
        ],
        send("PUT", "/challenger/{guid}", &[JSON_BODY], "{progress}"),
        "/apichallenges/solutions/manage-session/save-restore-session",
        Some("tNGuZMQgHxw"),
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
    )
    .teach(
        &[
            "This creates a challenger from a payload, so it only works for a GUID that is not in memory.",
            "Save your progress, let the session go idle past the server's idle timeout (or restart the server), then PUT the saved copy back: the answer is 201.",
            "It is tracked for the challenger the payload creates.",
        ],
        send("PUT", "/challenger/{guid}", &[JSON_BODY], "{progress}"),
        "/apichallenges/solutions/manage-session/save-restore-session",
        Some("tNGuZMQgHxw"),
    ),
    // #37
    on_response(
        "GET_RESTORABLE_TODOS",
        12,
        "GET /challenger/database/guid (200)",
        "Download your todo data so that it can be restored later.",
        get_restorable_todos,
    )
    .teach(
        &[
            "The database route returns your todos in a form that can be put back later.",
            "Use your own GUID in the path.",
        ],
        bare("GET", "/challenger/database/{guid}"),
        "/apichallenges/solutions/manage-session/save-restore-session",
        Some("tNGuZMQgHxw"),
    ),
    // #38
    on_response(
        "PUT_RESTORABLE_TODOS",
        12,
        "PUT /challenger/database/guid (Update)",
        "Replace your todo data with a saved copy.",
        put_restorable_todos,
    )
    .teach(
        &[
            "Send back the JSON that GET /challenger/database/{guid} gave you.",
            "It replaces all your todos and answers 204 with no body; the example holds your current todos.",
        ],
        send("PUT", "/challenger/database/{guid}", &[JSON_BODY], "{database}"),
        "/apichallenges/solutions/manage-session/save-restore-session",
        Some("tNGuZMQgHxw"),
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
    )
    .teach(
        &[
            "The body is XML (Content-Type: application/xml) but you want JSON back (Accept: application/json).",
            "The two headers are independent: one describes what you send, the other what you want.",
        ],
        send("POST", "/todos", &[XML_BODY, WANTS_JSON], "<todo><title>XML in, JSON out</title></todo>"),
        "/apichallenges/solutions/mix-accept-content/post-xml-accept-json",
        Some("kfe7VtaV7u0"),
    ),
    // #40
    on_response(
        "POST_CREATE_JSON_ACCEPT_XML",
        13,
        "POST /todos JSON to XML",
        "Create a todo from JSON and get XML back.",
        |ex| created(ex) && sent_json(ex) && ex.response_type() == "application/xml",
    )
    .teach(
        &[
            "Send JSON (Content-Type: application/json) and ask for XML (Accept: application/xml).",
            "The created todo comes back as XML.",
        ],
        send("POST", "/todos", &[JSON_BODY, WANTS_XML], r#"{"title":"JSON in, XML out"}"#),
        "/apichallenges/solutions/mix-accept-content/post-json-accept-xml",
        Some("uw1Jq8t1em4"),
    ),
    // #41
    on_request(
        "DELETE_HEARTBEAT_405",
        14,
        "DELETE /heartbeat (405)",
        "Use a method that the heartbeat does not allow.",
        delete_heartbeat_405,
    )
    .teach(
        &[
            "The heartbeat only answers GET; other methods show different status codes.",
            "DELETE is not allowed there: expect 405.",
        ],
        bare("DELETE", "/heartbeat"),
        "/apichallenges/solutions/status-codes/status-codes-405-500-501-204",
        Some("SGfKVFdylVI"),
    ),
    // #42
    on_request(
        "PATCH_HEARTBEAT_500",
        14,
        "PATCH /heartbeat (500)",
        "Trigger the heartbeat's deliberate server error.",
        patch_heartbeat_500,
    )
    .teach(
        &[
            "PATCH on the heartbeat is wired to fail on purpose with 500.",
            "No body is needed.",
        ],
        bare("PATCH", "/heartbeat"),
        "/apichallenges/solutions/status-codes/status-codes-405-500-501-204",
        Some("SGfKVFdylVI"),
    ),
    // #43
    on_request(
        "TRACE_HEARTBEAT_501",
        14,
        "TRACE /heartbeat (501)",
        "Send TRACE to the heartbeat and get \"not implemented\".",
        trace_heartbeat_501,
    )
    .teach(
        &[
            "TRACE is a real HTTP method that this server does not implement: expect 501.",
            "Browsers never send TRACE; use curl with -X TRACE or a desktop client.",
        ],
        bare("TRACE", "/heartbeat").browser_cannot("browsers refuse to send TRACE, so use curl or another HTTP client"),
        "/apichallenges/solutions/status-codes/status-codes-405-500-501-204",
        Some("SGfKVFdylVI"),
    ),
    // #44
    on_request(
        "GET_HEARTBEAT_204",
        14,
        "GET /heartbeat (204)",
        "Check that the server is alive.",
        get_heartbeat_204,
    )
    .teach(
        &[
            "A plain GET on the heartbeat tells you the server is up.",
            "204 means success with no body at all.",
        ],
        bare("GET", "/heartbeat"),
        "/apichallenges/solutions/status-codes/status-codes-405-500-501-204",
        Some("SGfKVFdylVI"),
    ),
    // #45
    on_request(
        "OVERRIDE_DELETE_HEARTBEAT_405",
        15,
        "POST /heartbeat as DELETE (405)",
        "Make a POST act as DELETE with X-HTTP-Method-Override.",
        |ex| posted_to_heartbeat_as(ex, "delete"),
    )
    .teach(
        &[
            "Send a POST with X-HTTP-Method-Override: DELETE; the server then treats it as a DELETE.",
            "The outcome matches a real DELETE on the heartbeat: 405.",
        ],
        with("POST", "/heartbeat", &[("X-HTTP-Method-Override", "DELETE")]),
        "/apichallenges/solutions/method-override/all-method-overrides",
        Some("SGfKVFdylVI"),
    ),
    // #46
    on_request(
        "OVERRIDE_PATCH_HEARTBEAT_500",
        15,
        "POST /heartbeat as PATCH (500)",
        "Make a POST act as PATCH with X-HTTP-Method-Override.",
        |ex| posted_to_heartbeat_as(ex, "patch"),
    )
    .teach(
        &[
            "POST with X-HTTP-Method-Override: PATCH.",
            "Expect the same deliberate 500 as a real PATCH.",
        ],
        with("POST", "/heartbeat", &[("X-HTTP-Method-Override", "PATCH")]),
        "/apichallenges/solutions/method-override/all-method-overrides",
        Some("SGfKVFdylVI"),
    ),
    // #47
    on_request(
        "OVERRIDE_TRACE_HEARTBEAT_501",
        15,
        "POST /heartbeat as Trace (501)",
        "Make a POST act as TRACE with X-HTTP-Method-Override.",
        |ex| posted_to_heartbeat_as(ex, "trace"),
    )
    .teach(
        &[
            "POST with X-HTTP-Method-Override: TRACE, and expect 501.",
            "Browsers strip this header when it names TRACE; send it from curl or a desktop client.",
        ],
        with("POST", "/heartbeat", &[("X-HTTP-Method-Override", "TRACE")]).browser_cannot("browsers drop an X-HTTP-Method-Override header that names TRACE, so use curl or another HTTP client"),
        "/apichallenges/solutions/method-override/all-method-overrides",
        Some("SGfKVFdylVI"),
    ),
    // #48
    on_response(
        "CREATE_SECRET_TOKEN_401",
        16,
        "POST /secret/token (401)",
        "Ask for a secret token with the wrong Basic credentials.",
        create_secret_token_401,
    )
    .teach(
        &[
            "Basic authentication sends user:password encoded in base64 in the Authorization header.",
            "Use wrong credentials on purpose (the example encodes admin:admin) and expect 401.",
        ],
        with("POST", "/secret/token", &[("Authorization", "Basic YWRtaW46YWRtaW4=")]),
        "/apichallenges/solutions/authentication/post-secret-401",
        Some("RSQGADU3SLA"),
    ),
    // #49
    on_response(
        "CREATE_SECRET_TOKEN_201",
        16,
        "POST /secret/token (201)",
        "Get a secret token with the right Basic credentials.",
        create_secret_token_201,
    )
    .teach(
        &[
            "The right credentials are user admin, password password (base64 of admin:password is YWRtaW46cGFzc3dvcmQ=).",
            "Your token comes back in the X-AUTH-TOKEN response header; keep it for the note challenges.",
        ],
        with("POST", "/secret/token", &[ADMIN_LOGIN]),
        "/apichallenges/solutions/authentication/post-secret-201",
        Some("J2GQiuEfHkI"),
    ),
    // #50
    on_response(
        "GET_SECRET_NOTE_403",
        17,
        "GET /secret/note (403)",
        "Read the secret note with a token that is not yours.",
        get_secret_note_403,
    )
    .teach(
        &[
            "Send an X-AUTH-TOKEN header with a value that is not your token.",
            "Wrong token means forbidden: 403.",
        ],
        with("GET", "/secret/note", &[("X-AUTH-TOKEN", "not-my-token")]),
        "/apichallenges/solutions/authorization/get-secret-note-403",
        Some("77mnUQezdas"),
    ),
    // #51
    on_response(
        "GET_SECRET_NOTE_401",
        17,
        "GET /secret/note (401)",
        "Read the secret note without any token.",
        get_secret_note_401,
    )
    .teach(
        &[
            "Send no X-AUTH-TOKEN header at all.",
            "Missing credentials mean 401, not 403.",
        ],
        bare("GET", "/secret/note"),
        "/apichallenges/solutions/authorization/get-secret-note-401",
        Some("__uZlQZ48io"),
    ),
    // #52
    on_response(
        "GET_SECRET_NOTE_200",
        17,
        "GET /secret/note (200)",
        "Read the secret note with your token.",
        get_secret_note_200,
    )
    .teach(
        &[
            "Send the token from POST /secret/token in X-AUTH-TOKEN.",
            "The example already holds your token; it is the same one that request returns.",
        ],
        with("GET", "/secret/note", &[MY_TOKEN]),
        "/apichallenges/solutions/authorization/get-secret-note-200",
        Some("2uRpzr2OmEY"),
    ),
    // #53
    on_response(
        "POST_SECRET_NOTE_200",
        17,
        "POST /secret/note (200)",
        "Store a secret note with your token.",
        post_secret_note_200,
    )
    .teach(
        &[
            "POST a JSON body with a note field, plus your X-AUTH-TOKEN.",
            "Read it back with GET /secret/note.",
        ],
        send("POST", "/secret/note", &[MY_TOKEN, JSON_BODY], r#"{"note":"my first secret"}"#),
        "/apichallenges/solutions/authorization/post-secret-note-200",
        Some("A9T9yjzEOEE"),
    ),
    // #54
    on_response(
        "POST_SECRET_NOTE_401",
        17,
        "POST /secret/note (401)",
        "Try to store a secret note without any token.",
        post_secret_note_401,
    )
    .teach(
        &[
            "Send a note body but no X-AUTH-TOKEN header.",
            "Expect 401.",
        ],
        send("POST", "/secret/note", &[JSON_BODY], r#"{"note":"nobody may store this"}"#),
        "/apichallenges/solutions/authorization/post-secret-note-401-403",
        Some("76U5TEvLzLI"),
    ),
    // #55
    on_response(
        "POST_SECRET_NOTE_403",
        17,
        "POST /secret/note (403)",
        "Try to store a secret note with a token that is not yours.",
        post_secret_note_403,
    )
    .teach(
        &[
            "Send a note body with a token that is not yours.",
            "Expect 403.",
        ],
        send("POST", "/secret/note", &[("X-AUTH-TOKEN", "not-my-token"), JSON_BODY], r#"{"note":"wrong key"}"#),
        "/apichallenges/solutions/authorization/post-secret-note-401-403",
        Some("76U5TEvLzLI"),
    ),
    // #56
    on_response(
        "GET_SECRET_NOTE_BEARER_200",
        17,
        "GET /secret/note (Bearer)",
        "Read the secret note, sending your token as a Bearer credential.",
        get_secret_note_bearer_200,
    )
    .teach(
        &[
            "Send your token as Authorization: Bearer <token> instead of X-AUTH-TOKEN.",
            "There is one space between the word Bearer and the token.",
        ],
        with("GET", "/secret/note", &[("Authorization", "Bearer {token}")]),
        "/apichallenges/solutions/authorization/get-post-secret-note-bearer",
        Some("8GsMTZxEItw"),
    ),
    // #57
    on_response(
        "POST_SECRET_NOTE_BEARER_200",
        17,
        "POST /secret/note (Bearer)",
        "Store a secret note, sending your token as a Bearer credential.",
        post_secret_note_bearer_200,
    )
    .teach(
        &[
            "Store a note with the token in Authorization: Bearer <token>.",
            "The body is the same JSON with a note field.",
        ],
        send("POST", "/secret/note", &[("Authorization", "Bearer {token}"), JSON_BODY], r#"{"note":"stored with a bearer token"}"#),
        "/apichallenges/solutions/authorization/get-post-secret-note-bearer",
        Some("8GsMTZxEItw"),
    ),
    // #58
    on_response(
        "DELETE_ALL_TODOS",
        18,
        "DELETE /todos/{id} (200) all",
        "Delete todos until none are left.",
        |ex| deleted(ex) && ex.store.is_empty(),
    )
    .teach(
        &[
            "Delete every one of your todos; the challenge completes on the delete that empties the list.",
            "List the remaining ids with GET /todos and delete them one by one.",
        ],
        bare("DELETE", "/todos/{id}"),
        "/apichallenges/solutions/miscellaneous/delete-all-todos",
        None,
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
    )
    .teach(
        &[
            "A challenger may hold at most 20 todos; keep creating until the next one is refused with 400.",
            "Count what you have with GET /todos to know how many more to create.",
        ],
        send("POST", "/todos", &[JSON_BODY], r#"{"title":"one more"}"#),
        "/apichallenges/solutions/miscellaneous/create-maximum-number-todos",
        None,
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
