//! Filtering, sorting and paging of collections from the query string, and the bodies
//! of the QUERY method (form, JSONPath, structured JSON).
//!
//! Parsing follows the reference engine closely because the challenge rules (filter,
//! sort, paging and QUERY) inspect the parsed filters:
//! * the whole query string is trimmed, URL-decoded, then split on `&`; each parameter
//!   is trimmed and empty ones are skipped;
//! * field names are *not* trimmed any further: `title =x` filters on the field
//!   `"title "`, which no record has, so it is ignored (as in the reference);
//! * `_limit`/`_offset` given with an operator other than `=` keep that operator in
//!   their raw value (`_limit>5` is stored as `">5"`) so they fail validation.

use crate::error::ApiError;
use std::borrow::Cow;
use std::cmp::Ordering;
use std::collections::HashMap;

use regex::{Regex, RegexBuilder};
use serde_json::{Map, Value};
use serde_json_path::JsonPath;

use crate::todo::{jsonpath_limits, Todo};

/// A comparison operator in a filter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    /// `=`
    Eq,
    /// `==`
    EqEq,
    /// `!=` or `!`
    Ne,
    /// `<`
    Lt,
    /// `>`
    Gt,
    /// `<=`
    Le,
    /// `>=`
    Ge,
    /// `~=` whole-value regular expression
    Regex,
    /// `*=` whole-value wildcard (`*` any run, `?` one char)
    Wildcard,
    /// `%=` literal substring
    Contains,
}

impl Op {
    /// The canonical token of the operator (`Ne` is written `!=`).
    pub fn token(self) -> &'static str {
        match self {
            Op::Eq => "=",
            Op::EqEq => "==",
            Op::Ne => "!=",
            Op::Lt => "<",
            Op::Gt => ">",
            Op::Le => "<=",
            Op::Ge => ">=",
            Op::Regex => "~=",
            Op::Wildcard => "*=",
            Op::Contains => "%=",
        }
    }
}

/// One `field<op>value` filter.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Filter {
    pub field: String,
    pub op: Op,
    pub value: String,
}

/// One `_sortBy` criterion.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SortKey {
    pub field: String,
    pub descending: bool,
}

/// A parsed query string (or form-encoded QUERY body).
///
/// Parsing never fails; paging values are validated by [`ListQuery::paging`] and
/// regexes by [`apply`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ListQuery {
    /// Every parameter other than `_sortBy`, `_limit`, `_offset`, in order, as filters
    /// (a parameter with no operator becomes `field = ""`).
    pub filters: Vec<Filter>,
    /// `_sortBy` criteria in order (empty when absent).
    pub sort: Vec<SortKey>,
    /// Raw `_limit` value as decoded, if present.
    pub limit: Option<String>,
    /// Raw `_offset` value as decoded, if present.
    pub offset: Option<String>,
}

/// A value of one field of a record, for comparisons.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum FieldValue<'a> {
    Int(u64),
    Bool(bool),
    Str(&'a str),
}

/// Something a collection filter can look into: a todo, or a challenge row.
pub trait Record {
    /// The value of a named field, or `None` when the record has no such field
    /// (filters and sort keys on unknown fields are ignored).
    fn field(&self, name: &str) -> Option<FieldValue<'_>>;
}

impl Record for Todo {
    fn field(&self, name: &str) -> Option<FieldValue<'_>> {
        match name {
            "id" => Some(FieldValue::Int(self.id)),
            "title" => Some(FieldValue::Str(&self.title)),
            "doneStatus" => Some(FieldValue::Bool(self.done_status)),
            "description" => Some(FieldValue::Str(&self.description)),
            _ => None,
        }
    }
}

/// How a generation reads list query strings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Dialect {
    /// Parameter names that sort.
    pub sort_params: &'static [&'static str],
    /// A sort value may list several comma-separated fields (`_sortBy=a,-b`); otherwise
    /// the whole value is one field.
    pub multi_key_sort: bool,
    /// `_limit`/`_offset` page the list; otherwise they are filters on fields no todo
    /// has, and so ignored.
    pub paging: bool,
    /// The operator tokens, in matching order.
    operators: &'static [(&'static str, Op)],
}

/// The current engine: `_sortBy` (several keys), paging, every operator.
pub const CURRENT_DIALECT: Dialect = Dialect {
    sort_params: &[SORT_PARAM],
    multi_key_sort: true,
    paging: true,
    operators: &TOKENS,
};

/// The classic engine: `sortBy`/`sort_by`, one field each, no paging, no `==` or `%=`.
pub const CLASSIC_DIALECT: Dialect = Dialect {
    sort_params: &["sortBy", "sort_by"],
    multi_key_sort: false,
    paging: false,
    operators: &CLASSIC_TOKENS,
};

const SORT_PARAM: &str = "_sortBy";
const LIMIT_PARAM: &str = "_limit";
const OFFSET_PARAM: &str = "_offset";
const LIMIT_ERROR: &str = "_limit must be a non-negative integer";
const OFFSET_ERROR: &str = "_offset must be a non-negative integer";
const MISSING_FIELD_NAME: &str = "Malformed query content: field name is missing";

/// Operator tokens in matching order: at one position the two-character tokens are
/// tried before the one-character ones, so the longest token wins.
const TOKENS: [(&str, Op); 11] = [
    ("<=", Op::Le),
    (">=", Op::Ge),
    ("==", Op::EqEq),
    ("!=", Op::Ne),
    ("~=", Op::Regex),
    ("*=", Op::Wildcard),
    ("%=", Op::Contains),
    ("<", Op::Lt),
    (">", Op::Gt),
    ("=", Op::Eq),
    ("!", Op::Ne),
];

/// The classic operators: no `==`, no `%=`.
const CLASSIC_TOKENS: [(&str, Op); 9] = [
    ("<=", Op::Le),
    (">=", Op::Ge),
    ("!=", Op::Ne),
    ("~=", Op::Regex),
    ("*=", Op::Wildcard),
    ("<", Op::Lt),
    (">", Op::Gt),
    ("=", Op::Eq),
    ("!", Op::Ne),
];

impl ListQuery {
    /// Parse a raw (still URL-encoded) query string: filters, sort keys, `_limit`/`_offset`.
    ///
    /// As in the reference, a parameter with an empty field name (`?=5`) makes the
    /// whole query string be ignored (an empty query is returned).
    pub fn parse(raw: &str) -> ListQuery {
        ListQuery::parse_with(raw, &CURRENT_DIALECT)
    }

    /// [`ListQuery::parse`] in a generation's dialect.
    pub fn parse_with(raw: &str, dialect: &Dialect) -> ListQuery {
        ListQuery::parse_form_with(raw, dialect).unwrap_or_default()
    }

    /// Parse a form-encoded QUERY body (or query string) strictly: a parameter with an
    /// empty field name → 400 `Malformed query content: field name is missing`.
    pub fn parse_form(raw: &str) -> Result<ListQuery, ApiError> {
        ListQuery::parse_form_with(raw, &CURRENT_DIALECT)
    }

    fn parse_form_with(raw: &str, dialect: &Dialect) -> Result<ListQuery, ApiError> {
        let mut query = ListQuery::default();
        let raw = java_trim(raw);
        if raw.is_empty() {
            return Ok(query);
        }
        let decoded = url_decode(raw);
        for segment in decoded.split('&') {
            let param = java_trim(segment);
            if param.is_empty() {
                continue;
            }
            let filter = parse_parameter(param, dialect.operators);
            if java_trim(&filter.field).is_empty() {
                return Err(ApiError::malformed(MISSING_FIELD_NAME));
            }
            query.add(filter, dialect);
        }
        Ok(query)
    }

    /// Append another query's parameters after this one's (URI parameters followed by
    /// a QUERY body's, as the reference combines them).
    pub fn extend(&mut self, other: ListQuery) {
        self.filters.extend(other.filters);
        self.sort.extend(other.sort);
        if let Some(limit) = other.limit {
            store_paging_value(&mut self.limit, limit);
        }
        if let Some(offset) = other.offset {
            store_paging_value(&mut self.offset, offset);
        }
    }

