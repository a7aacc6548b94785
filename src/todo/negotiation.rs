//! Content negotiation: the Accept header (for the response, and the predicates the
//! challenge rules test) and the request Content-Type (what the body claims to be).
//!
//! The Accept header is never copied or lowercased on the common paths: entries are
//! slices of the header value and every comparison ignores ASCII case.

/// A response representation the server can produce.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MediaType {
    Json,
    /// `application/xml`
    Xml,
    /// `text/xml`
    TextXml,
    /// A structured todo XML type, holding the concrete type to echo in Content-Type,
    /// e.g. `application/vnd.apichallenges.todo+xml` or `application/todo+xml`.
    StructuredXml(String),
    Csv,
    Plain,
    Html,
    Ndjson,
    Jsonl,
    JsonSeq,
    Tsv,
    /// `text/calendar` (single todo only)
    Calendar,
}

impl MediaType {
    /// The Content-Type header value to send.
    pub fn content_type(&self) -> &str {
        match self {
            MediaType::Json => "application/json",
            MediaType::Xml => "application/xml",
            MediaType::TextXml => "text/xml",
            MediaType::StructuredXml(concrete) => concrete,
            MediaType::Csv => "text/csv",
            MediaType::Plain => "text/plain",
            MediaType::Html => "text/html",
            MediaType::Ndjson => "application/x-ndjson",
            MediaType::Jsonl => "application/jsonl",
            MediaType::JsonSeq => "application/json-seq",
            MediaType::Tsv => "text/tab-separated-values",
            MediaType::Calendar => "text/calendar",
        }
    }
    /// True for every XML flavour (application/xml, text/xml, structured +xml).
    pub fn is_xml(&self) -> bool {
        matches!(
            self,
            MediaType::Xml | MediaType::TextXml | MediaType::StructuredXml(_)
        )
    }
}

/// Which resource is being negotiated: decides whether structured todo XML and
/// text/calendar are on offer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Offer {
    /// The todo collection and other todo routes: the ten standard types + structured XML.
    Todos,
    /// A single todo by id: as Todos, plus text/calendar.
    SingleTodo,
    /// Non-todo API resources (challenges, errors of other routes): the ten standard types.
    Standard,
}

impl Offer {
    fn offers_structured_xml(self) -> bool {
        self != Offer::Standard
    }
}

/// Why no representation could be chosen (406). `message()` gives the exact text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NotAcceptable {
    /// `Unrecognised Accept Type`
    Unrecognised,
    /// `No acceptable response type supported`
    NoneAcceptable,
}

impl NotAcceptable {
    pub fn message(&self) -> &'static str {
        match self {
            NotAcceptable::Unrecognised => "Unrecognised Accept Type",
            NotAcceptable::NoneAcceptable => "No acceptable response type supported",
        }
    }
}

/// A concrete media type, pre-split so matching never re-parses it.
#[derive(Clone, Copy, Debug)]
struct Concrete<'a> {
    full: &'a str,
    kind: &'a str,
    subtype: &'a str,
}

const fn concrete<'a>(full: &'a str, kind: &'a str, subtype: &'a str) -> Concrete<'a> {
    Concrete {
        full,
        kind,
        subtype,
    }
}

/// The ten standard response types, in the reference's preference order (for ties).
const STANDARD_TYPES: [Concrete<'static>; 10] = [
    concrete("application/json", "application", "json"),
    concrete("application/xml", "application", "xml"),
    concrete("text/csv", "text", "csv"),
    concrete("text/plain", "text", "plain"),
    concrete("text/html", "text", "html"),
    concrete("application/x-ndjson", "application", "x-ndjson"),
    concrete("application/jsonl", "application", "jsonl"),
    concrete("application/json-seq", "application", "json-seq"),
    concrete("text/tab-separated-values", "text", "tab-separated-values"),
    concrete("text/xml", "text", "xml"),
];
const APPLICATION_XML: Concrete<'static> = STANDARD_TYPES[1];
const TEXT_XML: Concrete<'static> = STANDARD_TYPES[9];

/// Server preference of structured todo XML: the same rank as `application/xml`.
const STRUCTURED_XML_PREFERENCE: usize = 1;

/// The type `application/*+xml` negotiates to on the todo resources.
const DEFAULT_STRUCTURED_XML: Concrete<'static> =
    concrete("application/todo+xml", "application", "todo+xml");

fn standard_media_type(index: usize) -> MediaType {
    match index {
        0 => MediaType::Json,
        1 => MediaType::Xml,
        2 => MediaType::Csv,
        3 => MediaType::Plain,
        4 => MediaType::Html,
        5 => MediaType::Ndjson,
        6 => MediaType::Jsonl,
        7 => MediaType::JsonSeq,
        8 => MediaType::Tsv,
        _ => MediaType::TextXml,
    }
}

/// Choose the response representation for an Accept header value (None = header absent).
pub fn negotiate(accept: Option<&str>, offer: Offer) -> Result<MediaType, NotAcceptable> {
    let header = java_trim(accept.unwrap_or(""));
    if let Some(common) = common_header(header) {
        return Ok(common);
    }
    // The calendar rendering replaces the response whenever text/calendar is the
    // preferred entry (#55), whatever the general rules would pick.
    if offer == Offer::SingleTodo && predicates::prefers_calendar(Some(header)) {
        return Ok(MediaType::Calendar);
    }
    let parsed = parse_entries(header);
    if parsed.is_empty() {
        return Ok(MediaType::Json);
    }
    negotiate_entries(&parsed, offer.offers_structured_xml())
}

/// The headers nearly every client sends, answered without parsing.
fn common_header(header: &str) -> Option<MediaType> {
    if header.is_empty() || header == "*/*" || header.eq_ignore_ascii_case("application/json") {
        Some(MediaType::Json)
    } else if header.eq_ignore_ascii_case("application/xml") {
        Some(MediaType::Xml)
    } else {
        None
    }
}

/// A candidate type that some entry accepts, with the ranking data of its best entry.
#[derive(Clone, Copy)]
struct Ranked<'a> {
    media: &'a str,
    preference: usize,
    found: Match,
}

impl Ranked<'_> {
    /// Highest q, then highest specificity, then earliest entry, then server preference.
    fn outranks(&self, other: &Ranked) -> bool {
        let (a, b) = (&self.found, &other.found);
        if a.q != b.q {
            return a.q > b.q;
        }
        if a.specificity != b.specificity {
            return a.specificity > b.specificity;
        }
        if a.order != b.order {
            return a.order < b.order;
        }
        self.preference < other.preference
    }
}

