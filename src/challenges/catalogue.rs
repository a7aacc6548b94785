//! What a challenge is (key, section, exact title, our description, completion rule),
//! the rules both generations share and the conditions rules are built from. The two
//! tables themselves, ONE per profile, are `current` and `classic`.
//!
//! Each row also carries what the progress page teaches with: hints in our own words,
//! a worked example request, and the links to the reference's public written solution
//! and video ([`Challenge::teach`]).
//!
//! Rules only decide whether an exchange qualifies; which challenger is credited (the
//! new one for #1, the response `X-CHALLENGER` for the restore routes, ...) is decided
//! by the pipeline.

use hyper::StatusCode;
use regex::Regex;
use serde_json::Value;

use crate::challenges::tracking::Exchange;
use crate::todo::negotiation::predicates;
use crate::todo::query::{ListQuery, Op};
use crate::todo::{Todo, MAX_DESCRIPTION, MAX_TITLE};

/// When a rule is evaluated: before the request is handled, or once the response exists.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    /// Before the request is handled; `Exchange::response` is `None`.
    Request,
    /// After the response exists.
    Response,
}

/// In which configurations a challenge is active; dropping one renumbers the later ones.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Availability {
    Always,
    /// Multi-user mode with persistent storage only (#70, #71).
    MultiUserWithStorage,
    /// Multi-user mode only (#75).
    MultiUser,
}

/// One challenge definition.
pub struct Challenge {
    /// The reference enum name, e.g. `GET_TODOS` (the key of `challengeStatus`).
    pub key: &'static str,
    /// Index into the profile's section list.
    pub section: usize,
    /// The exact title (the `name` in `/challenges`).
    pub title: &'static str,
    /// Our own description.
    pub description: &'static str,
    pub availability: Availability,
    pub phase: Phase,
    /// True when the exchange completes the challenge.
    pub rule: fn(&Exchange) -> bool,
    /// Hints in our own words, shown collapsed on the progress page.
    pub hints: &'static [&'static str],
    /// A request that completes the challenge (or the first step towards it).
    pub example: Example,
    /// Path of the reference's public written solution on [`SOLUTIONS_SITE`].
    pub solution: &'static str,
    /// YouTube id of the reference's video solution, where one exists.
    pub video: Option<&'static str>,
}

/// Where the reference publishes its written solutions.
pub const SOLUTIONS_SITE: &str = "https://apichallenges.eviltester.com";

/// A worked example request as a learner would type it. Path, header values and body
/// may hold placeholders the progress page fills in for the learner looking at it:
/// `{guid}` (their X-CHALLENGER), `{id}` (one of their todo ids), `{missing}` (an id
/// they do not have), `{token}` (their secret token), `{progress}` and `{database}`
/// (their restorable progress and todos, as the challenger routes return them) and
/// `{chars:N}` (a counter string of N characters, so a length can be read off the text).
#[derive(Clone, Copy, Debug)]
pub struct Example {
    pub method: &'static str,
    pub path: &'static str,
    /// Headers besides `X-CHALLENGER`, which is added for the learner unless
    /// `anonymous` is set.
    pub headers: &'static [(&'static str, &'static str)],
    pub body: &'static str,
    /// The request must not carry the learner's X-CHALLENGER (creating a new one).
    pub anonymous: bool,
    /// Why a browser cannot send this request as written ("" when it can).
    pub browser_limit: &'static str,
}

/// An example without headers or body.
pub(super) const fn bare(method: &'static str, path: &'static str) -> Example {
    send(method, path, &[], "")
}

/// An example with headers and no body.
pub(super) const fn with(
    method: &'static str,
    path: &'static str,
    headers: &'static [(&'static str, &'static str)],
) -> Example {
    send(method, path, headers, "")
}

/// An example with headers and a body.
pub(super) const fn send(
    method: &'static str,
    path: &'static str,
    headers: &'static [(&'static str, &'static str)],
    body: &'static str,
) -> Example {
    Example {
        method,
        path,
        headers,
        body,
        anonymous: false,
        browser_limit: "",
    }
}

impl Example {
    /// Sent without the learner's X-CHALLENGER.
    pub(super) const fn anonymous(self) -> Example {
        Example {
            anonymous: true,
            ..self
        }
    }

    /// Note why the in-page runner cannot send it as written.
    pub(super) const fn browser_cannot(self, why: &'static str) -> Example {
        Example {
            browser_limit: why,
            ..self
        }
    }
}

/// `Content-Type: application/json`.
pub(super) const JSON_BODY: (&str, &str) = ("Content-Type", "application/json");
/// `Content-Type: application/xml`.
pub(super) const XML_BODY: (&str, &str) = ("Content-Type", "application/xml");
/// `Accept: application/json`.
pub(super) const WANTS_JSON: (&str, &str) = ("Accept", "application/json");
/// `Accept: application/xml`.
pub(super) const WANTS_XML: (&str, &str) = ("Accept", "application/xml");
/// Basic credentials `admin:password`.
pub(super) const ADMIN_LOGIN: (&str, &str) = ("Authorization", "Basic YWRtaW46cGFzc3dvcmQ=");
/// The learner's secret token in `X-AUTH-TOKEN`.
pub(super) const MY_TOKEN: (&str, &str) = ("X-AUTH-TOKEN", "{token}");

impl Challenge {
    /// Attach what the progress page teaches with: hints, an example request, the
    /// reference's written solution path and its video id.
    pub(super) const fn teach(
        self,
        hints: &'static [&'static str],
        example: Example,
        solution: &'static str,
        video: Option<&'static str>,
    ) -> Challenge {
        Challenge {
            hints,
            example,
            solution,
            video,
            ..self
        }
    }
}

/// A challenge that is always active and checked after the response exists.
pub(super) const fn on_response(
    key: &'static str,
    section: usize,
    title: &'static str,
    description: &'static str,
    rule: fn(&Exchange) -> bool,
) -> Challenge {
    Challenge {
        key,
        section,
        title,
        description,
        availability: Availability::Always,
        phase: Phase::Response,
        rule,
        hints: &[],
        example: bare("GET", "/"),
        solution: "",
        video: None,
    }
}

/// A challenge that is always active and checked before the request is handled.
pub(super) const fn on_request(
    key: &'static str,
    section: usize,
    title: &'static str,
    description: &'static str,
    rule: fn(&Exchange) -> bool,
) -> Challenge {
    Challenge {
        phase: Phase::Request,
        ..on_response(key, section, title, description, rule)
    }
}

/// Restrict a challenge to some configurations.
pub(super) const fn only_in(availability: Availability, challenge: Challenge) -> Challenge {
    Challenge {
        availability,
        ..challenge
    }
}

// --- Rules the classic table shares (identical in both generations) ---------------

/// The rule of `CREATE_NEW_CHALLENGER`, the same in the current and classic tables.
pub(super) fn create_new_challenger(ex: &Exchange) -> bool {
    ex.is("POST", "challenger") && ex.status() == 201
}

/// The rule of `GET_CHALLENGES`, the same in the current and classic tables.
pub(super) fn get_challenges(ex: &Exchange) -> bool {
    ex.is("GET", "challenges")
}

/// The rule of `GET_TODOS`, the same in the current and classic tables.
pub(super) fn get_todos(ex: &Exchange) -> bool {
    ex.is("GET", "todos") && ex.no_query()
}

/// The rule of `GET_HEAD_TODOS`, the same in the current and classic tables.
pub(super) fn get_head_todos(ex: &Exchange) -> bool {
    ex.is("HEAD", "todos") && ex.no_query()
}

/// The rule of `POST_UPDATE_TODO`, the same in the current and classic tables.
pub(super) fn post_update_todo(ex: &Exchange) -> bool {
    ex.method == "POST" && ex.is_todo_item() && ex.status() == 200
}

/// The rule of `POST_TODOS_404`, the same in the current and classic tables.
pub(super) fn post_todos_404(ex: &Exchange) -> bool {
    ex.method == "POST"
        && ex.is_todo_item()
        && ex.status() == 404
        && ex
            .messages()
            .iter()
            .any(|m| m.starts_with("No such todo entity instance with id =="))
}

/// The rule of `PUT_TODOS_FULL_200`, the same in the current and classic tables.
pub(super) fn put_todos_full_200(ex: &Exchange) -> bool {
    put_item(ex, 200) && {
        let body = ex.body_text().to_lowercase();
        body.contains("donestatus") && body.contains("description")
    }
}

/// The rule of `PUT_TODOS_PARTIAL_200`, the same in the current and classic tables.
pub(super) fn put_todos_partial_200(ex: &Exchange) -> bool {
    put_item(ex, 200) && {
        let body = ex.body_text().to_lowercase();
        !body.contains("donestatus") && !body.contains("description")
    }
}

/// The rule of `OPTIONS_TODOS`, the same in the current and classic tables.
pub(super) fn options_todos(ex: &Exchange) -> bool {
    ex.is("OPTIONS", "todos") && ex.status() == 200
}

/// The rule of `POST_TODOS_415`, the same in the current and classic tables.
pub(super) fn post_todos_415(ex: &Exchange) -> bool {
    ex.is("POST", "todos") && ex.status() == 415
}

/// The rule of `GET_RESTORABLE_CHALLENGER_PROGRESS_STATUS`, the same in the current and classic tables.
pub(super) fn get_restorable_challenger_progress_status(ex: &Exchange) -> bool {
    ex.method == "GET"
        && ex
            .requester
            .is_some_and(|guid| ex.path.strip_prefix("challenger/") == Some(guid))
}

/// The rule of `PUT_RESTORABLE_CHALLENGER_PROGRESS_STATUS`, the same in the current and classic tables.
pub(super) fn put_restorable_challenger_progress_status(ex: &Exchange) -> bool {
    ex.method == "PUT" && ex.path.starts_with("challenger/") && ex.status() == 200
}