    /// Validated (limit, offset): limit defaults to `default_limit`, offset to 0.
    /// Errors: `_limit must be a non-negative integer`, `_offset must be a non-negative integer`.
    pub fn paging(&self, default_limit: usize) -> Result<(usize, usize), ApiError> {
        let limit = validated_paging(self.limit.as_deref(), default_limit, LIMIT_ERROR)?;
        let offset = validated_paging(self.offset.as_deref(), 0, OFFSET_ERROR)?;
        Ok((limit, offset))
    }

    /// `_limit` parsed as an integer, if it is one (for the `> 20` check and challenge rules).
    pub fn limit_value(&self) -> Option<i64> {
        self.limit.as_deref().and_then(parse_java_int)
    }

    /// `_offset` parsed as an integer, if it is one.
    pub fn offset_value(&self) -> Option<i64> {
        self.offset.as_deref().and_then(parse_java_int)
    }

    /// The value of the first filter on `field` with operator `Eq`, if any.
    pub fn eq_value(&self, field: &str) -> Option<&str> {
        self.filters
            .iter()
            .find(|filter| filter.field == field && filter.op == Op::Eq)
            .map(|filter| filter.value.as_str())
    }

    /// File one parsed parameter under filters, sort or paging.
    fn add(&mut self, filter: Filter, dialect: &Dialect) {
        let name = filter.field.as_str();
        if dialect.sort_params.contains(&name) {
            if dialect.multi_key_sort {
                self.sort.extend(parse_sort_keys(&filter.value));
            } else {
                self.sort.extend(parse_sort_key(&filter.value));
            }
            return;
        }
        match name {
            LIMIT_PARAM if dialect.paging => {
                store_paging_value(&mut self.limit, raw_paging_value(filter))
            }
            OFFSET_PARAM if dialect.paging => {
                store_paging_value(&mut self.offset, raw_paging_value(filter))
            }
            _ => self.filters.push(filter),
        }
    }
}

/// Java's `String.trim`: strips every char up to U+0020 (spaces and controls) at both ends.
fn java_trim(text: &str) -> &str {
    text.trim_matches(|c: char| c <= ' ')
}

/// `application/x-www-form-urlencoded` decoding of a whole string: `+` is a space and
/// `%XX` a byte; a `%` not followed by two hex digits is kept as it is, and byte
/// sequences that are not UTF-8 are replaced lossily.
pub fn url_decode(raw: &str) -> Cow<'_, str> {
    if !raw.contains(['%', '+']) {
        return Cow::Borrowed(raw);
    }
    let bytes = raw.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        let byte = bytes[index];
        let escaped = match byte {
            b'%' => hex_pair(bytes.get(index + 1..index + 3)),
            _ => None,
        };
        match (byte, escaped) {
            (_, Some(value)) => {
                decoded.push(value);
                index += 3;
            }
            (b'+', None) => {
                decoded.push(b' ');
                index += 1;
            }
            (other, None) => {
                decoded.push(other);
                index += 1;
            }
        }
    }
    Cow::Owned(String::from_utf8_lossy(&decoded).into_owned())
}

fn hex_pair(pair: Option<&[u8]>) -> Option<u8> {
    let [high, low] = pair? else { return None };
    let digit = |b: &u8| (*b as char).to_digit(16);
    Some((digit(high)? * 16 + digit(low)?) as u8)
}

/// Split one trimmed parameter into field, operator and value (the earliest operator
/// wins, the longest on a tie; `=` followed by another operator takes that one).
fn parse_parameter(param: &str, operators: &[(&str, Op)]) -> Filter {
    let Some((position, token_len, op)) = earliest_operator(param, operators) else {
        return Filter {
            field: param.to_string(),
            op: Op::Eq,
            value: String::new(),
        };
    };
    let mut value = &param[position + token_len..];
    let mut op = op;
    // `id=>3`: an operator right after `=` is the real one.
    if op == Op::Eq {
        if let Some((leading_len, leading_op)) = leading_operator(value, operators) {
            op = leading_op;
            value = &value[leading_len..];
        }
    }
    Filter {
        field: param[..position].to_string(),
        op,
        value: value.to_string(),
    }
}

/// The first operator token in `text`: (byte position, token length, operator).
fn earliest_operator(text: &str, operators: &[(&str, Op)]) -> Option<(usize, usize, Op)> {
    text.bytes()
        .enumerate()
        .filter(|(_, byte)| b"<>=!~*%".contains(byte))
        .find_map(|(position, _)| {
            leading_operator(&text[position..], operators).map(|(len, op)| (position, len, op))
        })
}

/// The operator token `text` starts with, if any: (token length, operator).
fn leading_operator(text: &str, operators: &[(&str, Op)]) -> Option<(usize, Op)> {
    operators
        .iter()
        .find(|(token, _)| text.starts_with(token))
        .map(|(token, op)| (token.len(), *op))
}

/// `_sortBy` items: comma separated, trimmed, `-` descending, `+` ascending; items
/// that leave no field name are skipped.
fn parse_sort_keys(value: &str) -> impl Iterator<Item = SortKey> + '_ {
    parse_sort_keys_from(value.split(','))
}

fn parse_sort_keys_from<'a>(
    items: impl Iterator<Item = &'a str> + 'a,
) -> impl Iterator<Item = SortKey> + 'a {
    items.filter_map(|item| {
        let item = java_trim(item);
        let (field, descending) = match item.as_bytes().first() {
            Some(b'-') => (java_trim(&item[1..]), true),
            Some(b'+') => (java_trim(&item[1..]), false),
            _ => (item, false),
        };
        (!field.is_empty()).then(|| SortKey {
            field: field.to_string(),
            descending,
        })
    })
}

/// A one-field sort value (classic `sortBy`): `-` descending, `+` ascending.
fn parse_sort_key(value: &str) -> Option<SortKey> {
    parse_sort_keys_from(std::iter::once(value)).next()
}

/// A paging parameter's raw value; any operator other than `=` stays in front of it
/// so that it is not a valid number (the reference rejects `_limit>5`).
fn raw_paging_value(filter: Filter) -> String {
    match filter.op {
        Op::Eq => filter.value,
        op => format!("{}{}", op.token(), filter.value),
    }
}

/// A repeated paging parameter replaces the earlier one, unless the earlier one was
/// already invalid: the reference reports the first invalid value.
fn store_paging_value(slot: &mut Option<String>, value: String) {
    let earlier_invalid = slot
        .as_deref()
        .is_some_and(|old| non_negative(old).is_none());
    if !earlier_invalid {
        *slot = Some(value);
    }
}

fn validated_paging(raw: Option<&str>, default: usize, error: &str) -> Result<usize, ApiError> {
    match raw {
        None => Ok(default),
        Some(raw) => non_negative(raw).ok_or_else(|| ApiError::malformed(error)),
    }
}

fn non_negative(raw: &str) -> Option<usize> {
    parse_java_int(raw).and_then(|value| usize::try_from(value).ok())
}

/// Java's `Integer.parseInt` on the trimmed text: an optional sign and ASCII digits
/// (leading zeros allowed), within the 32-bit range.
fn parse_java_int(raw: &str) -> Option<i64> {
    let text = java_trim(raw);
    let (negative, digits) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let mut magnitude: i64 = 0;
    for digit in digits.bytes() {
        magnitude = magnitude * 10 + i64::from(digit - b'0');
        if magnitude > 1 << 31 {
            return None;
        }
    }
    let value = if negative { -magnitude } else { magnitude };
    i32::try_from(value).ok().map(i64::from)
}

// ---------------------------------------------------------------------------------
// Applying a query
// ---------------------------------------------------------------------------------

/// Upper bound on a compiled filter regex, so a hostile pattern cannot claim much memory.
/// Compiled size allowed per pattern: ample for any filter on 200-character fields,
/// small enough that compiling one costs well under a millisecond.
const REGEX_SIZE_LIMIT: usize = 64 * 1024;

/// Most regex or wildcard filters in one query. Each is compiled per request, so an
/// unbounded number would let one cheap query string occupy a core for seconds.
pub const MAX_PATTERN_FILTERS: usize = 8;