/// Rank every candidate type against the (non-empty) entries of a header.
fn negotiate_entries<'h>(
    parsed: &[Entry<'h>],
    structured: bool,
) -> Result<MediaType, NotAcceptable> {
    let mut any_match = false;
    let mut winner: Option<Ranked<'h>> = None;
    let mut consider = |media: Concrete<'h>, preference: usize| {
        let Some(found) = best_match(parsed, &media) else {
            return;
        };
        any_match = true;
        if !found.acceptable {
            return;
        }
        let candidate = Ranked {
            media: media.full,
            preference,
            found,
        };
        if winner.is_none_or(|current| candidate.outranks(&current)) {
            winner = Some(candidate);
        }
    };
    for (preference, media) in STANDARD_TYPES.into_iter().enumerate() {
        consider(media, preference);
    }
    if structured {
        for entry in parsed {
            if let Some(media) = structured_candidate(entry) {
                consider(media, STRUCTURED_XML_PREFERENCE);
            }
        }
    }
    match winner {
        Some(chosen) => Ok(media_type_for(chosen)),
        None if any_match => Err(NotAcceptable::NoneAcceptable),
        None => Err(NotAcceptable::Unrecognised),
    }
}

fn media_type_for(chosen: Ranked) -> MediaType {
    if chosen.preference == STRUCTURED_XML_PREFERENCE
        && !chosen.media.eq_ignore_ascii_case(APPLICATION_XML.full)
    {
        MediaType::StructuredXml(chosen.media.to_ascii_lowercase())
    } else {
        standard_media_type(chosen.preference)
    }
}

/// The structured XML type an Accept entry puts on offer, if any: the entry's own
/// todo +xml type, or the default one for `application/*+xml`.
fn structured_candidate<'a>(entry: &Entry<'a>) -> Option<Concrete<'a>> {
    let (kind, subtype) = entry.parts?;
    if is_structured_todo_xml(entry.range) {
        Some(concrete(entry.range, kind, subtype))
    } else if entry.range.eq_ignore_ascii_case("application/*+xml") {
        Some(DEFAULT_STRUCTURED_XML)
    } else {
        None
    }
}

/// `application/<x>+xml` whose last `.`/`-` separated token before `+xml` names the todo
/// entity (`todo` or `todos`). Reserved tokens (problem, soap, xhtml, atom, rss, svg) can
/// never equal those names, so they need no separate check.
pub fn is_structured_todo_xml(media: &str) -> bool {
    let Some((kind, subtype)) = split_type(media) else {
        return false;
    };
    if !kind.eq_ignore_ascii_case("application") || subtype.contains('*') {
        return false;
    }
    let Some(base) = strip_suffix_ignore_case(subtype, "+xml") else {
        return false;
    };
    let token = base.rsplit(['.', '-']).next().unwrap_or(base);
    token.eq_ignore_ascii_case("todo") || token.eq_ignore_ascii_case("todos")
}

/// `type/subtype` split at its only `/` (None when there is not exactly one).
fn split_type(media: &str) -> Option<(&str, &str)> {
    let (kind, subtype) = media.split_once('/')?;
    if subtype.contains('/') {
        return None;
    }
    Some((kind, subtype))
}

fn strip_suffix_ignore_case<'a>(value: &'a str, suffix: &str) -> Option<&'a str> {
    let cut = value.len().checked_sub(suffix.len())?;
    let tail = value.get(cut..)?;
    if tail.eq_ignore_ascii_case(suffix) {
        value.get(..cut)
    } else {
        None
    }
}

// ---------------------------------------------------------------------------------------
// Accept-header parsing
// ---------------------------------------------------------------------------------------

/// One non-empty entry of an Accept header.
#[derive(Clone, Copy, Debug)]
struct Entry<'a> {
    /// The media range: text before the first `;` (outside quotes), trimmed.
    range: &'a str,
    /// The range split at its only `/` (None when it has not exactly one).
    parts: Option<(&'a str, &'a str)>,
    /// The last parseable q (default 1); kept even when another q was invalid because
    /// the reference still ranks such an entry by it.
    q: f64,
    /// False when any q parameter is unparsable or outside 0..=1.
    q_valid: bool,
    /// Position among the non-empty entries.
    order: usize,
}

impl Entry<'_> {
    fn acceptable(&self) -> bool {
        self.q_valid && self.q > 0.0
    }
}

/// How closely an entry matches a concrete type: higher is more specific.
const EXACT: u8 = 3;
const STRUCTURED_SUFFIX: u8 = 2;
const TYPE_WILDCARD: u8 = 1;
const ANYTHING: u8 = 0;

/// The entry that decides a concrete type's q.
#[derive(Clone, Copy, Debug)]
struct Match {
    q: f64,
    acceptable: bool,
    specificity: u8,
    order: usize,
}

impl Match {
    /// Most specific first, then the higher q, then the earlier entry.
    fn beats(&self, other: &Match) -> bool {
        if self.specificity != other.specificity {
            return self.specificity > other.specificity;
        }
        if self.q != other.q {
            return self.q > other.q;
        }
        self.order < other.order
    }
}

/// The best entry for `concrete`, acceptable or not (None when no entry matches it).
fn best_match(parsed: &[Entry], concrete: &Concrete) -> Option<Match> {
    let mut best: Option<Match> = None;
    for entry in parsed {
        let Some(specificity) = specificity(entry, concrete) else {
            continue;
        };
        let found = Match {
            q: entry.q,
            acceptable: entry.acceptable(),
            specificity,
            order: entry.order,
        };
        if best.is_none_or(|current| found.beats(&current)) {
            best = Some(found);
        }
    }
    best
}

/// How an entry's range matches `concrete` (None = no match).
fn specificity(entry: &Entry, concrete: &Concrete) -> Option<u8> {
    if entry.range.eq_ignore_ascii_case(concrete.full) {
        return Some(EXACT);
    }
    let (range_type, range_sub) = entry.parts?;
    let same_type = range_type.eq_ignore_ascii_case(concrete.kind);
    // `application/*+xml` (or `*/*+xml`) matches subtypes ending in `+xml`.
    if let Some(suffix) = range_sub.strip_prefix('*').filter(|s| s.starts_with('+')) {
        if (range_type == "*" || same_type)
            && strip_suffix_ignore_case(concrete.subtype, suffix).is_some()
        {
            return Some(STRUCTURED_SUFFIX);
        }
    }
    if same_type && range_sub == "*" {
        return Some(TYPE_WILDCARD);
    }
    (range_type == "*" && range_sub == "*").then_some(ANYTHING)
}

