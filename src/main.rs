//! The command line: parse flags, set up logging, serve until SIGTERM or Ctrl-C.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use apichallenges::config::{self, LogFormat, ProfileName};
use apichallenges::learners::redis::{self, SharedStore, StoreOptions};
use apichallenges::Config;
use clap::{Parser, Subcommand, ValueEnum};

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
    #[arg(long, visible_alias = "multiplayer", env = "APICHALLENGES_MULTI_USER")]
    multi_user: bool,

    /// Directory where learners' progress is saved.
    #[arg(long, env = "APICHALLENGES_DATA_DIR", default_value = "./data")]
    data_dir: PathBuf,

    /// Keep everything in memory: nothing is saved or restored.
    #[arg(long, env = "APICHALLENGES_NO_STORAGE")]
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
    #[arg(long, env = "APICHALLENGES_UNLIMITED_TODOS")]
    unlimited_todos: bool,

    /// Which generation of challenges to serve.
    #[arg(long, env = "APICHALLENGES_PROFILE", value_enum, default_value_t = Profile::Current)]
    profile: Profile,

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
    #[arg(long, env = "APICHALLENGES_REDIS_CLUSTER", global = true)]
    redis_cluster: bool,

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
            profile: match self.profile {
                Profile::Current => ProfileName::Current,
                Profile::Classic => ProfileName::Classic,
            },
            ..Config::default()
        }
    }

    fn store_options(&self, url: &str) -> StoreOptions {
        StoreOptions {
            url: url.to_string(),
            prefix: self.redis_prefix.clone(),
            retention: Duration::from_secs(self.retention_days * 24 * 60 * 60),
            cluster: self.redis_cluster,
        }
    }

    fn log_format(&self) -> LogFormat {
        match self.log_format {
            Log::Text => LogFormat::Text,
            Log::Json => LogFormat::Json,
        }
    }
}

/// Log at the level `RUST_LOG` names (error, warn, info, debug, trace); info otherwise.
fn init_logging(format: LogFormat) {
    let level = std::env::var("RUST_LOG")
        .ok()
        .and_then(|v| {
            v.trim()
                .parse::<tracing_subscriber::filter::LevelFilter>()
                .ok()
        })
        .unwrap_or(tracing_subscriber::filter::LevelFilter::INFO);
    let builder = tracing_subscriber::fmt().with_max_level(level);
    match format {
        LogFormat::Text => builder.init(),
        LogFormat::Json => builder.json().init(),
    }
}

/// Connect to Redis, or explain on stderr why not and exit with status 1.
async fn connect_or_exit(options: &StoreOptions) -> SharedStore {
    match SharedStore::connect(options).await {
        Ok(store) => store,
        Err(e) => {
            eprintln!(
                "apichallenges: cannot use Redis at {}: {e}",
                redis::redacted(&options.url)
            );
            std::process::exit(1);
        }
    }
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let cli = Cli::parse();
    init_logging(cli.log_format());
    if let Some(Command::Migrate {
        from_data_dir,
        to_redis,
    }) = &cli.command
    {
        let store = connect_or_exit(&cli.store_options(to_redis)).await;
        match apichallenges::learners::migrate::migrate(from_data_dir, &store).await {
            Ok(done) => {
                println!(
                    "copied {} learners to {} ({} already there, left as they were; {} unreadable, left out)",
                    done.copied,
                    redis::redacted(to_redis),
                    done.already_there,
                    done.unreadable
                );
                return Ok(());
            }
            Err(e) => {
                eprintln!("apichallenges migrate: {e}");
                std::process::exit(1);
            }
        }
    }
    // Register for signals before announcing start-up, so a SIGTERM sent as soon as
    // the start-up line appears is always handled.
    let stop = shutdown_signal()?;
    let config = cli.config();
    let store = match &cli.redis {
        Some(url) => Some(connect_or_exit(&cli.store_options(url)).await),
        None => None,
    };
    let addr = SocketAddr::new(cli.bind, cli.port);
    let listener = tokio::net::TcpListener::bind(addr).await?;
    let storage = match (&cli.redis, config.storage) {
        (Some(url), _) => format!(
            "redis {} (prefix {})",
            redis::redacted(url),
            cli.redis_prefix
        ),
        (None, true) => config.data_dir.display().to_string(),
        (None, false) => "none (--no-storage)".into(),
    };
    tracing::info!(
        mode = if config.multi_user { "multi-user" } else { "single-user" },
        profile = ?config.profile,
        address = %listener.local_addr()?,
        storage = %storage,
        "apichallenges started"
    );
    let server = match store {
        Some(store) => apichallenges::serve_shared(config, store, listener)?,
        None => apichallenges::serve(config, listener)?,
    };
    stop.await;
    tracing::info!("shutting down");
    server.shutdown().await;
    Ok(())
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