/// A filter value converted to the type of the field it filters.
enum Operand<'q> {
    Int(i128),
    Bool(bool),
    Str(&'q str),
    /// The value does not convert (e.g. `id=abc`): the filter matches nothing.
    Unusable,
}

enum Test<'q> {
    Compare(Op, Operand<'q>),
    Pattern(Regex),
    Contains(&'q str),
}

/// A filter made ready to run against many records.
struct Matcher<'q> {
    field: &'q str,
    test: Test<'q>,
}

impl Matcher<'_> {
    fn matches<T: Record>(&self, record: &T) -> bool {
        let Some(actual) = record.field(self.field) else {
            return true;
        };
        match &self.test {
            Test::Compare(op, operand) => {
                compare_operand(actual, operand).is_some_and(|order| op_accepts(*op, order))
            }
            Test::Pattern(regex) => regex.is_match(&field_text(actual)),
            Test::Contains(needle) => field_text(actual).contains(needle),
        }
    }
}

/// Filter (all filters ANDed) then sort (default ascending by `id` field when present)
/// then page. `limit = None` means no paging at all.
pub fn apply<'a, T: Record>(
    items: &'a [T],
    query: &ListQuery,
    paging: Option<(usize, usize)>,
) -> Result<Vec<&'a T>, ApiError> {
    // Every record of a collection has the same fields, so the first one tells which
    // filters and sort keys apply; an empty collection has nothing to filter.
    let Some(sample) = items.first() else {
        return Ok(Vec::new());
    };
    let matchers = compile_filters(&query.filters, sample)?;
    let mut selected: Vec<&'a T> = items
        .iter()
        .filter(|item| matchers.iter().all(|matcher| matcher.matches(*item)))
        .collect();
    let sort_keys: Vec<&SortKey> = query
        .sort
        .iter()
        .filter(|key| sample.field(&key.field).is_some())
        .collect();
    selected.sort_by(|a, b| compare_records(*a, *b, &sort_keys));
    if let Some((limit, offset)) = paging {
        keep_page(&mut selected, limit, offset);
    }
    Ok(selected)
}

fn compile_filters<'q, T: Record>(
    filters: &'q [Filter],
    sample: &T,
) -> Result<Vec<Matcher<'q>>, ApiError> {
    let patterns = filters
        .iter()
        .filter(|f| matches!(f.op, Op::Regex | Op::Wildcard))
        .count();
    if patterns > MAX_PATTERN_FILTERS {
        return Err(ApiError::malformed(format!(
                "Too many pattern filters: at most {MAX_PATTERN_FILTERS} regex or wildcard filters per query"
            )));
    }
    filters
        .iter()
        .filter_map(|filter| sample.field(&filter.field).map(|kind| (filter, kind)))
        .map(|(filter, kind)| {
            let test = compile_test(filter, kind)?;
            Ok(Matcher {
                field: &filter.field,
                test,
            })
        })
        .collect()
}

fn compile_test<'q>(filter: &'q Filter, kind: FieldValue<'_>) -> Result<Test<'q>, ApiError> {
    let invalid = |what: &str, error: regex::Error| {
        ApiError::malformed(format!(
            "Invalid {what} in filter {}: {}",
            filter.field,
            regex_error_reason(&error)
        ))
    };
    Ok(match filter.op {
        Op::Regex => {
            Test::Pattern(full_match_regex(&filter.value).map_err(|e| invalid("regex", e))?)
        }
        Op::Wildcard => {
            Test::Pattern(wildcard_regex(&filter.value).map_err(|e| invalid("wildcard", e))?)
        }
        Op::Contains => Test::Contains(&filter.value),
        op => Test::Compare(op, operand_for(kind, &filter.value)),
    })
}

/// The last `error: ...` line of a syntax error, or the whole message otherwise.
fn regex_error_reason(error: &regex::Error) -> String {
    let text = error.to_string();
    text.lines()
        .rev()
        .find_map(|line| line.strip_prefix("error: "))
        .map_or_else(|| text.clone(), str::to_string)
}

/// A regex that must match a whole value (Java's `Matcher.matches`).
pub fn full_match_regex(pattern: &str) -> Result<Regex, regex::Error> {
    // Parsing the bare pattern first rejects unbalanced groups such as `a)(b`, which
    // would otherwise become valid once wrapped in the anchoring group. Parsing is
    // cheap; only the anchored form is compiled.
    if let Err(e) = regex_syntax::Parser::new().parse(pattern) {
        return Err(regex::Error::Syntax(e.to_string()));
    }
    limited_regex(&format!(r"\A(?:{pattern})\z"))
}

/// A wildcard pattern (`*` any run, `?` one character, everything else literal) as a
/// regex that must match a whole value.
pub fn wildcard_regex(pattern: &str) -> Result<Regex, regex::Error> {
    let mut regex = String::from(r"(?s)\A");
    let mut literal = [0u8; 4];
    for c in pattern.chars() {
        match c {
            '*' => regex.push_str(".*"),
            '?' => regex.push('.'),
            other => regex.push_str(&regex::escape(other.encode_utf8(&mut literal))),
        }
    }
    regex.push_str(r"\z");
    limited_regex(&regex)
}

fn limited_regex(pattern: &str) -> Result<Regex, regex::Error> {
    RegexBuilder::new(pattern)
        .size_limit(REGEX_SIZE_LIMIT)
        .dfa_size_limit(REGEX_SIZE_LIMIT)
        .build()
}

/// Convert a filter value to the type of the field (`kind` is any value of it).
fn operand_for<'q>(kind: FieldValue<'_>, value: &'q str) -> Operand<'q> {
    let converted = match kind {
        FieldValue::Int(_) => parse_integer(value).map(Operand::Int),
        FieldValue::Bool(_) => parse_bool(value).map(Operand::Bool),
        FieldValue::Str(_) => Some(Operand::Str(value)),
    };
    converted.unwrap_or(Operand::Unusable)
}

/// An integer filter value: optional sign and digits, optionally with a fraction of
/// zeros (`3.0`), as the reference reads numbers through BigDecimal.
fn parse_integer(value: &str) -> Option<i128> {
    let (whole, fraction) = value.split_once('.').unwrap_or((value, "0"));
    let fraction_is_zero = !fraction.is_empty() && fraction.bytes().all(|b| b == b'0');
    let unsigned = whole.strip_prefix(['+', '-']).unwrap_or(whole);
    let digits_only = !unsigned.is_empty() && unsigned.bytes().all(|b| b.is_ascii_digit());
    if !(fraction_is_zero && digits_only) {
        return None;
    }
    whole.strip_prefix('+').unwrap_or(whole).parse().ok()
}

fn parse_bool(value: &str) -> Option<bool> {
    if value.eq_ignore_ascii_case("true") {
        Some(true)
    } else if value.eq_ignore_ascii_case("false") {
        Some(false)
    } else {
        None
    }
}

fn compare_operand(actual: FieldValue<'_>, operand: &Operand<'_>) -> Option<Ordering> {
    match (actual, operand) {
        (FieldValue::Int(a), Operand::Int(b)) => Some(i128::from(a).cmp(b)),
        (FieldValue::Bool(a), Operand::Bool(b)) => Some(a.cmp(b)),
        (FieldValue::Str(a), Operand::Str(b)) => Some(a.cmp(b)),
        _ => None,
    }
}

fn op_accepts(op: Op, order: Ordering) -> bool {
    match op {
        Op::Eq | Op::EqEq => order.is_eq(),
        Op::Ne => order.is_ne(),
        Op::Lt => order.is_lt(),
        Op::Gt => order.is_gt(),
        Op::Le => order.is_le(),
        Op::Ge => order.is_ge(),
        Op::Regex | Op::Wildcard | Op::Contains => false,
    }
}