/// The non-empty entries of an Accept header, split on commas outside quotes. Parsed
/// once per request: every candidate type is then matched against the slices.
/// Entries of an Accept header that are read; any after them are ignored. Ranking
/// compares entries with one another, so a 32 KB header of 1,500 entries would cost
/// millions of comparisons; no real client sends more than a handful.
pub const MAX_ACCEPT_ENTRIES: usize = 64;

fn parse_entries(header: &str) -> Vec<Entry<'_>> {
    QuoteAwareSplit::new(header, b',')
        .map(java_trim)
        .filter(|text| !text.is_empty())
        .take(MAX_ACCEPT_ENTRIES)
        .enumerate()
        .map(|(order, text)| parse_entry(text, order))
        .collect()
}

fn parse_entry(text: &str, order: usize) -> Entry<'_> {
    let mut parts = QuoteAwareSplit::new(text, b';');
    let range = java_trim(parts.next().unwrap_or(""));
    let mut entry = Entry {
        range,
        parts: split_type(range),
        q: 1.0,
        q_valid: true,
        order,
    };
    for parameter in parts {
        let Some((name, value)) = parameter.split_once('=') else {
            continue;
        };
        if !java_trim(name).eq_ignore_ascii_case("q") {
            continue;
        }
        match parse_q(unquote(java_trim(value))) {
            Some(q) => entry.q = q,
            None => entry.q_valid = false,
        }
    }
    entry
}

/// A q value: a number in 0..=1 (NaN and anything else is invalid).
fn parse_q(value: &str) -> Option<f64> {
    let q: f64 = java_trim(value).parse().ok()?;
    (0.0..=1.0).contains(&q).then_some(q)
}

fn unquote(value: &str) -> &str {
    if value.len() >= 2 && value.starts_with('"') && value.ends_with('"') {
        &value[1..value.len() - 1]
    } else {
        value
    }
}

/// Trim the way Java's `String.trim` does: every char up to U+0020.
fn java_trim(value: &str) -> &str {
    value.trim_matches(|c: char| c <= ' ')
}

/// Splits on an ASCII separator, ignoring separators inside double quotes (where a
/// backslash escapes the next character).
struct QuoteAwareSplit<'a> {
    rest: Option<&'a str>,
    separator: u8,
    /// No quotes at all (the usual case): a plain byte search will do.
    unquoted: bool,
}

impl<'a> QuoteAwareSplit<'a> {
    fn new(text: &'a str, separator: u8) -> Self {
        QuoteAwareSplit {
            rest: Some(text),
            separator,
            unquoted: !text.contains('"'),
        }
    }

    fn separator_position(&self, text: &str) -> Option<usize> {
        if self.unquoted {
            return text.bytes().position(|byte| byte == self.separator);
        }
        let mut inside_quotes = false;
        let mut escaped = false;
        for (index, byte) in text.bytes().enumerate() {
            if escaped {
                escaped = false;
            } else if byte == b'\\' && inside_quotes {
                escaped = true;
            } else if byte == b'"' {
                inside_quotes = !inside_quotes;
            } else if byte == self.separator && !inside_quotes {
                return Some(index);
            }
        }
        None
    }
}

impl<'a> Iterator for QuoteAwareSplit<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        let text = self.rest?;
        match self.separator_position(text) {
            // The separator is ASCII, so both slices stay on char boundaries.
            Some(index) => {
                self.rest = Some(&text[index + 1..]);
                Some(&text[..index])
            }
            None => {
                self.rest = None;
                Some(text)
            }
        }
    }
}

/// The Accept-header predicates used by the challenge rules (lists, allows, prefers, ...).
pub mod predicates {
    use super::{
        best_match, java_trim, negotiate_entries, parse_entries, Concrete, Entry, MediaType,
        APPLICATION_XML, STANDARD_TYPES, TEXT_XML,
    };

    /// `accept-missing`
    pub fn missing(accept: Option<&str>) -> bool {
        java_trim(accept.unwrap_or("")).is_empty()
    }
    /// `accept-lists(X)`
    pub fn lists(accept: Option<&str>, media_range: &str) -> bool {
        parse_entries(accept.unwrap_or(""))
            .iter()
            .any(|entry| entry.acceptable() && entry.range.eq_ignore_ascii_case(media_range))
    }
    /// `accept-allows-xml`
    pub fn allows_xml(accept: Option<&str>) -> bool {
        let parsed = parse_entries(accept.unwrap_or(""));
        negotiable(&parsed, &APPLICATION_XML) || negotiable(&parsed, &TEXT_XML)
    }
    /// `accept-prefers-xml`
    pub fn prefers_xml(accept: Option<&str>) -> bool {
        let parsed = parse_entries(accept.unwrap_or(""));
        if parsed.is_empty() {
            return false;
        }
        matches!(
            negotiate_entries(&parsed, false),
            Ok(MediaType::Xml | MediaType::TextXml)
        )
    }
    /// `accept-unsupported`
    pub fn unsupported(accept: Option<&str>) -> bool {
        let parsed = parse_entries(accept.unwrap_or(""));
        // A header of only separators (e.g. ",") has no entries; like the reference we
        // treat it as the default, not as unsupported.
        !parsed.is_empty()
            && STANDARD_TYPES
                .iter()
                .all(|media| best_match(&parsed, media).is_none())
    }
    /// `accept-normalised`: whitespace removed, lowercased.
    pub fn normalised(accept: Option<&str>) -> String {
        accept
            .unwrap_or("")
            .chars()
            .filter(|c| !c.is_whitespace())
            .flat_map(char::to_lowercase)
            .collect()
    }
    /// #55: the highest-q (q>0, earliest on ties) entry is text/calendar.
    /// Deliberately simpler than the general parser (plain comma split, `q=` prefix,
    /// unparsable q counts as 0), as the reference rule is.
    pub fn prefers_calendar(accept: Option<&str>) -> bool {
        let mut preferred = "";
        let mut preferred_q = -1.0;
        for entry in accept.unwrap_or("").split(',') {
            let mut parts = java_trim(entry).split(';');
            let media = java_trim(parts.next().unwrap_or(""));
            if media.is_empty() {
                continue;
            }
            let q = calendar_quality(parts);
            if q > 0.0 && q > preferred_q {
                preferred = media;
                preferred_q = q;
            }
        }
        preferred.eq_ignore_ascii_case("text/calendar")
    }

