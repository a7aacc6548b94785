//! The challenge API: everything on an API path (`/api/...`, or the root routes of the
//! classic profile) passes through here.
//!
//! `request` holds what every handler sees (the parsed route, the request, the
//! learner); `pipeline` runs the steps around each handler (learner lookup, challenge
//! tracking, cross-cutting headers); `router` is the one match from route and method
//! to a handler; `shared` wraps the pipeline when learners live in Redis (read
//! before, written after, re-run on conflict); the other files are one handler
//! family each. Handlers use `request`,
//! `http::Reply`, the todo model and the shared `App`; nothing here is used by the
//! layers below.

pub mod challenger;
pub mod challenges;
pub mod heartbeat;
pub mod not_found;
pub mod pipeline;
pub mod request;
pub mod router;
pub mod secret;
pub mod shared;
pub mod todos;
