//! Decoding and validating todo request bodies: JSON and XML for create, amend and
//! replace, and the three PATCH styles (partial JSON, merge patch, JSON Patch).
//!
//! Validation runs in the same stages as the reference engine, and the first stage that
//! finds anything wrong answers alone:
//!
//! 1. declared types of the known fields (`doneStatus should be BOOLEAN but was STRING`);
//! 2. the id: on create any `id` is refused, on updates it must not change;
//! 3. field rules: unknown fields, empty or too-long text;
//! 4. the mandatory title (create and replace), only once everything else is valid.
//!
//! Within a stage every problem is reported, joined with `, ` into one message, in body
//! order (the reference iterates a hash map, so its order is not reproducible anyway).
//! Create messages are prefixed `Failed Validation: ` as the reference's are (`creation_message`);
//! update messages are prefixed only in stage 3, as the engine does.

use quick_xml::events::{BytesRef, BytesStart, Event};
use quick_xml::{Reader, XmlVersion};
use serde_json::{Map, Number, Value};

use crate::error::{ApiError, ErrorKind};
use crate::todo::lenient_json;
use crate::todo::negotiation::BodyKind;
use crate::todo::{Todo, MAX_BODY, MAX_DESCRIPTION, MAX_TITLE};

/// The prefix the engine puts in front of field-validation failures.
pub const VALIDATION_PREFIX: &str = "Failed Validation: ";
/// No Content-Type header (note the trailing space: the header value would follow).
pub const MISSING_CONTENT_TYPE: &str = "Unknown content Type: API cannot parse ";
pub const INVALID_JSON: &str = "Invalid Json Payload: please check the syntax of the request body";
/// Followed by a parser detail.
pub const INVALID_XML_PREFIX: &str = "Invalid XML Payload: ";
pub const CREATE_WITH_ID: &str = "Invalid Creation: Not allowed to create with id";
pub const MANDATORY_TITLE: &str = "title : field is mandatory";
pub const EMPTY_TITLE: &str = "title : can not be empty";
pub const MALFORMED_MERGE_PATCH: &str = "Malformed JSON Merge Patch document";
pub const MERGE_PATCH_NOT_OBJECT: &str = "JSON Merge Patch for entity resources must be an object";
pub const MALFORMED_JSON_PATCH: &str = "Malformed JSON Patch document";
pub const JSON_PATCH_NOT_ARRAY: &str = "JSON Patch document must be an array of operations";
pub const JSON_PATCH_NOT_APPLIED: &str = "JSON Patch could not be applied";
pub const PATCH_RESULT_NOT_OBJECT: &str = "PATCH result for entity resources must be an object";

/// Deepest XML element nesting accepted (serde_json's own limit for JSON is also 128).
const MAX_XML_DEPTH: usize = 128;

/// The fields of a create request once validated.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewTodo {
    pub title: String,
    pub done_status: bool,
    pub description: String,
}

/// Parse a POST/PUT body into its field map. JSON must be an object; XML is converted
/// the way the reference's org.json does (root `<todo>`/`<todos>` unwrapped, `true`/`false` and
/// numeric text typed). Errors are the reference's 400s (missing Content-Type,
/// malformed JSON, malformed XML).
///
/// A blank body (empty or whitespace only) is an empty field map, as in the reference,
/// so a create then fails on the mandatory title. A JSON value that is not an object
/// is reported as invalid JSON (the engine throws an unhandled exception there).
/// Kinds other than JSON and XML are refused with the missing-Content-Type message: the
/// caller answers 415 for them before parsing.
pub fn parse_body(kind: BodyKind, body: &[u8]) -> Result<Map<String, Value>, ApiError> {
    parse_body_with(BodySyntax::Current, kind, body)
}

/// How a generation reads request bodies.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BodySyntax {
    /// Strict JSON; XML roots `<todo>` and `<todos>` unwrapped, any other root a field name.
    Current,
    /// Lenient JSON, as Gson read it; only a `<todo>` root is unwrapped, any other
    /// lone root is a field name.
    Classic,
}

/// [`parse_body`] with a generation's syntax rules.
pub fn parse_body_with(
    syntax: BodySyntax,
    kind: BodyKind,
    body: &[u8],
) -> Result<Map<String, Value>, ApiError> {
    match (kind, syntax) {
        (BodyKind::Json, BodySyntax::Current) => parse_json_fields(body),
        (BodyKind::Json, BodySyntax::Classic) => parse_lenient_json_fields(body),
        (BodyKind::Xml, _) => parse_xml_fields(body, syntax),
        _ => Err(ApiError::malformed(MISSING_CONTENT_TYPE)),
    }
}

/// Validate a create (POST /todos). 422s with the reference's exact messages and
/// prefixing rules (see `creation_message`).
pub fn validate_create(fields: &Map<String, Value>) -> Result<NewTodo, ApiError> {
    let wrong_types = type_errors(fields, IdTyping::Strict);
    if !wrong_types.is_empty() {
        return Err(create_error(wrong_types.join(", ")));
    }
    if fields.contains_key(TodoField::Id.name()) {
        return Err(create_error(CREATE_WITH_ID.to_string()));
    }
    let broken_rules = rule_errors(fields, TitleRule::Mandatory);
    if !broken_rules.is_empty() {
        return Err(create_error(prefixed(&broken_rules)));
    }
    let todo = apply_fields(default_todo(0), fields);
    Ok(NewTodo {
        title: todo.title,
        done_status: todo.done_status,
        description: todo.description,
    })
}

/// POST /todos/{id} and PATCH with application/json: only supplied fields change.
pub fn amend(todo: &Todo, fields: &Map<String, Value>) -> Result<Todo, ApiError> {
    validate_update(todo, fields, TitleRule::Optional)?;
    Ok(apply_fields(todo.clone(), fields))
}

/// PUT /todos/{id} (and PUT /todos with a body id): full replacement, title mandatory,
/// omitted optional fields revert to defaults. `todo` is the todo being replaced.
pub fn replace(todo: &Todo, fields: &Map<String, Value>) -> Result<Todo, ApiError> {
    validate_update(todo, fields, TitleRule::Mandatory)?;
    Ok(apply_fields(default_todo(todo.id), fields))
}

/// Apply an RFC 7396 merge patch document to a todo.
///
/// The patched document replaces the todo (PUT rules), so `{"title":null}` fails with
/// the mandatory-title 422 and a removed `description`/`doneStatus` reverts to default.
/// A document that parses but is not an object is a 422, as in the engine.
pub fn merge_patch(todo: &Todo, body: &[u8]) -> Result<Todo, ApiError> {
    let patch: Value =
        serde_json::from_slice(body).map_err(|_| ApiError::malformed(MALFORMED_MERGE_PATCH))?;
    if !patch.is_object() {
        return Err(ApiError::validation(MERGE_PATCH_NOT_OBJECT));
    }
    let mut document = todo_document(todo);
    json_patch::merge(&mut document, &patch);
    replace_with_document(todo, document)
}

/// Apply an RFC 6902 JSON Patch document to a todo.
///
/// Unparseable JSON is a 400, a non-array a 400, and an array whose operations are
/// invalid or fail (including a failed `test`) a 409, following the engine. A patch
/// whose copies grow the document past a body's worth of values is a 400.
pub fn json_patch(todo: &Todo, body: &[u8]) -> Result<Todo, ApiError> {
    let document: Value =
        serde_json::from_slice(body).map_err(|_| ApiError::malformed(MALFORMED_JSON_PATCH))?;
    if !document.is_array() {
        return Err(ApiError::malformed(JSON_PATCH_NOT_ARRAY));
    }
    let not_applied = || ApiError::new(ErrorKind::Conflict, JSON_PATCH_NOT_APPLIED);
    let patch: json_patch::Patch = serde_json::from_value(document).map_err(|_| not_applied())?;
    let mut patched = todo_document(todo);
    // One operation at a time, each followed by a size check: `copy` of the whole
    // document into itself doubles it, so a 5,000-byte patch of copies could otherwise
    // ask for 2^100 values (and as many levels of nesting).
    for operation in patch.0 {
        // patch_unsafe: we work on a scratch copy, so the undo-on-failure of `patch`
        // (which can panic) buys nothing.
        json_patch::patch_unsafe(&mut patched, std::slice::from_ref(&operation))
            .map_err(|_| not_applied())?;
        if matches!(operation, json_patch::PatchOperation::Copy(_))
            && !within_patch_limits(&patched)
        {
            return Err(ApiError::malformed(JSON_PATCH_TOO_LARGE));
        }
    }
    replace_with_document(todo, patched)
}