    fn calendar_quality<'a>(parameters: impl Iterator<Item = &'a str>) -> f64 {
        let mut q = 1.0;
        for parameter in parameters.map(java_trim) {
            let is_q = parameter
                .get(..2)
                .is_some_and(|name| name.eq_ignore_ascii_case("q="));
            if is_q {
                match java_trim(&parameter[2..]).parse::<f64>() {
                    Ok(value) => q = value,
                    Err(_) => return 0.0,
                }
            }
        }
        q
    }

    /// The type's best entry exists and is acceptable.
    fn negotiable(parsed: &[Entry], media: &Concrete) -> bool {
        best_match(parsed, media).is_some_and(|found| found.acceptable)
    }
}

/// What a request body claims to be, from its Content-Type (parameters ignored).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BodyKind {
    /// No Content-Type header.
    Missing,
    Json,
    /// application/xml, text/xml, or a structured todo +xml type.
    Xml,
    MergePatch,
    JsonPatch,
    FormUrlEncoded,
    JsonPath,
    StructuredQuery,
    /// Anything else.
    Unsupported,
}

/// Classify a Content-Type header value (None = absent). Parameters are ignored,
/// matching is case-insensitive.
pub fn body_kind(content_type: Option<&str>) -> BodyKind {
    let header = java_trim(content_type.unwrap_or(""));
    if header.is_empty() {
        return BodyKind::Missing;
    }
    let media = java_trim(header.split(';').next().unwrap_or(""));
    const KNOWN: [(&str, BodyKind); 7] = [
        ("application/json", BodyKind::Json),
        ("application/xml", BodyKind::Xml),
        ("text/xml", BodyKind::Xml),
        ("application/merge-patch+json", BodyKind::MergePatch),
        ("application/json-patch+json", BodyKind::JsonPatch),
        (
            "application/x-www-form-urlencoded",
            BodyKind::FormUrlEncoded,
        ),
        ("application/jsonpath", BodyKind::JsonPath),
    ];
    if let Some((_, kind)) = KNOWN
        .iter()
        .find(|(name, _)| media.eq_ignore_ascii_case(name))
    {
        return *kind;
    }
    if media.eq_ignore_ascii_case("application/vnd.thingifier.query+json") {
        BodyKind::StructuredQuery
    } else if is_structured_todo_xml(media) {
        BodyKind::Xml
    } else {
        BodyKind::Unsupported
    }
}

/// The media type of a header value: text before `;`, trimmed, lowercased.
pub fn media_type_of(value: &str) -> String {
    value
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase()
}

// ---------------------------------------------------------------------------------------
// Rules per generation
// ---------------------------------------------------------------------------------------

/// Which generation's Accept handling applies.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AcceptRules {
    /// q-values, then specificity, then position, then server preference; many formats.
    Current,
    /// Substring matches, first recognised entry wins, JSON or XML only (`q` ignored).
    Classic,
}

/// Which generation's Content-Type handling applies.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ContentTypeRules {
    /// Exact media types, PATCH and QUERY types, structured todo `+xml` types.
    Current,
    /// Substring detection of JSON and XML only; 415 messages show the value
    /// lower-cased.
    Classic,
}

/// [`negotiate`] under a generation's rules.
pub fn negotiate_with(
    rules: AcceptRules,
    accept: Option<&str>,
    offer: Offer,
) -> Result<MediaType, NotAcceptable> {
    match rules {
        AcceptRules::Current => negotiate(accept, offer),
        AcceptRules::Classic => classic::negotiate(accept),
    }
}

/// [`body_kind`] under a generation's rules.
pub fn body_kind_with(rules: ContentTypeRules, content_type: Option<&str>) -> BodyKind {
    match rules {
        ContentTypeRules::Current => body_kind(content_type),
        ContentTypeRules::Classic => classic::body_kind(content_type),
    }
}

impl ContentTypeRules {
    /// The Content-Type value as a 415 message shows it.
    pub fn shown<'a>(self, value: &'a str) -> std::borrow::Cow<'a, str> {
        match self {
            ContentTypeRules::Current => std::borrow::Cow::Borrowed(value),
            ContentTypeRules::Classic => std::borrow::Cow::Owned(java_trim(value).to_lowercase()),
        }
    }
}

/// The classic engine's Accept and Content-Type parsing: the header is trimmed and
/// lower-cased, split on commas, and each entry matched by substring; `q` parameters
/// are never read.
pub mod classic {
    use super::{java_trim, BodyKind, MediaType, NotAcceptable};

    /// What one Accept entry asks for.
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    enum Asked {
        Xml,
        Json,
        Text,
        Anything,
    }

    /// The recognised kind of an entry, if any.
    fn asked(entry: &str) -> Option<Asked> {
        if entry.contains("application/xml") {
            Some(Asked::Xml)
        } else if entry.contains("application/json") {
            Some(Asked::Json)
        } else if entry.contains("text/plain") || entry.contains("text/html") {
            Some(Asked::Text)
        } else if entry.contains("application/*") || entry.contains("*/*") {
            Some(Asked::Anything)
        } else {
            None
        }
    }

    /// The non-blank entries of a header, trimmed and lower-cased.
    fn entries(accept: Option<&str>) -> Vec<String> {
        java_trim(accept.unwrap_or(""))
            .to_lowercase()
            .split(',')
            .map(|e| java_trim(e).to_string())
            .filter(|e| !e.is_empty())
            .collect()
    }

    fn asked_for(accept: Option<&str>, kind: Asked) -> bool {
        entries(accept).iter().any(|e| asked(e) == Some(kind))
    }

    /// Some entry contains `application/xml`.
    pub fn asked_for_xml(accept: Option<&str>) -> bool {
        asked_for(accept, Asked::Xml)
    }

    /// Some entry contains `application/json`.
    pub fn asked_for_json(accept: Option<&str>) -> bool {
        asked_for(accept, Asked::Json)
    }

    /// Some entry contains `*/*` or `application/*`.
    pub fn asked_for_any(accept: Option<&str>) -> bool {
        asked_for(accept, Asked::Anything)
    }

    /// The header is absent or blank.
    pub fn missing(accept: Option<&str>) -> bool {
        java_trim(accept.unwrap_or("")).is_empty()
    }

