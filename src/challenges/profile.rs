//! A profile is the data that decides which generation of API Challenges is served:
//! its catalogue and sections, and every observable behaviour that differs between
//! generations ([`Behaviour`]). Handlers read `app.profile.behaviour`; nothing else
//! asks which profile is running. The active set is the part of a catalogue that is
//! live in the running configuration (single-player and storage-less modes drop a few).

use crate::challenges::catalogue::{Availability, Challenge, Phase};
use hyper::StatusCode;

use crate::challenges::current;
use crate::config::{Config, ProfileName};
use crate::error::ErrorKind;
use crate::todo::input::{BodySyntax, ValidationRules};
use crate::todo::negotiation::{AcceptRules, ContentTypeRules};
use crate::todo::query::{self, Dialect};

/// One generation of API Challenges.
/// Longest `X-CHALLENGER` value the current profile accepts; longer gets a 431.
pub const MAX_CHALLENGER_HEADER: usize = 100;

pub struct Profile {
    pub name: ProfileName,
    pub catalogue: &'static [Challenge],
    pub sections: &'static [&'static str],
    pub behaviour: Behaviour,
}

/// Everything observable that differs between generations, as data.
/// Algorithmic differences are enums selecting a function that lives next to its
/// current counterpart.
pub struct Behaviour {
    // --- routes ---------------------------------------------------------------------
    /// `/api/...` routes exist; otherwise they are unknown paths (classic: root routes only).
    pub api_prefix: bool,
    /// Which requests `X-HTTP-Method-Override` re-routes.
    pub method_override: OverrideScope,
    /// A method outside the eight standard ones (e.g. an unrecognised override value)
    /// matches no route: 404 instead of 405.
    pub nonstandard_methods_unrouted: bool,
    /// A todo route's 405 is answered before the todo hooks (the 401 for writes
    /// without a learner), as the classic HTTP layer did.
    pub method_not_allowed_first: bool,
    /// `QUERY /todos`.
    pub query_method: bool,
    /// `PATCH /todos/{id}`.
    pub patch_todo: bool,
    /// `/todos/export`; otherwise `export` is just a todo id that does not exist.
    pub todos_export: bool,
    /// `PUT /todos` (update by body id); otherwise 405.
    pub put_collection: bool,
    /// `GET /secret/token` (read-only token); otherwise 405.
    pub secret_token_get: bool,
    /// `text/calendar` rendering of a single todo.
    pub calendar: bool,

    // --- OPTIONS and advertising headers ---------------------------------------------
    /// `Allow` of `OPTIONS /todos`.
    pub todos_allow: &'static str,
    /// `Allow` of `OPTIONS /secret/token`.
    pub secret_token_allow: &'static str,
    /// `Accept-Query` on the todo list and its OPTIONS.
    pub accept_query_header: bool,
    /// `Accept-Patch` on `OPTIONS /todos/{id}`.
    pub accept_patch_header: bool,

    // --- representations -------------------------------------------------------------
    pub accept: AcceptRules,
    pub content_type: ContentTypeRules,
    pub body_syntax: BodySyntax,
    /// The empty answers of fixed-status routes (heartbeat, unknown routes, the 405s
    /// of the non-todo routes) name the first Accept entry as their Content-Type
    /// rather than the negotiated one.
    pub first_accept_content_type: bool,
    /// The Content-Type of an answer whose handler names none: the reference HTTP
    /// layer's default (Javalin's `text/plain`; Spark's `text/html;charset=utf-8`).
    pub default_content_type: &'static str,
    /// Empty 204 and 404 answers carry no Content-Type (the current reference strips
    /// it; the classic one sent it on every answer).
    pub untyped_empty_204_404: bool,
    /// Element order inside `<challenge>` of `GET /challenges` as XML.
    pub challenge_xml: ChallengeXml,
    /// JSON error bodies escape `=`, `'`, `<`, `>`, `&` as `\u003d`-style escapes, as
    /// the classic server's Gson did.
    pub html_safe_error_json: bool,