/// Most values a JSON-Patched document may hold (no bigger than a body could write).
const MAX_PATCHED_VALUES: usize = MAX_BODY;
/// Deepest nesting of a JSON-Patched document (as deep as a parsed body may be).
const MAX_PATCHED_DEPTH: usize = 128;
const JSON_PATCH_TOO_LARGE: &str =
    "JSON Patch result too large: at most 5000 values nested at most 128 deep";

/// True when `document` is within [`MAX_PATCHED_VALUES`] and [`MAX_PATCHED_DEPTH`].
/// Walks with an explicit stack and stops at the first value over the limit, so the
/// check costs at most the limit however large the document has grown.
fn within_patch_limits(document: &Value) -> bool {
    let mut pending = vec![(document, 0usize)];
    let mut seen = 0;
    while let Some((value, depth)) = pending.pop() {
        seen += 1;
        if seen > MAX_PATCHED_VALUES || depth > MAX_PATCHED_DEPTH {
            return false;
        }
        match value {
            Value::Array(items) => pending.extend(items.iter().map(|item| (item, depth + 1))),
            Value::Object(members) => {
                pending.extend(members.values().map(|member| (member, depth + 1)))
            }
            _ => {}
        }
    }
    true
}

// ---------------------------------------------------------------------------------
// The todo's fields and their declared types
// ---------------------------------------------------------------------------------

/// A field the todo entity declares. Names are case-sensitive (`Title` is unknown).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum TodoField {
    Id,
    Title,
    DoneStatus,
    Description,
}

impl TodoField {
    fn named(name: &str) -> Option<TodoField> {
        match name {
            "id" => Some(TodoField::Id),
            "title" => Some(TodoField::Title),
            "doneStatus" => Some(TodoField::DoneStatus),
            "description" => Some(TodoField::Description),
            _ => None,
        }
    }

    fn name(self) -> &'static str {
        match self {
            TodoField::Id => "id",
            TodoField::Title => "title",
            TodoField::DoneStatus => "doneStatus",
            TodoField::Description => "description",
        }
    }

    /// The engine's name for the field's type, as shown in type errors.
    fn declared_type(self) -> &'static str {
        match self {
            TodoField::Id => "AUTO_INCREMENT",
            TodoField::Title | TodoField::Description => "STRING",
            TodoField::DoneStatus => "BOOLEAN",
        }
    }

    fn accepts(self, value: &Value) -> bool {
        match self {
            TodoField::Id => source_type(value) == "INTEGER",
            TodoField::Title | TodoField::Description => value.is_string(),
            TodoField::DoneStatus => value.is_boolean(),
        }
    }
}

/// The engine's name for the type a body value arrived as.
pub fn source_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "NULL",
        Value::Bool(_) => "BOOLEAN",
        Value::String(_) => "STRING",
        Value::Number(n) if n.is_f64() => "NUMERIC",
        Value::Number(_) => "INTEGER",
        Value::Object(_) => "OBJECT",
        Value::Array(_) => "ARRAY",
    }
}

fn default_todo(id: u64) -> Todo {
    Todo {
        id,
        title: String::new(),
        done_status: false,
        description: String::new(),
    }
}

/// The todo as the JSON document a PATCH is applied to.
fn todo_document(todo: &Todo) -> Value {
    let mut document = Map::new();
    document.insert("id".into(), Value::from(todo.id));
    document.insert("title".into(), Value::from(todo.title.as_str()));
    document.insert("doneStatus".into(), Value::from(todo.done_status));
    document.insert("description".into(), Value::from(todo.description.as_str()));
    Value::Object(document)
}

/// Copy the supplied (already validated) fields onto a todo.
fn apply_fields(mut todo: Todo, fields: &Map<String, Value>) -> Todo {
    for (name, value) in fields {
        match (TodoField::named(name), value) {
            (Some(TodoField::Title), Value::String(text)) => todo.title = text.clone(),
            (Some(TodoField::Description), Value::String(text)) => todo.description = text.clone(),
            (Some(TodoField::DoneStatus), Value::Bool(done)) => todo.done_status = *done,
            _ => {}
        }
    }
    todo
}

// ---------------------------------------------------------------------------------
// Validation stages
// ---------------------------------------------------------------------------------

/// Whether stage 1 type-checks `id`. Updates skip it (the engine ignores protected
/// fields there and compares the id as text instead), except for objects and arrays,
/// which have no sensible text form.
#[derive(Clone, Copy, PartialEq, Eq)]
enum IdTyping {
    Strict,
    Lenient,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum TitleRule {
    Mandatory,
    Optional,
}

/// Stage 1: `<field> should be <TYPE> but was <SOURCE>` for each known field sent with
/// the wrong JSON type. Unknown fields are left to stage 3.
fn type_errors(fields: &Map<String, Value>, id_typing: IdTyping) -> Vec<String> {
    fields
        .iter()
        .filter_map(|(name, value)| {
            let field = TodoField::named(name)?;
            let skip_id = field == TodoField::Id
                && id_typing == IdTyping::Lenient
                && !matches!(value, Value::Object(_) | Value::Array(_));
            if skip_id || field.accepts(value) {
                return None;
            }
            Some(format!(
                "{} should be {} but was {}",
                field.name(),
                field.declared_type(),
                source_type(value)
            ))
        })
        .collect()
}

/// Stage 3: unknown fields, empty or over-long text; stage 4: the mandatory title,
/// which the engine checks last and reports only when nothing else is wrong.
fn rule_errors(fields: &Map<String, Value>, title_rule: TitleRule) -> Vec<String> {
    let mut errors = Vec::new();
    for (name, value) in fields {
        match (TodoField::named(name), value) {
            (None, _) => errors.push(format!("Could not find field: {name}")),
            (Some(TodoField::Title), Value::String(title)) => {
                if is_blank(title) {
                    errors.push(EMPTY_TITLE.to_string());
                }
                push_if_too_long(&mut errors, "title", title, MAX_TITLE);
            }
            (Some(TodoField::Description), Value::String(description)) => {
                push_if_too_long(&mut errors, "description", description, MAX_DESCRIPTION);
            }
            _ => {}
        }
    }
    let title_missing = !fields.contains_key(TodoField::Title.name());
    if errors.is_empty() && title_rule == TitleRule::Mandatory && title_missing {
        errors.push(MANDATORY_TITLE.to_string());
    }
    errors
}

/// Blank the way Java's `String.trim()` sees it: nothing above U+0020.
fn is_blank(text: &str) -> bool {
    text.chars().all(|c| c <= ' ')
}

fn push_if_too_long(errors: &mut Vec<String>, field: &str, text: &str, max: usize) {
    if text.chars().count() > max {
        errors.push(format!(
            "Maximum allowable length exceeded for {field} - maximum allowed is {max}"
        ));
    }
}

fn prefixed(errors: &[String]) -> String {
    format!("{VALIDATION_PREFIX}{}", errors.join(", "))
}

/// The reference's create prefixing rule: a lone mandatory-field error loses the
/// prefix, plain messages gain it, `ERROR:`/`Cannot Create` messages stay as they are.
fn creation_message(raw: String) -> String {
    if let Some(rest) = raw.strip_prefix(VALIDATION_PREFIX) {
        if rest.ends_with(" : field is mandatory") && !rest.contains(", ") {
            return rest.to_string();
        }
        return raw;
    }
    if raw.starts_with("ERROR:") || raw.starts_with("Cannot Create") {
        return raw;
    }
    format!("{VALIDATION_PREFIX}{raw}")
}

fn create_error(raw: String) -> ApiError {
    ApiError::validation(creation_message(raw))
}

/// Stages 1-3 for POST /todos/{id}, PUT and the PATCH styles.
fn validate_update(
    todo: &Todo,
    fields: &Map<String, Value>,
    title_rule: TitleRule,
) -> Result<(), ApiError> {
    let wrong_types = type_errors(fields, IdTyping::Lenient);
    if !wrong_types.is_empty() {
        return Err(ApiError::validation(wrong_types.join(", ")));
    }
    check_id_unchanged(todo, fields)?;
    let broken_rules = rule_errors(fields, title_rule);
    if !broken_rules.is_empty() {
        return Err(ApiError::validation(prefixed(&broken_rules)));
    }
    Ok(())
}

/// `Can not amend id from {old} to {new}` when the body names another id. A null id
/// counts as absent; equal ids (also `"11"` or `11.0` for 11) are fine.
fn check_id_unchanged(todo: &Todo, fields: &Map<String, Value>) -> Result<(), ApiError> {
    let Some(new_id) = fields.get(TodoField::Id.name()).and_then(id_text) else {
        return Ok(());
    };
    let old_id = todo.id.to_string();
    if new_id.eq_ignore_ascii_case(&old_id) {
        return Ok(());
    }
    Err(ApiError::validation(format!(
        "Can not amend id from {old_id} to {new_id}"
    )))
}

/// The text an id value is compared as: numbers (and numeric strings) as whole
/// numbers, truncating any fraction like the engine's integer conversion.
fn id_text(value: &Value) -> Option<String> {
    match value {
        Value::Null | Value::Object(_) | Value::Array(_) => None,
        Value::Bool(flag) => Some(flag.to_string()),
        Value::Number(number) => Some(number_as_whole_text(number)),
        Value::String(text) => Some(numeric_text_as_whole(text).unwrap_or_else(|| text.clone())),
    }
}

fn number_as_whole_text(number: &Number) -> String {
    match number.as_f64() {
        Some(float) if number.is_f64() => whole_text(float),
        _ => number.to_string(),
    }
}

fn numeric_text_as_whole(text: &str) -> Option<String> {
    let trimmed = text.trim();
    let looks_numeric = trimmed
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, '-' | '+' | '.' | 'e' | 'E'));
    if !looks_numeric {
        return None;
    }
    trimmed.parse::<f64>().ok().map(whole_text)
}