/// The text a pattern or substring filter looks at.
fn field_text(value: FieldValue<'_>) -> Cow<'_, str> {
    match value {
        FieldValue::Int(number) => Cow::Owned(number.to_string()),
        FieldValue::Bool(flag) => Cow::Borrowed(if flag { "true" } else { "false" }),
        FieldValue::Str(text) => Cow::Borrowed(text),
    }
}

/// Sort keys in order, then ascending `id` as the final tie-break.
fn compare_records<T: Record>(a: &T, b: &T, keys: &[&SortKey]) -> Ordering {
    keys.iter()
        .map(|key| compare_field(a, b, &key.field, key.descending))
        .find(|order| order.is_ne())
        .unwrap_or_else(|| compare_field(a, b, "id", false))
}

fn compare_field<T: Record>(a: &T, b: &T, field: &str, descending: bool) -> Ordering {
    let order = match (a.field(field), b.field(field)) {
        (Some(FieldValue::Int(x)), Some(FieldValue::Int(y))) => x.cmp(&y),
        (Some(FieldValue::Bool(x)), Some(FieldValue::Bool(y))) => x.cmp(&y),
        (Some(FieldValue::Str(x)), Some(FieldValue::Str(y))) => x.cmp(y),
        _ => Ordering::Equal,
    };
    if descending {
        order.reverse()
    } else {
        order
    }
}

fn keep_page<T>(items: &mut Vec<T>, limit: usize, offset: usize) {
    let start = offset.min(items.len());
    let end = start.saturating_add(limit).min(items.len());
    items.truncate(end);
    items.drain(..start);
}

// ---------------------------------------------------------------------------------
// Structured JSON QUERY documents
// ---------------------------------------------------------------------------------

const TOP_LEVEL_KEYS: [&str; 4] = ["filter", "sort", "limit", "offset"];
const SORT_ENTRY_KEYS: [&str; 2] = ["field", "direction"];

/// The declared type of a field, as the structured query checks it.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum QueryFieldType {
    Integer,
    Text,
    Boolean,
}

fn todo_field_type(name: &str) -> Option<QueryFieldType> {
    match name {
        "id" => Some(QueryFieldType::Integer),
        "title" | "description" => Some(QueryFieldType::Text),
        "doneStatus" => Some(QueryFieldType::Boolean),
        _ => None,
    }
}

/// Parse a structured QUERY document (`application/vnd.thingifier.query+json`) into a
/// ListQuery (`filter`, `sort`, `limit`, `offset`).
/// Errors: 400 `Malformed JSON query body`; 422 for unknown fields/operators.
///
/// As the reference (Jackson defaults) does, only the first JSON value of the body is
/// read; a body with no value, or a value that is not an object, is a 422.
pub fn parse_structured(body: &[u8]) -> Result<ListQuery, ApiError> {
    parse_structured_for(body, todo_field_type)
}

/// [`parse_structured`] for another entity, whose field types `field_type` gives.
pub fn parse_structured_for(
    body: &[u8],
    field_type: fn(&str) -> Option<QueryFieldType>,
) -> Result<ListQuery, ApiError> {
    let document = serde_json::Deserializer::from_slice(body)
        .into_iter::<Value>()
        .next()
        .transpose()
        .map_err(|_| ApiError::malformed("Malformed JSON query body"))?;
    let Some(Value::Object(document)) = document else {
        return Err(ApiError::validation(
            "Structured JSON query body must be an object",
        ));
    };
    if let Some(key) = document
        .keys()
        .find(|key| !TOP_LEVEL_KEYS.contains(&key.as_str()))
    {
        return Err(ApiError::validation(format!(
            "Unknown structured query field {key}"
        )));
    }
    let mut query = ListQuery::default();
    if let Some(filter) = document.get("filter") {
        compile_structured_filter(filter, field_type, &mut query.filters)?;
    }
    if let Some(sort) = document.get("sort") {
        compile_structured_sort(sort, field_type, &mut query.sort)?;
    }
    query.limit = structured_paging(document.get("limit"), "limit")?;
    query.offset = structured_paging(document.get("offset"), "offset")?;
    Ok(query)
}

fn compile_structured_filter(
    filter: &Value,
    todo_field_type: fn(&str) -> Option<QueryFieldType>,
    out: &mut Vec<Filter>,
) -> Result<(), ApiError> {
    let Value::Object(fields) = filter else {
        return Err(ApiError::validation("filter must be an object"));
    };
    for (name, value) in fields {
        let field_type = todo_field_type(name)
            .ok_or_else(|| ApiError::validation(format!("Unknown query filter field {name}")))?;
        match value {
            Value::Object(operators) => compile_operators(name, field_type, operators, out)?,
            exact => out.push(exact_filter(name, field_type, exact)?),
        }
    }
    Ok(())
}

fn exact_filter(name: &str, field_type: QueryFieldType, value: &Value) -> Result<Filter, ApiError> {
    let compatible = match field_type {
        QueryFieldType::Integer => is_integral(value),
        QueryFieldType::Text => value.is_string(),
        QueryFieldType::Boolean => value.is_boolean(),
    };
    if !compatible {
        return Err(ApiError::validation(format!(
            "Invalid exact match value for field {name}"
        )));
    }
    Ok(structured_filter(name, Op::EqEq, value))
}

fn compile_operators(
    name: &str,
    field_type: QueryFieldType,
    operators: &Map<String, Value>,
    out: &mut Vec<Filter>,
) -> Result<(), ApiError> {
    if operators.is_empty() {
        return Err(ApiError::validation(format!(
            "Filter operators for field {name} are required"
        )));
    }
    for (operator, value) in operators {
        let filter = match operator.as_str() {
            "contains" => contains_filter(name, field_type, value)?,
            "greaterThan" => comparison_filter(name, field_type, operator, Op::Gt, value)?,
            "lessThan" => comparison_filter(name, field_type, operator, Op::Lt, value)?,
            _ => {
                return Err(ApiError::validation(format!(
                    "Unsupported query operator {operator} for field {name}"
                )))
            }
        };
        out.push(filter);
    }
    Ok(())
}

fn contains_filter(
    name: &str,
    field_type: QueryFieldType,
    value: &Value,
) -> Result<Filter, ApiError> {
    if field_type != QueryFieldType::Text || !value.is_string() {
        return Err(ApiError::validation(format!(
            "contains is only supported for text field {name}"
        )));
    }
    Ok(structured_filter(name, Op::Contains, value))
}

fn comparison_filter(
    name: &str,
    field_type: QueryFieldType,
    operator: &str,
    op: Op,
    value: &Value,
) -> Result<Filter, ApiError> {
    if field_type != QueryFieldType::Integer || !is_integral(value) {
        return Err(ApiError::validation(format!(
            "{operator} is only supported for numeric field {name}"
        )));
    }
    Ok(structured_filter(name, op, value))
}

fn structured_filter(name: &str, op: Op, value: &Value) -> Filter {
    Filter {
        field: name.to_string(),
        op,
        value: json_scalar_text(value),
    }
}

/// A JSON integer (no fraction or exponent), as Jackson's `isIntegralNumber`.
fn is_integral(value: &Value) -> bool {
    value.is_i64() || value.is_u64()
}

