//! Filtering, sorting and paging of collections (api.md §4), and the bodies of the
//! QUERY method (api.md §3.8).
//!
//! INTERFACE STUB: the types and signatures below are the contract other modules code
//! against. Bodies marked `todo!()` are to be implemented.

use crate::todo::Todo;

/// A comparison operator in a filter (api.md §4.1 table).
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

/// Why a query could not be run; each maps to a 400 (or 422) with this message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QueryError {
    pub status: u16,
    pub message: String,
}

impl ListQuery {
    /// Parse a raw (still URL-encoded) query string per api.md §4.1-4.3.
    pub fn parse(_raw: &str) -> ListQuery {
        todo!()
    }

    /// Validated (limit, offset): limit defaults to `default_limit`, offset to 0.
    /// Errors: `_limit must be a non-negative integer`, `_offset must be a non-negative integer`.
    pub fn paging(&self, _default_limit: usize) -> Result<(usize, usize), QueryError> {
        todo!()
    }

    /// `_limit` parsed as an integer, if it is one (for the `> 20` check and challenge rules).
    pub fn limit_value(&self) -> Option<i64> {
        todo!()
    }

    /// `_offset` parsed as an integer, if it is one.
    pub fn offset_value(&self) -> Option<i64> {
        todo!()
    }

    /// The value of the first filter on `field` with operator `Eq`, if any.
    pub fn eq_value(&self, _field: &str) -> Option<&str> {
        todo!()
    }
}

/// Filter (all filters ANDed) then sort (default ascending by `id` field when present)
/// then page. `limit = None` means no paging at all.
pub fn apply<'a, T: Record>(
    _items: &'a [T],
    _query: &ListQuery,
    _paging: Option<(usize, usize)>,
) -> Result<Vec<&'a T>, QueryError> {
    todo!()
}

/// Parse a structured QUERY document (`application/vnd.thingifier.query+json`) into a
/// ListQuery (`filter`, `sort`, `limit`, `offset`).
/// Errors: 400 `Malformed JSON query body`; 422 for unknown fields/operators.
pub fn parse_structured(_body: &[u8]) -> Result<ListQuery, QueryError> {
    todo!()
}

/// Run a JSONPath expression (`application/jsonpath`) over `{"todos":[...]}` and return
/// the todos it selects, in ascending id order.
/// Errors: 400 `Missing JSONPath expression for QUERY request` (blank), 400 with the
/// parser's message when invalid.
pub fn run_jsonpath(_expr: &str, _todos: &[Todo]) -> Result<Vec<Todo>, QueryError> {
    todo!()
}
