//! The current catalogue: the 99 challenges of today's reference, in order, each row
//! holding its key, section, exact title, our description and its completion rule, then
//! (in `.teach`) our hints, a worked example request and the reference's solution and
//! video links.
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
    )
    .teach(
        &[
            "Send the POST without an X-CHALLENGER header: the server creates a new challenger and answers 201 with its GUID in the X-CHALLENGER response header.",
            "Keep that GUID and send it as X-CHALLENGER on every later request; requests without it count for nobody.",
            "This page already belongs to a challenger, so this one is normally done: sending the example again starts a second, separate session.",
        ],
        bare("POST", "/api/challenger").anonymous(),
        "/apichallenges/solutions/create-session/post-challenger-201",
        Some("tNGuZMQgHxw"),
    ),
    // #2
    on_request(
        "GET_CHALLENGES",
        1,
        "GET /api/challenges (200)",
        "Read the challenge list, which also reports your progress.",
        get_challenges,
    )
    .teach(
        &[
            "Add your X-CHALLENGER header, or the list shows a blank scorecard instead of your progress.",
            "Each entry in the JSON answer has a status field that turns true once you complete that challenge.",
        ],
        bare("GET", "/api/challenges"),
        "/apichallenges/solutions/first-challenge/get-challenges-200",
        Some("DrAjk2NaPRo"),
    ),
    // #3
    on_request(
        "GET_TODOS",
        2,
        "GET /api/todos (200)",
        "List every todo.",
        get_todos,
    )
    .teach(
        &[
            "Without your X-CHALLENGER header you read a shared starting list, not your own todos.",
            "Use the plural collection name and no query string: exactly /api/todos.",
        ],
        bare("GET", "/api/todos"),
        "/apichallenges/solutions/get/get-todos-200",
        Some("OpisB0UZq0c"),
    ),
    // #4
    on_response(
        "GET_TODOS_NOT_PLURAL_404",
        2,
        "GET /api/todo (404) not plural",
        "Ask for the singular collection name and see that it does not exist.",
        |ex| ex.is("GET", "todo") && ex.status() == 404,
    )
    .teach(
        &[
            "The collection is called todos; asking for the singular name is the whole point here.",
            "No id and no query string: just /api/todo, and expect a 404.",
        ],
        bare("GET", "/api/todo"),
        "/apichallenges/solutions/get/get-todo-404",
        Some("gAJzqgcN9dc"),
    ),
    // #5
    on_response(
        "GET_TODO",
        2,
        "GET /api/todos/{id} (200)",
        "Fetch a single existing todo by id.",
        |ex| ex.method == "GET" && is_todo_route(ex) && ex.status() == 200,
    )
    .teach(
        &[
            "Put a real number where the title says {id}, for example /api/todos/1; the braces are not part of the URL.",
            "The id must belong to one of your todos; list them first with GET /api/todos if you are unsure.",
        ],
        bare("GET", "/api/todos/{id}"),
        "/apichallenges/solutions/get/get-todos-id-200",
        Some("JDbbSY3U_rY"),
    ),
    // #6
    on_response(
        "GET_TODO_404",
        2,
        "GET /api/todos/{id} (404)",
        "Fetch a todo id that does not exist.",
        |ex| ex.method == "GET" && is_todo_route(ex) && ex.status() == 404,
    )
    .teach(
        &[
            "Choose a whole number that none of your todos has, such as a very large one.",
            "Keep the shape /api/todos/<number>: only the number should be unknown.",
        ],
        bare("GET", "/api/todos/{missing}"),
        "/apichallenges/solutions/get/get-todos-id-404",
        Some("1S5kpd8-xfM"),
    ),
    // #7
    on_response(
        "GET_TODOS_FILTERED",
        3,
        "GET /api/todos (200) ?filter",
        "List only the done todos while the list holds both done and open ones.",
        filtered_done,
    )
    .teach(
        &[
            "A filter is a query parameter named after a field: ?doneStatus=true keeps only finished todos.",
            "The starting todos are all open: mark one done first (for example PATCH /api/todos/{id} with {\"doneStatus\":true}), so that the list holds both kinds.",
            "The filter must actually remove something, which is why open todos have to exist too.",
        ],
        with("GET", "/api/todos?doneStatus=true", &[WANTS_JSON]),
        "/apichallenges/solutions/get/get-todos-200-filter",
        Some("G-sLuhyPMuw"),
    ),
    // #8
    on_response(
        "GET_TODOS_FILTERED_ID_GREATER_THAN",
        3,
        "GET /api/todos (200) ?filter id greater than",
        "Filter on ids above a number so that some, but not all, todos come back.",
        |ex| id_filter_subset(ex, Op::Gt, |id, v| id > v),
    )
    .teach(
        &[
            "Put the comparison straight into the query string: ?id>5 keeps ids above 5.",
            "Pick a number so that some todos come back but not all of them.",
        ],
        with("GET", "/api/todos?id>5", &[WANTS_JSON]),
        "/apichallenges/solutions/get/get-todos-200-filter-id-greater-than",
        None,
    ),
    // #9
    on_response(
        "GET_TODOS_FILTERED_ID_LESS_THAN",
        3,
        "GET /api/todos (200) ?filter id less than",
        "Filter on ids below a number so that some, but not all, todos come back.",
        |ex| id_filter_subset(ex, Op::Lt, |id, v| id < v),
    )
    .teach(
        &[
            "Use the less-than sign in the query string: ?id<6 keeps ids below 6.",
            "The result must be a true subset: at least one todo, and fewer than you have.",
        ],
        with("GET", "/api/todos?id<6", &[WANTS_JSON]),
        "/apichallenges/solutions/get/get-todos-200-filter-id-less-than",
        None,
    ),
    // #10
    on_response(
        "GET_TODOS_FILTERED_ID_SINGLE_RESULT",
        3,
        "GET /api/todos (200) ?filter id single result",
        "Filter on one exact id and get exactly that todo back from a larger list.",
        filtered_single_id,
    )
    .teach(
        &[
            "Filter with an equals sign on the collection, ?id=3, rather than fetching /api/todos/3.",
            "You need more than one todo in your list, and the id must exist, so that exactly one comes back.",
        ],
        with("GET", "/api/todos?id={id}", &[WANTS_JSON]),
        "/apichallenges/solutions/get/get-todos-200-filter-id-single-result",
        None,
    ),
    // #11
    on_response(
        "GET_TODOS_FILTERED_DESCRIPTION_REGEX",
        3,
        "GET /api/todos (200) ?filter description regex",
        "Select todos whose description matches a regular expression.",
        |ex| descriptions_match(ex, Op::Regex, regex_source),
    )
    .teach(
        &[
            "The operator ~= compares a field with a regular expression, and the expression must match the whole description.",
            "The starting todos have empty descriptions: create or update one with a description first (the POST /api/todos example writes one containing \"example\").",
            "Every todo that comes back must have a non-empty, matching description.",
        ],
        with("GET", "/api/todos?description~=.*example.*", &[WANTS_JSON]),
        "/apichallenges/solutions/get/get-todos-200-filter-description-regex",
        None,
    ),
    // #12
    on_response(
        "GET_TODOS_FILTERED_DESCRIPTION_WILDCARD",
        3,
        "GET /api/todos (200) ?filter description wildcard",
        "Select todos whose description matches a wildcard pattern.",
        |ex| descriptions_match(ex, Op::Wildcard, wildcard_source),
    )
    .teach(
        &[
            "The operator *= takes a wildcard pattern: * stands for any run of characters, ? for exactly one.",
            "The pattern covers the whole description, so surround a word with * to find it anywhere.",
            "Give at least one todo a description first; the starting ones are empty.",
        ],
        with("GET", "/api/todos?description*=*example*", &[WANTS_JSON]),
        "/apichallenges/solutions/get/get-todos-200-filter-description-wildcard",
        None,
    ),
    // #13
    on_response(
        "GET_TODOS_SORTED_ASCENDING",
        4,
        "GET /api/todos (200) ?_sortBy ascending",
        "Sort the todo list ascending on a single field.",
        |ex| single_sort(ex, false),
    )
    .teach(
        &[
            "Sorting is a query parameter, _sortBy, naming one field of a todo.",
            "A bare field name sorts ascending; use exactly one field here.",
        ],
        with("GET", "/api/todos?_sortBy=title", &[WANTS_JSON]),
        "/apichallenges/solutions/get/get-todos-200-sort-ascending",
        None,
    ),
    // #14
    on_response(
        "GET_TODOS_SORTED_DESCENDING",
        4,
        "GET /api/todos (200) ?_sortBy descending",
        "Sort the todo list descending on a single field.",
        |ex| single_sort(ex, true),
    )
    .teach(
        &[
            "Put a minus sign in front of the field name to reverse the order: _sortBy=-id.",
            "Only one sort field for this one, and it must be a todo field (id, title, doneStatus or description).",
        ],
        with("GET", "/api/todos?_sortBy=-id", &[WANTS_JSON]),
        "/apichallenges/solutions/get/get-todos-200-sort-descending",
        None,
    ),
    // #15
    on_response(
        "GET_TODOS_SORTED_MULTIPLE_FIELDS",
        4,
        "GET /api/todos (200) ?_sortBy multiple",
        "Sort the todo list on two or more fields.",
        |ex| get_todos_ok(ex) && ex.query().sort.len() >= 2 && sorts_valid(ex.query()),
    )
    .teach(
        &[
            "List several fields in _sortBy, separated by commas; the first decides, later ones break ties.",
            "Each field can carry its own direction, and every one must exist on a todo.",
        ],
        with("GET", "/api/todos?_sortBy=doneStatus,-id", &[WANTS_JSON]),
        "/apichallenges/solutions/get/get-todos-200-sort-multiple",
        None,
    ),
    // #16
    on_response(
        "GET_TODOS_FILTERED_AND_SORTED",
        4,
        "GET /api/todos (200) ?filter&_sortBy",
        "Filter the todo list and sort the result in one request.",
        filtered_and_sorted,
    )
    .teach(
        &[
            "Combine a field filter and _sortBy in one query string, joined with &.",
            "Both the filter field and the sort field must be real todo fields.",
        ],
        with("GET", "/api/todos?doneStatus=false&_sortBy=-id", &[WANTS_JSON]),
        "/apichallenges/solutions/get/get-todos-200-filter-sort",
        None,
    ),
    // #17
    on_response(
        "GET_TODOS_PAGINATED_LIMIT",
        5,
        "GET /api/todos (200) ?_limit",
        "Limit the todo list to a page of 8.",
        paged_limit,
    )
    .teach(
        &[
            "_limit caps how many todos one answer holds; this one wants pages of 8.",
            "The answer must be a full first page: 8 todos, or all of them if you have fewer.",
        ],
        with("GET", "/api/todos?_limit=8", &[WANTS_JSON]),
        "/apichallenges/solutions/get/get-todos-200-pagination-limit",
        None,
    ),
    // #18
    on_response(
        "GET_TODOS_PAGINATED_LIMIT_OFFSET",
        5,
        "GET /api/todos (200) ?_limit&_offset",
        "Fetch the second page of 5 todos.",
        paged_limit_offset,
    )
    .teach(
        &[
            "_offset skips that many todos before the page starts; without it the offset is 0.",
            "The second page of 5 starts after the first 5: _limit=5&_offset=5.",
        ],
        with("GET", "/api/todos?_limit=5&_offset=5", &[WANTS_JSON]),
        "/apichallenges/solutions/get/get-todos-200-pagination-limit-offset",
        None,
    ),
    // #19
    on_request(
        "GET_TODOS_PAGINATED_LIMIT_TOO_HIGH",
        5,
        "GET /api/todos (400) ?_limit too high",
        "Ask for a page larger than the maximum of 20 and be refused.",
        |ex| ex.is("GET", "todos") && ex.query().limit_value().is_some_and(|l| l > MAX_PAGE_LIMIT),
    )
    .teach(
        &[
            "The largest page the API serves is 20 todos; ask for more and it refuses with 400.",
            "Any _limit above 20 will do, such as 21.",
        ],
        with("GET", "/api/todos?_limit=21", &[WANTS_JSON]),
        "/apichallenges/solutions/get/get-todos-400-pagination-limit-too-high",
        None,
    ),
    // #20
    on_response(
        "GET_TODOS_PAGINATED_SORTED",
        5,
        "GET /api/todos (200) ?_sortBy&_limit&_offset",
        "Sort by id descending and fetch the second page of 5.",
        paged_sorted,
    )
    .teach(
        &[
            "Sorting happens before paging, so the page is cut from the sorted list.",
            "Sort by id descending (_sortBy=-id) and take the second page of 5.",
        ],
        with("GET", "/api/todos?_sortBy=-id&_limit=5&_offset=5", &[WANTS_JSON]),
        "/apichallenges/solutions/get/get-todos-200-pagination-sort",
        None,
    ),
    // #21
    on_response(
        "GET_TODOS_PAGINATED_FILTERED",
        5,
        "GET /api/todos (200) ?filter&_limit&_offset",
        "Filter to open todos, skip the first one and take the next 2.",
        paged_filtered,
    )
    .teach(
        &[
            "Filtering also happens before paging: the offset counts only the todos that passed the filter.",
            "Keep the open todos (doneStatus=false), skip one and take two.",
        ],
        with("GET", "/api/todos?doneStatus=false&_limit=2&_offset=1", &[WANTS_JSON]),
        "/apichallenges/solutions/get/get-todos-200-pagination-filter",
        None,
    ),
    // #22
    on_request(
        "GET_HEAD_TODOS",
        6,
        "HEAD /api/todos (200)",
        "Fetch only the headers of the todo list.",
        get_head_todos,
    )
    .teach(
        &[
            "HEAD asks for the headers a GET would send, without the body.",
            "Many tools hide HEAD in a menu of methods; with curl use -I or --head.",
        ],
        bare("HEAD", "/api/todos"),
        "/apichallenges/solutions/head/head-todos-200",
        Some("zKbytTelP84"),
    ),
    // #23
    on_response(
        "POST_TODOS",
        7,
        "POST /api/todos (201)",
        "Create a todo.",
        |ex| ex.is("POST", "todos") && ex.status() == 201,
    )
    .teach(
        &[
            "Send a JSON body with at least a title, and say so with Content-Type: application/json.",
            "Never send an id: the server assigns it and reports the new todo's address in the Location header.",
            "Without your X-CHALLENGER header a write is refused, because the shared list is read-only.",
        ],
        send("POST", "/api/todos", &[JSON_BODY], r#"{"title":"practise API testing","doneStatus":false,"description":"created from the worked example"}"#),
        "/apichallenges/solutions/post-create/post-todos-201",
        Some("T0LFHwavsNA"),
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
    )
    .teach(
        &[
            "doneStatus has to be a JSON boolean; a string such as \"yes\" or a number fails validation with 422.",
            "Keep the rest of the body valid, so that the bad field is the only problem.",
        ],
        send("POST", "/api/todos", &[JSON_BODY], r#"{"title":"bad status","doneStatus":"yes"}"#),
        "/apichallenges/solutions/post-create/post-todos-422",
        None,
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
    )
    .teach(
        &[
            "A title may hold at most 50 characters; send 51 to be refused with 422.",
            "A counter string (like the one in the example) shows at each * how many characters you have typed so far.",
        ],
        send("POST", "/api/todos", &[JSON_BODY], r#"{"title":"{chars:51}"}"#),
        "/apichallenges/solutions/post-create/post-todos-422-title-too-long",
        None,
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
    )
    .teach(
        &[
            "A description may hold at most 200 characters; send 201.",
            "Keep the title valid so that only the description is refused.",
        ],
        send("POST", "/api/todos", &[JSON_BODY], r#"{"title":"long description","description":"{chars:201}"}"#),
        "/apichallenges/solutions/post-create/post-todos-422-description-too-long",
        None,
    ),
    // #27
    on_response(
        "POST_MAX_OUT_TITLE_DESCRIPTION_LENGTH",
        7,
        "POST /api/todos (201) max out content",
        "Create a todo whose title and description are both exactly at their maximum length.",
        created_at_limits,
    )
    .teach(
        &[
            "Fill both fields exactly to their limits: 50 characters of title and 200 of description.",
            "Characters are counted, not bytes; plain letters and digits keep the arithmetic simple.",
        ],
        send("POST", "/api/todos", &[JSON_BODY], r#"{"title":"{chars:50}","description":"{chars:200}"}"#),
        "/apichallenges/solutions/post-create/post-todos-201-max-content",
        None,
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
    )
    .teach(
        &[
            "The limit here is on the whole request body: more than 5000 bytes is refused with 413 before any field is checked.",
            "Pad any field with a long string; the example's description alone is 5000 characters.",
        ],
        send("POST", "/api/todos", &[JSON_BODY], r#"{"title":"too big","description":"{chars:5000}"}"#),
        "/apichallenges/solutions/post-create/post-todos-413-content-too-long",
        None,
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
    )
    .teach(
        &[
            "A todo has only id, title, doneStatus and description; any other field name is refused with 422.",
            "Send a valid todo plus one made-up field, such as priority.",
        ],
        send("POST", "/api/todos", &[JSON_BODY], r#"{"title":"with a priority","priority":"high"}"#),
        "/apichallenges/solutions/post-create/post-todos-422-extra-field",
        None,
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
    )
    .teach(
        &[
            "PUT to an id that does not exist, naming that same id in the body: the server cannot create a todo with an id you picked.",
            "Ids are assigned by the server; to create, POST to the collection instead.",
            "Without the id in the body the same request is a plain 404 (another challenge).",
        ],
        send("PUT", "/api/todos/{missing}", &[JSON_BODY], r#"{"id":{missing},"title":"created by PUT"}"#),
        "/apichallenges/solutions/put-create/put-todos-422-create",
        Some("T0LFHwavsNA"),
    ),
    // #31
    on_response(
        "POST_UPDATE_TODO",
        9,
        "POST /api/todos/{id} (200)",
        "Amend an existing todo with POST.",
        post_update_todo,
    )
    .teach(
        &[
            "POST to an existing todo's own address amends it; send only the fields you want to change.",
            "Use a real id in the path, for example /api/todos/1.",
        ],
        send("POST", "/api/todos/{id}", &[JSON_BODY], r#"{"title":"amended with POST"}"#),
        "/apichallenges/solutions/post-update/post-todos-id-200",
        Some("feXdRpZ_tgs"),
    ),
    // #32
    on_response(
        "POST_TODOS_404",
        9,
        "POST /api/todos/{id} (404)",
        "Try to amend a todo that does not exist with POST.",
        post_todos_404,
    )
    .teach(
        &[
            "Amend with POST, but at an id none of your todos has.",
            "The body can be valid: the missing todo is what should fail.",
        ],
        send("POST", "/api/todos/{missing}", &[JSON_BODY], r#"{"title":"nobody home"}"#),
        "/apichallenges/solutions/post-update/post-todos-id-404",
        Some("feXdRpZ_tgs"),
    ),
    // #33
    on_response(
        "PUT_TODOS_FULL_200",
        10,
        "PUT /api/todos/{id} full (200)",
        "Replace an existing todo with PUT, sending every field.",
        put_todos_full_200,
    )
    .teach(
        &[
            "PUT replaces a todo: send every field (title, doneStatus and description) but no id.",
            "Copy a todo from GET /api/todos/{id} and edit it if you are unsure of the shape.",
        ],
        send("PUT", "/api/todos/{id}", &[JSON_BODY], r#"{"title":"replaced","doneStatus":true,"description":"every field sent"}"#),
        "/apichallenges/solutions/put-update/put-todos-id-200-update-full",
        Some("T0LFHwavsNA"),
    ),
    // #34
    on_response(
        "PUT_TODOS_PARTIAL_200",
        10,
        "PUT /api/todos/{id} partial (200)",
        "Replace an existing todo with PUT, sending only its title.",
        put_todos_partial_200,
    )
    .teach(
        &[
            "Send just the title: the fields you leave out go back to their defaults.",
            "The title is the one field a PUT always needs.",
        ],
        send("PUT", "/api/todos/{id}", &[JSON_BODY], r#"{"title":"only a title"}"#),
        "/apichallenges/solutions/put-update/put-todos-id-200-update-partial",
        Some("T0LFHwavsNA"),
    ),
    // #35
    on_response(
        "PUT_TODOS_BODY_ID_200",
        10,
        "PUT /api/todos body id (200)",
        "Update a todo with PUT on the collection, naming it by an id in the body.",
        |ex| ex.is("PUT", "todos") && ex.status() == 200 && body_has_id(ex),
    )
    .teach(
        &[
            "This PUT goes to the collection, /api/todos, with no id in the path.",
            "The body names the todo to change with the id of an existing todo, and still needs a title.",
        ],
        send("PUT", "/api/todos", &[JSON_BODY], r#"{"id":{id},"title":"named in the body"}"#),
        "/apichallenges/solutions/put-update/put-todos-200-body-id",
        None,
    ),
    // #36
    on_response(
        "PUT_TODOS_ID_NO_BODY_ID_200",
        10,
        "PUT /api/todos/{id} no body id (200)",
        "Update a todo with PUT, naming it only in the URL.",
        |ex| put_item(ex, 200) && !body_has_id(ex),
    )
    .teach(
        &[
            "Name the todo only in the path, /api/todos/<id>, and leave id out of the body.",
            "A title is still required.",
        ],
        send("PUT", "/api/todos/{id}", &[JSON_BODY], r#"{"title":"named in the URL"}"#),
        "/apichallenges/solutions/put-update/put-todos-id-200-no-body-id",
        None,
    ),
    // #37
    on_response(
        "PUT_TODOS_MISSING_TITLE_422",
        10,
        "PUT /api/todos/{id} no title (422)",
        "Try a PUT on an existing todo without the mandatory title.",
        |ex| put_item(ex, 422) && ex.response_text().contains("title : field is mandatory"),
    )
    .teach(
        &[
            "Because PUT replaces the whole todo, it needs a title; leave it out on purpose.",
            "POST can amend without a title; PUT cannot. That difference is the lesson.",
        ],
        send("PUT", "/api/todos/{id}", &[JSON_BODY], r#"{"description":"no title here"}"#),
        "/apichallenges/solutions/put-update/put-todos-id-422-no-title",
        None,
    ),
    // #38
    on_response(
        "PUT_TODOS_NO_ID_422",
        10,
        "PUT /api/todos no id (422)",
        "Try a PUT on the collection without saying which todo to change.",
        |ex| ex.is("PUT", "todos") && ex.status() == 422 && !body_has_id(ex),
    )
    .teach(
        &[
            "PUT to the collection without any id in the body: the server cannot tell which todo you mean.",
            "Keep a valid title so that the missing id is the only problem.",
        ],
        send("PUT", "/api/todos", &[JSON_BODY], r#"{"title":"which one?"}"#),
        "/apichallenges/solutions/put-update/put-todos-422-no-id",
        None,
    ),
    // #39
    on_response(
        "PUT_TODOS_ID_NOT_FOUND_404",
        10,
        "PUT /api/todos/{id} not found (404)",
        "PUT to an id that does not exist, with no id in the body, and get 404.",
        |ex| put_item(ex, 404) && !body_has_id(ex),
    )
    .teach(
        &[
            "PUT to an id that does not exist and leave id out of the body.",
            "The server treats this as an update of a missing todo, hence 404.",
        ],
        send("PUT", "/api/todos/{missing}", &[JSON_BODY], r#"{"title":"not there"}"#),
        "/apichallenges/solutions/put-update/put-todos-id-404-not-found",
        None,
    ),
    // #40
    on_response(
        "PUT_TODOS_422_NO_AMEND_ID",
        10,
        "PUT /api/todos/{id} no amend id (422)",
        "Try a PUT that would change a todo's id.",
        |ex| put_item(ex, 422) && ex.response_text().contains("Can not amend id from"),
    )
    .teach(
        &[
            "Put one id in the path and a different one in the body: that reads as an attempt to change the id.",
            "Ids are assigned by the server and can never be changed.",
        ],
        send("PUT", "/api/todos/{id}", &[JSON_BODY], r#"{"id":{missing},"title":"a new id?"}"#),
        "/apichallenges/solutions/put-update/put-todos-id-422-no-amend-id",
        Some("T0LFHwavsNA"),
    ),
    // #41
    on_response(
        "DELETE_A_TODO",
        11,
        "DELETE /api/todos/{id} (204)",
        "Delete an existing todo.",
        |ex| ex.method == "DELETE" && ex.is_todo_item() && ex.status() == 204,
    )
    .teach(
        &[
            "DELETE an existing todo by its address; no body is needed.",
            "Each todo can be deleted only once: check with GET /api/todos which ids are left.",
        ],
        bare("DELETE", "/api/todos/{id}"),
        "/apichallenges/solutions/delete/delete-todos-id-204",
        None,
    ),
    // #42
    on_response(
        "QUERY_TODOS_FILTERED",
        12,
        "QUERY /api/todos (200)",
        "Use QUERY with a form-encoded filter in the body to find the done todos.",
        query_form_done,
    )
    .teach(
        &[
            "QUERY works like GET but carries the filter in the body; here the body is the query string doneStatus=true.",
            "Label the body application/x-www-form-urlencoded.",
            "Mark at least one todo done first, so that the list holds done and open todos.",
        ],
        send("QUERY", "/api/todos", &[("Content-Type", "application/x-www-form-urlencoded"), WANTS_JSON], "doneStatus=true"),
        "/apichallenges/solutions/query/query-todos-200",
        None,
    ),
    // #43
    on_response(
        "QUERY_TODOS_JSONPATH_FILTERED",
        12,
        "QUERY /api/todos (200) JSONPath",
        "Use QUERY with a JSONPath expression in the body to find the done todos.",
        query_jsonpath_done,
    )
    .teach(
        &[
            "The body is a JSONPath expression over {\"todos\":[...]}, labelled application/jsonpath.",
            "Select whole todo objects whose doneStatus is true; selecting single fields is refused.",
            "At least one todo must be done, and one open, for the filter to mean something.",
        ],
        send("QUERY", "/api/todos", &[("Content-Type", "application/jsonpath"), WANTS_JSON], "$.todos[?(@.doneStatus == true)]"),
        "/apichallenges/solutions/query/query-todos-200-jsonpath",
        None,
    ),
    // #44
    on_response(
        "QUERY_TODOS_STRUCTURED_JSON_FILTERED",
        12,
        "QUERY /api/todos (200) Structured JSON",
        "Use QUERY with a structured JSON query document to find the done todos.",
        query_structured_done,
    )
    .teach(
        &[
            "The body is a small JSON query document whose filter object holds doneStatus: true (a boolean, not a string).",
            "Label it application/vnd.thingifier.query+json.",
            "As with the other QUERY challenges, you need done and open todos.",
        ],
        send("QUERY", "/api/todos", &[("Content-Type", "application/vnd.thingifier.query+json"), WANTS_JSON], r#"{"filter":{"doneStatus":true}}"#),
        "/apichallenges/solutions/query/query-todos-200-structured-json",
        None,
    ),
    // #45
    on_response(
        "PATCH_TODOS_PARTIAL_200",
        13,
        "PATCH /api/todos/{id} (200) partial",
        "Change some fields of a todo with PATCH and a plain JSON body.",
        |ex| patched_with(ex, "application/json"),
    )
    .teach(
        &[
            "PATCH changes only the fields you send; everything else stays as it was.",
            "Use plain JSON (application/json) here and leave the id out of the body.",
        ],
        send("PATCH", "/api/todos/{id}", &[JSON_BODY], r#"{"doneStatus":true}"#),
        "/apichallenges/solutions/patch/patch-todos-id-200-partial",
        None,
    ),
    // #46
    on_response(
        "PATCH_TODOS_MERGE_PATCH_200",
        13,
        "PATCH /api/todos/{id} (200) merge-patch",
        "Change a todo with PATCH and a JSON Merge Patch document.",
        |ex| patched_with(ex, "application/merge-patch+json"),
    )
    .teach(
        &[
            "A JSON Merge Patch looks like the fields you want changed, but is labelled application/merge-patch+json.",
            "In a merge patch, null removes a field; plain values replace it.",
        ],
        send("PATCH", "/api/todos/{id}", &[("Content-Type", "application/merge-patch+json")], r#"{"description":"merged in"}"#),
        "/apichallenges/solutions/patch/patch-todos-id-200-merge-patch",
        None,
    ),
    // #47
    on_response(
        "PATCH_TODOS_JSON_PATCH_200",
        13,
        "PATCH /api/todos/{id} (200) json-patch",
        "Change a todo with PATCH and a JSON Patch operation list.",
        |ex| patched_with(ex, "application/json-patch+json"),
    )
    .teach(
        &[
            "A JSON Patch is an array of operations, each with op, path and (usually) value.",
            "Label it application/json-patch+json; paths point into the todo, such as /title.",
        ],
        send("PATCH", "/api/todos/{id}", &[("Content-Type", "application/json-patch+json")], r#"[{"op":"replace","path":"/title","value":"patched by operation"}]"#),
        "/apichallenges/solutions/patch/patch-todos-id-200-json-patch",
        None,
    ),
    // #48
    on_response(
        "OPTIONS_TODOS",
        14,
        "OPTIONS /api/todos (200)",
        "Find out which methods the todo collection allows.",
        options_todos,
    )
    .teach(
        &[
            "OPTIONS asks which methods a resource supports.",
            "Read the Allow header of the answer.",
        ],
        bare("OPTIONS", "/api/todos"),
        "/apichallenges/solutions/options/options-todos-200",
        Some("Ld5h1TSnXWA"),
    ),
    // #49
    on_response(
        "GET_ACCEPT_XML",
        15,
        "GET /api/todos (200) XML",
        "Get the todo list as XML.",
        |ex| plain_list_answered(ex, 200, "application/xml") && predicates::allows_xml(ex.accept()),
    )
    .teach(
        &[
            "Ask for XML with Accept: application/xml; the path stays /api/todos.",
            "Check the Content-Type of the answer: it names the format you got.",
        ],
        with("GET", "/api/todos", &[WANTS_XML]),
        "/apichallenges/solutions/accept-header/get-todos-200-xml",
        Some("cLeEuZm2VG8"),
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
    )
    .teach(
        &[
            "Ask for JSON explicitly with Accept: application/json.",
            "A GET carries no body; the header alone chooses the format.",
        ],
        with("GET", "/api/todos", &[WANTS_JSON]),
        "/apichallenges/solutions/accept-header/get-todos-200-json",
        Some("79JTHiby2Qw"),
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
    )
    .teach(
        &[
            "Accept: */* means any format will do, and the API then picks its default, JSON.",
            "Many clients send */* unless told otherwise.",
        ],
        with("GET", "/api/todos", &[("Accept", "*/*")]),
        "/apichallenges/solutions/accept-header/get-todos-200-any",
        Some("O4DhJ8Ohkk8"),
    ),
    // #52
    on_response(
        "GET_ACCEPT_XML_PREFERRED",
        15,
        "GET /api/todos (200) XML pref",
        "Accept both XML and JSON, prefer XML, and get XML.",
        xml_preferred,
    )
    .teach(
        &[
            "Name both formats in Accept and put XML first to prefer it.",
            "The answer should come back as XML.",
        ],
        with("GET", "/api/todos", &[("Accept", "application/xml, application/json")]),
        "/apichallenges/solutions/accept-header/get-todos-200-xml-pref",
        Some("sLChuy9pc9U"),
    ),
    // #53
    on_response(
        "GET_JSON_BY_DEFAULT_NO_ACCEPT",
        15,
        "GET /api/todos (200) no accept",
        "Send no Accept header and get the default, JSON.",
        |ex| plain_list_answered(ex, 200, "application/json") && predicates::missing(ex.accept()),
    )
    .teach(
        &[
            "Send the request without any Accept header; the API answers in JSON.",
            "Many clients add Accept on their own: curl sends */* unless you give -H 'Accept:', so check the raw request.",
        ],
        with("GET", "/api/todos", &[("Accept", "")]).browser_cannot("browsers always add an Accept header (*/*), so send this one with curl or another HTTP client"),
        "/apichallenges/solutions/accept-header/get-todos-200-no-accept",
        Some("CSVP2PcvOdg"),
    ),
    // #54
    on_response(
        "GET_UNSUPPORTED_ACCEPT_406",
        15,
        "GET /api/todos (406)",
        "Ask for a format the API cannot produce and get 406.",
        |ex| plain_get_todos(ex) && ex.status() == 406 && predicates::unsupported(ex.accept()),
    )
    .teach(
        &[
            "Ask for a format the API cannot produce, such as application/gzip.",
            "The answer is 406 Not Acceptable.",
        ],
        with("GET", "/api/todos", &[("Accept", "application/gzip")]),
        "/apichallenges/solutions/accept-header/get-todos-406",
        Some("QzfbegkY1ok"),
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
    )
    .teach(
        &[
            "Ask for one todo, not the list, with Accept: text/calendar.",
            "The answer is an iCalendar VTODO; the todo must exist.",
        ],
        with("GET", "/api/todos/{id}", &[("Accept", "text/calendar")]),
        "/apichallenges/solutions/accept-header/get-todos-id-200-calendar",
        None,
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
    )
    .teach(
        &[
            "A q value between 0 and 1 says how much you want each type; the highest acceptable one wins.",
            "Give JSON q=0.5 and XML q=1, and expect XML.",
        ],
        with("GET", "/api/todos", &[("Accept", "application/json;q=0.5, application/xml;q=1")]),
        "/apichallenges/solutions/accept-header/get-todos-200-q-xml-preferred",
        None,
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
    )
    .teach(
        &[
            "Lower XML's q value below JSON's so that JSON wins while XML stays acceptable.",
            "Expect 200 with Content-Type: application/json.",
        ],
        with("GET", "/api/todos", &[("Accept", "application/xml;q=0.5, application/json;q=1")]),
        "/apichallenges/solutions/accept-header/get-todos-200-q-json-preferred",
        None,
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
    )
    .teach(
        &[
            "q=0 means \"not this one\": give it to both JSON and XML.",
            "With nothing acceptable left, the answer is 406.",
        ],
        with("GET", "/api/todos", &[("Accept", "application/json;q=0, application/xml;q=0")]),
        "/apichallenges/solutions/accept-header/get-todos-406-q-rejects-all",
        None,
    ),
    // #59
    on_response(
        "GET_UNSUPPORTED_STRUCTURED_JSON_ACCEPT_406",
        16,
        "GET /api/todos (406) unsupported +json",
        "Ask for a structured +json type that plain JSON does not satisfy and get 406.",
        structured_json_refused,
    )
    .teach(
        &[
            "A +json type such as application/problem+json is a specific JSON format; plain todo JSON does not satisfy it.",
            "application/*+json works too; either way expect 406.",
        ],
        with("GET", "/api/todos", &[("Accept", "application/problem+json")]),
        "/apichallenges/solutions/accept-header/get-todos-406-unsupported-json-suffix",
        None,
    ),
    // #60
    on_response(
        "GET_ACCEPT_TEXT_XML",
        16,
        "GET /api/todos (200) text/xml",
        "Get the todo list as text/xml.",
        |ex| plain_list_answered(ex, 200, "text/xml") && accept_normalised_is(ex, "text/xml"),
    )
    .teach(
        &[
            "text/xml is an XML type of its own, not the same as application/xml.",
            "The answer's Content-Type should be text/xml.",
        ],
        with("GET", "/api/todos", &[("Accept", "text/xml")]),
        "/apichallenges/solutions/accept-header/get-todos-200-text-xml",
        None,
    ),
    // #61
    on_response(
        "GET_ACCEPT_VENDOR_XML",
        16,
        "GET /api/todos (200) vendor XML",
        "Get the todo list in the todo vendor XML type.",
        |ex| plain_list_answered(ex, 200, VENDOR_XML) && accept_normalised_is(ex, VENDOR_XML),
    )
    .teach(
        &[
            "Vendor media types name a specific model; this one is the todo XML of this API.",
            "Send it exactly as written; the answer uses the same type.",
        ],
        with("GET", "/api/todos", &[("Accept", "application/vnd.apichallenges.todo+xml")]),
        "/apichallenges/solutions/accept-header/get-todos-200-vendor-xml",
        None,
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
    )
    .teach(
        &[
            "application/*+xml accepts any XML-based application type.",
            "The API answers with a todo-specific XML type that fits the pattern.",
        ],
        with("GET", "/api/todos", &[("Accept", "application/*+xml")]),
        "/apichallenges/solutions/accept-header/get-todos-200-structured-xml-wildcard",
        None,
    ),
    // #63
    on_response(
        "POST_CREATE_XML",
        17,
        "POST /api/todos XML",
        "Create a todo from XML and get XML back.",
        |ex| created(ex) && is_xml_content(ex) && ex.response_type() == "application/xml",
    )
    .teach(
        &[
            "Send the todo as XML, wrapped in <todo>, with Content-Type: application/xml.",
            "Ask for XML back with Accept: application/xml.",
        ],
        send("POST", "/api/todos", &[XML_BODY, WANTS_XML], "<todo><title>created from XML</title></todo>"),
        "/apichallenges/solutions/content-type-header/post-todos-xml",
        Some("2-KBYHwb7MM"),
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
    )
    .teach(
        &[
            "Content-Type describes the body you send; Accept describes the answer you want. Set both to application/json.",
            "A title is all the body needs.",
        ],
        send("POST", "/api/todos", &[JSON_BODY, WANTS_JSON], r#"{"title":"created from JSON"}"#),
        "/apichallenges/solutions/content-type-header/post-todos-json",
        Some("VS9qIhgp51Q"),
    ),
    // #65
    on_response(
        "POST_CREATE_VENDOR_XML",
        17,
        "POST /api/todos vendor XML",
        "Create a todo from XML sent with the todo vendor media type.",
        |ex| created(ex) && ex.content_media_type() == VENDOR_XML,
    )
    .teach(
        &[
            "The body is ordinary todo XML; only its label changes to the vendor type.",
            "Any supported Accept is fine for the answer.",
        ],
        send("POST", "/api/todos", &[("Content-Type", "application/vnd.apichallenges.todo+xml"), WANTS_JSON], "<todo><title>vendor XML</title></todo>"),
        "/apichallenges/solutions/content-type-header/post-todos-vendor-xml",
        None,
    ),
    // #66
    on_response(
        "POST_TODOS_415",
        17,
        "POST /api/todos (415)",
        "Send a create request in a content type the API does not accept.",
        post_todos_415,
    )
    .teach(
        &[
            "Label the body with a type the API cannot read, such as text/plain.",
            "The answer is 415 Unsupported Media Type.",
        ],
        send("POST", "/api/todos", &[("Content-Type", "text/plain")], "title=plain text"),
        "/apichallenges/solutions/content-type-header/post-todos-415",
        Some("L8H-vkbXyr0"),
    ),
    // #67
    on_response(
        "GET_TODOS_EXPORT_CSV_CONTENT_DISPOSITION",
        18,
        "GET /api/todos/export (200) CSV download",
        "Download the todo list as a CSV file.",
        |ex| exported_as(ex, "filename=\"todos.csv\""),
    )
    .teach(
        &[
            "The export route offers the todos as a file; choose the format with ?format=csv.",
            "Look for Content-Disposition: attachment with filename=\"todos.csv\" in the answer.",
        ],
        bare("GET", "/api/todos/export?format=csv"),
        "/apichallenges/solutions/content-disposition-header/get-todos-export-csv",
        None,
    ),
    // #68
    on_response(
        "GET_TODOS_EXPORT_HTML_CONTENT_DISPOSITION",
        18,
        "GET /api/todos/export (200) HTML download",
        "Download the todo list as an HTML file.",
        |ex| exported_as(ex, "filename=\"todos.html\""),
    )
    .teach(
        &[
            "Use ?format=html on the export route.",
            "The answer is a download: Content-Disposition names todos.html.",
        ],
        bare("GET", "/api/todos/export?format=html"),
        "/apichallenges/solutions/content-disposition-header/get-todos-export-html",
        None,
    ),
    // #69
    on_response(
        "GET_TODOS_EXPORT_TSV_CONTENT_DISPOSITION",
        18,
        "GET /api/todos/export (200) tab-delimited download",
        "Download the todo list as a tab-separated file.",
        |ex| exported_as(ex, "filename=\"todos.tsv\""),
    )
    .teach(
        &[
            "Tab-separated values: ?format=tsv (tab-delimited is accepted too).",
            "The download is called todos.tsv.",
        ],
        bare("GET", "/api/todos/export?format=tsv"),
        "/apichallenges/solutions/content-disposition-header/get-todos-export-tsv",
        None,
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
    )
    .teach(
        &[
            "This only counts when your challenger was saved and then left memory (after 10 idle minutes, or a server restart).",
            "Then fetch it by GUID: the server loads it back from storage.",
            "It exists only on servers started in multi-user mode with storage.",
        ],
        bare("GET", "/api/challenger/{guid}"),
        "/apichallenges/solutions/manage-session/get-challenger-guid-200",
        Some("tNGuZMQgHxw"),
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
    )
    .teach(
        &[
            "POST to /api/challenger while sending your existing X-CHALLENGER header.",
            "Like the GET variant, it only counts when your challenger had left memory and is loaded back from storage.",
        ],
        bare("POST", "/api/challenger"),
        "/apichallenges/solutions/manage-session/post-challenger-existing-x-challenger-200",
        Some("tNGuZMQgHxw"),
    ),
    // #72
    on_request(
        "GET_RESTORABLE_CHALLENGER_PROGRESS_STATUS",
        19,
        "GET /api/challenger/guid (existing X-CHALLENGER)",
        "Download your own progress so that it can be restored later.",
        get_restorable_challenger_progress_status,
    )
    .teach(
        &[
            "Put your own GUID at the end of the path and send it as X-CHALLENGER too.",
            "Keep the JSON you get: it is the progress payload the PUT challenges send back.",
        ],
        bare("GET", "/api/challenger/{guid}"),
        "/apichallenges/solutions/manage-session/get-challenger-guid-existing-x-challenger-200",
        Some("tNGuZMQgHxw"),
    ),
    // #73
    on_response(
        "PUT_RESTORABLE_CHALLENGER_PROGRESS_STATUS",
        19,
        "PUT /api/challenger/guid RESTORE",
        "Overwrite a challenger's progress with a saved copy.",
        put_restorable_challenger_progress_status,
    )
    .teach(
        &[
            "Send back a progress payload, such as the one GET /api/challenger/{guid} gave you.",
            "The GUID in the path and xChallenger in the body must match, and the challenger must be in memory.",
            "The payload replaces your statuses; the example holds your current progress, so sending it loses nothing.",
        ],
        send("PUT", "/api/challenger/{guid}", &[JSON_BODY], "{progress}"),
        "/apichallenges/solutions/manage-session/put-challenger-guid-restore-200",
        Some("tNGuZMQgHxw"),
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
    )
    .teach(
        &[
            "Send your own progress payload (it names you in xChallenger) to a path ending in a different GUID.",
            "The server refuses the mismatch with 409, changes nothing, and credits the challenger the payload names.",
        ],
        send("PUT", "/api/challenger/00000000-0000-4000-8000-000000000000", &[JSON_BODY], "{progress}"),
        "/apichallenges/solutions/manage-session/put-challenger-guid-409-mismatch",
        None,
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
    )
    .teach(
        &[
            "This creates a challenger from a payload, so it only works for a GUID that is not in memory.",
            "Save your progress, let the session go idle past the server's idle timeout (or restart the server), then PUT the saved copy back: the answer is 201.",
            "It is tracked for the challenger the payload creates.",
        ],
        send("PUT", "/api/challenger/{guid}", &[JSON_BODY], "{progress}"),
        "/apichallenges/solutions/manage-session/put-challenger-guid-create-201",
        Some("tNGuZMQgHxw"),
    ),
    // #76
    on_response(
        "GET_RESTORABLE_TODOS",
        19,
        "GET /api/challenger/database/guid (200)",
        "Download your todo data so that it can be restored later.",
        get_restorable_todos,
    )
    .teach(
        &[
            "The database route returns your todos in a form that can be put back later.",
            "Use your own GUID in the path.",
        ],
        bare("GET", "/api/challenger/database/{guid}"),
        "/apichallenges/solutions/manage-session/get-challenger-database-guid-200",
        Some("tNGuZMQgHxw"),
    ),
    // #77
    on_response(
        "PUT_RESTORABLE_TODOS",
        19,
        "PUT /api/challenger/database/guid (Update)",
        "Replace your todo data with a saved copy.",
        put_restorable_todos,
    )
    .teach(
        &[
            "Send back the JSON that GET /api/challenger/database/{guid} gave you.",
            "It replaces all your todos and answers 204 with no body; the example holds your current todos.",
        ],
        send("PUT", "/api/challenger/database/{guid}", &[JSON_BODY], "{database}"),
        "/apichallenges/solutions/manage-session/put-challenger-database-guid-204",
        Some("tNGuZMQgHxw"),
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
    )
    .teach(
        &[
            "The body is XML (Content-Type: application/xml) but you want JSON back (Accept: application/json).",
            "The two headers are independent: one describes what you send, the other what you want.",
        ],
        send("POST", "/api/todos", &[XML_BODY, WANTS_JSON], "<todo><title>XML in, JSON out</title></todo>"),
        "/apichallenges/solutions/mix-accept-content/post-xml-accept-json",
        Some("kfe7VtaV7u0"),
    ),
    // #79
    on_response(
        "POST_CREATE_JSON_ACCEPT_XML",
        20,
        "POST /api/todos JSON to XML",
        "Create a todo from JSON and get XML back.",
        |ex| created(ex) && is_json_content(ex) && ex.response_type() == "application/xml",
    )
    .teach(
        &[
            "Send JSON (Content-Type: application/json) and ask for XML (Accept: application/xml).",
            "The created todo comes back as XML.",
        ],
        send("POST", "/api/todos", &[JSON_BODY, WANTS_XML], r#"{"title":"JSON in, XML out"}"#),
        "/apichallenges/solutions/mix-accept-content/post-json-accept-xml",
        Some("uw1Jq8t1em4"),
    ),
    // #80
    on_request(
        "DELETE_HEARTBEAT_405",
        21,
        "DELETE /api/heartbeat (405)",
        "Use a method that the heartbeat does not allow.",
        delete_heartbeat_405,
    )
    .teach(
        &[
            "The heartbeat only answers GET; other methods show different status codes.",
            "DELETE is not allowed there: expect 405.",
        ],
        bare("DELETE", "/api/heartbeat"),
        "/apichallenges/solutions/status-codes/delete-heartbeat-405",
        Some("SGfKVFdylVI"),
    ),
    // #81
    on_request(
        "PATCH_HEARTBEAT_500",
        21,
        "PATCH /api/heartbeat (500)",
        "Trigger the heartbeat's deliberate server error.",
        patch_heartbeat_500,
    )
    .teach(
        &[
            "PATCH on the heartbeat is wired to fail on purpose with 500.",
            "No body is needed.",
        ],
        bare("PATCH", "/api/heartbeat"),
        "/apichallenges/solutions/status-codes/patch-heartbeat-500",
        Some("SGfKVFdylVI"),
    ),
    // #82
    on_request(
        "TRACE_HEARTBEAT_501",
        21,
        "TRACE /api/heartbeat (501)",
        "Send TRACE to the heartbeat and get \"not implemented\".",
        trace_heartbeat_501,
    )
    .teach(
        &[
            "TRACE is a real HTTP method that this server does not implement: expect 501.",
            "Browsers never send TRACE; use curl with -X TRACE or a desktop client.",
        ],
        bare("TRACE", "/api/heartbeat").browser_cannot("browsers refuse to send TRACE, so use curl or another HTTP client"),
        "/apichallenges/solutions/status-codes/trace-heartbeat-501",
        Some("SGfKVFdylVI"),
    ),
    // #83
    on_request(
        "GET_HEARTBEAT_204",
        21,
        "GET /api/heartbeat (204)",
        "Check that the server is alive.",
        get_heartbeat_204,
    )
    .teach(
        &[
            "A plain GET on the heartbeat tells you the server is up.",
            "204 means success with no body at all.",
        ],
        bare("GET", "/api/heartbeat"),
        "/apichallenges/solutions/status-codes/get-heartbeat-204",
        Some("SGfKVFdylVI"),
    ),
    // #84
    on_request(
        "X_CHALLENGER_TOO_LONG_431",
        21,
        "GET /api/heartbeat (431) X-CHALLENGER too long",
        "Send an X-CHALLENGER header longer than 100 characters and get 431.",
        oversized_challenger_header,
    )
    .teach(
        &[
            "Send an X-CHALLENGER value longer than 100 characters; the server refuses it with 431.",
            "The example repeats your GUID four times, which is long enough.",
        ],
        with("GET", "/api/heartbeat", &[("X-CHALLENGER", "{guid}{guid}{guid}{guid}")]),
        "/apichallenges/solutions/status-codes/x-challenger-too-long-431",
        None,
    ),
    // #85
    on_request(
        "OVERRIDE_DELETE_HEARTBEAT_405",
        22,
        "POST /api/heartbeat as DELETE (405)",
        "Make a POST act as DELETE with X-HTTP-Method-Override.",
        |ex| overrides_heartbeat_as(ex, "delete"),
    )
    .teach(
        &[
            "Send a POST with X-HTTP-Method-Override: DELETE; the server then treats it as a DELETE.",
            "The outcome matches a real DELETE on the heartbeat: 405.",
        ],
        with("POST", "/api/heartbeat", &[("X-HTTP-Method-Override", "DELETE")]),
        "/apichallenges/solutions/method-override/post-heartbeat-as-delete-405",
        Some("SGfKVFdylVI"),
    ),
    // #86
    on_request(
        "OVERRIDE_PATCH_HEARTBEAT_500",
        22,
        "POST /api/heartbeat as PATCH (500)",
        "Make a POST act as PATCH with X-HTTP-Method-Override.",
        |ex| overrides_heartbeat_as(ex, "patch"),
    )
    .teach(
        &[
            "POST with X-HTTP-Method-Override: PATCH.",
            "Expect the same deliberate 500 as a real PATCH.",
        ],
        with("POST", "/api/heartbeat", &[("X-HTTP-Method-Override", "PATCH")]),
        "/apichallenges/solutions/method-override/post-heartbeat-as-patch-500",
        Some("SGfKVFdylVI"),
    ),
    // #87
    on_request(
        "OVERRIDE_TRACE_HEARTBEAT_501",
        22,
        "POST /api/heartbeat as Trace (501)",
        "Make a POST act as TRACE with X-HTTP-Method-Override.",
        |ex| overrides_heartbeat_as(ex, "trace"),
    )
    .teach(
        &[
            "POST with X-HTTP-Method-Override: TRACE, and expect 501.",
            "Browsers strip this header when it names TRACE; send it from curl or a desktop client.",
        ],
        with("POST", "/api/heartbeat", &[("X-HTTP-Method-Override", "TRACE")]).browser_cannot("browsers drop an X-HTTP-Method-Override header that names TRACE, so use curl or another HTTP client"),
        "/apichallenges/solutions/method-override/post-heartbeat-as-trace-501",
        Some("SGfKVFdylVI"),
    ),
    // #88
    on_response(
        "CREATE_SECRET_TOKEN_401",
        23,
        "POST /api/secret/token (401)",
        "Ask for a secret token with the wrong Basic credentials.",
        create_secret_token_401,
    )
    .teach(
        &[
            "Basic authentication sends user:password encoded in base64 in the Authorization header.",
            "Use wrong credentials on purpose (the example encodes admin:admin) and expect 401.",
        ],
        with("POST", "/api/secret/token", &[("Authorization", "Basic YWRtaW46YWRtaW4=")]),
        "/apichallenges/solutions/authentication/post-secret-401",
        Some("RSQGADU3SLA"),
    ),
    // #89
    on_response(
        "CREATE_SECRET_TOKEN_201",
        23,
        "POST /api/secret/token (201)",
        "Get a secret token with the right Basic credentials.",
        create_secret_token_201,
    )
    .teach(
        &[
            "The right credentials are user admin, password password (base64 of admin:password is YWRtaW46cGFzc3dvcmQ=).",
            "Your token comes back in the X-AUTH-TOKEN response header; keep it for the note challenges.",
        ],
        with("POST", "/api/secret/token", &[ADMIN_LOGIN]),
        "/apichallenges/solutions/authentication/post-secret-201",
        Some("J2GQiuEfHkI"),
    ),
    // #90
    on_response(
        "GET_SECRET_NOTE_403",
        24,
        "GET /api/secret/note (403)",
        "Read the secret note with a token that is not yours.",
        get_secret_note_403,
    )
    .teach(
        &[
            "Send an X-AUTH-TOKEN header with a value that is not your token.",
            "Wrong token means forbidden: 403.",
        ],
        with("GET", "/api/secret/note", &[("X-AUTH-TOKEN", "not-my-token")]),
        "/apichallenges/solutions/authorization/get-secret-note-403",
        Some("77mnUQezdas"),
    ),
    // #91
    on_response(
        "GET_SECRET_NOTE_401",
        24,
        "GET /api/secret/note (401)",
        "Read the secret note without any token.",
        get_secret_note_401,
    )
    .teach(
        &[
            "Send no X-AUTH-TOKEN header at all.",
            "Missing credentials mean 401, not 403.",
        ],
        bare("GET", "/api/secret/note"),
        "/apichallenges/solutions/authorization/get-secret-note-401",
        Some("__uZlQZ48io"),
    ),
    // #92
    on_response(
        "GET_SECRET_NOTE_200",
        24,
        "GET /api/secret/note (200)",
        "Read the secret note with your token.",
        get_secret_note_200,
    )
    .teach(
        &[
            "Send the token from POST /api/secret/token in X-AUTH-TOKEN.",
            "The example already holds your token; it is the same one that request returns.",
        ],
        with("GET", "/api/secret/note", &[MY_TOKEN]),
        "/apichallenges/solutions/authorization/get-secret-note-200",
        Some("2uRpzr2OmEY"),
    ),
    // #93
    on_response(
        "POST_SECRET_NOTE_200",
        24,
        "POST /api/secret/note (200)",
        "Store a secret note with your token.",
        post_secret_note_200,
    )
    .teach(
        &[
            "POST a JSON body with a note field, plus your X-AUTH-TOKEN.",
            "Read it back with GET /api/secret/note.",
        ],
        send("POST", "/api/secret/note", &[MY_TOKEN, JSON_BODY], r#"{"note":"my first secret"}"#),
        "/apichallenges/solutions/authorization/post-secret-note-200",
        Some("A9T9yjzEOEE"),
    ),
    // #94
    on_response(
        "POST_SECRET_NOTE_401",
        24,
        "POST /api/secret/note (401)",
        "Try to store a secret note without any token.",
        post_secret_note_401,
    )
    .teach(
        &[
            "Send a note body but no X-AUTH-TOKEN header.",
            "Expect 401.",
        ],
        send("POST", "/api/secret/note", &[JSON_BODY], r#"{"note":"nobody may store this"}"#),
        "/apichallenges/solutions/authorization/post-secret-note-401",
        Some("76U5TEvLzLI"),
    ),
    // #95
    on_response(
        "POST_SECRET_NOTE_403",
        24,
        "POST /api/secret/note (403)",
        "Try to store a secret note with a token that is not yours.",
        post_secret_note_403,
    )
    .teach(
        &[
            "Send a note body with a token that is not yours.",
            "Expect 403.",
        ],
        send("POST", "/api/secret/note", &[("X-AUTH-TOKEN", "not-my-token"), JSON_BODY], r#"{"note":"wrong key"}"#),
        "/apichallenges/solutions/authorization/post-secret-note-403",
        Some("76U5TEvLzLI"),
    ),
    // #96
    on_response(
        "GET_SECRET_NOTE_BEARER_200",
        24,
        "GET /api/secret/note (Bearer)",
        "Read the secret note, sending your token as a Bearer credential.",
        get_secret_note_bearer_200,
    )
    .teach(
        &[
            "Send your token as Authorization: Bearer <token> instead of X-AUTH-TOKEN.",
            "There is one space between the word Bearer and the token.",
        ],
        with("GET", "/api/secret/note", &[("Authorization", "Bearer {token}")]),
        "/apichallenges/solutions/authorization/get-secret-note-bearer",
        Some("8GsMTZxEItw"),
    ),
    // #97
    on_response(
        "POST_SECRET_NOTE_BEARER_200",
        24,
        "POST /api/secret/note (Bearer)",
        "Store a secret note, sending your token as a Bearer credential.",
        post_secret_note_bearer_200,
    )
    .teach(
        &[
            "Store a note with the token in Authorization: Bearer <token>.",
            "The body is the same JSON with a note field.",
        ],
        send("POST", "/api/secret/note", &[("Authorization", "Bearer {token}"), JSON_BODY], r#"{"note":"stored with a bearer token"}"#),
        "/apichallenges/solutions/authorization/post-secret-note-bearer",
        Some("8GsMTZxEItw"),
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
    )
    .teach(
        &[
            "Delete every one of your todos; the challenge completes on the delete that empties the list.",
            "List the remaining ids with GET /api/todos and delete them one by one.",
        ],
        bare("DELETE", "/api/todos/{id}"),
        "/apichallenges/solutions/miscellaneous/delete-all-todos",
        None,
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
    )
    .teach(
        &[
            "A challenger may hold at most 20 todos; keep creating until the next one is refused with 409.",
            "Count what you have with GET /api/todos to know how many more to create.",
        ],
        send("POST", "/api/todos", &[JSON_BODY], r#"{"title":"one more"}"#),
        "/apichallenges/solutions/miscellaneous/create-maximum-number-todos",
        None,
    ),
];