/// The rule of `PUT_NEW_RESTORED_CHALLENGER_PROGRESS_STATUS`, the same in the current and classic tables.
pub(super) fn put_new_restored_challenger_progress_status(ex: &Exchange) -> bool {
    ex.method == "PUT" && ex.path.starts_with("challenger/") && ex.status() == 201
}

/// The rule of `GET_RESTORABLE_TODOS`, the same in the current and classic tables.
pub(super) fn get_restorable_todos(ex: &Exchange) -> bool {
    ex.method == "GET" && ex.path.starts_with("challenger/database/") && ex.status() == 200
}

/// The rule of `PUT_RESTORABLE_TODOS`, the same in the current and classic tables.
pub(super) fn put_restorable_todos(ex: &Exchange) -> bool {
    ex.method == "PUT" && ex.path.starts_with("challenger/database/") && ex.status() == 204
}

/// The rule of `DELETE_HEARTBEAT_405`, the same in the current and classic tables.
pub(super) fn delete_heartbeat_405(ex: &Exchange) -> bool {
    ex.is("DELETE", "heartbeat")
}

/// The rule of `PATCH_HEARTBEAT_500`, the same in the current and classic tables.
pub(super) fn patch_heartbeat_500(ex: &Exchange) -> bool {
    ex.is("PATCH", "heartbeat")
}

/// The rule of `TRACE_HEARTBEAT_501`, the same in the current and classic tables.
pub(super) fn trace_heartbeat_501(ex: &Exchange) -> bool {
    ex.is("TRACE", "heartbeat")
}

/// The rule of `GET_HEARTBEAT_204`, the same in the current and classic tables.
pub(super) fn get_heartbeat_204(ex: &Exchange) -> bool {
    ex.is("GET", "heartbeat")
}

/// The rule of `CREATE_SECRET_TOKEN_401`, the same in the current and classic tables.
pub(super) fn create_secret_token_401(ex: &Exchange) -> bool {
    ex.is("POST", "secret/token") && header_chars(ex, "authorization") > 10 && ex.status() == 401
}

/// The rule of `CREATE_SECRET_TOKEN_201`, the same in the current and classic tables.
pub(super) fn create_secret_token_201(ex: &Exchange) -> bool {
    ex.is("POST", "secret/token") && header_chars(ex, "authorization") > 10 && ex.status() == 201
}

/// The rule of `GET_SECRET_NOTE_403`, the same in the current and classic tables.
pub(super) fn get_secret_note_403(ex: &Exchange) -> bool {
    ex.is("GET", "secret/note") && header_chars(ex, AUTH_TOKEN) > 1 && ex.status() == 403
}

/// The rule of `GET_SECRET_NOTE_401`, the same in the current and classic tables.
pub(super) fn get_secret_note_401(ex: &Exchange) -> bool {
    ex.is("GET", "secret/note") && !ex.headers.contains_key(AUTH_TOKEN) && ex.status() == 401
}

/// The rule of `GET_SECRET_NOTE_200`, the same in the current and classic tables.
pub(super) fn get_secret_note_200(ex: &Exchange) -> bool {
    ex.is("GET", "secret/note") && ex.headers.contains_key(AUTH_TOKEN) && ex.status() == 200
}

/// The rule of `POST_SECRET_NOTE_200`, the same in the current and classic tables.
pub(super) fn post_secret_note_200(ex: &Exchange) -> bool {
    ex.is("POST", "secret/note")
        && ex.headers.contains_key(AUTH_TOKEN)
        && has_note_body(ex)
        && ex.status() == 200
}

/// The rule of `POST_SECRET_NOTE_401`, the same in the current and classic tables.
pub(super) fn post_secret_note_401(ex: &Exchange) -> bool {
    ex.is("POST", "secret/note")
        && !ex.headers.contains_key(AUTH_TOKEN)
        && has_note_body(ex)
        && ex.status() == 401
}

/// The rule of `POST_SECRET_NOTE_403`, the same in the current and classic tables.
pub(super) fn post_secret_note_403(ex: &Exchange) -> bool {
    ex.is("POST", "secret/note")
        && header_chars(ex, AUTH_TOKEN) > 1
        && has_note_body(ex)
        && ex.status() == 403
}

/// The rule of `GET_SECRET_NOTE_BEARER_200`, the same in the current and classic tables.
pub(super) fn get_secret_note_bearer_200(ex: &Exchange) -> bool {
    ex.is("GET", "secret/note") && has_bearer_token(ex) && ex.status() == 200
}

/// The rule of `POST_SECRET_NOTE_BEARER_200`, the same in the current and classic tables.
pub(super) fn post_secret_note_bearer_200(ex: &Exchange) -> bool {
    ex.is("POST", "secret/note") && has_bearer_token(ex) && has_note_body(ex) && ex.status() == 200
}

/// Retired keys (never listed, never recorded) and the challenge that replaced each: a saved
/// progress payload holding only the old key restores the new one.
pub static RETIRED: &[(&str, &str)] = &[
    ("PUT_TODOS_400", "PUT_TODOS_422"),
    ("PUT_TODOS_MISSING_TITLE_400", "PUT_TODOS_MISSING_TITLE_422"),
    ("PUT_TODOS_400_NO_AMEND_ID", "PUT_TODOS_422_NO_AMEND_ID"),
];

// ---------------------------------------------------------------------------------
// Shared conditions of the rules (paths, media types, query and body views).
// ---------------------------------------------------------------------------------

/// The largest `_limit` the collection accepts (more is a 400).
pub(super) const MAX_PAGE_LIMIT: i64 = 20;
/// The todo vendor XML media type.
pub(super) const VENDOR_XML: &str = "application/vnd.apichallenges.todo+xml";
/// The secret-note token header (lower case, as `HeaderMap` stores names).
pub(super) const AUTH_TOKEN: &str = "x-auth-token";

/// `todos/{x}` on the todo engine: the export route is a separate one and never
/// counts as a todo read (#5).
pub(super) fn is_todo_route(ex: &Exchange) -> bool {
    ex.is_todo_item() && ex.path != "todos/export"
}

/// GET on the collection answered 200.
pub(super) fn get_todos_ok(ex: &Exchange) -> bool {
    ex.is("GET", "todos") && ex.status() == 200
}

/// GET on the collection without any query parameters (the Accept sections).
pub(super) fn plain_get_todos(ex: &Exchange) -> bool {
    ex.is("GET", "todos") && ex.no_query()
}

/// A plain collection GET answered with this status and response media type.
pub(super) fn plain_list_answered(ex: &Exchange, status: u16, media_type: &str) -> bool {
    plain_get_todos(ex) && ex.status() == status && ex.response_type() == media_type
}

/// POST on the collection answered 201 (the Content-Type and mixed-format sections).
pub(super) fn created(ex: &Exchange) -> bool {
    ex.is("POST", "todos") && ex.status() == 201
}

/// PUT on `todos/{x}` answered with this status.
pub(super) fn put_item(ex: &Exchange, status: u16) -> bool {
    ex.method == "PUT" && ex.is_todo_item() && ex.status() == status
}

/// POST on any path starting with `todo` answered 422 (#25, #26 trap create and amend).
pub(super) fn post_todo_prefix_422(ex: &Exchange) -> bool {
    ex.method == "POST" && ex.path.starts_with("todo") && ex.status() == 422
}

/// PATCH on `todos/{x}` answered 200 with this request media type (#45-#47).
pub(super) fn patched_with(ex: &Exchange, media_type: &str) -> bool {
    ex.method == "PATCH"
        && ex.is_todo_item()
        && ex.status() == 200
        && ex.content_media_type() == media_type
}

/// XML request content for the Content-Type rules: `application/xml` or `text/xml`.
pub(super) fn is_xml_content(ex: &Exchange) -> bool {
    matches!(ex.content_media_type(), "application/xml" | "text/xml")
}

/// JSON request content for the Content-Type rules.
pub(super) fn is_json_content(ex: &Exchange) -> bool {
    ex.content_media_type() == "application/json"
}

/// `accept-normalised == expected`.
pub(super) fn accept_normalised_is(ex: &Exchange, expected: &str) -> bool {
    ex.accept_normalised() == expected
}

/// "Store has both": at least one done and one open todo.
pub(super) fn store_has_both(store: &[Todo]) -> bool {
    store.iter().any(|t| t.done_status) && store.iter().any(|t| !t.done_status)
}

/// "Body has id": the request body is a JSON object with an `id` key.
pub(super) fn body_has_id(ex: &Exchange) -> bool {
    matches!(
        serde_json::from_slice::<Value>(ex.body),
        Ok(Value::Object(fields)) if fields.contains_key("id")
    )
}

/// A request header's length in characters (0 when absent); non-ASCII bytes count too.
pub(super) fn header_chars(ex: &Exchange, name: &str) -> usize {
    ex.headers
        .get(name)
        .map_or(0, |v| String::from_utf8_lossy(v.as_bytes()).chars().count())
}

/// "Note body": the raw request body contains `"note"` (quotes included).
pub(super) fn has_note_body(ex: &Exchange) -> bool {
    ex.body.windows(6).any(|w| w == b"\"note\"")
}

/// `Authorization: Bearer <token>`: the first space-separated word is `bearer`
/// (any case) and a second, non-blank word follows.
pub(super) fn has_bearer_token(ex: &Exchange) -> bool {
    let Some(value) = ex.headers.get("authorization") else {
        return false;
    };
    let value = String::from_utf8_lossy(value.as_bytes());
    let mut words = value.split(' ').filter(|w| !w.trim().is_empty());
    words
        .next()
        .is_some_and(|w| w.eq_ignore_ascii_case("bearer"))
        && words.next().is_some()
}