    /// The first recognised entry, ignoring `*/*` and `application/*`, is XML.
    pub fn prefers_xml(accept: Option<&str>) -> bool {
        entries(accept)
            .iter()
            .filter_map(|e| asked(e))
            .find(|kind| *kind != Asked::Anything)
            == Some(Asked::Xml)
    }

    /// No entries at all, or at least one recognised.
    pub fn supported(accept: Option<&str>) -> bool {
        let entries = entries(accept);
        entries.is_empty() || entries.iter().any(|e| asked(e).is_some())
    }

    /// XML when preferred, JSON for everything else that is supported, else 406.
    pub fn negotiate(accept: Option<&str>) -> Result<MediaType, NotAcceptable> {
        // The headers nearly every client sends, answered without allocating.
        let header = java_trim(accept.unwrap_or(""));
        if header.is_empty() || header == "*/*" || header.eq_ignore_ascii_case("application/json") {
            return Ok(MediaType::Json);
        }
        if header.eq_ignore_ascii_case("application/xml") {
            return Ok(MediaType::Xml);
        }
        if !supported(accept) {
            Err(NotAcceptable::Unrecognised)
        } else if prefers_xml(accept) {
            Ok(MediaType::Xml)
        } else {
            Ok(MediaType::Json)
        }
    }

    /// The first entry of the header as sent (trimmed), for the Content-Type of empty
    /// answers; `application/json` when there is none or it is `*/*`.
    pub fn first_entry(accept: Option<&str>) -> &str {
        let first = java_trim(accept.unwrap_or("").split(',').next().unwrap_or(""));
        if first.is_empty() || first == "*/*" {
            "application/json"
        } else {
            first
        }
    }

    /// Content-Type containing `application/xml` or `text/xml`.
    pub fn is_xml(content_type: Option<&str>) -> bool {
        let header = content_type.unwrap_or("").to_lowercase();
        header.contains("application/xml") || header.contains("text/xml")
    }

    /// Content-Type containing `application/json`.
    pub fn is_json(content_type: Option<&str>) -> bool {
        content_type
            .unwrap_or("")
            .to_lowercase()
            .contains("application/json")
    }

    /// XML is looked for first, as the engine does.
    pub fn body_kind(content_type: Option<&str>) -> BodyKind {
        if java_trim(content_type.unwrap_or("")).is_empty() {
            BodyKind::Missing
        } else if is_xml(content_type) {
            BodyKind::Xml
        } else if is_json(content_type) {
            BodyKind::Json
        } else {
            BodyKind::Unsupported
        }
    }
}

#[cfg(test)]
mod tests {
    use super::predicates::*;
    use super::*;

    fn todos(accept: &str) -> Result<MediaType, NotAcceptable> {
        negotiate(Some(accept), Offer::Todos)
    }

    fn structured(media: &str) -> Result<MediaType, NotAcceptable> {
        Ok(MediaType::StructuredXml(media.to_string()))
    }

    #[test]
    fn absent_empty_blank_and_anything_give_json() {
        assert_eq!(negotiate(None, Offer::Todos), Ok(MediaType::Json));
        assert_eq!(todos(""), Ok(MediaType::Json));
        assert_eq!(todos("   "), Ok(MediaType::Json));
        assert_eq!(todos(","), Ok(MediaType::Json));
        assert_eq!(todos("*/*"), Ok(MediaType::Json));
        assert_eq!(todos(" */* "), Ok(MediaType::Json));
    }

    #[test]
    fn exact_types_and_case_insensitivity() {
        assert_eq!(todos("application/json"), Ok(MediaType::Json));
        assert_eq!(todos("APPLICATION/JSON"), Ok(MediaType::Json));
        assert_eq!(todos("application/xml"), Ok(MediaType::Xml));
        assert_eq!(todos("Application/XML"), Ok(MediaType::Xml));
        assert_eq!(todos("text/xml"), Ok(MediaType::TextXml));
        assert_eq!(todos("text/csv"), Ok(MediaType::Csv));
        assert_eq!(todos("text/plain"), Ok(MediaType::Plain));
        assert_eq!(todos("text/html"), Ok(MediaType::Html));
        assert_eq!(todos("application/x-ndjson"), Ok(MediaType::Ndjson));
        assert_eq!(todos("application/jsonl"), Ok(MediaType::Jsonl));
        assert_eq!(todos("application/json-seq"), Ok(MediaType::JsonSeq));
        assert_eq!(todos("TEXT/Tab-Separated-Values"), Ok(MediaType::Tsv));
    }

    #[test]
    fn spec_examples() {
        assert_eq!(
            todos("application/xml,application/json"),
            Ok(MediaType::Xml)
        );
        assert_eq!(
            todos("application/json,application/xml"),
            Ok(MediaType::Json)
        );
        assert_eq!(
            todos("application/json;q=0.5, application/xml;q=1"),
            Ok(MediaType::Xml)
        );
        assert_eq!(
            todos("application/xml;q=0.5, application/json;q=1"),
            Ok(MediaType::Json)
        );
        assert_eq!(todos("application/*"), Ok(MediaType::Json));
        assert_eq!(todos("text/*"), Ok(MediaType::Csv));
    }

    #[test]
    fn entries_past_the_cap_are_ignored() {
        let unknown = vec!["a/b"; MAX_ACCEPT_ENTRIES].join(",");
        let late_xml = format!("{unknown},application/xml");
        assert_eq!(
            negotiate(Some(&late_xml), Offer::Todos),
            Err(NotAcceptable::Unrecognised)
        );
        let in_time = format!(
            "{},application/xml",
            vec!["a/b"; MAX_ACCEPT_ENTRIES - 1].join(",")
        );
        assert_eq!(negotiate(Some(&in_time), Offer::Todos), Ok(MediaType::Xml));
        // A header of 1,500 structured types is ranked on its first entries only.
        let flood = vec!["application/todo+xml"; 1500].join(",");
        assert!(negotiate(Some(&flood), Offer::Todos).is_ok());
    }

    #[test]
    fn q_zero_excludes_a_type() {
        assert_eq!(todos("application/json;q=0, */*"), Ok(MediaType::Xml));
        assert_eq!(
            todos("application/xml;q=0, application/*"),
            Ok(MediaType::Json)
        );
        assert_eq!(
            todos("application/json;q=0, application/xml;q=0"),
            Err(NotAcceptable::NoneAcceptable)
        );
        assert_eq!(todos("*/*;q=0"), Err(NotAcceptable::NoneAcceptable));
    }

