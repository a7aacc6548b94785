//! apichallenges: a fast, tiny re-implementation of the API Challenges practice server.
//!
//! `serve` starts the server on a listener; `main.rs` is only the command line.
//! A request flows: `server` (accept loop) → `service` (HTTP in/out) → `api`
//! (pipeline: sessions, challenge tracking) → `router` → a handler module.

pub mod api;
pub mod app;
pub mod catalogue;
pub mod challenger;
pub mod challenges;
pub mod clock;
pub mod config;
pub mod database;
pub mod docs;
pub mod error;
pub mod gui;
pub mod heartbeat;
pub mod html;
pub mod lenient;
pub mod lenient_json;
pub mod metrics;
pub mod negotiation;
pub mod not_found;
pub mod profile;
pub mod query;
pub mod reply;
pub mod representation;
pub mod router;
pub mod secret;
pub mod server;
pub mod service;
pub mod session;
pub mod site;
pub mod storage;
pub mod todo;
pub mod todo_input;
pub mod todos;
pub mod tracking;

use std::sync::Arc;

pub use config::Config;
pub use server::ServerHandle;

/// Start a server with `config` on an already-bound listener.
pub fn serve(config: Config, listener: tokio::net::TcpListener) -> std::io::Result<ServerHandle> {
    let app = Arc::new(app::App::new(config));
    server::start(app, listener)
}