/// Method override (#85-#87): `heartbeat` with `X-HTTP-Method-Override` naming `method`.
pub(super) fn overrides_heartbeat_as(ex: &Exchange, method: &str) -> bool {
    ex.path == "heartbeat"
        && ex
            .header("x-http-method-override")
            .is_some_and(|v| v.trim().eq_ignore_ascii_case(method))
}

/// Downloads (#67-#69): the export answered 200 as an attachment with this quoted filename.
pub(super) fn exported_as(ex: &Exchange, filename: &str) -> bool {
    ex.is("GET", "todos/export")
        && ex.status() == 200
        && ex
            .response_header("content-disposition")
            .is_some_and(|d| d.contains("attachment") && d.contains(filename))
}

// --- query-string helpers (filter, sort and paging rules) ---

/// The value of the first filter on `field` with exactly this operator.
pub(super) fn first_filter<'q>(query: &'q ListQuery, field: &str, op: Op) -> Option<&'q str> {
    query
        .filters
        .iter()
        .find(|f| f.field == field && f.op == op)
        .map(|f| f.value.as_str())
}

/// An integer filter value (32-bit, optional sign, like the reference's parsing).
pub(super) fn as_int(text: &str) -> Option<i64> {
    text.parse::<i32>().ok().map(i64::from)
}

/// A sort criterion is valid when its field is a todo field.
pub(super) fn is_todo_field(name: &str) -> bool {
    matches!(name, "id" | "title" | "doneStatus" | "description")
}

/// At least one sort criterion, all on todo fields.
pub(super) fn sorts_valid(query: &ListQuery) -> bool {
    !query.sort.is_empty() && query.sort.iter().all(|k| is_todo_field(&k.field))
}

/// "Expected page size" = max(0, min(limit, available - offset)).
pub(super) fn page_size(available: usize, limit: i64, offset: i64) -> usize {
    let available = i64::try_from(available).unwrap_or(i64::MAX);
    usize::try_from(limit.min(available - offset)).unwrap_or(0)
}

/// `_limit` and `_offset` are these integers.
pub(super) fn paged_by(query: &ListQuery, limit: i64, offset: i64) -> bool {
    query.limit_value() == Some(limit) && query.offset_value() == Some(offset)
}

// --- views of the JSON todos of the response ---