    #[test]
    fn specificity_outranks_position_but_not_q() {
        // Equal q: the exact text/html beats the earlier wildcard.
        assert_eq!(todos("*/*, text/html"), Ok(MediaType::Html));
        assert_eq!(todos("text/*, application/xml"), Ok(MediaType::Xml));
        // Higher q wins over specificity.
        assert_eq!(todos("*/*, text/html;q=0.9"), Ok(MediaType::Json));
        // A browser header: html is exact and q=1.
        assert_eq!(
            todos("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"),
            Ok(MediaType::Html)
        );
    }

    #[test]
    fn ties_fall_back_to_position_then_server_preference() {
        assert_eq!(todos("text/csv, application/json"), Ok(MediaType::Csv));
        assert_eq!(
            todos("text/plain;q=0.5, text/csv;q=0.5"),
            Ok(MediaType::Plain)
        );
        // One range matching several types at equal rank: server preference decides.
        assert_eq!(todos("text/*"), Ok(MediaType::Csv));
        assert_eq!(todos("text/csv;q=0, text/*"), Ok(MediaType::Plain));
    }

    #[test]
    fn most_specific_entry_decides_a_types_q() {
        // The exact q=0 entry for XML wins over */*, so XML is not on offer.
        assert_eq!(todos("application/xml;q=0, */*"), Ok(MediaType::Json));
        assert_eq!(
            todos("application/xml, application/xml;q=0.1"),
            Ok(MediaType::Xml)
        );
        // Among equally specific entries the higher q decides.
        assert_eq!(
            todos("application/json;q=0.2, application/json;q=0.9, application/xml;q=0.5"),
            Ok(MediaType::Json)
        );
    }

    #[test]
    fn invalid_q_makes_the_range_unusable() {
        assert_eq!(
            todos("application/json;q=abc"),
            Err(NotAcceptable::NoneAcceptable)
        );
        assert_eq!(
            todos("application/json;q=2, application/xml"),
            Ok(MediaType::Xml)
        );
        assert_eq!(
            todos("application/json;q=-1, application/xml"),
            Ok(MediaType::Xml)
        );
        assert_eq!(
            todos("application/json;q=NaN, text/csv"),
            Ok(MediaType::Csv)
        );
        assert_eq!(todos("application/json;q=\"0.5\""), Ok(MediaType::Json));
        assert_eq!(
            todos("application/json; Q = 0.5 , text/csv"),
            Ok(MediaType::Csv)
        );
    }

    #[test]
    fn other_parameters_and_quoted_commas_are_ignored() {
        assert_eq!(todos("application/json;charset=utf-8"), Ok(MediaType::Json));
        assert_eq!(
            todos("application/gzip;x=\"a,application/json\""),
            Err(NotAcceptable::Unrecognised)
        );
    }

    #[test]
    fn unrecognised_types() {
        for accept in [
            "application/gzip",
            "application/problem+json",
            "application/*+json",
            "*/*+xml",
            "image/*",
            "text/calendar",
            "nonsense",
        ] {
            assert_eq!(todos(accept), Err(NotAcceptable::Unrecognised), "{accept}");
        }
    }

    #[test]
    fn structured_todo_xml_on_todo_routes() {
        let vendor = "application/vnd.apichallenges.todo+xml";
        assert_eq!(todos(vendor), structured(vendor));
        assert_eq!(
            todos("Application/VND.apichallenges.TODO+xml"),
            structured("application/vnd.apichallenges.todo+xml")
        );
        assert_eq!(
            todos("application/todo+xml"),
            structured("application/todo+xml")
        );
        assert_eq!(
            todos("application/todos+xml"),
            structured("application/todos+xml")
        );
        assert_eq!(
            todos("application/x-todo+xml"),
            structured("application/x-todo+xml")
        );
        assert_eq!(
            todos("application/*+xml"),
            structured("application/todo+xml")
        );
        assert_eq!(
            negotiate(Some(vendor), Offer::SingleTodo),
            structured(vendor)
        );
        let ct = todos(vendor).map(|m| m.content_type().to_string());
        assert_eq!(ct.as_deref(), Ok(vendor));
    }

    #[test]
    fn structured_xml_ranking() {
        assert_eq!(
            todos("application/json, application/todo+xml"),
            Ok(MediaType::Json)
        );
        assert_eq!(
            todos("application/todo+xml;q=0.9, application/xml"),
            Ok(MediaType::Xml)
        );
        // application/*+xml is more specific than application/*.
        assert_eq!(
            todos("application/*, application/*+xml"),
            structured("application/todo+xml")
        );
        assert_eq!(
            todos("application/todo+xml;q=0"),
            Err(NotAcceptable::NoneAcceptable)
        );
    }

    #[test]
    fn structured_xml_rejections() {
        for accept in [
            "application/problem+xml",
            "application/soap+xml",
            "application/xhtml+xml",
            "application/atom+xml",
            "application/rss+xml",
            "image/svg+xml",
            "application/todo.x+xml",
            "text/todo+xml",
            "application/todo+json",
        ] {
            assert_eq!(todos(accept), Err(NotAcceptable::Unrecognised), "{accept}");
        }
        // Not on offer outside the todo resources.
        for accept in ["application/todo+xml", "application/*+xml"] {
            assert_eq!(
                negotiate(Some(accept), Offer::Standard),
                Err(NotAcceptable::Unrecognised)
            );
        }
    }

    #[test]
    fn calendar_only_for_a_single_todo() {
        let single = |a: &str| negotiate(Some(a), Offer::SingleTodo);
        assert_eq!(single("text/calendar"), Ok(MediaType::Calendar));
        assert_eq!(
            single("TEXT/Calendar; charset=utf-8"),
            Ok(MediaType::Calendar)
        );
        assert_eq!(
            single("text/calendar, application/json"),
            Ok(MediaType::Calendar)
        );
        assert_eq!(
            single("application/json, text/calendar"),
            Ok(MediaType::Json)
        );
        assert_eq!(
            single("text/calendar;q=0.5, application/xml"),
            Ok(MediaType::Xml)
        );
        assert_eq!(single("text/*"), Ok(MediaType::Csv));
        assert_eq!(
            single("text/calendar;q=0"),
            Err(NotAcceptable::Unrecognised)
        );
        assert_eq!(todos("text/calendar"), Err(NotAcceptable::Unrecognised));
        assert_eq!(
            negotiate(Some("text/calendar"), Offer::Standard),
            Err(NotAcceptable::Unrecognised)
        );
    }