fn json_scalar_text(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

fn compile_structured_sort(
    sort: &Value,
    todo_field_type: fn(&str) -> Option<QueryFieldType>,
    out: &mut Vec<SortKey>,
) -> Result<(), ApiError> {
    let Value::Array(entries) = sort else {
        return Err(ApiError::validation("sort must be an array"));
    };
    for entry in entries {
        out.push(structured_sort_key(entry, todo_field_type)?);
    }
    Ok(())
}

fn structured_sort_key(
    entry: &Value,
    todo_field_type: fn(&str) -> Option<QueryFieldType>,
) -> Result<SortKey, ApiError> {
    let Value::Object(entry) = entry else {
        return Err(ApiError::validation("sort entries must be objects"));
    };
    if let Some(key) = entry
        .keys()
        .find(|key| !SORT_ENTRY_KEYS.contains(&key.as_str()))
    {
        return Err(ApiError::validation(format!("Unknown sort field {key}")));
    }
    let bad_direction = || ApiError::validation("sort direction must be asc or desc");
    let Some(field) = entry.get("field").and_then(Value::as_str) else {
        return Err(ApiError::validation("sort field must be a string"));
    };
    let direction = entry
        .get("direction")
        .and_then(Value::as_str)
        .ok_or_else(bad_direction)?;
    if todo_field_type(field).is_none() {
        return Err(ApiError::validation(format!("Unknown sort field {field}")));
    }
    let descending = match direction {
        "asc" => false,
        "desc" => true,
        _ => return Err(bad_direction()),
    };
    Ok(SortKey {
        field: field.to_string(),
        descending,
    })
}

/// `limit`/`offset`: a JSON integer from 0 to 2^31-1, kept as its decimal text.
fn structured_paging(value: Option<&Value>, name: &str) -> Result<Option<String>, ApiError> {
    let Some(value) = value else {
        return Ok(None);
    };
    value
        .as_i64()
        .filter(|number| (0..=i64::from(i32::MAX)).contains(number))
        .map(|number| Some(number.to_string()))
        .ok_or_else(|| ApiError::validation(format!("{name} must be a non-negative integer")))
}

// ---------------------------------------------------------------------------------
// JSONPath QUERY bodies
// ---------------------------------------------------------------------------------

const UNSAFE_SELECTION: &str =
    "JSONPath query must select complete resource objects from the collection";

/// Run a JSONPath expression (`application/jsonpath`) over `{"todos":[...]}` and return
/// the todos it selects, in ascending id order.
/// Errors: 400 `Missing JSONPath expression for QUERY request` (blank), 400 with the
/// parser's message when invalid.
///
/// As in the reference, a selected array contributes its elements and a selected
/// object holding a `todos` array contributes that array's elements; anything else
/// selected that is not one of the todo objects (a title, a number…) is a 422
/// `JSONPath query must select complete resource objects from the collection`.
pub fn run_jsonpath(expr: &str, todos: &[Todo]) -> Result<Vec<Todo>, ApiError> {
    let expr = java_trim(expr);
    if expr.is_empty() {
        return Err(ApiError::malformed(
            "Missing JSONPath expression for QUERY request",
        ));
    }
    // Nesting and evaluation cost are bounded before the parser sees the text.
    jsonpath_limits::check(expr, todos.len()).map_err(ApiError::malformed)?;
    let path = JsonPath::parse(expr).map_err(|e| ApiError::malformed(e.to_string()))?;
    let document = todos_document(todos);
    let todo_objects: HashMap<*const Value, usize> = document["todos"]
        .as_array()
        .map(|objects| {
            objects
                .iter()
                .enumerate()
                .map(|(index, object)| (object as *const Value, index))
                .collect()
        })
        .unwrap_or_default();
    let mut selected = Vec::new();
    for node in path.query(&document).all() {
        expand_selection(node, &mut selected);
    }
    let mut indices = selected
        .into_iter()
        .map(|node| todo_objects.get(&(node as *const Value)).copied())
        .collect::<Option<Vec<usize>>>()
        .ok_or_else(|| ApiError::validation(UNSAFE_SELECTION))?;
    indices.sort_unstable_by_key(|&index| (todos[index].id, index));
    indices.dedup();
    Ok(indices
        .into_iter()
        .map(|index| todos[index].clone())
        .collect())
}

/// Flatten one selected node the way the reference does (see [`run_jsonpath`]).
fn expand_selection<'v>(node: &'v Value, out: &mut Vec<&'v Value>) {
    match node {
        Value::Array(items) => out.extend(items),
        Value::Object(object) => match object.get("todos") {
            Some(Value::Array(items)) => out.extend(items),
            _ => out.push(node),
        },
        other => out.push(other),
    }
}