    // --- the todo engine -------------------------------------------------------------
    pub validation: ValidationRules,
    /// Status of validation failures (the engine's 422 class).
    pub validation_status: StatusCode,
    /// Status of a create refused by the 20-todo limit.
    pub max_todos_status: StatusCode,
    /// Status of a successful `DELETE /todos/{id}`.
    pub delete_status: StatusCode,
    /// `PUT /todos/{id}` for an id that does not exist.
    pub put_unknown_id: PutUnknownId,
    /// The 413 message.
    pub body_too_large: &'static str,
    /// A create refused by field validation or the limit still uses up an id.
    pub failed_create_consumes_id: bool,
    /// Query-string dialect: sort parameters, operators, paging.
    pub list_query: Dialect,

    // --- challengers and the secret --------------------------------------------------
    /// Longest `X-CHALLENGER` accepted before a 431 (None: no check).
    pub challenger_header_limit: Option<usize>,
    /// Status of `PUT /challenger/{guid}` whose payload names another GUID.
    pub guid_mismatch_status: StatusCode,
    /// Secret-note 401s carry `WWW-Authenticate: Bearer`.
    pub note_bearer_challenge: bool,
    /// Multi-user requests without `X-CHALLENGER` may read a fixed read-only note.
    pub note_read_only_mode: bool,
    /// A note over 100 characters.
    pub note_too_long: NoteTooLong,

    // --- cross-cutting headers -------------------------------------------------------
    pub cors: Cors,
    /// `Cache-Control: no-store` on API responses.
    pub cache_control: bool,
    /// `X-Robots-Tag: noindex` on every API response, not only successes and redirects.
    pub robots_on_errors: bool,
}

/// Which requests `X-HTTP-Method-Override` re-routes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OverrideScope {
    /// A POST naming a known verb; other values are ignored.
    PostOnly,
    /// Any request: the routing method becomes the upper-cased value, whatever it is
    /// (classic: an unrecognised value then matches no route).
    AnyMethod,
}

/// What `PUT /todos/{id}` answers for an id that does not exist.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PutUnknownId {
    /// 404 unless the body names an id (then 422 `Cannot create todo with PUT ...`).
    NotFound,
    /// Always 400 `Cannot create todo with PUT due to Auto fields id`.
    CannotCreate,
}

/// What happens to a secret note over 100 characters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NoteTooLong {
    /// Kept, cut to 100 characters.
    Truncate,
    /// Refused with the engine's length message.
    Refuse,
}

/// The CORS headers of API responses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cors {
    /// `*` everywhere, OPTIONS echoing `Access-Control-Request-Headers/-Method`.
    EchoPreflight,
    /// `*` everywhere plus `Access-Control-Allow-Credentials: true`.
    AllowCredentials,
}

/// Element order inside `<challenge>`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChallengeXml {
    /// `id, name, description, status`
    IdFirst,
    /// `name, description, id, status` (the classic engine's order)
    NameFirst,
}

impl Behaviour {
    /// The status a refusal of `kind` is answered with in this generation: the
    /// engine's, except where the classic server answered differently.
    pub fn status_of(&self, kind: ErrorKind) -> StatusCode {
        match kind {
            ErrorKind::TodoLimit => self.max_todos_status,
            ErrorKind::LearnerMismatch => self.guid_mismatch_status,
            ErrorKind::Validation => self.validation_status,
            other => other.status(),
        }
    }
}

/// The current generation (`/api/...` and root routes, 99 challenges).
pub static CURRENT: Profile = Profile {
    name: ProfileName::Current,
    catalogue: current::CURRENT,
    sections: current::CURRENT_SECTIONS,
    behaviour: Behaviour {
        api_prefix: true,
        method_override: OverrideScope::PostOnly,
        nonstandard_methods_unrouted: false,
        method_not_allowed_first: false,
        query_method: true,
        patch_todo: true,
        todos_export: true,
        put_collection: true,
        secret_token_get: true,
        calendar: true,
        todos_allow: "OPTIONS, GET, HEAD, POST, QUERY",
        secret_token_allow: "GET, POST, OPTIONS",
        accept_query_header: true,
        accept_patch_header: true,
        accept: AcceptRules::Current,
        content_type: ContentTypeRules::Current,
        body_syntax: BodySyntax::Current,
        first_accept_content_type: false,
        default_content_type: "text/plain",
        untyped_empty_204_404: true,
        challenge_xml: ChallengeXml::IdFirst,
        html_safe_error_json: false,
        validation: ValidationRules::Current,
        validation_status: StatusCode::UNPROCESSABLE_ENTITY,
        max_todos_status: StatusCode::CONFLICT,
        delete_status: StatusCode::NO_CONTENT,
        put_unknown_id: PutUnknownId::NotFound,
        body_too_large: "Error: request body too large, max allowed is 5000 bytes",
        failed_create_consumes_id: false,
        list_query: query::CURRENT_DIALECT,
        challenger_header_limit: Some(MAX_CHALLENGER_HEADER),
        guid_mismatch_status: StatusCode::CONFLICT,
        note_bearer_challenge: true,
        note_read_only_mode: true,
        note_too_long: NoteTooLong::Truncate,
        cors: Cors::EchoPreflight,
        cache_control: true,
        robots_on_errors: false,
    },
};

