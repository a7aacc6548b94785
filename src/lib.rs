//! apichallenges: a fast, tiny re-implementation of the API Challenges practice server.
//!
//! `serve` starts the server on a listener; `main.rs` is only the command line.
//!
//! The folders, from the bottom up (a module uses only those below it):
//! - `todo/`: the todo entity, its database, input decoding, queries, representations
//!   and content negotiation;
//! - `learners/`: the learners in memory, the clock, storage backends;
//! - `challenges/`: the catalogue tables, the view of an exchange that rules read, and
//!   the profiles;
//! - `http/`: the accept loop, limits, shutdown, body reading and `Reply`;
//! - `app.rs`: the state every handler shares;
//! - `api/`: the challenge API (request types, pipeline, router, handlers);
//! - `site/`: the pages (they link to API paths, so they sit above `api/`);
//! - `practice/`: the practice modes beside the challenges (one module each), untracked
//!   (their pages use the site's HTML helpers, so they sit above `site/`);
//! - `service.rs`: the one match from a path to the family that answers it, and the
//!   practice modes' state.
//!
//! `metrics.rs` and `error.rs` are leaves any layer may use; so is `config.rs`, which
//! only needs the clock type from `learners/`.

pub mod api;
pub mod app;
pub mod challenges;
pub mod config;
pub mod error;
pub mod http;
pub mod learners;
pub mod metrics;
pub mod practice;
pub mod service;
pub mod site;
pub mod todo;

use std::net::SocketAddr;
use std::sync::Arc;

pub use config::Config;

use app::App;

/// A running server.
pub struct ServerHandle {
    pub addr: SocketAddr,
    pub app: Arc<App>,
    server: http::server::Running,
}

impl ServerHandle {
    /// Stop accepting, let in-flight requests finish, save every learner, and wait for
    /// the server to end.
    pub async fn shutdown(self) {
        self.server.shutdown().await;
    }

    /// Run one idle-eviction sweep now (tests move an injected clock, then call this).
    pub fn evict_idle(&self) -> usize {
        self.app.evict_idle()
    }
}

/// Start a server with `config` on an already-bound listener. Fails (an error whose
/// text is a sentence for the host) when storage is asked for but cannot be opened.
pub fn serve(config: Config, listener: tokio::net::TcpListener) -> std::io::Result<ServerHandle> {
    start(App::open(config).map_err(std::io::Error::other)?, listener)
}

/// Start a server whose learners live in a shared store (`--redis`), connected
/// already, instead of `config.data_dir`.
pub fn serve_shared(
    mut config: Config,
    store: learners::redis::SharedStore,
    listener: tokio::net::TcpListener,
) -> std::io::Result<ServerHandle> {
    config.shared_store = true;
    let mut app = App::open(config).map_err(std::io::Error::other)?;
    app.shared = Some(store);
    start(app, listener)
}

fn start(app: App, listener: tokio::net::TcpListener) -> std::io::Result<ServerHandle> {
    let app = Arc::new(app);
    let limits = http::server::Limits::from_config(&app.config);
    let service = Arc::new(service::Service::new(app.clone()));
    let server = http::server::start(service, listener, limits)?;
    if app.config.idle_sweep {
        tokio::spawn(app::sweep_loop(app.clone(), server.stopped()));
    }
    Ok(ServerHandle {
        addr: server.addr,
        app,
        server,
    })
}
