//! The command line: parse flags, set up logging, serve until SIGTERM or Ctrl-C.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use apichallenges::config::{self, LogFormat, ProfileName};
use apichallenges::learners::redis::{self, SharedStore, StoreOptions};
use apichallenges::Config;
use clap::{ArgAction, Parser, Subcommand, ValueEnum};

#[cfg(target_env = "musl")]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// A fast, tiny API Challenges practice server: a todo API and ~100 challenges for
/// learning API testing.
#[derive(Parser, Debug)]
#[command(version, about)]
struct Cli {
    /// Port to listen on.
    #[arg(long, env = "PORT", default_value_t = 4567)]
    port: u16,

    /// Address to bind.
    #[arg(long, env = "APICHALLENGES_BIND", default_value = "0.0.0.0")]
    bind: std::net::IpAddr,

    /// Multi-user mode: each learner registers with POST /challenger and sends X-CHALLENGER.
    #[arg(long, visible_alias = "multiplayer", env = "APICHALLENGES_MULTI_USER", action = ArgAction::SetTrue, value_parser = config::parse_bool)]
    multi_user: bool,

    /// Directory where learners' progress is saved.
    #[arg(long, env = "APICHALLENGES_DATA_DIR", default_value = "./data")]
    data_dir: PathBuf,

    /// Keep everything in memory: nothing is saved or restored.
    #[arg(long, env = "APICHALLENGES_NO_STORAGE", action = ArgAction::SetTrue, value_parser = config::parse_bool)]
    no_storage: bool,