/// A JSON todo's integer id (a numeric string counts too).
pub(super) fn json_id(todo: &Value) -> Option<i64> {
    match todo.get("id")? {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// A JSON todo's doneStatus, when it is a boolean.
pub(super) fn json_done(todo: &Value) -> Option<bool> {
    todo.get("doneStatus").and_then(Value::as_bool)
}

/// A JSON todo's description ("" when absent or not a string).
pub(super) fn json_description(todo: &Value) -> &str {
    todo.get("description")
        .and_then(Value::as_str)
        .unwrap_or("")
}

/// Non-empty, and every todo has doneStatus true (the QUERY rules).
pub(super) fn all_done(todos: &[Value]) -> bool {
    !todos.is_empty() && todos.iter().all(|t| json_done(t) == Some(true))
}

// ---------------------------------------------------------------------------------
// Rules too long for a one-line closure.
// ---------------------------------------------------------------------------------

/// #7: `doneStatus=true` listed while the store has both kinds.
pub(super) fn filtered_done(ex: &Exchange) -> bool {
    get_todos_ok(ex)
        && store_has_both(ex.store)
        && ex.query().eq_value("doneStatus") == Some("true")
}

/// #8, #9: an `id` filter with `op` and integer v returns some but not all todos, and
/// every returned id satisfies `keep(id, v)`.
pub(super) fn id_filter_subset(ex: &Exchange, op: Op, keep: fn(i64, i64) -> bool) -> bool {
    if !get_todos_ok(ex) {
        return false;
    }
    let Some(v) = first_filter(ex.query(), "id", op).and_then(as_int) else {
        return false;
    };
    let todos = ex.response_todos();
    !todos.is_empty()
        && todos.len() < ex.store.len()
        && todos
            .iter()
            .all(|t| json_id(t).is_some_and(|id| keep(id, v)))
}

/// #10: `id=v` returns exactly the todo v out of a store of several.
pub(super) fn filtered_single_id(ex: &Exchange) -> bool {
    if !get_todos_ok(ex) || ex.store.len() <= 1 {
        return false;
    }
    let Some(v) = first_filter(ex.query(), "id", Op::Eq).and_then(as_int) else {
        return false;
    };
    matches!(ex.response_todos(), [only] if json_id(only) == Some(v))
}

/// #11, #12: the first `description` filter with `op`, turned into a regex source by
/// `to_regex`, matches every returned (non-empty) description in full.
pub(super) fn descriptions_match(
    ex: &Exchange,
    op: Op,
    to_regex: fn(&str) -> Option<String>,
) -> bool {
    // Cheap checks first: the response body is parsed only when the query qualifies.
    if !get_todos_ok(ex) {
        return false;
    }
    let Some(source) = first_filter(ex.query(), "description", op).and_then(to_regex) else {
        return false;
    };
    if ex.response_todos().is_empty() {
        return false;
    }
    let Ok(whole) = Regex::new(&format!(r"\A(?:{source})\z")) else {
        return false;
    };
    ex.response_todos().iter().all(|t| {
        let description = json_description(t);
        !description.is_empty() && whole.is_match(description)
    })
}

/// #11: the filter value itself, when it compiles on its own (wrapping it in a group
/// must not rescue an invalid expression such as `a)(b`).
pub(super) fn regex_source(value: &str) -> Option<String> {
    Regex::new(value).ok().map(|_| value.to_string())
}

/// #12: `*` any run, `?` one character, everything else literal.
pub(super) fn wildcard_source(value: &str) -> Option<String> {
    let mut source = String::with_capacity(value.len() * 2);
    for c in value.chars() {
        match c {
            '*' => source.push_str(".*"),
            '?' => source.push('.'),
            other => source.push_str(&regex::escape(other.encode_utf8(&mut [0; 4]))),
        }
    }
    Some(source)
}

/// #13, #14: exactly one sort criterion, on a todo field, in this direction.
pub(super) fn single_sort(ex: &Exchange, descending: bool) -> bool {
    get_todos_ok(ex)
        && matches!(
            ex.query().sort.as_slice(),
            [only] if only.descending == descending && is_todo_field(&only.field)
        )
}

/// #16: a filter on a todo field plus valid sorting.
pub(super) fn filtered_and_sorted(ex: &Exchange) -> bool {
    let query = ex.query();
    get_todos_ok(ex) && query.filters.iter().any(|f| is_todo_field(&f.field)) && sorts_valid(query)
}

/// #17: `_limit=8` and a full first page of 8.
pub(super) fn paged_limit(ex: &Exchange) -> bool {
    get_todos_ok(ex)
        && ex.query().limit_value() == Some(8)
        && ex.response_todos().len() == page_size(ex.store.len(), 8, 0)
}

/// #18: the second page of 5.
pub(super) fn paged_limit_offset(ex: &Exchange) -> bool {
    get_todos_ok(ex)
        && paged_by(ex.query(), 5, 5)
        && ex.response_todos().len() == page_size(ex.store.len(), 5, 5)
}

/// #20: the second page of 5 sorted by id descending.
pub(super) fn paged_sorted(ex: &Exchange) -> bool {
    if !get_todos_ok(ex) {
        return false;
    }
    let query = ex.query();
    if !paged_by(query, 5, 5)
        || !matches!(query.sort.as_slice(), [only] if only.field == "id" && only.descending)
    {
        return false;
    }
    let todos = ex.response_todos();
    todos.len() == page_size(ex.store.len(), 5, 5)
        && todos.windows(2).all(
            |pair| matches!((json_id(&pair[0]), json_id(&pair[1])), (Some(a), Some(b)) if a >= b),
        )
}

/// #21: open todos, offset 1, limit 2.
pub(super) fn paged_filtered(ex: &Exchange) -> bool {
    if !get_todos_ok(ex) {
        return false;
    }
    let query = ex.query();
    if !paged_by(query, 2, 1) || query.eq_value("doneStatus") != Some("false") {
        return false;
    }
    let todos = ex.response_todos();
    let open = ex.store.iter().filter(|t| !t.done_status).count();
    todos.len() == page_size(open, 2, 1) && todos.iter().all(|t| json_done(t) == Some(false))
}

/// #27: the created todo (id from the Location header) has a title of exactly 50 and
/// a description of exactly 200 characters.
pub(super) fn created_at_limits(ex: &Exchange) -> bool {
    if !created(ex) {
        return false;
    }
    let Some(id) = ex
        .response_header("location")
        .and_then(|l| l.rsplit_once('/'))
        .and_then(|(_, last)| last.parse::<u64>().ok())
    else {
        return false;
    };
    ex.store.iter().find(|t| t.id == id).is_some_and(|t| {
        t.title.chars().count() == MAX_TITLE && t.description.chars().count() == MAX_DESCRIPTION
    })
}

/// #42: QUERY with a form body holding `doneStatus=true`.
pub(super) fn query_form_done(ex: &Exchange) -> bool {
    ex.is("QUERY", "todos")
        && ex.status() == 200
        && ex.content_media_type() == "application/x-www-form-urlencoded"
        && store_has_both(ex.store)
        && ListQuery::parse(&ex.body_text())
            .filters
            .iter()
            .any(|f| f.field == "doneStatus" && f.op == Op::Eq && f.value == "true")
}

/// #43: QUERY with a JSONPath body mentioning doneStatus and true, returning only done
/// todos.
pub(super) fn query_jsonpath_done(ex: &Exchange) -> bool {
    if !(ex.is("QUERY", "todos")
        && ex.status() == 200
        && ex.content_media_type() == "application/jsonpath")
    {
        return false;
    }
    let body = ex.body_text().to_lowercase();
    body.contains("donestatus")
        && body.contains("true")
        && store_has_both(ex.store)
        && all_done(ex.response_todos())
}

/// #44: QUERY with a structured document whose `filter.doneStatus` is `true`,
/// returning only done todos.
pub(super) fn query_structured_done(ex: &Exchange) -> bool {
    ex.is("QUERY", "todos")
        && ex.status() == 200
        && ex.content_media_type() == "application/vnd.thingifier.query+json"
        && structured_filter_wants_done(ex.body)
        && store_has_both(ex.store)
        && all_done(ex.response_todos())
}

/// The body is `{"filter":{"doneStatus":true, ...}, ...}`.
pub(super) fn structured_filter_wants_done(body: &[u8]) -> bool {
    let Ok(Value::Object(document)) = serde_json::from_slice::<Value>(body) else {
        return false;
    };
    matches!(
        document.get("filter"),
        Some(Value::Object(filter)) if filter.get("doneStatus") == Some(&Value::Bool(true))
    )
}

/// #52: XML and JSON both acceptable, XML preferred, XML served.
pub(super) fn xml_preferred(ex: &Exchange) -> bool {
    let accept = ex.accept();
    plain_list_answered(ex, 200, "application/xml")
        && predicates::allows_xml(accept)
        && predicates::lists(accept, "application/json")
        && predicates::prefers_xml(accept)
}

/// #59: a structured `+json` Accept refused with 406.
pub(super) fn structured_json_refused(ex: &Exchange) -> bool {
    if !(plain_get_todos(ex) && ex.status() == 406) {
        return false;
    }
    let accept = ex.accept_normalised();
    accept == "application/problem+json" || accept == "application/*+json"
}

/// #71: POST with an existing X-CHALLENGER that had to be re-loaded from storage.
pub(super) fn reloaded_by_post(ex: &Exchange) -> bool {
    ex.method == "POST"
        && ex.path.starts_with("challenger")
        && ex.status() == 200
        && ex.loaded_from_storage
        && matches!(
            (ex.header("x-challenger"), ex.response_header("x-challenger")),
            (Some(sent), Some(answered)) if sent == answered
        )
}

/// #84: GET heartbeat with an X-CHALLENGER over 100 characters. Request phase: the
/// answer is certain to be 431; when a response is present it must be that 431.
pub(super) fn oversized_challenger_header(ex: &Exchange) -> bool {
    ex.is("GET", "heartbeat")
        && header_chars(ex, "x-challenger") > 100
        && ex
            .response
            .as_ref()
            .is_none_or(|r| r.status == StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::challenges::current::*;
    use crate::challenges::tracking::{LearnerFacts, RequestFacts, ResponseFacts};
    use hyper::header::{HeaderName, HeaderValue};
    use hyper::{HeaderMap, StatusCode};

    /// One exchange to run a rule against, built step by step.
    struct Case {
        method: &'static str,
        path: &'static str,
        query: &'static str,
        headers: HeaderMap,
        body: Vec<u8>,
        store: Vec<Todo>,
        requester: Option<&'static str>,
        loaded: bool,
        status: Option<u16>,
        response_headers: HeaderMap,
        response_body: Vec<u8>,
    }

    fn case(method: &'static str, path: &'static str) -> Case {
        Case {
            method,
            path,
            query: "",
            headers: HeaderMap::new(),
            body: Vec::new(),
            store: crate::todo::seed_todos(),
            requester: None,
            loaded: false,
            status: None,
            response_headers: HeaderMap::new(),
            response_body: Vec::new(),
        }
    }

    fn put_header(map: &mut HeaderMap, name: &str, value: &[u8]) {
        map.append(
            HeaderName::from_bytes(name.as_bytes()).unwrap(),
            HeaderValue::from_bytes(value).unwrap(),
        );
    }

    impl Case {
        fn query(mut self, query: &'static str) -> Case {
            self.query = query;
            self
        }
        fn header(mut self, name: &str, value: &str) -> Case {
            put_header(&mut self.headers, name, value.as_bytes());
            self
        }
        fn body(mut self, body: &str) -> Case {
            self.body = body.as_bytes().to_vec();
            self
        }
        fn store(mut self, store: Vec<Todo>) -> Case {
            self.store = store;
            self
        }
        fn requester(mut self, guid: &'static str) -> Case {
            self.requester = Some(guid);
            self
        }
        fn loaded(mut self) -> Case {
            self.loaded = true;
            self
        }
        fn status(mut self, status: u16) -> Case {
            self.status = Some(status);
            self
        }
        fn response_header(mut self, name: &str, value: &str) -> Case {
            put_header(&mut self.response_headers, name, value.as_bytes());
            self
        }
        fn response_body(mut self, body: &str) -> Case {
            self.response_body = body.as_bytes().to_vec();
            self
        }
        fn errors(self, messages: &[&str]) -> Case {
            let body = serde_json::json!({ "errorMessages": messages }).to_string();
            self.response_body(&body)
        }
        /// Whether the rule of challenge `key` accepts this exchange.
        fn passes(&self, key: &str) -> bool {
            let response = self.status.map(|status| ResponseFacts {
                status: StatusCode::from_u16(status).expect("a valid status"),
                headers: &self.response_headers,
                body: &self.response_body,
            });
            let request = RequestFacts {
                method: self.method,
                path: self.path,
                raw_query: self.query,
                headers: &self.headers,
                body: &self.body,
            };
            let learner = LearnerFacts {
                store: &self.store,
                guid: self.requester,
                loaded_from_storage: self.loaded,
            };
            let ex = Exchange::new(request, learner, response);
            let index = find(key).unwrap_or_else(|| panic!("no challenge {key}"));
            (CURRENT[index].rule)(&ex)
        }
    }

    fn todo(id: u64, done: bool) -> Todo {
        Todo {
            id,
            title: format!("todo {id}"),
            done_status: done,
            description: String::new(),
        }
    }

    /// A store with todo 1 done and the other nine seed todos open.
    fn mixed_store() -> Vec<Todo> {
        let mut store = crate::todo::seed_todos();
        store[0].done_status = true;
        store
    }

    const EXPECTED_TITLES: [&str; 99] = [
        "POST /api/challenger (201)",
        "GET /api/challenges (200)",
        "GET /api/todos (200)",
        "GET /api/todo (404) not plural",
        "GET /api/todos/{id} (200)",
        "GET /api/todos/{id} (404)",
        "GET /api/todos (200) ?filter",
        "GET /api/todos (200) ?filter id greater than",
        "GET /api/todos (200) ?filter id less than",
        "GET /api/todos (200) ?filter id single result",
        "GET /api/todos (200) ?filter description regex",
        "GET /api/todos (200) ?filter description wildcard",
        "GET /api/todos (200) ?_sortBy ascending",
        "GET /api/todos (200) ?_sortBy descending",
        "GET /api/todos (200) ?_sortBy multiple",
        "GET /api/todos (200) ?filter&_sortBy",
        "GET /api/todos (200) ?_limit",
        "GET /api/todos (200) ?_limit&_offset",
        "GET /api/todos (400) ?_limit too high",
        "GET /api/todos (200) ?_sortBy&_limit&_offset",
        "GET /api/todos (200) ?filter&_limit&_offset",
        "HEAD /api/todos (200)",
        "POST /api/todos (201)",
        "POST /api/todos (422) doneStatus",
        "POST /api/todos (422) title too long",
        "POST /api/todos (422) description too long",
        "POST /api/todos (201) max out content",
        "POST /api/todos (413) content too long",
        "POST /api/todos (422) extra",
        "PUT /api/todos/{id} (422)",
        "POST /api/todos/{id} (200)",
        "POST /api/todos/{id} (404)",
        "PUT /api/todos/{id} full (200)",
        "PUT /api/todos/{id} partial (200)",
        "PUT /api/todos body id (200)",
        "PUT /api/todos/{id} no body id (200)",
        "PUT /api/todos/{id} no title (422)",
        "PUT /api/todos no id (422)",
        "PUT /api/todos/{id} not found (404)",
        "PUT /api/todos/{id} no amend id (422)",
        "DELETE /api/todos/{id} (204)",
        "QUERY /api/todos (200)",
        "QUERY /api/todos (200) JSONPath",
        "QUERY /api/todos (200) Structured JSON",
        "PATCH /api/todos/{id} (200) partial",
        "PATCH /api/todos/{id} (200) merge-patch",
        "PATCH /api/todos/{id} (200) json-patch",
        "OPTIONS /api/todos (200)",
        "GET /api/todos (200) XML",
        "GET /api/todos (200) JSON",
        "GET /api/todos (200) ANY",
        "GET /api/todos (200) XML pref",
        "GET /api/todos (200) no accept",
        "GET /api/todos (406)",
        "GET /api/todos/{id} (200) text/calendar",
        "GET /api/todos (200) q XML preferred",
        "GET /api/todos (200) q JSON preferred",
        "GET /api/todos (406) q rejects all",
        "GET /api/todos (406) unsupported +json",
        "GET /api/todos (200) text/xml",
        "GET /api/todos (200) vendor XML",
        "GET /api/todos (200) structured XML wildcard",
        "POST /api/todos XML",
        "POST /api/todos JSON",
        "POST /api/todos vendor XML",
        "POST /api/todos (415)",
        "GET /api/todos/export (200) CSV download",
        "GET /api/todos/export (200) HTML download",
        "GET /api/todos/export (200) tab-delimited download",
        "GET /api/challenger/guid (200)",
        "POST /api/challenger (existing X-CHALLENGER)",
        "GET /api/challenger/guid (existing X-CHALLENGER)",
        "PUT /api/challenger/guid RESTORE",
        "PUT /api/challenger/guid (409) mismatch",
        "PUT /api/challenger/guid CREATE",
        "GET /api/challenger/database/guid (200)",
        "PUT /api/challenger/database/guid (Update)",
        "POST /api/todos XML to JSON",
        "POST /api/todos JSON to XML",
        "DELETE /api/heartbeat (405)",
        "PATCH /api/heartbeat (500)",
        "TRACE /api/heartbeat (501)",
        "GET /api/heartbeat (204)",
        "GET /api/heartbeat (431) X-CHALLENGER too long",
        "POST /api/heartbeat as DELETE (405)",
        "POST /api/heartbeat as PATCH (500)",
        "POST /api/heartbeat as Trace (501)",
        "POST /api/secret/token (401)",
        "POST /api/secret/token (201)",
        "GET /api/secret/note (403)",
        "GET /api/secret/note (401)",
        "GET /api/secret/note (200)",
        "POST /api/secret/note (200)",
        "POST /api/secret/note (401)",
        "POST /api/secret/note (403)",
        "GET /api/secret/note (Bearer)",
        "POST /api/secret/note (Bearer)",
        "DELETE /api/todos/{id} (204) all",
        "POST /api/todos (409) max todos",
    ];

    // -------------------------------------------------------------- structure

    #[test]
    fn has_99_challenges_and_26_sections() {
        assert_eq!(CURRENT.len(), 99);
        assert_eq!(CURRENT_SECTIONS.len(), 26);
    }

    #[test]
    fn titles_are_exact_and_in_order() {
        let titles: Vec<&str> = CURRENT.iter().map(|c| c.title).collect();
        assert_eq!(titles, EXPECTED_TITLES);
    }

    #[test]
    fn section_titles_are_exact() {
        assert_eq!(CURRENT_SECTIONS[0], "Getting Started");
        assert_eq!(CURRENT_SECTIONS[19], "Fancy a Break? Restore your session");
        assert_eq!(
            CURRENT_SECTIONS[20],
            "Mix Accept and Content-Type Challenges"
        );
        assert_eq!(CURRENT_SECTIONS[25], "Miscellaneous Challenges");
    }

    #[test]
    fn sections_are_in_order_with_the_spec_counts() {
        let expected = [
            1, 1, 4, 6, 4, 5, 1, 7, 1, 2, 8, 1, 3, 3, 1, 7, 7, 4, 3, 8, 2, 5, 3, 2, 8, 2,
        ];
        let mut counts = [0usize; 26];
        for pair in CURRENT.windows(2) {
            assert!(pair[0].section <= pair[1].section, "{}", pair[1].key);
        }
        for c in CURRENT {
            counts[c.section] += 1;
        }
        assert_eq!(counts, expected);
    }

    #[test]
    fn keys_are_unique_upper_snake_case() {
        let mut keys: Vec<&str> = CURRENT.iter().map(|c| c.key).collect();
        assert!(keys.iter().all(|k| k
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')));
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), 99);
    }

    #[test]
    fn some_keys_sit_at_their_catalogue_numbers() {
        assert_eq!(find("CREATE_NEW_CHALLENGER"), Some(0));
        assert_eq!(find("GET_TODOS_FILTERED_AND_SORTED"), Some(15));
        assert_eq!(find("PUT_TODOS_422"), Some(29));
        assert_eq!(find("GET_RESTORE_EXISTING_CHALLENGER"), Some(69));
        assert_eq!(find("X_CHALLENGER_TOO_LONG_431"), Some(83));
        assert_eq!(find("POST_ALL_TODOS"), Some(98));
        assert_eq!(find("PUT_TODOS_400"), None);
        assert_eq!(find(""), None);
    }

    #[test]
    fn descriptions_are_sentences_of_our_own() {
        for c in CURRENT {
            assert!(c.description.ends_with('.'), "{}", c.key);
            assert_ne!(c.description, c.title);
        }
    }

    #[test]
    fn only_restore_challenges_are_restricted() {
        for (n, c) in CURRENT.iter().enumerate() {
            let expected = match n + 1 {
                70 | 71 => Availability::MultiUserWithStorage,
                75 => Availability::MultiUser,
                _ => Availability::Always,
            };
            assert_eq!(c.availability, expected, "#{}", n + 1);
        }
    }

    #[test]
    fn request_phase_set_is_exact() {
        let request: Vec<usize> = (1..=99)
            .filter(|n| CURRENT[n - 1].phase == Phase::Request)
            .collect();
        assert_eq!(request, [2, 3, 19, 22, 72, 80, 81, 82, 83, 84, 85, 86, 87]);
    }

    #[test]
    fn retired_keys_map_to_current_challenges() {
        assert_eq!(RETIRED.len(), 3);
        for (old, new) in RETIRED {
            assert_eq!(find(old), None);
            assert!(find(new).is_some(), "{new}");
        }
        assert_eq!(RETIRED[0], ("PUT_TODOS_400", "PUT_TODOS_422"));
    }

    // -------------------------------------------------------------- helpers

    #[test]
    fn page_size_clamps_to_zero_and_limit() {
        assert_eq!(page_size(10, 8, 0), 8);
        assert_eq!(page_size(10, 5, 5), 5);
        assert_eq!(page_size(7, 5, 5), 2);
        assert_eq!(page_size(3, 5, 5), 0);
        assert_eq!(page_size(0, 2, 1), 0);
    }

    #[test]
    fn wildcard_becomes_a_literal_regex() {
        assert_eq!(wildcard_source("*a?.b").as_deref(), Some(r".*a.\.b"));
        assert_eq!(regex_source("a)(b"), None);
        assert_eq!(regex_source(".*x.*").as_deref(), Some(".*x.*"));
    }

    #[test]
    fn as_int_accepts_signed_32_bit_only() {
        assert_eq!(as_int("08"), Some(8));
        assert_eq!(as_int("+5"), Some(5));
        assert_eq!(as_int("-3"), Some(-3));
        assert_eq!(as_int("5.0"), None);
        assert_eq!(as_int("99999999999"), None);
    }

    // ------------------------------------------ rules (session, list, GET, HEAD)

    #[test]
    fn create_challenger_needs_post_201() {
        assert!(case("POST", "challenger")
            .status(201)
            .passes("CREATE_NEW_CHALLENGER"));
        assert!(!case("POST", "challenger")
            .status(200)
            .passes("CREATE_NEW_CHALLENGER"));
        assert!(!case("GET", "challenger")
            .status(201)
            .passes("CREATE_NEW_CHALLENGER"));
    }

    #[test]
    fn request_phase_reads_need_no_response() {
        assert!(case("GET", "challenges").passes("GET_CHALLENGES"));
        assert!(!case("HEAD", "challenges").passes("GET_CHALLENGES"));
        assert!(case("GET", "todos").passes("GET_TODOS"));
        assert!(!case("GET", "todos").query("a=b").passes("GET_TODOS"));
        assert!(case("HEAD", "todos").passes("GET_HEAD_TODOS"));
        assert!(!case("HEAD", "todos").query("id=1").passes("GET_HEAD_TODOS"));
        assert!(!case("HEAD", "todos/1").passes("GET_HEAD_TODOS"));
    }

    #[test]
    fn singular_todo_is_404_only_on_exact_path() {
        assert!(case("GET", "todo")
            .status(404)
            .passes("GET_TODOS_NOT_PLURAL_404"));
        assert!(!case("GET", "todo/1")
            .status(404)
            .passes("GET_TODOS_NOT_PLURAL_404"));
    }

    #[test]
    fn single_todo_reads_exclude_export() {
        assert!(case("GET", "todos/1").status(200).passes("GET_TODO"));
        assert!(case("GET", "todos/5/x").status(200).passes("GET_TODO"));
        assert!(!case("GET", "todos/export").status(200).passes("GET_TODO"));
        assert!(!case("GET", "todos").status(200).passes("GET_TODO"));
        assert!(case("GET", "todos/abc").status(404).passes("GET_TODO_404"));
        assert!(!case("GET", "todos/abc").status(200).passes("GET_TODO_404"));
    }

    // -------------------------------------------------------------- create, update, delete

    #[test]
    fn post_todos_validation_messages() {
        let done = "Failed Validation: doneStatus should be BOOLEAN but was STRING";
        assert!(case("POST", "todos")
            .status(422)
            .errors(&[done])
            .passes("POST_TODOS_BAD_DONE_STATUS"));
        assert!(!case("POST", "todos")
            .status(400)
            .errors(&[done])
            .passes("POST_TODOS_BAD_DONE_STATUS"));
        let title = "Failed Validation: Maximum allowable length exceeded for title - maximum allowed is 50";
        assert!(case("POST", "todos/3")
            .status(422)
            .errors(&[title])
            .passes("POST_TODOS_TOO_LONG_TITLE_LENGTH"));
        assert!(!case("PUT", "todos/3")
            .status(422)
            .errors(&[title])
            .passes("POST_TODOS_TOO_LONG_TITLE_LENGTH"));
        let description = "Failed Validation: Maximum allowable length exceeded for description - maximum allowed is 200";
        assert!(case("POST", "todos")
            .status(422)
            .errors(&[title, description])
            .passes("POST_TODOS_TOO_LONG_DESCRIPTION_LENGTH"));
        assert!(case("POST", "todos")
            .status(422)
            .errors(&["Could not find field: priority"])
            .passes("POST_TODOS_INVALID_EXTRA_FIELD"));
        assert!(case("POST", "todos")
            .status(413)
            .errors(&["Error: Request body too large, max allowed is 5000 bytes"])
            .passes("POST_TODOS_TOO_LONG_PAYLOAD_SIZE"));
        assert!(!case("POST", "todos")
            .status(413)
            .passes("POST_TODOS_TOO_LONG_PAYLOAD_SIZE"));
    }

    #[test]
    fn xml_error_messages_count_too() {
        let body = "<errorMessages><errorMessage>ERROR: Cannot add instance, maximum limit of 20 reached</errorMessage></errorMessages>";
        assert!(case("POST", "todos")
            .status(409)
            .response_body(body)
            .passes("POST_ALL_TODOS"));
        assert!(!case("POST", "todos")
            .status(409)
            .errors(&["something else"])
            .passes("POST_ALL_TODOS"));
    }

    #[test]
    fn max_out_content_reads_the_created_todo() {
        let mut store = crate::todo::seed_todos();
        store.push(Todo {
            id: 11,
            title: "t".repeat(50),
            done_status: false,
            description: "d".repeat(200),
        });
        let at_limits = |location: &str| {
            case("POST", "todos")
                .store(store.clone())
                .status(201)
                .response_header("location", location)
                .passes("POST_MAX_OUT_TITLE_DESCRIPTION_LENGTH")
        };
        assert!(at_limits("/api/todos/11"));
        assert!(at_limits("/todos/11"));
        assert!(!at_limits("/api/todos/10"));
        assert!(!at_limits("/api/todos/x"));
        assert!(!at_limits("11"));
        assert!(case("POST", "todos").status(201).passes("POST_TODOS"));
        assert!(!case("POST", "todos")
            .status(201)
            .passes("POST_MAX_OUT_TITLE_DESCRIPTION_LENGTH"));
    }

    #[test]
    fn put_and_post_on_items() {
        assert!(case("PUT", "todos/99")
            .status(422)
            .errors(&["Cannot create todo with PUT due to Auto fields id"])
            .passes("PUT_TODOS_422"));
        assert!(case("POST", "todos/1")
            .status(200)
            .passes("POST_UPDATE_TODO"));
        assert!(case("POST", "todos/99")
            .status(404)
            .errors(&["No such todo entity instance with id == 99 found"])
            .passes("POST_TODOS_404"));
        assert!(!case("POST", "todos/99")
            .status(404)
            .errors(&["Could not find: No such todo entity instance with id == 99"])
            .passes("POST_TODOS_404"));
        assert!(case("PUT", "todos/1")
            .status(422)
            .errors(&["title : field is mandatory"])
            .passes("PUT_TODOS_MISSING_TITLE_422"));
        assert!(case("PUT", "todos/1")
            .status(422)
            .errors(&["Can not amend id from 1 to 2"])
            .passes("PUT_TODOS_422_NO_AMEND_ID"));
        assert!(case("DELETE", "todos/3")
            .status(204)
            .passes("DELETE_A_TODO"));
        assert!(!case("DELETE", "todos").status(204).passes("DELETE_A_TODO"));
    }

    #[test]
    fn put_full_and_partial_look_at_the_raw_body() {
        let full = case("PUT", "todos/1")
            .status(200)
            .body(r#"{"title":"t","Description":"d","DONESTATUS":true}"#);
        assert!(full.passes("PUT_TODOS_FULL_200"));
        assert!(!full.passes("PUT_TODOS_PARTIAL_200"));
        let partial = case("PUT", "todos/1").status(200).body(r#"{"title":"t"}"#);
        assert!(partial.passes("PUT_TODOS_PARTIAL_200"));
        assert!(!partial.passes("PUT_TODOS_FULL_200"));
        let half = case("PUT", "todos/1")
            .status(200)
            .body(r#"{"title":"t","description":"d"}"#);
        assert!(!half.passes("PUT_TODOS_PARTIAL_200"));
        assert!(!half.passes("PUT_TODOS_FULL_200"));
    }

    #[test]
    fn body_id_rules() {
        let with_id = r#"{"id":1,"title":"t"}"#;
        assert!(case("PUT", "todos")
            .status(200)
            .body(with_id)
            .passes("PUT_TODOS_BODY_ID_200"));
        assert!(!case("PUT", "todos")
            .status(200)
            .body(r#"{"title":"t"}"#)
            .passes("PUT_TODOS_BODY_ID_200"));
        assert!(case("PUT", "todos/1")
            .status(200)
            .body(r#"{"title":"t"}"#)
            .passes("PUT_TODOS_ID_NO_BODY_ID_200"));
        assert!(!case("PUT", "todos/1")
            .status(200)
            .body(with_id)
            .passes("PUT_TODOS_ID_NO_BODY_ID_200"));
        assert!(case("PUT", "todos")
            .status(422)
            .body(r#"{"title":"t"}"#)
            .passes("PUT_TODOS_NO_ID_422"));
        assert!(!case("PUT", "todos")
            .status(422)
            .body(with_id)
            .passes("PUT_TODOS_NO_ID_422"));
        // XML never "has id".
        let xml = "<todo><id>1</id><title>t</title></todo>";
        assert!(case("PUT", "todos/99")
            .status(404)
            .body(xml)
            .passes("PUT_TODOS_ID_NOT_FOUND_404"));
        assert!(!case("PUT", "todos/99")
            .status(404)
            .body(with_id)
            .passes("PUT_TODOS_ID_NOT_FOUND_404"));
        assert!(!case("PUT", "todos/99")
            .status(422)
            .body(xml)
            .passes("PUT_TODOS_ID_NOT_FOUND_404"));
        // A JSON array is not an object with an id.
        assert!(case("PUT", "todos/1")
            .status(200)
            .body(r#"[{"id":1}]"#)
            .passes("PUT_TODOS_ID_NO_BODY_ID_200"));
    }

    // -------------------------------------------------------------- QUERY, PATCH, OPTIONS

    #[test]
    fn query_jsonpath_needs_done_results_and_both_kinds() {
        let done = r#"{"todos":[{"id":1,"title":"a","doneStatus":true,"description":""}]}"#;
        let base = || {
            case("QUERY", "todos")
                .store(mixed_store())
                .header("content-type", "application/jsonpath; charset=utf-8")
                .body("$.todos[?(@.doneStatus == TRUE)]")
                .status(200)
        };
        assert!(base()
            .response_body(done)
            .passes("QUERY_TODOS_JSONPATH_FILTERED"));
        assert!(!base()
            .response_body(r#"{"todos":[]}"#)
            .passes("QUERY_TODOS_JSONPATH_FILTERED"));
        assert!(!base()
            .response_body(r#"{"todos":[{"id":2,"doneStatus":false}]}"#)
            .passes("QUERY_TODOS_JSONPATH_FILTERED"));
        assert!(!base()
            .store(crate::todo::seed_todos())
            .response_body(done)
            .passes("QUERY_TODOS_JSONPATH_FILTERED"));
        assert!(!base()
            .body("$.todos[?(@.doneStatus == false)]")
            .response_body(done)
            .passes("QUERY_TODOS_JSONPATH_FILTERED"));
    }

    #[test]
    fn query_structured_needs_boolean_true_filter() {
        let done = r#"{"todos":[{"id":1,"doneStatus":true}]}"#;
        let with_body = |body: &str| {
            case("QUERY", "todos")
                .store(mixed_store())
                .header("content-type", "Application/Vnd.Thingifier.Query+JSON")
                .body(body)
                .status(200)
                .response_body(done)
                .passes("QUERY_TODOS_STRUCTURED_JSON_FILTERED")
        };
        assert!(with_body(r#"{"filter":{"doneStatus":true}}"#));
        assert!(with_body(
            r#"{"filter":{"id":{"greaterThan":0},"doneStatus":true},"limit":5}"#
        ));
        assert!(!with_body(r#"{"filter":{"doneStatus":"true"}}"#));
        assert!(!with_body(r#"{"doneStatus":true}"#));
        assert!(!with_body("not json"));
    }

    #[test]
    fn patch_rules_split_on_media_type() {
        let patch = |ct: &str| {
            case("PATCH", "todos/1")
                .header("content-type", ct)
                .status(200)
        };
        assert!(patch("application/json; charset=utf-8").passes("PATCH_TODOS_PARTIAL_200"));
        assert!(!patch("application/json").passes("PATCH_TODOS_MERGE_PATCH_200"));
        assert!(patch("application/merge-patch+json").passes("PATCH_TODOS_MERGE_PATCH_200"));
        assert!(patch("APPLICATION/JSON-PATCH+JSON").passes("PATCH_TODOS_JSON_PATCH_200"));
        assert!(!patch("application/json-patch+json").passes("PATCH_TODOS_PARTIAL_200"));
        assert!(!case("PATCH", "todos/1")
            .header("content-type", "application/json")
            .status(400)
            .passes("PATCH_TODOS_PARTIAL_200"));
    }

    #[test]
    fn options_todos_needs_final_200() {
        assert!(case("OPTIONS", "todos").status(200).passes("OPTIONS_TODOS"));
        assert!(!case("OPTIONS", "todos").status(204).passes("OPTIONS_TODOS"));
    }

    // -------------------------------------------------------------- Content-Type, downloads

    #[test]
    fn content_type_creations() {
        let post = |ct: &str, response_type: &str| {
            case("POST", "todos")
                .header("content-type", ct)
                .status(201)
                .response_header("content-type", response_type)
        };
        assert!(post("application/xml", "application/xml").passes("POST_CREATE_XML"));
        assert!(post("text/xml; charset=utf-8", "application/xml").passes("POST_CREATE_XML"));
        assert!(!post("application/xml", "text/xml").passes("POST_CREATE_XML"));
        assert!(!post("application/json", "application/xml").passes("POST_CREATE_XML"));
        assert!(post("application/json", "application/xml; charset=utf-8")
            .passes("POST_CREATE_JSON_ACCEPT_XML"));
        assert!(!post("text/xml", "application/xml").passes("POST_CREATE_JSON_ACCEPT_XML"));
        assert!(post(VENDOR_XML, "application/json").passes("POST_CREATE_VENDOR_XML"));
        assert!(!post("application/xml", "application/json").passes("POST_CREATE_VENDOR_XML"));
        assert!(case("POST", "todos").status(415).passes("POST_TODOS_415"));
        assert!(!case("POST", "todos/1").status(415).passes("POST_TODOS_415"));
    }

    #[test]
    fn export_downloads_need_attachment_and_filename() {
        let export = |disposition: &str| {
            case("GET", "todos/export")
                .query("format=csv")
                .status(200)
                .response_header("content-disposition", disposition)
        };
        let csv = export(r#"attachment; filename="todos.csv""#);
        assert!(csv.passes("GET_TODOS_EXPORT_CSV_CONTENT_DISPOSITION"));
        assert!(!csv.passes("GET_TODOS_EXPORT_HTML_CONTENT_DISPOSITION"));
        assert!(export(r#"attachment; filename="todos.html""#)
            .passes("GET_TODOS_EXPORT_HTML_CONTENT_DISPOSITION"));
        assert!(export(r#"attachment; filename="todos.tsv""#)
            .passes("GET_TODOS_EXPORT_TSV_CONTENT_DISPOSITION"));
        assert!(!export(r#"inline; filename="todos.csv""#)
            .passes("GET_TODOS_EXPORT_CSV_CONTENT_DISPOSITION"));
        assert!(!export("attachment; filename=todos.csv")
            .passes("GET_TODOS_EXPORT_CSV_CONTENT_DISPOSITION"));
        assert!(!case("GET", "todos/export")
            .status(200)
            .passes("GET_TODOS_EXPORT_CSV_CONTENT_DISPOSITION"));
    }

    // -------------------------------------------------------------- restore

    #[test]
    fn restore_from_storage_rules() {
        let guid = "3f2c1e9a-0000-4000-8000-000000000001";
        assert!(case("GET", "challenger/abc")
            .status(200)
            .loaded()
            .passes("GET_RESTORE_EXISTING_CHALLENGER"));
        assert!(!case("GET", "challenger/abc")
            .status(200)
            .passes("GET_RESTORE_EXISTING_CHALLENGER"));
        assert!(!case("GET", "challenger")
            .status(200)
            .loaded()
            .passes("GET_RESTORE_EXISTING_CHALLENGER"));
        let post = |sent: &str, answered: &str| {
            case("POST", "challenger")
                .header("x-challenger", sent)
                .status(200)
                .response_header("x-challenger", answered)
                .loaded()
        };
        assert!(post(guid, guid).passes("POST_RESTORE_EXISTING_CHALLENGER"));
        assert!(!post(guid, "other").passes("POST_RESTORE_EXISTING_CHALLENGER"));
        let mut not_loaded = post(guid, guid);
        not_loaded.loaded = false;
        assert!(!not_loaded.passes("POST_RESTORE_EXISTING_CHALLENGER"));
        assert!(!case("POST", "challenger")
            .status(200)
            .loaded()
            .passes("POST_RESTORE_EXISTING_CHALLENGER"));
    }

    #[test]
    fn own_progress_download_matches_the_requester() {
        let guid = "rest-api-challenges-single-player";
        let get = |path: &'static str| case("GET", path).requester(guid);
        assert!(get("challenger/rest-api-challenges-single-player")
            .passes("GET_RESTORABLE_CHALLENGER_PROGRESS_STATUS"));
        assert!(!get("challenger/someone-else").passes("GET_RESTORABLE_CHALLENGER_PROGRESS_STATUS"));
        assert!(
            !get("challenger/database/rest-api-challenges-single-player")
                .passes("GET_RESTORABLE_CHALLENGER_PROGRESS_STATUS")
        );
        assert!(!case("GET", "challenger/x").passes("GET_RESTORABLE_CHALLENGER_PROGRESS_STATUS"));
    }

    #[test]
    fn restore_put_and_database_rules() {
        assert!(case("PUT", "challenger/g")
            .status(200)
            .passes("PUT_RESTORABLE_CHALLENGER_PROGRESS_STATUS"));
        assert!(!case("PUT", "challenger")
            .status(200)
            .passes("PUT_RESTORABLE_CHALLENGER_PROGRESS_STATUS"));
        assert!(case("PUT", "challenger/g")
            .status(409)
            .response_body(r#"{"errorMessages":["URL GUID does not match payload X-CHALLENGER"]}"#)
            .passes("PUT_CHALLENGER_GUID_MISMATCH_409"));
        assert!(!case("PUT", "challenger/g")
            .status(409)
            .passes("PUT_CHALLENGER_GUID_MISMATCH_409"));
        assert!(case("PUT", "challenger/g")
            .status(201)
            .passes("PUT_NEW_RESTORED_CHALLENGER_PROGRESS_STATUS"));
        assert!(case("GET", "challenger/database/g")
            .status(200)
            .passes("GET_RESTORABLE_TODOS"));
        assert!(!case("GET", "challenger/g")
            .status(200)
            .passes("GET_RESTORABLE_TODOS"));
        assert!(case("PUT", "challenger/database/g")
            .status(204)
            .passes("PUT_RESTORABLE_TODOS"));
        assert!(!case("PUT", "challenger/database/g")
            .status(200)
            .passes("PUT_RESTORABLE_TODOS"));
    }

    // -------------------------------------------------------------- heartbeat, override

    #[test]
    fn heartbeat_methods() {
        assert!(case("DELETE", "heartbeat").passes("DELETE_HEARTBEAT_405"));
        assert!(case("PATCH", "heartbeat").passes("PATCH_HEARTBEAT_500"));
        assert!(case("TRACE", "heartbeat").passes("TRACE_HEARTBEAT_501"));
        assert!(case("GET", "heartbeat").passes("GET_HEARTBEAT_204"));
        assert!(!case("GET", "heartbeat/x").passes("GET_HEARTBEAT_204"));
    }

    #[test]
    fn oversized_challenger_header_on_heartbeat() {
        let long = format!("{}{}", "a".repeat(36), "x".repeat(65));
        let get = || case("GET", "heartbeat").header("x-challenger", &long);
        assert!(get().passes("X_CHALLENGER_TOO_LONG_431"));
        assert!(get().status(431).passes("X_CHALLENGER_TOO_LONG_431"));
        assert!(!get().status(204).passes("X_CHALLENGER_TOO_LONG_431"));
        assert!(!case("GET", "heartbeat")
            .header("x-challenger", &"a".repeat(100))
            .passes("X_CHALLENGER_TOO_LONG_431"));
        assert!(!case("GET", "todos")
            .header("x-challenger", &long)
            .passes("X_CHALLENGER_TOO_LONG_431"));
    }

    #[test]
    fn method_override_on_heartbeat() {
        let with = |value: &str| case("POST", "heartbeat").header("x-http-method-override", value);
        assert!(with("DELETE").passes("OVERRIDE_DELETE_HEARTBEAT_405"));
        assert!(with(" patch ").passes("OVERRIDE_PATCH_HEARTBEAT_500"));
        assert!(with("Trace").passes("OVERRIDE_TRACE_HEARTBEAT_501"));
        assert!(!with("PUT").passes("OVERRIDE_DELETE_HEARTBEAT_405"));
        assert!(!case("POST", "heartbeat").passes("OVERRIDE_DELETE_HEARTBEAT_405"));
        assert!(!case("POST", "todos")
            .header("x-http-method-override", "delete")
            .passes("OVERRIDE_DELETE_HEARTBEAT_405"));
    }

    // -------------------------------------------------------------- secret token, note

    #[test]
    fn secret_token_needs_a_long_authorization() {
        let auth = |value: &str, status: u16| {
            case("POST", "secret/token")
                .header("authorization", value)
                .status(status)
        };
        assert!(auth("Basic YWRtaW46YWRtaW4=", 401).passes("CREATE_SECRET_TOKEN_401"));
        assert!(auth("Basic YWRtaW46cGFzc3dvcmQ=", 201).passes("CREATE_SECRET_TOKEN_201"));
        assert!(!auth("Basic abcd", 401).passes("CREATE_SECRET_TOKEN_401"));
        assert!(!case("POST", "secret/token")
            .status(401)
            .passes("CREATE_SECRET_TOKEN_401"));
    }

    #[test]
    fn secret_note_reads() {
        let get = || case("GET", "secret/note");
        assert!(get()
            .header("x-auth-token", "wrong")
            .status(403)
            .passes("GET_SECRET_NOTE_403"));
        assert!(!get()
            .header("x-auth-token", "w")
            .status(403)
            .passes("GET_SECRET_NOTE_403"));
        assert!(get().status(401).passes("GET_SECRET_NOTE_401"));
        assert!(!get()
            .header("x-auth-token", "")
            .status(401)
            .passes("GET_SECRET_NOTE_401"));
        assert!(get()
            .header("x-auth-token", "t")
            .status(200)
            .passes("GET_SECRET_NOTE_200"));
        assert!(!get().status(200).passes("GET_SECRET_NOTE_200"));
        assert!(get()
            .header("authorization", "bearer  tok")
            .status(200)
            .passes("GET_SECRET_NOTE_BEARER_200"));
        assert!(!get()
            .header("authorization", "Bearer ")
            .status(200)
            .passes("GET_SECRET_NOTE_BEARER_200"));
        assert!(!get()
            .header("authorization", "Basic tok")
            .status(200)
            .passes("GET_SECRET_NOTE_BEARER_200"));
    }

    #[test]
    fn secret_note_writes_need_a_note_body() {
        let note = r#"{"note":"my note"}"#;
        let post = || case("POST", "secret/note");
        assert!(post()
            .header("x-auth-token", "t")
            .body(note)
            .status(200)
            .passes("POST_SECRET_NOTE_200"));
        assert!(!post()
            .header("x-auth-token", "t")
            .body("<note>x</note>")
            .status(200)
            .passes("POST_SECRET_NOTE_200"));
        assert!(post().body(note).status(401).passes("POST_SECRET_NOTE_401"));
        assert!(!post()
            .header("x-auth-token", "t")
            .body(note)
            .status(401)
            .passes("POST_SECRET_NOTE_401"));
        assert!(post()
            .header("x-auth-token", "wrong")
            .body(note)
            .status(403)
            .passes("POST_SECRET_NOTE_403"));
        assert!(post()
            .header("authorization", "Bearer tok")
            .body(note)
            .status(200)
            .passes("POST_SECRET_NOTE_BEARER_200"));
        assert!(!post()
            .header("authorization", "Bearer tok")
            .status(200)
            .passes("POST_SECRET_NOTE_BEARER_200"));
    }

    // -------------------------------------------------------------- miscellaneous

    #[test]
    fn delete_all_needs_an_empty_store() {
        assert!(case("DELETE", "todos/1")
            .store(Vec::new())
            .status(204)
            .passes("DELETE_ALL_TODOS"));
        assert!(!case("DELETE", "todos/1")
            .store(vec![todo(2, false)])
            .status(204)
            .passes("DELETE_ALL_TODOS"));
    }

    // ------------------------------------------- rules using query / negotiation
    // These call `ListQuery` or `negotiation::predicates`, whose bodies are written
    // separately.

    #[test]
    fn filtered_done_needs_both_kinds() {
        let get = || case("GET", "todos").query("doneStatus=true").status(200);
        assert!(get().store(mixed_store()).passes("GET_TODOS_FILTERED"));
        assert!(!get().passes("GET_TODOS_FILTERED"));
        assert!(!case("GET", "todos")
            .query("doneStatus==true")
            .store(mixed_store())
            .status(200)
            .passes("GET_TODOS_FILTERED"));
    }

    #[test]
    fn id_greater_than_is_a_proper_subset() {
        let ids = |ids: &[u64]| {
            let todos: Vec<Value> = ids
                .iter()
                .map(|id| serde_json::json!({ "id": id }))
                .collect();
            serde_json::json!({ "todos": todos }).to_string()
        };
        let get = |query: &'static str, body: &str| {
            case("GET", "todos")
                .query(query)
                .status(200)
                .response_body(body)
        };
        assert!(get("id>5", &ids(&[6, 7, 8, 9, 10])).passes("GET_TODOS_FILTERED_ID_GREATER_THAN"));
        assert!(get("id=>5", &ids(&[6, 7, 8, 9, 10])).passes("GET_TODOS_FILTERED_ID_GREATER_THAN"));
        assert!(
            !get("id>=5", &ids(&[5, 6, 7, 8, 9, 10])).passes("GET_TODOS_FILTERED_ID_GREATER_THAN")
        );
        assert!(!get("id>0", &ids(&[1, 2, 3, 4, 5, 6, 7, 8, 9, 10]))
            .passes("GET_TODOS_FILTERED_ID_GREATER_THAN"));
        assert!(!get("id>5", &ids(&[])).passes("GET_TODOS_FILTERED_ID_GREATER_THAN"));
        assert!(get("id<6", &ids(&[1, 2, 3, 4, 5])).passes("GET_TODOS_FILTERED_ID_LESS_THAN"));
        assert!(get("id=3", &ids(&[3])).passes("GET_TODOS_FILTERED_ID_SINGLE_RESULT"));
        assert!(!get("id==3", &ids(&[3])).passes("GET_TODOS_FILTERED_ID_SINGLE_RESULT"));
    }

    #[test]
    fn description_regex_and_wildcard_match_in_full() {
        let body = r#"{"todos":[{"id":1,"description":"a fixture here"}]}"#;
        let get = |query: &'static str| {
            case("GET", "todos")
                .query(query)
                .status(200)
                .response_body(body)
        };
        assert!(get("description~=.*fixture.*").passes("GET_TODOS_FILTERED_DESCRIPTION_REGEX"));
        assert!(!get("description~=fixture").passes("GET_TODOS_FILTERED_DESCRIPTION_REGEX"));
        assert!(get("description*=*fixture*").passes("GET_TODOS_FILTERED_DESCRIPTION_WILDCARD"));
        assert!(!get("description*=fixture").passes("GET_TODOS_FILTERED_DESCRIPTION_WILDCARD"));
    }

    #[test]
    fn sorting_rules() {
        let get = |query: &'static str| case("GET", "todos").query(query).status(200);
        assert!(get("_sortBy=title").passes("GET_TODOS_SORTED_ASCENDING"));
        assert!(get("_sortBy=+id").passes("GET_TODOS_SORTED_ASCENDING"));
        assert!(!get("_sortBy=-title").passes("GET_TODOS_SORTED_ASCENDING"));
        assert!(!get("_sortBy=priority").passes("GET_TODOS_SORTED_ASCENDING"));
        assert!(get("_sortBy=-id").passes("GET_TODOS_SORTED_DESCENDING"));
        assert!(get("_sortBy=doneStatus,-id").passes("GET_TODOS_SORTED_MULTIPLE_FIELDS"));
        assert!(!get("_sortBy=doneStatus,-nope").passes("GET_TODOS_SORTED_MULTIPLE_FIELDS"));
        assert!(get("doneStatus=false&_sortBy=-id").passes("GET_TODOS_FILTERED_AND_SORTED"));
        assert!(!get("_limit=5&_sortBy=-id").passes("GET_TODOS_FILTERED_AND_SORTED"));
    }

    #[test]
    fn paging_rules() {
        let page = |ids: std::ops::RangeInclusive<u64>| {
            let todos: Vec<Value> = ids
                .map(|id| serde_json::json!({ "id": id, "doneStatus": false }))
                .collect();
            serde_json::json!({ "todos": todos }).to_string()
        };
        let get = |query: &'static str, body: &str| {
            case("GET", "todos")
                .query(query)
                .status(200)
                .response_body(body)
        };
        assert!(get("_limit=8", &page(1..=8)).passes("GET_TODOS_PAGINATED_LIMIT"));
        assert!(get("_limit=08", &page(1..=8)).passes("GET_TODOS_PAGINATED_LIMIT"));
        assert!(!get("_limit=8&_offset=5", &page(6..=10)).passes("GET_TODOS_PAGINATED_LIMIT"));
        assert!(get("_limit=5&_offset=5", &page(6..=10)).passes("GET_TODOS_PAGINATED_LIMIT_OFFSET"));
        let descending = r#"{"todos":[{"id":5},{"id":4},{"id":3},{"id":2},{"id":1}]}"#;
        assert!(
            get("_sortBy=-id&_limit=5&_offset=5", descending).passes("GET_TODOS_PAGINATED_SORTED")
        );
        assert!(
            !get("_sortBy=id&_limit=5&_offset=5", descending).passes("GET_TODOS_PAGINATED_SORTED")
        );
        assert!(get("doneStatus=false&_limit=2&_offset=1", &page(2..=3))
            .passes("GET_TODOS_PAGINATED_FILTERED"));
        assert!(case("GET", "todos")
            .query("_limit=21")
            .passes("GET_TODOS_PAGINATED_LIMIT_TOO_HIGH"));
        assert!(!case("GET", "todos")
            .query("_limit=20")
            .passes("GET_TODOS_PAGINATED_LIMIT_TOO_HIGH"));
    }

    #[test]
    fn query_form_filter() {
        let query = |body: &str| {
            case("QUERY", "todos")
                .store(mixed_store())
                .header("content-type", "application/x-www-form-urlencoded")
                .body(body)
                .status(200)
                .passes("QUERY_TODOS_FILTERED")
        };
        assert!(query("doneStatus=true"));
        assert!(!query("doneStatus=false"));
        assert!(!query("doneStatus==true"));
    }

    #[test]
    fn accept_rules() {
        let get = |accept: &str, response_type: &str| {
            case("GET", "todos")
                .header("accept", accept)
                .status(200)
                .response_header("content-type", response_type)
        };
        assert!(get("application/xml", "application/xml").passes("GET_ACCEPT_XML"));
        assert!(get("application/xml, application/json", "application/xml")
            .passes("GET_ACCEPT_XML_PREFERRED"));
        assert!(
            !get("application/json, application/xml;q=0.5", "application/xml")
                .passes("GET_ACCEPT_XML_PREFERRED")
        );
        assert!(get("application/json", "application/json").passes("GET_ACCEPT_JSON"));
        assert!(get("*/*", "application/json").passes("GET_ACCEPT_ANY_DEFAULT_JSON"));
        assert!(get(
            "application/json;q=0.5, application/xml;q=1",
            "application/xml"
        )
        .passes("GET_ACCEPT_XML_Q_PREFERRED"));
        assert!(!get(
            "application/json;q=0.5, application/xml;q=1.0",
            "application/xml"
        )
        .passes("GET_ACCEPT_XML_Q_PREFERRED"));
        assert!(case("GET", "todos")
            .status(200)
            .response_header("content-type", "application/json")
            .passes("GET_JSON_BY_DEFAULT_NO_ACCEPT"));
        assert!(case("GET", "todos")
            .header("accept", "application/gzip")
            .status(406)
            .passes("GET_UNSUPPORTED_ACCEPT_406"));
        assert!(case("GET", "todos/1")
            .header("accept", "text/calendar")
            .status(200)
            .passes("GET_TODO_ACCEPT_TEXT_CALENDAR"));
        assert!(!case("GET", "todos/export")
            .header("accept", "text/calendar")
            .status(200)
            .passes("GET_TODO_ACCEPT_TEXT_CALENDAR"));
        let json_back = case("POST", "todos")
            .header("content-type", "application/xml")
            .header("accept", "application/json")
            .status(201)
            .response_header("content-type", "application/json");
        assert!(json_back.passes("POST_CREATE_XML_ACCEPT_JSON"));
        assert!(!json_back.passes("POST_CREATE_JSON"));
    }
}