/// A float's integer part as text (`11.7` → `11`); finite values only reach here.
fn whole_text(float: f64) -> String {
    format!("{}", float.trunc())
}

/// Validate a patched todo document with PUT rules.
fn replace_with_document(todo: &Todo, document: Value) -> Result<Todo, ApiError> {
    match document {
        Value::Object(fields) => replace(todo, &fields),
        _ => Err(ApiError::validation(PATCH_RESULT_NOT_OBJECT)),
    }
}

// ---------------------------------------------------------------------------------
// Validation rules per generation
// ---------------------------------------------------------------------------------

/// Which generation's validation a todo write follows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ValidationRules {
    /// Every known field type-checked, all problems of a stage reported.
    Current,
    /// The classic engine: only doneStatus type-checked (on create), fields set one by
    /// one in body order and the first problem reported.
    Classic,
}

/// How far a refused create got. The classic engine assigns the new id after the `id`
/// check and before field validation, so a field failure uses an id up there.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CreateStage {
    /// Refused because the body names an `id`.
    IdCheck,
    /// Refused by type or field validation.
    Fields,
}

/// A refused create.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CreateError {
    pub error: ApiError,
    pub stage: CreateStage,
}

/// Validate a create with a generation's rules.
pub fn validate_create_with(
    rules: ValidationRules,
    fields: &Map<String, Value>,
) -> Result<NewTodo, CreateError> {
    match rules {
        ValidationRules::Current => validate_create(fields).map_err(|error| {
            let stage = if error.messages.iter().any(|m| m.contains(CREATE_WITH_ID)) {
                CreateStage::IdCheck
            } else {
                CreateStage::Fields
            };
            CreateError { error, stage }
        }),
        ValidationRules::Classic => classic_create(fields),
    }
}

/// [`amend`] with a generation's rules.
pub fn amend_with(
    rules: ValidationRules,
    todo: &Todo,
    fields: &Map<String, Value>,
) -> Result<Todo, ApiError> {
    match rules {
        ValidationRules::Current => amend(todo, fields),
        ValidationRules::Classic => classic_update(todo.clone(), todo, fields),
    }
}

/// [`replace`] with a generation's rules.
pub fn replace_with(
    rules: ValidationRules,
    todo: &Todo,
    fields: &Map<String, Value>,
) -> Result<Todo, ApiError> {
    match rules {
        ValidationRules::Current => replace(todo, fields),
        ValidationRules::Classic => {
            let replaced = classic_update(default_todo(todo.id), todo, fields)?;
            require_title(fields)?;
            Ok(replaced)
        }
    }
}

/// The classic create refusal for a body naming an id.
pub const CLASSIC_CREATE_WITH_ID: &str =
    "Invalid Creation: Failed Validation: Not allowed to create with id";

/// The classic create: id check, then the doneStatus type, then fields one by one in body
/// order, then the mandatory title.
fn classic_create(fields: &Map<String, Value>) -> Result<NewTodo, CreateError> {
    if fields.contains_key(TodoField::Id.name()) {
        return Err(CreateError {
            error: ApiError::validation(CLASSIC_CREATE_WITH_ID),
            stage: CreateStage::IdCheck,
        });
    }
    let field_error = |error| CreateError {
        error,
        stage: CreateStage::Fields,
    };
    if let Some(done) = fields.get(TodoField::DoneStatus.name()) {
        if !done.is_boolean() {
            let message = format!(
                "{VALIDATION_PREFIX}doneStatus should be BOOLEAN but was {}",
                classic_source_type(done)
            );
            return Err(field_error(ApiError::validation(message)));
        }
    }
    let todo = classic_set_fields(default_todo(0), fields).map_err(field_error)?;
    require_title(fields).map_err(field_error)?;
    Ok(NewTodo {
        title: todo.title,
        done_status: todo.done_status,
        description: todo.description,
    })
}

/// A classic amend or replace: the id must not change, then the fields are set onto
/// `start` (the todo itself, or a blank one for PUT) one by one. No type check.
fn classic_update(
    start: Todo,
    current: &Todo,
    fields: &Map<String, Value>,
) -> Result<Todo, ApiError> {
    check_id_unchanged(current, fields)?;
    classic_set_fields(start, fields)
}

/// `title : field is mandatory` when no title text was sent.
fn require_title(fields: &Map<String, Value>) -> Result<(), ApiError> {
    let sent = flatten_fields(fields)
        .iter()
        .any(|(path, _)| path_head(path) == TodoField::Title.name());
    if sent {
        Ok(())
    } else {
        Err(ApiError::validation(MANDATORY_TITLE))
    }
}

/// Gson's name for a value's type: every number is a double, and null, objects and
/// arrays are "Something Else".
fn classic_source_type(value: &Value) -> &'static str {
    match value {
        Value::Bool(_) => "BOOLEAN",
        Value::String(_) => "STRING",
        Value::Number(_) => "NUMERIC",
        _ => "Something Else",
    }
}

/// Set each flattened field on the todo, stopping at the first that is refused.
fn classic_set_fields(mut todo: Todo, fields: &Map<String, Value>) -> Result<Todo, ApiError> {
    for (path, text) in flatten_fields(fields) {
        let head = path_head(&path);
        let Some(field) = TodoField::named(head) else {
            return Err(ApiError::validation(format!(
                "Could not find field: {head}"
            )));
        };
        if path_has_more(&path) {
            return Err(ApiError::validation(format!(
                "Cannot reference fields on non object fields: {head}"
            )));
        }
        classic_set_field(&mut todo, field, text)?;
    }
    Ok(todo)
}

/// Set one field from its text, with the engine's per-field validation.
fn classic_set_field(todo: &mut Todo, field: TodoField, text: String) -> Result<(), ApiError> {
    let refuse = |message: String| Err(ApiError::validation(message));
    match field {
        // Protected: compared by `check_id_unchanged`, never set from a body.
        TodoField::Id => {}
        TodoField::Title => {
            if is_blank(&text) {
                return refuse(format!("{VALIDATION_PREFIX}{EMPTY_TITLE}"));
            }
            if let Some(message) = too_long("title", &text, MAX_TITLE) {
                return refuse(message);
            }
            todo.title = text;
        }
        TodoField::Description => {
            if let Some(message) = too_long("description", &text, MAX_DESCRIPTION) {
                return refuse(message);
            }
            todo.description = text;
        }
        TodoField::DoneStatus => {
            if text.eq_ignore_ascii_case("true") {
                todo.done_status = true;
            } else if text.eq_ignore_ascii_case("false") {
                todo.done_status = false;
            } else {
                return refuse(format!(
                    "{VALIDATION_PREFIX}doneStatus : {text} does not match type BOOLEAN (true, false)"
                ));
            }
        }
    }
    Ok(())
}

fn too_long(field: &str, text: &str, max: usize) -> Option<String> {
    (text.chars().count() > max).then(|| {
        format!("{VALIDATION_PREFIX}Maximum allowable length exceeded for {field} - maximum allowed is {max}")
    })
}

/// The field name a flattened path starts with (Java's `split("\\.")[0]`).
fn path_head(path: &str) -> &str {
    path.split('.').next().unwrap_or("")
}

/// True when a flattened path names a sub-field (`title.x`); trailing dots do not count.
fn path_has_more(path: &str) -> bool {
    path.trim_end_matches('.').contains('.')
}