    #[test]
    fn content_types_and_xml_flavours() {
        assert_eq!(MediaType::Json.content_type(), "application/json");
        assert_eq!(MediaType::Xml.content_type(), "application/xml");
        assert_eq!(MediaType::TextXml.content_type(), "text/xml");
        assert_eq!(MediaType::Csv.content_type(), "text/csv");
        assert_eq!(MediaType::Plain.content_type(), "text/plain");
        assert_eq!(MediaType::Html.content_type(), "text/html");
        assert_eq!(MediaType::Ndjson.content_type(), "application/x-ndjson");
        assert_eq!(MediaType::Jsonl.content_type(), "application/jsonl");
        assert_eq!(MediaType::JsonSeq.content_type(), "application/json-seq");
        assert_eq!(MediaType::Tsv.content_type(), "text/tab-separated-values");
        assert_eq!(MediaType::Calendar.content_type(), "text/calendar");
        assert!(MediaType::Xml.is_xml());
        assert!(MediaType::TextXml.is_xml());
        assert!(MediaType::StructuredXml("application/todo+xml".into()).is_xml());
        assert!(!MediaType::Json.is_xml());
        assert!(!MediaType::Html.is_xml());
        assert_eq!(
            NotAcceptable::Unrecognised.message(),
            "Unrecognised Accept Type"
        );
        assert_eq!(
            NotAcceptable::NoneAcceptable.message(),
            "No acceptable response type supported"
        );
    }

    #[test]
    fn predicate_missing() {
        assert!(missing(None));
        assert!(missing(Some("")));
        assert!(missing(Some("  \t")));
        assert!(!missing(Some("*/*")));
        assert!(!missing(Some(",")));
    }

    #[test]
    fn predicate_lists() {
        assert!(lists(Some("application/json"), "application/json"));
        assert!(lists(
            Some("Application/JSON; charset=utf-8"),
            "application/json"
        ));
        assert!(lists(
            Some("application/xml, application/json"),
            "application/json"
        ));
        assert!(lists(Some("*/*"), "*/*"));
        assert!(!lists(Some("application/json;q=0"), "application/json"));
        assert!(!lists(Some("application/json;q=x"), "application/json"));
        assert!(!lists(Some("application/*"), "application/json"));
        assert!(!lists(Some("application/jsonl"), "application/json"));
        assert!(!lists(None, "application/json"));
    }

    #[test]
    fn predicate_allows_xml() {
        assert!(allows_xml(Some("application/xml")));
        assert!(allows_xml(Some("text/xml")));
        assert!(allows_xml(Some("*/*")));
        assert!(allows_xml(Some("application/*")));
        assert!(allows_xml(Some("application/json, application/xml;q=0.1")));
        // application/xml is excluded, but */* still offers text/xml.
        assert!(allows_xml(Some("application/xml;q=0, */*")));
        assert!(!allows_xml(Some("application/xml;q=0, text/xml;q=0, */*")));
        assert!(!allows_xml(Some("application/json")));
        assert!(!allows_xml(Some("application/vnd.apichallenges.todo+xml")));
        assert!(!allows_xml(None));
    }

    #[test]
    fn predicate_prefers_xml() {
        assert!(prefers_xml(Some("application/xml, application/json")));
        assert!(prefers_xml(Some(
            "application/json;q=0.5, application/xml;q=1"
        )));
        assert!(prefers_xml(Some("text/xml")));
        assert!(prefers_xml(Some("*/*, application/xml")));
        assert!(!prefers_xml(Some("application/json, application/xml")));
        assert!(!prefers_xml(Some(
            "application/xml;q=0.5, application/json;q=1"
        )));
        assert!(!prefers_xml(Some("*/*")));
        assert!(!prefers_xml(Some("application/todo+xml")));
        assert!(!prefers_xml(None));
    }

    #[test]
    fn predicate_unsupported() {
        assert!(unsupported(Some("application/gzip")));
        assert!(unsupported(Some("text/calendar")));
        assert!(unsupported(Some("application/problem+json")));
        assert!(unsupported(Some("application/*+json")));
        assert!(unsupported(Some("application/vnd.apichallenges.todo+xml")));
        assert!(!unsupported(Some("application/json;q=0")));
        assert!(!unsupported(Some("application/gzip, text/*")));
        assert!(!unsupported(Some("*/*")));
        assert!(!unsupported(Some("")));
        assert!(!unsupported(None));
    }

    #[test]
    fn predicate_normalised() {
        assert_eq!(
            normalised(Some("Application/JSON; q=0.5,  application/xml;q=1")),
            "application/json;q=0.5,application/xml;q=1"
        );
        assert_eq!(
            normalised(Some(" application/*+xml \t")),
            "application/*+xml"
        );
        assert_eq!(normalised(None), "");
    }

    #[test]
    fn challenge_examples_49_to_62() {
        // #49
        assert!(allows_xml(Some("application/xml")));
        assert_eq!(todos("application/xml"), Ok(MediaType::Xml));
        // #50, #51, #53
        assert!(lists(Some("application/json"), "application/json"));
        assert!(lists(Some("*/*"), "*/*"));
        assert!(missing(None) && negotiate(None, Offer::Todos) == Ok(MediaType::Json));
        // #52
        let both = Some("application/xml, application/json");
        assert!(allows_xml(both) && lists(both, "application/json") && prefers_xml(both));
        // #54
        assert!(unsupported(Some("application/gzip")));
        assert_eq!(todos("application/gzip"), Err(NotAcceptable::Unrecognised));
        // #55
        assert!(prefers_calendar(Some("text/calendar")));
        // #56 - #62
        let header = "application/json;q=0.5, application/xml;q=1";
        assert_eq!(
            normalised(Some(header)),
            "application/json;q=0.5,application/xml;q=1"
        );
        assert_eq!(todos(header), Ok(MediaType::Xml));
        let header = "application/xml;q=0.5, application/json;q=1";
        assert_eq!(
            normalised(Some(header)),
            "application/xml;q=0.5,application/json;q=1"
        );
        assert_eq!(todos(header), Ok(MediaType::Json));
        let header = "application/json;q=0, application/xml;q=0";
        assert_eq!(
            normalised(Some(header)),
            "application/json;q=0,application/xml;q=0"
        );
        assert_eq!(todos(header), Err(NotAcceptable::NoneAcceptable));
        assert!(!unsupported(Some(header)));
        assert_eq!(
            todos("application/problem+json"),
            Err(NotAcceptable::Unrecognised)
        );
        assert_eq!(todos("text/xml"), Ok(MediaType::TextXml));
        assert_eq!(
            todos("application/vnd.apichallenges.todo+xml"),
            structured("application/vnd.apichallenges.todo+xml")
        );
        assert_eq!(
            todos("application/*+xml"),
            structured("application/todo+xml")
        );
    }