/// The classic 59-challenge generation (root routes only).
pub static CLASSIC: Profile = Profile {
    name: ProfileName::Classic,
    catalogue: crate::challenges::classic::CLASSIC,
    sections: crate::challenges::classic::CLASSIC_SECTIONS,
    behaviour: Behaviour {
        api_prefix: false,
        method_override: OverrideScope::AnyMethod,
        nonstandard_methods_unrouted: true,
        method_not_allowed_first: true,
        query_method: false,
        patch_todo: false,
        todos_export: false,
        put_collection: false,
        secret_token_get: false,
        calendar: false,
        todos_allow: "OPTIONS, GET, HEAD, POST",
        secret_token_allow: "POST, OPTIONS",
        accept_query_header: false,
        accept_patch_header: false,
        accept: AcceptRules::Classic,
        content_type: ContentTypeRules::Classic,
        body_syntax: BodySyntax::Classic,
        first_accept_content_type: true,
        default_content_type: "text/html;charset=utf-8",
        untyped_empty_204_404: false,
        challenge_xml: ChallengeXml::NameFirst,
        html_safe_error_json: true,
        validation: ValidationRules::Classic,
        validation_status: StatusCode::BAD_REQUEST,
        max_todos_status: StatusCode::BAD_REQUEST,
        delete_status: StatusCode::OK,
        put_unknown_id: PutUnknownId::CannotCreate,
        body_too_large: "Error: Request body too large, max allowed is 5000 bytes",
        failed_create_consumes_id: true,
        list_query: query::CLASSIC_DIALECT,
        challenger_header_limit: None,
        guid_mismatch_status: StatusCode::BAD_REQUEST,
        note_bearer_challenge: false,
        note_read_only_mode: false,
        note_too_long: NoteTooLong::Refuse,
        cors: Cors::AllowCredentials,
        cache_control: false,
        robots_on_errors: true,
    },
};

impl Profile {
    pub fn get(name: ProfileName) -> &'static Profile {
        match name {
            ProfileName::Current => &CURRENT,
            ProfileName::Classic => &CLASSIC,
        }
    }
}

/// The challenges live in this configuration, in catalogue order.
pub struct ActiveSet {
    /// Catalogue indices of active challenges; position + 1 is the `/challenges` id.
    pub indices: Vec<usize>,
    /// Active request-phase rules (catalogue indices).
    pub request_rules: Vec<usize>,
    /// Active response-phase rules (catalogue indices).
    pub response_rules: Vec<usize>,
}

impl ActiveSet {
    pub fn new(profile: &Profile, config: &Config) -> ActiveSet {
        let is_active = |c: &Challenge| match c.availability {
            Availability::Always => true,
            Availability::MultiUser => config.multi_user,
            Availability::MultiUserWithStorage => config.multi_user && config.storage,
        };
        let indices: Vec<usize> = profile
            .catalogue
            .iter()
            .enumerate()
            .filter(|(_, c)| is_active(c))
            .map(|(i, _)| i)
            .collect();
        let by_phase = |phase: Phase| {
            indices
                .iter()
                .copied()
                .filter(|&i| profile.catalogue[i].phase == phase)
                .collect()
        };
        ActiveSet {
            request_rules: by_phase(Phase::Request),
            response_rules: by_phase(Phase::Response),
            indices,
        }
    }

    pub fn is_active(&self, index: usize) -> bool {
        self.indices.binary_search(&index).is_ok()
    }
}