/// The engine's view of a body: (path, text) pairs in body order. Objects nest as
/// `name.sub`, array elements repeat their name (with a trailing `.`), nulls vanish,
/// numbers are written as Java doubles and booleans as `true`/`false`.
fn flatten_fields(fields: &Map<String, Value>) -> Vec<(String, String)> {
    let mut out = Vec::new();
    // An explicit stack, not recursion, so nesting costs heap rather than the thread's
    // stack. Children are pushed last-first so they come off in body order.
    let mut pending: Vec<(String, &Value)> = fields
        .iter()
        .rev()
        .map(|(name, value)| (name.clone(), value))
        .collect();
    while let Some((path, value)) = pending.pop() {
        let joined = |sub: &str| {
            if path.is_empty() || path.ends_with('.') {
                format!("{path}{sub}")
            } else {
                format!("{path}.{sub}")
            }
        };
        match value {
            Value::Null => {}
            Value::String(text) => out.push((path, text.clone())),
            Value::Bool(flag) => out.push((path, flag.to_string())),
            Value::Number(number) => {
                out.push((path, java_double_text(number.as_f64().unwrap_or(0.0))))
            }
            Value::Array(items) => {
                let element_path = joined("");
                pending.extend(items.iter().rev().map(|item| (element_path.clone(), item)));
            }
            Value::Object(members) => {
                let children: Vec<(String, &Value)> = members
                    .iter()
                    .map(|(sub, item)| (joined(sub), item))
                    .collect();
                pending.extend(children.into_iter().rev());
            }
        }
    }
    out
}

/// Java's `Double.toString`: plain notation with at least one decimal between 10^-3 and
/// 10^7, computerised scientific notation (`1.0E7`) outside.
pub fn java_double_text(value: f64) -> String {
    let magnitude = value.abs();
    if value == 0.0 || (1e-3..1e7).contains(&magnitude) {
        let text = format!("{value}");
        if text.contains('.') {
            text
        } else {
            format!("{text}.0")
        }
    } else {
        let text = format!("{value:e}");
        let (mantissa, exponent) = text.split_once('e').unwrap_or((&text, "0"));
        if mantissa.contains('.') {
            format!("{mantissa}E{exponent}")
        } else {
            format!("{mantissa}.0E{exponent}")
        }
    }
}

// ---------------------------------------------------------------------------------
// JSON bodies
// ---------------------------------------------------------------------------------

fn parse_json_fields(body: &[u8]) -> Result<Map<String, Value>, ApiError> {
    if is_blank_bytes(body) {
        return Ok(Map::new());
    }
    // serde_json checks UTF-8 and stops at 128 levels of nesting, so hostile bodies end
    // here as a 400 rather than a stack overflow.
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(fields)) => Ok(fields),
        _ => Err(ApiError::malformed(INVALID_JSON)),
    }
}

/// Classic bodies: Gson's lenient reading (unquoted and single-quoted values and names).
fn parse_lenient_json_fields(body: &[u8]) -> Result<Map<String, Value>, ApiError> {
    if is_blank_bytes(body) {
        return Ok(Map::new());
    }
    let invalid = || ApiError::malformed(INVALID_JSON);
    let text = std::str::from_utf8(body).map_err(|_| invalid())?;
    match lenient_json::parse(text) {
        Ok(Value::Object(fields)) => Ok(fields),
        _ => Err(invalid()),
    }
}

fn is_blank_bytes(body: &[u8]) -> bool {
    body.iter().all(|byte| *byte <= b' ')
}

// ---------------------------------------------------------------------------------
// XML bodies (org.json's XML-to-JSON conversion, as the reference uses)
// ---------------------------------------------------------------------------------

fn xml_error(detail: impl std::fmt::Display) -> ApiError {
    ApiError::malformed(format!("{INVALID_XML_PREFIX}{detail}"))
}

fn parse_xml_fields(body: &[u8], syntax: BodySyntax) -> Result<Map<String, Value>, ApiError> {
    let text = std::str::from_utf8(body).map_err(|_| xml_error("body is not valid UTF-8"))?;
    let mut reader = Reader::from_str(text);
    let mut tree = XmlTree {
        unwrap_todos: syntax == BodySyntax::Current,
        ..XmlTree::default()
    };
    loop {
        let event = reader.read_event().map_err(|error| {
            xml_error(format!("{error} at position {}", reader.error_position()))
        })?;
        match event {
            Event::Start(start) => tree.open(&start)?,
            Event::Empty(start) => {
                tree.open(&start)?;
                tree.close();
            }
            Event::End(_) => tree.close(),
            Event::Text(text) => tree.add_text(&text.xml10_content(), TextKind::Typed),
            Event::CData(data) => tree.add_text(&data.xml10_content(), TextKind::Literal),
            Event::GeneralRef(reference) => {
                tree.add_text(&resolve_reference(&reference)?, TextKind::Typed)
            }
            // No DTDs: entity definitions are how expansion bombs get in.
            Event::DocType(_) => return Err(xml_error("DOCTYPE is not allowed")),
            Event::Eof => break,
            Event::Comment(_) | Event::Decl(_) | Event::PI(_) => {}
        }
    }
    tree.finish()
}