    #[test]
    fn predicate_prefers_calendar() {
        assert!(prefers_calendar(Some("text/calendar")));
        assert!(prefers_calendar(Some("Text/Calendar")));
        assert!(prefers_calendar(Some(
            "application/json;q=0.9, text/calendar"
        )));
        assert!(prefers_calendar(Some("text/calendar, application/json")));
        assert!(prefers_calendar(Some("*/*;q=0.1, text/calendar;q=0.2")));
        assert!(!prefers_calendar(Some("application/json, text/calendar")));
        assert!(!prefers_calendar(Some("*/*, text/calendar")));
        assert!(!prefers_calendar(Some("text/calendar;q=0")));
        assert!(!prefers_calendar(Some("text/calendar;q=high")));
        assert!(!prefers_calendar(Some("text/*")));
        assert!(!prefers_calendar(Some("")));
        assert!(!prefers_calendar(None));
    }

    #[test]
    fn body_kinds() {
        let cases = [
            (None, BodyKind::Missing),
            (Some(""), BodyKind::Missing),
            (Some("  "), BodyKind::Missing),
            (Some("application/json"), BodyKind::Json),
            (Some("Application/JSON; charset=utf-8"), BodyKind::Json),
            (Some("application/xml"), BodyKind::Xml),
            (Some("text/xml;charset=UTF-8"), BodyKind::Xml),
            (
                Some("application/vnd.apichallenges.todo+xml"),
                BodyKind::Xml,
            ),
            (Some("application/todo+xml"), BodyKind::Xml),
            (Some("application/todos+xml"), BodyKind::Xml),
            (Some("application/merge-patch+json"), BodyKind::MergePatch),
            (Some("application/json-patch+json"), BodyKind::JsonPatch),
            (
                Some("application/x-www-form-urlencoded"),
                BodyKind::FormUrlEncoded,
            ),
            (Some("application/jsonpath"), BodyKind::JsonPath),
            (
                Some("application/vnd.thingifier.query+json"),
                BodyKind::StructuredQuery,
            ),
            (Some("text/plain"), BodyKind::Unsupported),
            (Some("application/octet-stream"), BodyKind::Unsupported),
            (Some("application/problem+xml"), BodyKind::Unsupported),
            (Some("application/*+xml"), BodyKind::Unsupported),
            (Some("application/jsonl"), BodyKind::Unsupported),
        ];
        for (header, kind) in cases {
            assert_eq!(body_kind(header), kind, "{header:?}");
        }
    }

    #[test]
    fn structured_todo_xml_detection() {
        assert!(is_structured_todo_xml(
            "application/vnd.apichallenges.todo+xml"
        ));
        assert!(is_structured_todo_xml(
            "application/vnd.apichallenges-todos+XML"
        ));
        assert!(!is_structured_todo_xml("application/xml"));
        assert!(!is_structured_todo_xml("application/+xml"));
        assert!(!is_structured_todo_xml("application/*todo+xml"));
        assert!(!is_structured_todo_xml("application/todo+xml/x"));
        assert!(!is_structured_todo_xml("application/vnd.todo.item+xml"));
    }

    #[test]
    fn media_type_of_strips_parameters() {
        assert_eq!(media_type_of(" Text/XML ; charset=utf-8"), "text/xml");
    }

    #[test]
    fn classic_accept_takes_the_first_recognised_entry() {
        let xml = Ok(MediaType::Xml);
        let json = Ok(MediaType::Json);
        let rules = AcceptRules::Classic;
        let n = |a: &str| negotiate_with(rules, Some(a), Offer::Todos);
        assert_eq!(n("application/xml, application/json"), xml);
        assert_eq!(n("application/json, application/xml"), json);
        assert_eq!(n("application/json;q=0.1, application/xml"), json);
        assert_eq!(n("*/*, application/xml"), xml);
        assert_eq!(n("text/html, application/xml"), json);
        assert_eq!(n("APPLICATION/XML"), xml);
        assert_eq!(n("application/*"), json);
        assert_eq!(n("text/plain"), json);
        assert_eq!(n(""), json);
        assert_eq!(negotiate_with(rules, None, Offer::Todos), json);
        assert_eq!(n("application/gzip"), Err(NotAcceptable::Unrecognised));
        assert_eq!(n("text/csv"), Err(NotAcceptable::Unrecognised));
        assert_eq!(n("text/calendar"), Err(NotAcceptable::Unrecognised));
    }

    #[test]
    fn classic_accept_predicates() {
        let a = Some("application/json, */*");
        assert!(classic::asked_for_json(a) && classic::asked_for_any(a));
        assert!(!classic::asked_for_xml(a) && !classic::prefers_xml(a));
        assert!(classic::missing(Some("  ")) && classic::missing(None));
        assert!(!classic::supported(Some("image/png")));
        assert_eq!(
            classic::first_entry(Some(" application/xml , x")),
            "application/xml"
        );
        assert_eq!(classic::first_entry(Some("*/*")), "application/json");
        assert_eq!(classic::first_entry(None), "application/json");
    }

    #[test]
    fn classic_content_types_match_by_substring() {
        let k = |c: &str| body_kind_with(ContentTypeRules::Classic, Some(c));
        assert_eq!(k("application/json; charset=utf-8"), BodyKind::Json);
        assert_eq!(k("Application/JSON"), BodyKind::Json);
        assert_eq!(k("text/xml"), BodyKind::Xml);
        assert_eq!(k("application/vnd.x+json"), BodyKind::Unsupported);
        assert_eq!(k("application/merge-patch+json"), BodyKind::Unsupported);
        assert_eq!(k("  "), BodyKind::Missing);
        assert_eq!(
            body_kind_with(ContentTypeRules::Classic, None),
            BodyKind::Missing
        );
        assert_eq!(
            ContentTypeRules::Classic.shown(" Text/Plain "),
            "text/plain"
        );
        assert_eq!(ContentTypeRules::Current.shown("Text/Plain"), "Text/Plain");
    }
}