    /// Days after which a saved learner nobody has used is deleted.
    #[arg(
        long,
        env = "APICHALLENGES_RETENTION_DAYS",
        default_value_t = 30,
        global = true
    )]
    retention_days: u64,

    /// Seconds a learner may be idle before leaving memory (progress is kept in storage).
    #[arg(long, env = "APICHALLENGES_IDLE_TIMEOUT", default_value_t = 600)]
    idle_timeout: u64,

    /// Most learners held in memory at once; beyond it the least recently seen is evicted.
    #[arg(long, env = "APICHALLENGES_MAX_CHALLENGERS", default_value_t = config::DEFAULT_MAX_CHALLENGERS)]
    max_challengers: usize,

    /// Lift the limit of 20 todos per learner.
    #[arg(long, env = "APICHALLENGES_UNLIMITED_TODOS", action = ArgAction::SetTrue, value_parser = config::parse_bool)]
    unlimited_todos: bool,

    /// Which generation of challenges to serve.
    #[arg(long, env = "APICHALLENGES_PROFILE", value_enum, default_value_t = Profile::Current)]
    profile: Profile,

    /// The shopping cart practice mode's deliberate bugs: classic, or none to compare.
    #[arg(long, env = "APICHALLENGES_SHOP_BUGS", value_enum, default_value_t = Bugs::Classic)]
    shop_bugs: Bugs,
    /// Connections served at once; at the cap the quietest connection gives way to a
    /// new one. 0 sizes it from memory (a quarter of it at 32 KiB per connection).
    #[arg(long, env = "APICHALLENGES_MAX_CONNECTIONS", default_value_t = 0)]
    max_connections: usize,

    /// New challengers one client address may create per 10 minutes (0: no limit).
    #[arg(long, env = "APICHALLENGES_CREATION_LIMIT", default_value_t = config::DEFAULT_CREATION_LIMIT)]
    creation_limit: usize,

    /// Behind a proxy: take the client address from Fly-Client-IP / X-Forwarded-For.
    #[arg(long, env = "APICHALLENGES_TRUST_PROXY", action = ArgAction::SetTrue, value_parser = config::parse_bool)]
    trust_proxy: bool,

    /// Log line format.
    #[arg(long, env = "APICHALLENGES_LOG_FORMAT", value_enum, default_value_t = Log::Text)]
    log_format: Log,

    /// Keep learners in Redis, shared by every instance given the same URL, instead of
    /// --data-dir: redis://[user:password@]host:port/db, or rediss:// for TLS.
    #[arg(long, env = "APICHALLENGES_REDIS_URL", value_name = "URL")]
    redis: Option<String>,

    /// Prefix of every Redis key, so several deployments can share one Redis.
    #[arg(long, env = "APICHALLENGES_REDIS_PREFIX", default_value = redis::DEFAULT_PREFIX, global = true)]
    redis_prefix: String,

    /// The --redis URL is one node of a Redis Cluster (the others are discovered).
    #[arg(long, env = "APICHALLENGES_REDIS_CLUSTER", global = true, action = ArgAction::SetTrue, value_parser = config::parse_bool)]
    redis_cluster: bool,

    /// PEM file of the CA certificate(s) a rediss:// server's certificate must chain to,
    /// for a Redis with a private CA; without it, the public CAs are trusted.
    #[arg(
        long,
        env = "APICHALLENGES_REDIS_CA",
        value_name = "FILE",
        global = true
    )]
    redis_ca: Option<PathBuf>,

    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Copy the learners saved in a data directory to Redis (learners already in Redis
    /// are left as they are), then exit. Honours --redis-prefix and --retention-days.
    Migrate {
        /// The data directory to copy from (read only; a server may be using it).
        #[arg(long, value_name = "DIR")]
        from_data_dir: PathBuf,
        /// The Redis to copy to.
        #[arg(long, value_name = "URL")]
        to_redis: String,
    },
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum Profile {
    Current,
    Classic,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum Bugs {
    Classic,
    None,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum Log {
    Text,
    Json,
}

impl Cli {
    fn config(&self) -> Config {
        Config {
            multi_user: self.multi_user,
            data_dir: self.data_dir.clone(),
            storage: !self.no_storage,
            retention: Duration::from_secs(self.retention_days * 24 * 60 * 60),
            idle_timeout: Duration::from_secs(self.idle_timeout),
            max_challengers: self.max_challengers,
            unlimited_todos: self.unlimited_todos,
            creation_limit: self.creation_limit,
            max_connections: match self.max_connections {
                0 => config::connections_for_memory(config::memory_limit()),
                n => n,
            },
            trust_proxy: self.trust_proxy,
            profile: match self.profile {
                Profile::Current => ProfileName::Current,
                Profile::Classic => ProfileName::Classic,
            },
            shop_bugs: match self.shop_bugs {
                Bugs::Classic => config::ShopBugs::Classic,
                Bugs::None => config::ShopBugs::None,
            },
            ..Config::default()
        }
    }

    /// How to reach Redis at `url`; the error (an unreadable --redis-ca) is a sentence.
    fn store_options(&self, url: &str) -> Result<StoreOptions, String> {
        let ca_pem = match &self.redis_ca {
            Some(path) => Some(redis::read_ca_file(path)?),
            None => None,
        };
        Ok(StoreOptions {
            url: url.to_string(),
            prefix: self.redis_prefix.clone(),
            retention: Duration::from_secs(self.retention_days * 24 * 60 * 60),
            cluster: self.redis_cluster,
            ca_pem,
        })
    }

    fn log_format(&self) -> LogFormat {
        match self.log_format {
            Log::Text => LogFormat::Text,
            Log::Json => LogFormat::Json,
        }
    }
}

/// Log at the level `RUST_LOG` names (error, warn, info, debug, trace); info otherwise.
/// Colour only on a terminal, and never when `NO_COLOR` holds a non-empty value.
fn init_logging(format: LogFormat) {
    use std::io::IsTerminal;
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let colour = std::io::stdout().is_terminal() && !no_color;
    let level = std::env::var("RUST_LOG")
        .ok()
        .and_then(|v| {
            v.trim()
                .parse::<tracing_subscriber::filter::LevelFilter>()
                .ok()
        })
        .unwrap_or(tracing_subscriber::filter::LevelFilter::INFO);
    let builder = tracing_subscriber::fmt()
        .with_max_level(level)
        .with_ansi(colour);
    match format {
        LogFormat::Text => builder.init(),
        LogFormat::Json => builder.json().init(),
    }
}

/// Connect to Redis, or explain on stderr why not and exit with status 1.
async fn connect(options: &StoreOptions) -> Result<SharedStore, String> {
    SharedStore::connect(options)
        .await
        .map_err(|e| format!("cannot use Redis at {}: {e}", redis::redacted(&options.url)))
}

/// `apichallenges migrate`: copy the learners saved in a data directory to Redis.
async fn migrate(cli: &Cli, from_data_dir: &std::path::Path, to_redis: &str) -> ExitCode {
    let connected = match cli.store_options(to_redis) {
        Ok(options) => connect(&options).await,
        Err(sentence) => Err(sentence),
    };
    let store = match connected {
        Ok(store) => store,
        Err(sentence) => {
            eprintln!("error: {sentence}");
            return ExitCode::FAILURE;
        }
    };
    match apichallenges::learners::migrate::migrate(from_data_dir, &store).await {
        Ok(done) => {
            println!(
                "copied {} learners to {} ({} already there, left as they were; {} unreadable, left out)",
                done.copied,
                redis::redacted(to_redis),
                done.already_there,
                done.unreadable
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: apichallenges migrate: {e}");
            ExitCode::FAILURE
        }
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    init_logging(cli.log_format());
    if let Some(Command::Migrate {
        from_data_dir,
        to_redis,
    }) = &cli.command
    {
        return migrate(&cli, from_data_dir, to_redis).await;
    }
    match run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(sentence) => {
            // A start-up failure is told to the host as one sentence, not debug output.
            eprintln!("error: {sentence}");
            ExitCode::FAILURE
        }
    }
}

/// Start, serve until a stop signal, and stop; an error is a sentence for the host.
async fn run(cli: Cli) -> Result<(), String> {
    // Register for signals before announcing start-up, so a SIGTERM sent as soon as
    // the start-up line appears is always handled.
    let stop = shutdown_signal().map_err(|e| {
        let reason = config::describe_io_error(&e);
        format!("cannot listen for stop signals: {reason}")
    })?;
    let config = cli.config();
    let store = match &cli.redis {
        Some(url) => Some(connect(&cli.store_options(url)?).await?),
        None => None,
    };
    let addr = SocketAddr::new(cli.bind, cli.port);
    let listener = listen(addr).map_err(|e| cannot_listen(addr, &e))?;
    let bound = listener.local_addr().map_err(|e| cannot_listen(addr, &e))?;
    let mode = if config.multi_user {
        "multi-user"
    } else {
        "single-user"
    };
    let profile = match config.profile {
        ProfileName::Current => "current",
        ProfileName::Classic => "classic",
    };
    let storage = match (&cli.redis, config.storage) {
        (Some(url), _) => format!(
            "redis {} (prefix {})",
            redis::redacted(url),
            cli.redis_prefix
        ),
        (None, true) => config.data_dir.display().to_string(),
        (None, false) => "none (--no-storage)".into(),
    };
    let max_connections = config.max_connections;
    let server = match store {
        Some(store) => apichallenges::serve_shared(config, store, listener),
        None => apichallenges::serve(config, listener),
    }
    .map_err(|e| e.to_string())?;
    let url = format!("http://{}/gui/challenges", browsable(bound));
    tracing::info!(
        address = %bound,
        mode,
        profile,
        data_dir = %storage,
        max_connections,
        "apichallenges started: open {url}"
    );
    stop.await;
    tracing::info!("shutting down");
    server.shutdown().await;
    Ok(())
}

/// The bind failure as a sentence, with the flag that fixes the usual causes.
fn cannot_listen(addr: SocketAddr, error: &std::io::Error) -> String {
    let hint = match error.kind() {
        std::io::ErrorKind::AddrInUse => " (try --port)",
        std::io::ErrorKind::AddrNotAvailable => " (try --bind)",
        std::io::ErrorKind::PermissionDenied => " (ports below 1024 need privileges; try --port)",
        _ => "",
    };
    let reason = config::describe_io_error(error);
    format!("cannot listen on {addr}: {reason}{hint}")
}

/// The address a browser on this machine opens: the loopback one when the server
/// listens on every address.
fn browsable(bound: SocketAddr) -> SocketAddr {
    match bound.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => {
            SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), bound.port())
        }
        IpAddr::V6(ip) if ip.is_unspecified() => {
            SocketAddr::new(IpAddr::V6(Ipv6Addr::LOCALHOST), bound.port())
        }
        _ => bound,
    }
}

/// Connections the kernel may hold ready for accepting. The usual default of 128
/// drops the handshakes of a burst (a class connecting at once, or a flood) and
/// makes those clients retry after a second or more; the kernel caps it at
/// `net.core.somaxconn`.
const LISTEN_BACKLOG: u32 = 4096;

fn listen(addr: SocketAddr) -> std::io::Result<tokio::net::TcpListener> {
    let socket = if addr.is_ipv4() {
        tokio::net::TcpSocket::new_v4()?
    } else {
        tokio::net::TcpSocket::new_v6()?
    };
    socket.set_reuseaddr(true)?;
    socket.bind(addr)?;
    socket.listen(LISTEN_BACKLOG)
}

/// A future that resolves on SIGTERM (container stop) or Ctrl-C. The handlers are
/// registered when this is called, not when the future is first polled.
fn shutdown_signal() -> std::io::Result<impl std::future::Future<Output = ()>> {
    #[cfg(unix)]
    let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())?;
    #[cfg(unix)]
    let mut interrupt = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::interrupt())?;
    Ok(async move {
        #[cfg(unix)]
        tokio::select! {
            _ = term.recv() => {}
            _ = interrupt.recv() => {}
        }
        #[cfg(not(unix))]
        let _ = tokio::signal::ctrl_c().await;
    })
}