/// `&lt;`-style and `&#65;`-style references; any other entity is refused.
fn resolve_reference(reference: &BytesRef) -> Result<String, ApiError> {
    let unknown = || xml_error(format!("unknown entity reference &{};", &**reference));
    match reference.resolve_char_ref() {
        Ok(Some(character)) => Ok(character.to_string()),
        Ok(None) => quick_xml::escape::resolve_predefined_entity(reference)
            .map(str::to_string)
            .ok_or_else(unknown),
        Err(error) => Err(xml_error(error)),
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum TextKind {
    /// Ordinary character data: typed like org.json does.
    Typed,
    /// CDATA: always kept as a string.
    Literal,
}

/// An element being read: attributes and children collected as fields, plus its text.
struct XmlElement {
    name: String,
    fields: Map<String, Value>,
    text: String,
    literal: bool,
}

impl XmlElement {
    /// An element with only text becomes that (typed) text; otherwise an object of its
    /// attributes and children, any text under `content` (org.json's convention).
    fn into_value(mut self) -> Value {
        let text = self.text.trim();
        let text_value = if self.literal {
            Value::String(text.to_string())
        } else {
            xml_scalar(text)
        };
        if self.fields.is_empty() {
            return text_value;
        }
        if !text.is_empty() {
            accumulate(&mut self.fields, "content".to_string(), text_value);
        }
        Value::Object(self.fields)
    }
}

#[derive(Default)]
struct XmlTree {
    top_level: Map<String, Value>,
    open: Vec<XmlElement>,
    /// A lone `<todos>` root is unwrapped like `<todo>` (not in the classic profile).
    unwrap_todos: bool,
}

impl XmlTree {
    fn open(&mut self, start: &BytesStart) -> Result<(), ApiError> {
        if self.open.len() >= MAX_XML_DEPTH {
            return Err(xml_error("elements nested too deeply"));
        }
        let name = start.name().as_ref().to_string();
        let fields = xml_attributes(start)?;
        self.open.push(XmlElement {
            name,
            fields,
            text: String::new(),
            literal: false,
        });
        Ok(())
    }

    /// The reader has already checked that end tags match their start tags.
    fn close(&mut self) {
        let Some(element) = self.open.pop() else {
            return;
        };
        let name = element.name.clone();
        let value = element.into_value();
        match self.open.last_mut() {
            Some(parent) => accumulate(&mut parent.fields, name, value),
            None => accumulate(&mut self.top_level, name, value),
        }
    }

    /// Text outside every element is ignored, as org.json does.
    fn add_text(&mut self, text: &str, kind: TextKind) {
        if let Some(element) = self.open.last_mut() {
            element.text.push_str(text);
            element.literal |= kind == TextKind::Literal;
        }
    }

    /// The field map: a lone `<todo>`/`<todos>` root is unwrapped; any other top-level
    /// element is itself a field (so a root-less fragment of fields also works).
    fn finish(mut self) -> Result<Map<String, Value>, ApiError> {
        if let Some(element) = self.open.last() {
            return Err(xml_error(format!("Unclosed tag {}", element.name)));
        }
        if self.top_level.len() != 1 {
            return Ok(self.top_level);
        }
        let root_name = self.top_level.keys().next().cloned().unwrap_or_default();
        if root_name != "todo" && !(self.unwrap_todos && root_name == "todos") {
            return Ok(self.top_level);
        }
        match self.top_level.remove(&root_name) {
            Some(Value::Object(fields)) => Ok(fields),
            // Repeated roots stay a (list-valued) field, like the reference.
            Some(list @ Value::Array(_)) => Ok(Map::from_iter([(root_name, list)])),
            // `<todo/>` or a root holding only text: no fields.
            _ => Ok(Map::new()),
        }
    }
}

/// Attributes are fields too in org.json's conversion, typed like element text.
fn xml_attributes(start: &BytesStart) -> Result<Map<String, Value>, ApiError> {
    let mut fields = Map::new();
    for attribute in start.attributes() {
        let attribute = attribute.map_err(xml_error)?;
        let name = attribute.key.as_ref().to_string();
        let value = attribute
            .normalized_value(XmlVersion::Implicit1_0)
            .map_err(xml_error)?;
        accumulate(&mut fields, name, xml_scalar(value.trim()));
    }
    Ok(fields)
}

/// org.json's `accumulate`: a repeated name turns the field into a list.
fn accumulate(fields: &mut Map<String, Value>, name: String, value: Value) {
    match fields.get_mut(&name) {
        None => {
            fields.insert(name, value);
        }
        Some(Value::Array(items)) => items.push(value),
        Some(existing) => {
            let first = existing.take();
            *existing = Value::Array(vec![first, value]);
        }
    }
}

/// Type element text the org.json way: `true`/`false`/`null` (any case) become JSON
/// literals and numeric text a number. The reference then round-trips through Gson,
/// which makes every number a double, so numbers here are floats (source `NUMERIC`).
pub fn xml_scalar(text: &str) -> Value {
    if text.eq_ignore_ascii_case("true") {
        return Value::Bool(true);
    }
    if text.eq_ignore_ascii_case("false") {
        return Value::Bool(false);
    }
    if text.eq_ignore_ascii_case("null") {
        return Value::Null;
    }
    org_json_number(text)
        .and_then(Number::from_f64)
        .map(Value::Number)
        .unwrap_or_else(|| Value::String(text.to_string()))
}

/// Numbers as org.json recognises them: an optional `-`, then either an integer without
/// leading zeros or a decimal (`.`, `e`/`E`) in BigDecimal syntax.
fn org_json_number(text: &str) -> Option<f64> {
    if !text.starts_with(|c: char| c.is_ascii_digit() || c == '-') {
        return None;
    }
    let unsigned = text.strip_prefix('-').unwrap_or(text);
    let is_decimal = unsigned.contains(['.', 'e', 'E']) || text == "-0";
    let valid = if is_decimal {
        is_big_decimal(unsigned)
    } else {
        is_plain_integer(unsigned)
    };
    if !valid {
        return None;
    }
    text.parse::<f64>().ok().filter(|number| number.is_finite())
}

fn is_plain_integer(digits: &str) -> bool {
    let all_digits = !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit());
    let leading_zero = digits.len() > 1 && digits.starts_with('0');
    all_digits && !leading_zero
}

/// `digits[.digits][e[+-]digits]` with at least one mantissa digit.
fn is_big_decimal(unsigned: &str) -> bool {
    let (mantissa, exponent) = match unsigned.find(['e', 'E']) {
        Some(at) => (&unsigned[..at], Some(&unsigned[at + 1..])),
        None => (unsigned, None),
    };
    let mut parts = mantissa.splitn(2, '.');
    let whole = parts.next().unwrap_or("");
    let fraction = parts.next().unwrap_or("");
    let digits_only = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    let mantissa_ok =
        digits_only(whole) && digits_only(fraction) && whole.len() + fraction.len() > 0;
    let exponent_ok = exponent.is_none_or(|e| {
        let e = e.strip_prefix(['+', '-']).unwrap_or(e);
        !e.is_empty() && digits_only(e)
    });
    mantissa_ok && exponent_ok
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn fields(value: Value) -> Map<String, Value> {
        match value {
            Value::Object(map) => map,
            other => panic!("test fields must be an object, got {other}"),
        }
    }

    fn todo(id: u64) -> Todo {
        Todo {
            id,
            title: "scan paperwork".into(),
            done_status: true,
            description: "old description".into(),
        }
    }

    fn err(status: u16, message: &str) -> ApiError {
        let kind = match status {
            400 => ErrorKind::Malformed,
            409 => ErrorKind::Conflict,
            _ => ErrorKind::Validation,
        };
        ApiError::new(kind, message)
    }

    fn create_fails(body: Value, message: &str) {
        assert_eq!(
            validate_create(&fields(body)),
            Err(err(422, message)),
            "create message"
        );
    }

    fn json_body(body: &str) -> Result<Map<String, Value>, ApiError> {
        parse_body(BodyKind::Json, body.as_bytes())
    }

    fn xml_body(body: &str) -> Result<Map<String, Value>, ApiError> {
        parse_body(BodyKind::Xml, body.as_bytes())
    }

    fn float(number: f64) -> Value {
        Value::Number(Number::from_f64(number).expect("finite"))
    }

    // --- parse_body: kinds and JSON ---------------------------------------------

    #[test]
    fn missing_content_type_is_400_with_trailing_space() {
        assert_eq!(
            parse_body(BodyKind::Missing, br#"{"title":"t"}"#),
            Err(err(400, "Unknown content Type: API cannot parse "))
        );
    }

    #[test]
    fn kinds_other_than_json_and_xml_are_400() {
        for kind in [
            BodyKind::FormUrlEncoded,
            BodyKind::Unsupported,
            BodyKind::MergePatch,
            BodyKind::JsonPatch,
            BodyKind::JsonPath,
            BodyKind::StructuredQuery,
        ] {
            assert_eq!(parse_body(kind, b"{}"), Err(err(400, MISSING_CONTENT_TYPE)));
        }
    }

    #[test]
    fn json_object_keeps_body_order() {
        let map = json_body(r#"{"title":"t","doneStatus":true,"description":"d"}"#).unwrap();
        let names: Vec<&str> = map.keys().map(String::as_str).collect();
        assert_eq!(names, ["title", "doneStatus", "description"]);
        assert_eq!(map["doneStatus"], json!(true));
    }

    #[test]
    fn malformed_json_is_400() {
        for body in [
            r#"{"title":"t""#,
            r#"{title:"t"}"#,
            "{'title':'t'}",
            r#"{"a":1} x"#,
        ] {
            assert_eq!(
                json_body(body),
                Err(err(
                    400,
                    "Invalid Json Payload: please check the syntax of the request body"
                )),
                "{body}"
            );
        }
    }

    #[test]
    fn invalid_utf8_json_is_400() {
        assert_eq!(
            parse_body(BodyKind::Json, b"{\"title\":\"caf\xe9\"}"),
            Err(err(400, INVALID_JSON))
        );
    }

    #[test]
    fn json_that_is_not_an_object_is_400() {
        for body in ["[1,2]", "5", "\"title\"", "null", "true"] {
            assert_eq!(json_body(body), Err(err(400, INVALID_JSON)), "{body}");
        }
    }

    #[test]
    fn deeply_nested_json_is_400_without_overflow() {
        let brackets = "[".repeat(10_000);
        assert_eq!(json_body(&brackets), Err(err(400, INVALID_JSON)));
        let objects = format!("{}1{}", r#"{"a":"#.repeat(10_000), "}".repeat(10_000));
        assert_eq!(json_body(&objects), Err(err(400, INVALID_JSON)));
    }

    #[test]
    fn blank_body_is_an_empty_field_map() {
        assert_eq!(json_body(""), Ok(Map::new()));
        assert_eq!(json_body(" \r\n\t"), Ok(Map::new()));
        assert_eq!(xml_body("  "), Ok(Map::new()));
    }

    #[test]
    fn huge_numbers_do_not_panic() {
        // Beyond u64: serde_json keeps it as a float, so the type is NUMERIC.
        let map = json_body(r#"{"title":123456789012345678901234567890}"#).unwrap();
        assert_eq!(
            validate_create(&map),
            Err(err(
                422,
                "Failed Validation: title should be STRING but was NUMERIC"
            ))
        );
        let map = json_body(r#"{"title":"t","doneStatus":18446744073709551615}"#).unwrap();
        assert_eq!(
            validate_create(&map),
            Err(err(
                422,
                "Failed Validation: doneStatus should be BOOLEAN but was INTEGER"
            ))
        );
        // Out of f64 range: serde_json refuses the document.
        assert_eq!(json_body(r#"{"title":1e400}"#), Err(err(400, INVALID_JSON)));
    }

    // --- parse_body: XML ---------------------------------------------------------

    #[test]
    fn xml_todo_root_is_unwrapped_and_typed() {
        let map = xml_body(
            "<?xml version=\"1.0\"?><todo><title>t</title><doneStatus>true</doneStatus>\
             <description>d</description></todo>",
        )
        .unwrap();
        assert_eq!(
            Value::Object(map),
            json!({"title":"t","doneStatus":true,"description":"d"})
        );
    }

    #[test]
    fn xml_todos_root_is_unwrapped() {
        let map = xml_body("<todos><title>t</title></todos>").unwrap();
        assert_eq!(Value::Object(map), json!({"title":"t"}));
    }

    #[test]
    fn xml_other_root_is_a_field() {
        let map = xml_body("<task><title>t</title></task>").unwrap();
        assert_eq!(Value::Object(map.clone()), json!({"task":{"title":"t"}}));
        assert_eq!(
            validate_create(&map),
            Err(err(422, "Failed Validation: Could not find field: task"))
        );
    }

    #[test]
    fn xml_fragment_without_root_is_a_field_list() {
        let map = xml_body("<title>a</title><doneStatus>false</doneStatus>").unwrap();
        assert_eq!(Value::Object(map), json!({"title":"a","doneStatus":false}));
    }

    #[test]
    fn xml_text_is_typed_like_org_json() {
        let map = xml_body(
            "<todo><a>TRUE</a><b>False</b><c>123</c><d>0123</d><e>-0</e><f>1.5e3</f>\
             <g>null</g><h/><i></i><j>  spaced  </j><k>12abc</k><l>-7</l><m>-</m>\
             <n>1.</n><o>-01</o></todo>",
        )
        .unwrap();
        assert_eq!(map["a"], json!(true));
        assert_eq!(map["b"], json!(false));
        assert_eq!(map["c"], float(123.0));
        assert_eq!(map["d"], json!("0123"));
        assert_eq!(map["e"], float(-0.0));
        assert_eq!(map["f"], float(1500.0));
        assert_eq!(map["g"], Value::Null);
        assert_eq!(map["h"], json!(""));
        assert_eq!(map["i"], json!(""));
        assert_eq!(map["j"], json!("spaced"));
        assert_eq!(map["k"], json!("12abc"));
        assert_eq!(map["l"], float(-7.0));
        assert_eq!(map["m"], json!("-"));
        assert_eq!(map["n"], float(1.0));
        assert_eq!(map["o"], json!("-01"));
    }

    #[test]
    fn xml_cdata_and_references() {
        let map = xml_body(
            "<todo><title><![CDATA[42]]></title><description>a &amp; b &#65;&#x42;</description></todo>",
        )
        .unwrap();
        assert_eq!(map["title"], json!("42"));
        assert_eq!(map["description"], json!("a & b AB"));
    }

    #[test]
    fn xml_numeric_title_fails_the_type_check() {
        let map = xml_body("<todo><title>123</title></todo>").unwrap();
        assert_eq!(
            validate_create(&map),
            Err(err(
                422,
                "Failed Validation: title should be STRING but was NUMERIC"
            ))
        );
    }

    #[test]
    fn xml_attributes_and_repeats_become_fields() {
        let map =
            xml_body(r#"<todo priority="high"><title>a</title><title>b</title></todo>"#).unwrap();
        assert_eq!(
            Value::Object(map.clone()),
            json!({"priority":"high","title":["a","b"]})
        );
        assert_eq!(
            validate_create(&map),
            Err(err(
                422,
                "Failed Validation: title should be STRING but was ARRAY"
            ))
        );
    }

    #[test]
    fn xml_nested_and_mixed_content() {
        let map = xml_body("<todo><title>x<b>y</b></title></todo>").unwrap();
        assert_eq!(map["title"], json!({"b":"y","content":"x"}));
    }

    #[test]
    fn xml_empty_or_text_only_root_has_no_fields() {
        assert_eq!(xml_body("<todo/>"), Ok(Map::new()));
        assert_eq!(xml_body("<todo>hello</todo>"), Ok(Map::new()));
        assert_eq!(xml_body(r#"{"title":"json"}"#), Ok(Map::new()));
    }

    #[test]
    fn malformed_xml_is_400_with_detail() {
        for body in [
            "<todo><title>t</todo>",
            "<todo><title>t</title>",
            "</todo>",
            "<todo><title>a & b</title></todo>",
            "<todo a=\"1\" a=\"2\"></todo>",
        ] {
            let error = xml_body(body).unwrap_err();
            assert_eq!(error.kind, ErrorKind::Malformed, "{body}");
            assert_eq!(error.messages.len(), 1);
            let message = &error.messages[0];
            assert!(message.starts_with("Invalid XML Payload: "), "{message}");
            assert!(message.len() > INVALID_XML_PREFIX.len(), "{message}");
        }
        assert_eq!(
            xml_body("<todo><title>t</title>"),
            Err(err(400, "Invalid XML Payload: Unclosed tag todo"))
        );
    }

    #[test]
    fn xml_doctype_and_unknown_entities_are_refused() {
        let bomb = "<?xml version=\"1.0\"?><!DOCTYPE todo [<!ENTITY a \"aaaa\">]>\
                    <todo><title>&a;</title></todo>";
        assert_eq!(
            xml_body(bomb),
            Err(err(400, "Invalid XML Payload: DOCTYPE is not allowed"))
        );
        assert_eq!(
            xml_body("<todo><title>&a;</title></todo>"),
            Err(err(
                400,
                "Invalid XML Payload: unknown entity reference &a;"
            ))
        );
    }

    #[test]
    fn xml_invalid_utf8_is_400() {
        assert_eq!(
            parse_body(BodyKind::Xml, b"<todo><title>\xff</title></todo>"),
            Err(err(400, "Invalid XML Payload: body is not valid UTF-8"))
        );
    }

    #[test]
    fn deeply_nested_xml_is_400_without_overflow() {
        let body = format!("{}{}", "<a>".repeat(10_000), "</a>".repeat(10_000));
        assert_eq!(
            xml_body(&body),
            Err(err(400, "Invalid XML Payload: elements nested too deeply"))
        );
    }

    // --- validate_create ---------------------------------------------------------

    #[test]
    fn create_with_title_only_uses_defaults() {
        assert_eq!(
            validate_create(&fields(json!({"title":"my title"}))),
            Ok(NewTodo {
                title: "my title".into(),
                done_status: false,
                description: String::new(),
            })
        );
    }

    #[test]
    fn create_with_all_fields_at_their_limits() {
        let title = "é".repeat(MAX_TITLE);
        let description = "d".repeat(MAX_DESCRIPTION);
        let created = validate_create(&fields(
            json!({"title":title,"doneStatus":true,"description":description}),
        ))
        .unwrap();
        assert_eq!(created.title, title);
        assert!(created.done_status);
        assert_eq!(created.description, description);
    }

    #[test]
    fn create_without_title_has_no_prefix() {
        create_fails(json!({}), "title : field is mandatory");
        create_fails(json!({"doneStatus":true}), "title : field is mandatory");
    }

    #[test]
    fn create_with_empty_or_blank_title() {
        create_fails(
            json!({"title":""}),
            "Failed Validation: title : can not be empty",
        );
        create_fails(
            json!({"title":" \t "}),
            "Failed Validation: title : can not be empty",
        );
    }

    #[test]
    fn create_with_long_title_or_description() {
        create_fails(
            json!({"title":"t".repeat(51)}),
            "Failed Validation: Maximum allowable length exceeded for title - maximum allowed is 50",
        );
        create_fails(
            json!({"title":"t","description":"d".repeat(201)}),
            "Failed Validation: Maximum allowable length exceeded for description - maximum allowed is 200",
        );
    }

    #[test]
    fn blank_and_long_title_reports_both_rules() {
        create_fails(
            json!({"title":" ".repeat(60)}),
            "Failed Validation: title : can not be empty, \
             Maximum allowable length exceeded for title - maximum allowed is 50",
        );
    }

    #[test]
    fn create_with_wrong_types_names_each_source() {
        let cases = [
            (
                json!({"title":"t","doneStatus":"bob"}),
                "doneStatus should be BOOLEAN but was STRING",
            ),
            (
                json!({"title":"t","doneStatus":1}),
                "doneStatus should be BOOLEAN but was INTEGER",
            ),
            (
                json!({"title":"t","doneStatus":1.5}),
                "doneStatus should be BOOLEAN but was NUMERIC",
            ),
            (
                json!({"title":"t","doneStatus":null}),
                "doneStatus should be BOOLEAN but was NULL",
            ),
            (
                json!({"title":"t","doneStatus":{}}),
                "doneStatus should be BOOLEAN but was OBJECT",
            ),
            (
                json!({"title":"t","doneStatus":[]}),
                "doneStatus should be BOOLEAN but was ARRAY",
            ),
            (
                json!({"title":true}),
                "title should be STRING but was BOOLEAN",
            ),
            (
                json!({"title":"t","description":7}),
                "description should be STRING but was INTEGER",
            ),
            (
                json!({"title":"t","id":"5"}),
                "id should be AUTO_INCREMENT but was STRING",
            ),
            (
                json!({"title":"t","id":5.0}),
                "id should be AUTO_INCREMENT but was NUMERIC",
            ),
            (
                json!({"title":"t","id":null}),
                "id should be AUTO_INCREMENT but was NULL",
            ),
        ];
        for (body, message) in cases {
            create_fails(body, &format!("Failed Validation: {message}"));
        }
    }

    #[test]
    fn create_joins_several_type_errors_after_one_prefix() {
        create_fails(
            json!({"title":5,"doneStatus":"x"}),
            "Failed Validation: title should be STRING but was INTEGER, \
             doneStatus should be BOOLEAN but was STRING",
        );
    }

    #[test]
    fn create_with_unknown_field() {
        create_fails(
            json!({"title":"t","priority":"extra"}),
            "Failed Validation: Could not find field: priority",
        );
        create_fails(
            json!({"title":"t","Title":"x"}),
            "Failed Validation: Could not find field: Title",
        );
    }

    #[test]
    fn create_with_id_is_refused() {
        create_fails(
            json!({"title":"t","id":11}),
            "Failed Validation: Invalid Creation: Not allowed to create with id",
        );
    }

    #[test]
    fn create_joins_rule_errors_and_mandatory_title() {
        create_fails(
            json!({"title":"","description":"d".repeat(201),"priority":1}),
            "Failed Validation: title : can not be empty, \
             Maximum allowable length exceeded for description - maximum allowed is 200, \
             Could not find field: priority",
        );
    }

    #[test]
    fn mandatory_title_is_reported_only_when_nothing_else_is_wrong() {
        create_fails(
            json!({"priority":1}),
            "Failed Validation: Could not find field: priority",
        );
        assert_eq!(
            replace(&todo(3), &fields(json!({"description":"d".repeat(201)}))),
            Err(err(
                422,
                "Failed Validation: Maximum allowable length exceeded for description - maximum allowed is 200"
            ))
        );
    }

    #[test]
    fn create_stages_stop_at_the_first_failing_stage() {
        create_fails(
            json!({"priority":1,"doneStatus":"x"}),
            "Failed Validation: doneStatus should be BOOLEAN but was STRING",
        );
        create_fails(
            json!({"id":1,"priority":1}),
            "Failed Validation: Invalid Creation: Not allowed to create with id",
        );
    }

    #[test]
    fn creation_message_keeps_error_and_cannot_create_texts() {
        assert_eq!(
            creation_message("ERROR: Cannot add instance".into()),
            "ERROR: Cannot add instance"
        );
        assert_eq!(
            creation_message("Cannot Create with duplicate values".into()),
            "Cannot Create with duplicate values"
        );
        assert_eq!(creation_message("plain".into()), "Failed Validation: plain");
        assert_eq!(
            creation_message("Failed Validation: title : field is mandatory".into()),
            "title : field is mandatory"
        );
    }

    // --- amend -------------------------------------------------------------------

    #[test]
    fn amend_changes_only_supplied_fields() {
        let amended = amend(&todo(3), &fields(json!({"doneStatus":false}))).unwrap();
        assert_eq!(
            amended,
            Todo {
                done_status: false,
                ..todo(3)
            }
        );
        let amended = amend(&todo(3), &fields(json!({"title":"new"}))).unwrap();
        assert_eq!(amended.title, "new");
        assert_eq!(amended.description, "old description");
        assert_eq!(amend(&todo(3), &Map::new()), Ok(todo(3)));
    }

    #[test]
    fn amend_accepts_the_same_id_in_any_numeric_form() {
        for id in [json!(3), json!("3"), json!(3.0), json!(3.7), json!(null)] {
            assert_eq!(
                amend(&todo(3), &fields(json!({"id":id.clone(),"title":"x"}))).map(|t| t.id),
                Ok(3),
                "{id}"
            );
        }
    }

    #[test]
    fn amend_refuses_another_id() {
        let cases = [
            (json!(4), "Can not amend id from 3 to 4"),
            (json!("abc"), "Can not amend id from 3 to abc"),
            (json!(4.9), "Can not amend id from 3 to 4"),
            (json!(true), "Can not amend id from 3 to true"),
            (
                json!(99999999999999999999u128 as f64),
                "Can not amend id from 3 to 100000000000000000000",
            ),
        ];
        for (id, message) in cases {
            assert_eq!(
                amend(&todo(3), &fields(json!({"id":id}))),
                Err(err(422, message))
            );
        }
        assert_eq!(
            amend(&todo(3), &fields(json!({"id":{"a":1}}))),
            Err(err(422, "id should be AUTO_INCREMENT but was OBJECT"))
        );
    }

    #[test]
    fn amend_type_errors_are_not_prefixed_but_rule_errors_are() {
        assert_eq!(
            amend(&todo(3), &fields(json!({"doneStatus":"true"}))),
            Err(err(422, "doneStatus should be BOOLEAN but was STRING"))
        );
        assert_eq!(
            amend(&todo(3), &fields(json!({"title":"t".repeat(51)}))),
            Err(err(
                422,
                "Failed Validation: Maximum allowable length exceeded for title - maximum allowed is 50"
            ))
        );
        assert_eq!(
            amend(&todo(3), &fields(json!({"title":""}))),
            Err(err(422, "Failed Validation: title : can not be empty"))
        );
        assert_eq!(
            amend(&todo(3), &fields(json!({"priority":1}))),
            Err(err(
                422,
                "Failed Validation: Could not find field: priority"
            ))
        );
    }

    #[test]
    fn amend_checks_types_before_the_id() {
        assert_eq!(
            amend(&todo(3), &fields(json!({"id":4,"title":5}))),
            Err(err(422, "title should be STRING but was INTEGER"))
        );
        assert_eq!(
            amend(&todo(3), &fields(json!({"id":4,"priority":1}))),
            Err(err(422, "Can not amend id from 3 to 4"))
        );
    }

    // --- replace -----------------------------------------------------------------

    #[test]
    fn replace_reverts_omitted_fields_to_defaults() {
        let replaced = replace(&todo(3), &fields(json!({"title":"only"}))).unwrap();
        assert_eq!(
            replaced,
            Todo {
                id: 3,
                title: "only".into(),
                done_status: false,
                description: String::new(),
            }
        );
    }

    #[test]
    fn replace_requires_a_title() {
        assert_eq!(
            replace(&todo(3), &fields(json!({"description":"no title"}))),
            Err(err(422, "Failed Validation: title : field is mandatory"))
        );
    }

    #[test]
    fn replace_id_rules() {
        assert_eq!(
            replace(&todo(3), &fields(json!({"id":3,"title":"t"}))).map(|t| t.id),
            Ok(3)
        );
        assert_eq!(
            replace(&todo(1), &fields(json!({"id":2,"title":"t"}))),
            Err(err(422, "Can not amend id from 1 to 2"))
        );
    }

    // --- merge_patch -------------------------------------------------------------

    #[test]
    fn merge_patch_changes_and_removes_fields() {
        let patched = merge_patch(&todo(3), br#"{"title":"new","description":null}"#).unwrap();
        assert_eq!(
            patched,
            Todo {
                id: 3,
                title: "new".into(),
                done_status: true,
                description: String::new(),
            }
        );
        assert_eq!(merge_patch(&todo(3), b"{}"), Ok(todo(3)));
        let patched = merge_patch(&todo(3), br#"{"doneStatus":null}"#).unwrap();
        assert!(!patched.done_status);
    }

    #[test]
    fn merge_patch_document_errors() {
        for body in [&b"{"[..], b"", b"\xff", b"{'title':'x'}"] {
            assert_eq!(
                merge_patch(&todo(3), body),
                Err(err(400, "Malformed JSON Merge Patch document"))
            );
        }
        for body in [&b"[1]"[..], b"\"title\"", b"null", b"5"] {
            assert_eq!(
                merge_patch(&todo(3), body),
                Err(err(
                    422,
                    "JSON Merge Patch for entity resources must be an object"
                ))
            );
        }
    }

    #[test]
    fn merge_patch_validation_errors() {
        let cases: [(&[u8], &str); 6] = [
            (
                br#"{"title":null}"#,
                "Failed Validation: title : field is mandatory",
            ),
            (br#"{"id":4}"#, "Can not amend id from 3 to 4"),
            (
                br#"{"doneStatus":"yes"}"#,
                "doneStatus should be BOOLEAN but was STRING",
            ),
            (
                br#"{"priority":"high"}"#,
                "Failed Validation: Could not find field: priority",
            ),
            (
                br#"{"title":""}"#,
                "Failed Validation: title : can not be empty",
            ),
            (
                br#"{"title":{"a":1}}"#,
                "title should be STRING but was OBJECT",
            ),
        ];
        for (body, message) in cases {
            assert_eq!(merge_patch(&todo(3), body), Err(err(422, message)));
        }
    }

    #[test]
    fn merge_patch_same_id_is_fine() {
        assert_eq!(merge_patch(&todo(3), br#"{"id":3}"#), Ok(todo(3)));
        assert_eq!(merge_patch(&todo(3), br#"{"id":null}"#), Ok(todo(3)));
    }

    // --- json_patch --------------------------------------------------------------

    #[test]
    fn json_patch_applies_operations() {
        let body = br#"[
            {"op":"replace","path":"/title","value":"patched"},
            {"op":"add","path":"/doneStatus","value":false},
            {"op":"remove","path":"/description"},
            {"op":"test","path":"/id","value":3}
        ]"#;
        assert_eq!(
            json_patch(&todo(3), body),
            Ok(Todo {
                id: 3,
                title: "patched".into(),
                done_status: false,
                description: String::new(),
            })
        );
        assert_eq!(json_patch(&todo(3), b"[]"), Ok(todo(3)));
    }

    #[test]
    fn json_patch_document_errors() {
        assert_eq!(
            json_patch(&todo(3), b"[{"),
            Err(err(400, "Malformed JSON Patch document"))
        );
        assert_eq!(
            json_patch(&todo(3), b"\xff"),
            Err(err(400, MALFORMED_JSON_PATCH))
        );
        assert_eq!(
            json_patch(&todo(3), br#"{"op":"add"}"#),
            Err(err(
                400,
                "JSON Patch document must be an array of operations"
            ))
        );
    }

    #[test]
    fn json_patch_that_cannot_be_applied_is_409() {
        let bodies: [&[u8]; 6] = [
            br#"[{"op":"bogus","path":"/title"}]"#,
            br#"[{"op":"replace","path":"/title"}]"#,
            br#"[1]"#,
            br#"[{"op":"test","path":"/title","value":"other"}]"#,
            br#"[{"op":"remove","path":"/nothing"}]"#,
            br#"[{"op":"move","from":"/title","path":"/title/inner"}]"#,
        ];
        for body in bodies {
            assert_eq!(
                json_patch(&todo(3), body),
                Err(err(409, "JSON Patch could not be applied")),
                "{}",
                String::from_utf8_lossy(body)
            );
        }
    }

    #[test]
    fn json_patch_copies_cannot_grow_the_document_without_bound() {
        // Each copy of the whole document under a new name doubles it.
        let copies: Vec<String> = (0..120)
            .map(|n| format!(r#"{{"op":"copy","from":"","path":"/c{n}"}}"#))
            .collect();
        let copies = copies.join(",");
        assert_eq!(
            json_patch(&todo(3), format!("[{copies}]").as_bytes()),
            Err(err(400, JSON_PATCH_TOO_LARGE))
        );
        let deep = [r#"{"op":"copy","from":"","path":"/title"}"#; 200].join(",");
        assert_eq!(
            json_patch(&todo(3), format!("[{deep}]").as_bytes()),
            Err(err(400, JSON_PATCH_TOO_LARGE))
        );
        let few = [r#"{"op":"copy","from":"/title","path":"/description"}"#; 3].join(",");
        let copied = json_patch(&todo(3), format!("[{few}]").as_bytes()).unwrap();
        assert_eq!(copied.description, copied.title);
    }

    #[test]
    fn json_patch_result_must_be_an_object() {
        assert_eq!(
            json_patch(&todo(3), br#"[{"op":"replace","path":"","value":5}]"#),
            Err(err(
                422,
                "PATCH result for entity resources must be an object"
            ))
        );
    }

    #[test]
    fn json_patch_validation_errors() {
        let cases: [(&[u8], &str); 4] = [
            (
                br#"[{"op":"remove","path":"/title"}]"#,
                "Failed Validation: title : field is mandatory",
            ),
            (
                br#"[{"op":"replace","path":"/id","value":9}]"#,
                "Can not amend id from 3 to 9",
            ),
            (
                br#"[{"op":"add","path":"/priority","value":1}]"#,
                "Failed Validation: Could not find field: priority",
            ),
            (
                br#"[{"op":"replace","path":"/description","value":7}]"#,
                "description should be STRING but was INTEGER",
            ),
        ];
        for (body, message) in cases {
            assert_eq!(json_patch(&todo(3), body), Err(err(422, message)));
        }
    }

    // --- classic rules -----------------------------------------------------------

    fn classic_create_fails(body: &str, message: &str, stage: CreateStage) {
        let fields = parse_body_with(BodySyntax::Classic, BodyKind::Json, body.as_bytes())
            .expect("parses leniently");
        assert_eq!(
            validate_create_with(ValidationRules::Classic, &fields),
            Err(CreateError {
                error: err(422, message),
                stage
            }),
            "{body}"
        );
    }

    #[test]
    fn classic_create_messages() {
        let fields = CreateStage::Fields;
        classic_create_fails(
            r#"{"title":"t","doneStatus": done}"#,
            "Failed Validation: doneStatus should be BOOLEAN but was STRING",
            fields,
        );
        classic_create_fails(
            r#"{"doneStatus": 1, "title": "t"}"#,
            "Failed Validation: doneStatus should be BOOLEAN but was NUMERIC",
            fields,
        );
        classic_create_fails(
            r#"{"doneStatus": null}"#,
            "Failed Validation: doneStatus should be BOOLEAN but was Something Else",
            fields,
        );
        classic_create_fails(
            r#"{"id": 3, "doneStatus": "x"}"#,
            "Invalid Creation: Failed Validation: Not allowed to create with id",
            CreateStage::IdCheck,
        );
        classic_create_fails(
            r#"{"title":"t","priority":1}"#,
            "Could not find field: priority",
            fields,
        );
        classic_create_fails(
            &format!(r#"{{"title":"{}","description":"{}"}}"#, "t".repeat(51), "d".repeat(201)),
            "Failed Validation: Maximum allowable length exceeded for title - maximum allowed is 50",
            fields,
        );
        classic_create_fails(
            r#"{"title":"  "}"#,
            "Failed Validation: title : can not be empty",
            fields,
        );
        classic_create_fails(
            r#"{"description":"d"}"#,
            "title : field is mandatory",
            fields,
        );
        classic_create_fails(
            r#"{"title":{"a":"b"}}"#,
            "Cannot reference fields on non object fields: title",
            fields,
        );
    }

    #[test]
    fn classic_create_converts_scalars_to_text() {
        let fields = parse_body_with(
            BodySyntax::Classic,
            BodyKind::Json,
            br#"{"title": 123, "description": true, "doneStatus": true}"#,
        )
        .unwrap();
        let new = validate_create_with(ValidationRules::Classic, &fields).unwrap();
        assert_eq!(new.title, "123.0");
        assert_eq!(new.description, "true");
        assert!(new.done_status);
    }

    #[test]
    fn classic_amend_checks_done_status_as_text() {
        let t = todo(4);
        let amend = |body: Value| amend_with(ValidationRules::Classic, &t, &fields(body));
        assert!(!amend(json!({"doneStatus": "FALSE"})).unwrap().done_status);
        assert_eq!(
            amend(json!({"doneStatus": "bob"})),
            Err(err(
                422,
                "Failed Validation: doneStatus : bob does not match type BOOLEAN (true, false)"
            ))
        );
        assert_eq!(
            amend(json!({"id": 5, "title": "x"})),
            Err(err(422, "Can not amend id from 4 to 5"))
        );
        assert_eq!(
            amend(json!({"x": 1})),
            Err(err(422, "Could not find field: x"))
        );
        let kept = amend(json!({"title": "new"})).unwrap();
        assert_eq!(kept.description, "old description");
    }

    #[test]
    fn classic_replace_resets_and_needs_a_title() {
        let t = todo(4);
        let replace = |body: Value| replace_with(ValidationRules::Classic, &t, &fields(body));
        let replaced = replace(json!({"title": "only", "id": 4})).unwrap();
        assert_eq!(
            (
                replaced.id,
                replaced.done_status,
                replaced.description.as_str()
            ),
            (4, false, "")
        );
        assert_eq!(
            replace(json!({"description": "d"})),
            Err(err(422, "title : field is mandatory"))
        );
    }

    #[test]
    fn classic_xml_unwraps_only_a_todo_root() {
        let parse = |xml: &str| parse_body_with(BodySyntax::Classic, BodyKind::Xml, xml.as_bytes());
        assert_eq!(
            parse("<todo><title>a</title></todo>").unwrap(),
            fields(json!({"title":"a"}))
        );
        assert_eq!(
            parse("<title>a</title><doneStatus>false</doneStatus>").unwrap(),
            fields(json!({"title":"a","doneStatus":false}))
        );
        let todos = parse("<todos><title>a</title></todos>").unwrap();
        assert!(todos.contains_key("todos"));
        assert_eq!(
            validate_create_with(ValidationRules::Classic, &todos)
                .unwrap_err()
                .error,
            err(422, "Could not find field: todos")
        );
    }

    #[test]
    fn java_double_text_matches_double_to_string() {
        assert_eq!(java_double_text(123.0), "123.0");
        assert_eq!(java_double_text(1.5), "1.5");
        assert_eq!(java_double_text(0.0), "0.0");
        assert_eq!(java_double_text(-2.0), "-2.0");
        assert_eq!(java_double_text(1e7), "1.0E7");
        assert_eq!(java_double_text(1.25e-4), "1.25E-4");
        assert_eq!(java_double_text(0.001), "0.001");
    }
}