fn todos_document(todos: &[Todo]) -> Value {
    let objects = todos
        .iter()
        .map(|todo| {
            serde_json::json!({
                "id": todo.id,
                "title": todo.title,
                "doneStatus": todo.done_status,
                "description": todo.description,
            })
        })
        .collect();
    let mut document = Map::new();
    document.insert("todos".to_string(), Value::Array(objects));
    Value::Object(document)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;
    use crate::todo::seed_todos;

    fn filter(field: &str, op: Op, value: &str) -> Filter {
        Filter {
            field: field.to_string(),
            op,
            value: value.to_string(),
        }
    }

    fn key(field: &str, descending: bool) -> SortKey {
        SortKey {
            field: field.to_string(),
            descending,
        }
    }

    fn only_filter(raw: &str) -> Filter {
        let query = ListQuery::parse(raw);
        assert_eq!(
            query.filters.len(),
            1,
            "filters of {raw}: {:?}",
            query.filters
        );
        query.filters[0].clone()
    }

    /// Seed todos with a few changes so that filters have something to tell apart.
    fn varied_todos() -> Vec<Todo> {
        let mut todos = seed_todos();
        todos[1].done_status = true; // id 2
        todos[4].done_status = true; // id 5
        todos[2].description = "pay the fixture bills".to_string(); // id 3
        todos[6].description = "fixture".to_string(); // id 7
        todos
    }

    fn ids_of(todos: &[&Todo]) -> Vec<u64> {
        todos.iter().map(|todo| todo.id).collect()
    }

    fn run(raw: &str, paging: Option<(usize, usize)>) -> Result<Vec<u64>, ApiError> {
        let todos = varied_todos();
        let query = ListQuery::parse(raw);
        apply(&todos, &query, paging).map(|found| ids_of(&found))
    }

    // ----- parsing -----

    #[test]
    fn each_operator_token_parses() {
        let cases = [
            ("title=x", Op::Eq),
            ("title==x", Op::EqEq),
            ("title!=x", Op::Ne),
            ("title!x", Op::Ne),
            ("title<x", Op::Lt),
            ("title>x", Op::Gt),
            ("title<=x", Op::Le),
            ("title>=x", Op::Ge),
            ("title~=x", Op::Regex),
            ("title*=x", Op::Wildcard),
            ("title%=x", Op::Contains),
        ];
        for (raw, op) in cases {
            assert_eq!(only_filter(raw), filter("title", op, "x"), "{raw}");
        }
    }

    #[test]
    fn earliest_operator_wins_and_longest_at_same_position() {
        assert_eq!(only_filter("title=a<b"), filter("title", Op::Eq, "a<b"));
        assert_eq!(only_filter("a!b=c"), filter("a", Op::Ne, "b=c"));
        assert_eq!(only_filter("title===x"), filter("title", Op::EqEq, "=x"));
        assert_eq!(only_filter("id<=>3"), filter("id", Op::Le, ">3"));
    }

    #[test]
    fn operator_after_equals_is_the_real_operator() {
        assert_eq!(only_filter("id=>3"), filter("id", Op::Gt, "3"));
        assert_eq!(only_filter("id=<3"), filter("id", Op::Lt, "3"));
        assert_eq!(only_filter("id=<=3"), filter("id", Op::Le, "3"));
        assert_eq!(only_filter("id=>=3"), filter("id", Op::Ge, "3"));
        assert_eq!(only_filter("id=!3"), filter("id", Op::Ne, "3"));
        assert_eq!(only_filter("id=!=3"), filter("id", Op::Ne, "3"));
        assert_eq!(
            only_filter("description=~=.*x"),
            filter("description", Op::Regex, ".*x")
        );
        // Only a plain `=` is re-read: `==` keeps the rest as its value.
        assert_eq!(only_filter("id==>3"), filter("id", Op::EqEq, ">3"));
    }

    #[test]
    fn encoded_operators_are_decoded_before_parsing() {
        assert_eq!(only_filter("id%3E3"), filter("id", Op::Gt, "3"));
        assert_eq!(only_filter("id=%3E3"), filter("id", Op::Gt, "3"));
        assert_eq!(only_filter("id%3C%3D3"), filter("id", Op::Le, "3"));
    }

    #[test]
    fn plus_decodes_to_space_and_parameters_are_trimmed() {
        assert_eq!(
            only_filter("title=file+paperwork"),
            filter("title", Op::Eq, "file paperwork")
        );
        assert_eq!(only_filter("++title=x++"), filter("title", Op::Eq, "x"));
        // Field names are not trimmed beyond the parameter itself.
        assert_eq!(only_filter("title+=x"), filter("title ", Op::Eq, "x"));
    }

    #[test]
    fn encoded_ampersand_splits_parameters() {
        let query = ListQuery::parse("title=a%26doneStatus=true");
        assert_eq!(
            query.filters,
            vec![
                filter("title", Op::Eq, "a"),
                filter("doneStatus", Op::Eq, "true")
            ]
        );
    }

    #[test]
    fn empty_segments_are_skipped() {
        let query = ListQuery::parse("&&id=1&&+&title=x&");
        assert_eq!(
            query.filters,
            vec![filter("id", Op::Eq, "1"), filter("title", Op::Eq, "x")]
        );
        assert_eq!(ListQuery::parse(""), ListQuery::default());
        assert_eq!(ListQuery::parse("  "), ListQuery::default());
    }

    #[test]
    fn parameter_without_operator_is_equals_empty() {
        assert_eq!(only_filter("title"), filter("title", Op::Eq, ""));
        assert_eq!(only_filter("title="), filter("title", Op::Eq, ""));
    }

    #[test]
    fn invalid_escapes_stay_and_bad_utf8_is_replaced() {
        assert_eq!(only_filter("title=100%"), filter("title", Op::Eq, "100%"));
        assert_eq!(only_filter("title=%zz1"), filter("title", Op::Eq, "%zz1"));
        assert_eq!(only_filter("title=%C3%A9"), filter("title", Op::Eq, "é"));
        assert_eq!(
            only_filter("title=%FFa"),
            filter("title", Op::Eq, "\u{FFFD}a")
        );
    }

    #[test]
    fn missing_field_name_empties_get_query_and_fails_form_parse() {
        assert_eq!(ListQuery::parse("id=1&=5&_limit=2"), ListQuery::default());
        assert_eq!(ListQuery::parse("id=1&+=5"), ListQuery::default());
        let error = ListQuery::parse_form("doneStatus=true&=5").unwrap_err();
        assert_eq!(
            error,
            ApiError::malformed("Malformed query content: field name is missing")
        );
        let form = ListQuery::parse_form("doneStatus=true").unwrap();
        assert_eq!(form.eq_value("doneStatus"), Some("true"));
    }

    #[test]
    fn sort_by_forms() {
        let query = ListQuery::parse("_sortBy=doneStatus,-id, +title ,,%2Bdescription,-,+");
        assert_eq!(
            query.sort,
            vec![
                key("doneStatus", false),
                key("id", true),
                key("title", false),
                key("description", false),
            ]
        );
        assert!(query.filters.is_empty());
        // `+` is a space once decoded, and still ascending.
        assert_eq!(ListQuery::parse("_sortBy=+id").sort, vec![key("id", false)]);
        assert_eq!(ListQuery::parse("_sortBy=- id").sort, vec![key("id", true)]);
        // Repeated `_sortBy` parameters add up.
        assert_eq!(
            ListQuery::parse("_sortBy=-id&_sortBy=title").sort,
            vec![key("id", true), key("title", false)]
        );
        assert!(ListQuery::parse("_sortBy").sort.is_empty());
    }

    #[test]
    fn paging_parameters_keep_raw_values() {
        let query = ListQuery::parse("_limit=08&_offset=+5&id=1");
        assert_eq!(query.limit.as_deref(), Some("08"));
        assert_eq!(query.offset.as_deref(), Some(" 5"));
        assert_eq!(query.filters, vec![filter("id", Op::Eq, "1")]);
        assert_eq!(query.limit_value(), Some(8));
        assert_eq!(query.offset_value(), Some(5));
        assert_eq!(query.paging(10), Ok((8, 5)));
        let with_operator = ListQuery::parse("_limit>5");
        assert_eq!(with_operator.limit.as_deref(), Some(">5"));
        assert_eq!(with_operator.limit_value(), None);
    }

    #[test]
    fn paging_defaults() {
        assert_eq!(ListQuery::parse("").paging(10), Ok((10, 0)));
        assert_eq!(ListQuery::parse("_offset=3").paging(7), Ok((7, 3)));
        assert_eq!(ListQuery::parse("_limit=0").paging(10), Ok((0, 0)));
        assert_eq!(ListQuery::parse("_limit=-0").paging(10), Ok((0, 0)));
    }

    #[test]
    fn paging_errors() {
        let limit_error = Err(ApiError::malformed(
            "_limit must be a non-negative integer".to_string(),
        ));
        let offset_error = Err(ApiError::malformed(
            "_offset must be a non-negative integer".to_string(),
        ));
        for raw in [
            "_limit=-1",
            "_limit=abc",
            "_limit",
            "_limit=",
            "_limit=1.5",
            "_limit==5",
            "_limit=>5",
            "_limit=2147483648",
            "_limit=abc&_limit=5",
        ] {
            assert_eq!(ListQuery::parse(raw).paging(10), limit_error, "{raw}");
        }
        for raw in ["_offset=-2", "_offset=x", "_offset<3"] {
            assert_eq!(ListQuery::parse(raw).paging(10), offset_error, "{raw}");
        }
        assert_eq!(
            ListQuery::parse("_limit=x&_offset=y").paging(10),
            limit_error
        );
        assert_eq!(ListQuery::parse("_limit=3&_limit=5").paging(10), Ok((5, 0)));
        assert_eq!(
            ListQuery::parse("_limit=2147483647").paging(10),
            Ok((2_147_483_647, 0))
        );
    }

    #[test]
    fn limit_value_parses_integers_only() {
        assert_eq!(ListQuery::parse("_limit=21").limit_value(), Some(21));
        assert_eq!(ListQuery::parse("_limit=-3").limit_value(), Some(-3));
        assert_eq!(ListQuery::parse("_limit=x").limit_value(), None);
        assert_eq!(ListQuery::parse("_limit=99999999999").limit_value(), None);
        assert_eq!(ListQuery::parse("").limit_value(), None);
        assert_eq!(ListQuery::parse("").offset_value(), None);
    }

    #[test]
    fn eq_value_finds_first_plain_equals() {
        let query = ListQuery::parse("doneStatus==true&doneStatus=false&doneStatus=true");
        assert_eq!(query.eq_value("doneStatus"), Some("false"));
        assert_eq!(query.eq_value("title"), None);
        assert_eq!(ListQuery::parse("id>3").eq_value("id"), None);
    }

    #[test]
    fn extend_appends_and_overrides_paging() {
        let mut query = ListQuery::parse("id>1&_sortBy=-id&_limit=3");
        query.extend(ListQuery::parse(
            "doneStatus=true&_sortBy=title&_limit=4&_offset=1",
        ));
        assert_eq!(
            query.filters,
            vec![
                filter("id", Op::Gt, "1"),
                filter("doneStatus", Op::Eq, "true")
            ]
        );
        assert_eq!(query.sort, vec![key("id", true), key("title", false)]);
        assert_eq!(query.paging(10), Ok((4, 1)));
    }

    // ----- applying -----

    #[test]
    fn equals_filters_are_type_aware() {
        assert_eq!(run("id=3", None), Ok(vec![3]));
        assert_eq!(run("id==03", None), Ok(vec![3]));
        assert_eq!(run("id=3.0", None), Ok(vec![3]));
        assert_eq!(run("doneStatus=TRUE", None), Ok(vec![2, 5]));
        assert_eq!(run("doneStatus=true", None), Ok(vec![2, 5]));
        assert_eq!(run("title=pay+invoices", None), Ok(vec![5]));
        assert_eq!(run("title=Pay+invoices", None), Ok(vec![]));
    }

    #[test]
    fn unconvertible_values_match_nothing() {
        assert_eq!(run("id=abc", None), Ok(vec![]));
        assert_eq!(run("id!=abc", None), Ok(vec![]));
        assert_eq!(run("id>3.5", None), Ok(vec![]));
        assert_eq!(run("doneStatus=yes", None), Ok(vec![]));
        assert_eq!(run("title", None), Ok(vec![]));
    }

    #[test]
    fn comparisons() {
        assert_eq!(run("id>7", None), Ok(vec![8, 9, 10]));
        assert_eq!(run("id=>7", None), Ok(vec![8, 9, 10]));
        assert_eq!(run("id<3", None), Ok(vec![1, 2]));
        assert_eq!(run("id<=3", None), Ok(vec![1, 2, 3]));
        assert_eq!(run("id>=9", None), Ok(vec![9, 10]));
        assert_eq!(run("id>-5&id<2", None), Ok(vec![1]));
        assert_eq!(run("doneStatus!=false", None), Ok(vec![2, 5]));
        assert_eq!(run("doneStatus!false", None), Ok(vec![2, 5]));
        assert_eq!(
            run("doneStatus<true", None),
            Ok(vec![1, 3, 4, 6, 7, 8, 9, 10])
        );
        // Lexical on strings: "t..." titles and beyond.
        assert_eq!(run("title>=t", None), Ok(vec![7, 9]));
        assert_eq!(run("id!=1&id!=2&id<5", None), Ok(vec![3, 4]));
    }

    #[test]
    fn all_filters_are_anded_and_unknown_fields_ignored() {
        assert_eq!(run("id>1&doneStatus=true", None), Ok(vec![2, 5]));
        assert_eq!(run("description~=.*fixture.*&id>3", None), Ok(vec![7]));
        assert_eq!(run("nosuchfield=1&id<3", None), Ok(vec![1, 2]));
        assert_eq!(run("title =x&id<3", None), Ok(vec![1, 2]));
    }

    #[test]
    fn regex_is_a_whole_value_match() {
        assert_eq!(run("description~=fixture", None), Ok(vec![7]));
        assert_eq!(run("description~=.*fixture.*", None), Ok(vec![3, 7]));
        assert_eq!(run("title~=pay|pay+invoices", None), Ok(vec![5]));
        assert_eq!(run("id~=1.*", None), Ok(vec![1, 10]));
        assert_eq!(run("doneStatus~=t.*", None), Ok(vec![2, 5]));
    }

    #[test]
    fn invalid_regex_is_a_400() {
        let error = run("description~=(", None).unwrap_err();
        assert_eq!(error.kind, ErrorKind::Malformed);
        assert_eq!(
            error.message(),
            "Invalid regex in filter description: unclosed group"
        );
        // Unbalanced groups are rejected even though wrapping would balance them.
        assert_eq!(
            run("description~=a)(b", None).unwrap_err().kind,
            ErrorKind::Malformed
        );
        // A pattern too big to compile within the size limit.
        let huge = run("description~=(a{1000}){1000}", None).unwrap_err();
        assert_eq!(huge.kind, ErrorKind::Malformed);
        assert!(huge
            .message()
            .starts_with("Invalid regex in filter description: "));
        // No records, nothing to evaluate; unknown fields are ignored outright.
        let none: Vec<Todo> = Vec::new();
        assert_eq!(
            apply(&none, &ListQuery::parse("description~=("), None),
            Ok(vec![])
        );
        assert_eq!(run("nosuch~=(", None), Ok((1..=10).collect()));
    }

    #[test]
    fn wildcard_matches_whole_value_with_literal_rest() {
        assert_eq!(run("description*=*fixture*", None), Ok(vec![3, 7]));
        assert_eq!(run("description*=fixture", None), Ok(vec![7]));
        assert_eq!(run("title*=?ay+invoices", None), Ok(vec![5]));
        assert_eq!(run("title*=*paper*", None), Ok(vec![1, 2]));
        assert_eq!(run("title*=.*", None), Ok(vec![]));
        let regex = wildcard_regex("a.b*").unwrap();
        assert!(regex.is_match("a.bcd"));
        assert!(!regex.is_match("axbcd"));
        assert!(wildcard_regex("*").unwrap().is_match("line\nbreak"));
    }

    #[test]
    fn contains_is_a_literal_substring() {
        assert_eq!(run("title%=pay", None), Ok(vec![3, 4, 5, 6]));
        assert_eq!(run("title%=.*", None), Ok(vec![]));
        assert_eq!(run("id%=1", None), Ok(vec![1, 10]));
    }

    #[test]
    fn default_order_is_ascending_id() {
        let mut todos = varied_todos();
        todos.reverse();
        let found = apply(&todos, &ListQuery::default(), None).unwrap();
        assert_eq!(ids_of(&found), (1..=10).collect::<Vec<_>>());
    }

    #[test]
    fn sorting_by_keys_in_order() {
        assert_eq!(run("_sortBy=-id", None), Ok((1..=10).rev().collect()));
        assert_eq!(
            run("_sortBy=title", None),
            Ok(vec![4, 2, 10, 5, 3, 6, 1, 8, 9, 7])
        );
        assert_eq!(
            run("_sortBy=-doneStatus", None),
            Ok(vec![2, 5, 1, 3, 4, 6, 7, 8, 9, 10])
        );
        assert_eq!(
            run("_sortBy=doneStatus,-id", None),
            Ok(vec![10, 9, 8, 7, 6, 4, 3, 1, 5, 2])
        );
        assert_eq!(
            run("_sortBy=nosuch,-description", None),
            Ok(vec![3, 7, 1, 2, 4, 5, 6, 8, 9, 10])
        );
    }

    #[test]
    fn paging_applies_after_filter_and_sort() {
        assert_eq!(run("", Some((10, 0))), Ok((1..=10).collect()));
        assert_eq!(run("", Some((8, 0))), Ok((1..=8).collect()));
        assert_eq!(run("", Some((5, 5))), Ok(vec![6, 7, 8, 9, 10]));
        assert_eq!(run("_sortBy=-id", Some((5, 5))), Ok(vec![5, 4, 3, 2, 1]));
        assert_eq!(run("doneStatus=false", Some((2, 1))), Ok(vec![3, 4]));
        assert_eq!(run("", Some((3, 9))), Ok(vec![10]));
        assert_eq!(run("", Some((3, 10))), Ok(vec![]));
        assert_eq!(run("", Some((0, 0))), Ok(vec![]));
        assert_eq!(run("", Some((usize::MAX, usize::MAX))), Ok(vec![]));
        assert_eq!(run("", Some((usize::MAX, 8))), Ok(vec![9, 10]));
    }

    // ----- structured JSON -----

    fn structured(body: &str) -> Result<ListQuery, ApiError> {
        parse_structured(body.as_bytes())
    }

    fn unprocessable(message: &str) -> Result<ListQuery, ApiError> {
        Err(ApiError::validation(message.to_string()))
    }

    #[test]
    fn structured_exact_and_operators() {
        let query = structured(r#"{"filter":{"doneStatus":true}}"#).unwrap();
        assert_eq!(query.filters, vec![filter("doneStatus", Op::EqEq, "true")]);
        let query = structured(
            r#"{"filter":{"id":{"greaterThan":1,"lessThan":5},"title":{"contains":"pay"}}}"#,
        )
        .unwrap();
        assert_eq!(
            query.filters,
            vec![
                filter("id", Op::Gt, "1"),
                filter("id", Op::Lt, "5"),
                filter("title", Op::Contains, "pay"),
            ]
        );
        let todos = varied_todos();
        assert_eq!(ids_of(&apply(&todos, &query, None).unwrap()), vec![3, 4]);
        let exact = structured(r#"{"filter":{"id":3,"title":"process payments"}}"#).unwrap();
        assert_eq!(ids_of(&apply(&todos, &exact, None).unwrap()), vec![3]);
    }

    #[test]
    fn structured_sort_and_paging() {
        let query = structured(
            r#"{"sort":[{"field":"id","direction":"desc"},{"field":"title","direction":"asc"}],"limit":5,"offset":0}"#,
        )
        .unwrap();
        assert_eq!(query.sort, vec![key("id", true), key("title", false)]);
        assert_eq!(query.limit.as_deref(), Some("5"));
        assert_eq!(query.offset.as_deref(), Some("0"));
        assert_eq!(query.paging(10), Ok((5, 0)));
        assert_eq!(structured("{}"), Ok(ListQuery::default()));
    }

    #[test]
    fn structured_malformed_is_400() {
        let malformed = Err(ApiError::malformed("Malformed JSON query body".to_string()));
        assert_eq!(structured("{"), malformed);
        assert_eq!(structured(r#"{"filter":}"#), malformed);
        assert_eq!(structured("{'filter':{}}"), malformed);
        // Only the first JSON value is read, as with Jackson's defaults.
        assert_eq!(structured("{} trailing"), Ok(ListQuery::default()));
    }

    #[test]
    fn structured_semantic_errors_are_422() {
        let cases = [
            ("[]", "Structured JSON query body must be an object"),
            ("", "Structured JSON query body must be an object"),
            ("null", "Structured JSON query body must be an object"),
            (r#"{"where":{}}"#, "Unknown structured query field where"),
            (r#"{"filter":[]}"#, "filter must be an object"),
            (r#"{"filter":null}"#, "filter must be an object"),
            (
                r#"{"filter":{"owner":1}}"#,
                "Unknown query filter field owner",
            ),
            (
                r#"{"filter":{"id":"3"}}"#,
                "Invalid exact match value for field id",
            ),
            (
                r#"{"filter":{"id":3.5}}"#,
                "Invalid exact match value for field id",
            ),
            (
                r#"{"filter":{"doneStatus":"true"}}"#,
                "Invalid exact match value for field doneStatus",
            ),
            (
                r#"{"filter":{"title":null}}"#,
                "Invalid exact match value for field title",
            ),
            (
                r#"{"filter":{"title":{}}}"#,
                "Filter operators for field title are required",
            ),
            (
                r#"{"filter":{"title":{"equals":"x"}}}"#,
                "Unsupported query operator equals for field title",
            ),
            (
                r#"{"filter":{"id":{"contains":"1"}}}"#,
                "contains is only supported for text field id",
            ),
            (
                r#"{"filter":{"title":{"contains":1}}}"#,
                "contains is only supported for text field title",
            ),
            (
                r#"{"filter":{"title":{"greaterThan":1}}}"#,
                "greaterThan is only supported for numeric field title",
            ),
            (
                r#"{"filter":{"id":{"lessThan":"5"}}}"#,
                "lessThan is only supported for numeric field id",
            ),
            (r#"{"sort":{}}"#, "sort must be an array"),
            (r#"{"sort":["id"]}"#, "sort entries must be objects"),
            (
                r#"{"sort":[{"field":"id","order":"asc"}]}"#,
                "Unknown sort field order",
            ),
            (
                r#"{"sort":[{"direction":"asc"}]}"#,
                "sort field must be a string",
            ),
            (
                r#"{"sort":[{"field":"id"}]}"#,
                "sort direction must be asc or desc",
            ),
            (
                r#"{"sort":[{"field":"owner","direction":"asc"}]}"#,
                "Unknown sort field owner",
            ),
            (
                r#"{"sort":[{"field":"id","direction":"DESC"}]}"#,
                "sort direction must be asc or desc",
            ),
            (r#"{"limit":-1}"#, "limit must be a non-negative integer"),
            (r#"{"limit":"5"}"#, "limit must be a non-negative integer"),
            (
                r#"{"limit":2147483648}"#,
                "limit must be a non-negative integer",
            ),
            (r#"{"offset":1.5}"#, "offset must be a non-negative integer"),
        ];
        for (body, message) in cases {
            assert_eq!(structured(body), unprocessable(message), "{body}");
        }
    }

    // ----- JSONPath -----

    fn jsonpath_ids(expr: &str) -> Result<Vec<u64>, ApiError> {
        run_jsonpath(expr, &varied_todos()).map(|found| found.iter().map(|t| t.id).collect())
    }

    #[test]
    fn jsonpath_selects_todos_in_id_order() {
        assert_eq!(
            jsonpath_ids("$.todos[?(@.doneStatus == true)]"),
            Ok(vec![2, 5])
        );
        assert_eq!(jsonpath_ids("  $.todos[?@.id > 8]  "), Ok(vec![9, 10]));
        assert_eq!(jsonpath_ids("$.todos[3,0,3]"), Ok(vec![1, 4]));
        assert_eq!(jsonpath_ids("$.todos[?@.id > 99]"), Ok(vec![]));
        let found = run_jsonpath("$.todos[1]", &varied_todos()).unwrap();
        assert_eq!(found, vec![varied_todos()[1].clone()]);
    }

    #[test]
    fn jsonpath_arrays_and_root_are_expanded() {
        let all: Vec<u64> = (1..=10).collect();
        assert_eq!(jsonpath_ids("$.todos"), Ok(all.clone()));
        assert_eq!(jsonpath_ids("$"), Ok(all.clone()));
        assert_eq!(jsonpath_ids("$.*"), Ok(all));
    }

    #[test]
    fn jsonpath_non_todo_selection_is_422() {
        let error = jsonpath_ids("$.todos[*].title").unwrap_err();
        assert_eq!(
            error,
            ApiError::validation(
                "JSONPath query must select complete resource objects from the collection"
                    .to_string()
            )
        );
        assert_eq!(
            jsonpath_ids("$..id").unwrap_err().kind,
            ErrorKind::Validation
        );
    }

    #[test]
    fn jsonpath_blank_and_invalid_are_400() {
        let missing = Err(ApiError::malformed(
            "Missing JSONPath expression for QUERY request".to_string(),
        ));
        assert_eq!(jsonpath_ids(""), missing);
        assert_eq!(jsonpath_ids(" \n\t "), missing);
        let invalid = jsonpath_ids("$.todos[?(").unwrap_err();
        assert_eq!(invalid.kind, ErrorKind::Malformed);
        assert!(
            invalid.message().starts_with("at position "),
            "{}",
            invalid.message()
        );
        assert_eq!(
            jsonpath_ids("todos").unwrap_err().kind,
            ErrorKind::Malformed
        );
    }

    #[test]
    fn op_tokens_round_trip() {
        for (token, op) in TOKENS {
            if token != "!" {
                assert_eq!(op.token(), token);
            }
        }
        assert_eq!(Op::Ne.token(), "!=");
    }

    #[test]
    fn classic_dialect_sorts_with_sort_by_and_never_pages() {
        let q = ListQuery::parse_with(
            "sortBy=-id&sort_by=+title&_limit=2&_offset=1",
            &CLASSIC_DIALECT,
        );
        let keys: Vec<(&str, bool)> = q
            .sort
            .iter()
            .map(|k| (k.field.as_str(), k.descending))
            .collect();
        assert_eq!(keys, [("id", true), ("title", false)]);
        assert_eq!((q.limit.as_deref(), q.offset.as_deref()), (None, None));
        let fields: Vec<&str> = q.filters.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["_limit", "_offset"]);
        let q = ListQuery::parse_with("_sortBy=id&sortBy=id,title", &CLASSIC_DIALECT);
        assert_eq!(q.sort.len(), 1);
        assert_eq!(q.sort[0].field, "id,title");
        assert_eq!(q.filters[0].field, "_sortBy");
    }

    #[test]
    fn classic_dialect_has_no_double_equals_or_contains() {
        let q = ListQuery::parse_with("title%=pay&id>3", &CLASSIC_DIALECT);
        assert_eq!(q.filters[0].field, "title%");
        assert_eq!(q.filters[1].op, Op::Gt);
        let current = ListQuery::parse("title%=pay");
        assert_eq!(current.filters[0].op, Op::Contains);
    }

    #[test]
    fn pattern_filters_are_capped_per_query() {
        let todos = seed_todos();
        let eight = ["title~=.*"; MAX_PATTERN_FILTERS].join("&");
        assert!(apply(&todos, &ListQuery::parse(&eight), None).is_ok());
        let nine = format!("{eight}&description*=*");
        let err = apply(&todos, &ListQuery::parse(&nine), None).unwrap_err();
        assert_eq!(err.kind, ErrorKind::Malformed);
        assert!(err.message().starts_with("Too many pattern filters"));
    }

    #[test]
    fn a_pattern_over_the_size_limit_is_refused_quickly() {
        let todos = seed_todos();
        let huge = ListQuery::parse("title~=.{0,1000}x{0,1000}");
        let started = std::time::Instant::now();
        assert_eq!(
            apply(&todos, &huge, None).unwrap_err().kind,
            ErrorKind::Malformed
        );
        assert!(started.elapsed() < std::time::Duration::from_secs(1));
    }
}
