//! The shared store: learners kept in Redis so several instances serve the same
//! learners (`--redis URL`).
//!
//! One hash per learner, at `<prefix>{<guid>}`: the braces are a Redis Cluster hash
//! tag, so everything about one learner stays in one slot. Its fields:
//! - `v`: the learner's version, bumped by every write; an instance compares it with
//!   the version its in-memory copy was read at (one `HGET` per request);
//! - `token`, `note`, `todos`: the auth token, the secret note and the todo list
//!   (`{"next":N,"todos":[[id,"title",done,"description"?],...]}`);
//! - `done:<KEY>`: one field per completed challenge, so two instances recording
//!   different challenges at once both keep theirs (setting a field never undoes
//!   another's).
//!
//! Every write is the one Lua script [`WRITE_SCRIPT`]: it checks the version the
//! caller expects, writes, bumps `v` and refreshes the expiry, atomically. A caller
//! whose expectation fails re-reads the learner and re-runs its request (`api::shared`).
//!
//! Every command is bounded by a timeout: an unreachable Redis is an error in bounded
//! time, never a hang. The connection manager reconnects by itself when Redis returns.
//! With `cluster`, the same commands go through a Redis Cluster connection instead;
//! every command and script touches one key, so each runs on one node.
//!
//! `rediss://` is TLS through the crate's rustls support: the server's certificate
//! must chain to a public CA, or to the CAs of `--redis-ca` ([`read_ca_file`]).

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

use redis::aio::{ConnectionManager, ConnectionManagerConfig};
use redis::cluster::ClusterClient;
use redis::cluster_async::ClusterConnection;
use redis::{Script, TlsCertificates, Value};

use crate::learners::sqlite::Record;
use crate::todo::Todo;

/// How long one command may take, connecting included, before the request that needs
/// it is answered with 503.
pub const COMMAND_TIMEOUT: Duration = Duration::from_millis(1000);

/// Default key prefix.
pub const DEFAULT_PREFIX: &str = "apichallenges:";

/// Largest learner hash read back (a learner is at most ~30 KB: 20 todos of bounded
/// size, a 100-character note, ~100 challenge fields); anything bigger is not ours.
const MAX_FIELDS: usize = 512;

/// Write a learner atomically, if its version is what the caller expects.
///
/// KEYS[1]: the learner's hash. ARGV[1]: `*` (the learner must exist: adding
/// completed challenges), `0` (it must not exist: creating it) or the version the
/// caller's copy was read at (replacing it). ARGV[2]: expiry in milliseconds.
/// ARGV[3]: how many field/value pairs follow; then the pairs; then the names of
/// fields to delete. Answers `{1, new version}`, or `{0, current version}` (0 when
/// absent) when the expectation does not hold and nothing was written.
pub const WRITE_SCRIPT: &str = r#"
local current = tonumber(redis.call('HGET', KEYS[1], 'v') or '0')
local expect = ARGV[1]
if (expect == '*' and current == 0) or (expect ~= '*' and tonumber(expect) ~= current) then
  return {0, current}
end
local next = current + 1
if current == 0 then
  -- A new learner's first version is the server's time in microseconds, so a learner
  -- that expired and was written again never repeats a version an instance may hold.
  local now = redis.call('TIME')
  next = tonumber(now[1]) * 1000000 + tonumber(now[2])
end
local count = tonumber(ARGV[3])
local set = {'v', string.format('%.0f', next)}
for i = 4, 3 + 2 * count do set[#set + 1] = ARGV[i] end
redis.call('HSET', KEYS[1], unpack(set))
if #ARGV > 3 + 2 * count then
  redis.call('HDEL', KEYS[1], unpack(ARGV, 4 + 2 * count))
end
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return {1, next}
"#;

/// What a write expects of the learner's current version.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Expect {
    /// The learner exists (whatever its version): adding completed challenges, which
    /// commute with every other write.
    Exists,
    /// The learner does not exist yet.
    Absent,
    /// The learner is at exactly this version.
    Version(u64),
}

/// One write of a learner.
pub struct Write<'a> {
    pub expect: Expect,
    /// The learner's whole state (token, note, todos and completed challenges), or
    /// `None` to add only `completed`.
    pub state: Option<&'a Record>,
    /// Completed challenges to record (with `state`, its own list is used).
    pub completed: &'a [String],
    /// Completed challenges to forget (a restore that un-completes some).
    pub forgotten: &'a [String],
}

/// The answer to a write.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Written {
    /// Written; the learner's new version.
    Done(u64),
    /// Not written: the learner's version (0: absent) was not what the write expected.
    Conflict(u64),
}

/// Why the shared store could not answer.
#[derive(Debug)]
pub enum StoreError {
    /// Redis could not be reached.
    Unavailable(String),
    /// Redis did not answer within [`COMMAND_TIMEOUT`].
    TimedOut,
    /// A stored learner that does not decode (written by something else).
    Corrupt(String),
}

impl std::fmt::Display for StoreError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StoreError::Unavailable(e) => write!(f, "Redis unavailable: {e}"),
            StoreError::TimedOut => write!(f, "Redis did not answer within {COMMAND_TIMEOUT:?}"),
            StoreError::Corrupt(e) => write!(f, "stored learner unreadable: {e}"),
        }
    }
}

impl std::error::Error for StoreError {}

/// How to reach the shared store.
#[derive(Clone, Debug)]
pub struct StoreOptions {
    /// `redis://[user:password@]host:port/db` or `rediss://...` (TLS).
    pub url: String,
    /// Prepended to every key, so several deployments can share one Redis.
    pub prefix: String,
    /// Expiry of a learner's key, refreshed whenever it is used.
    pub retention: Duration,
    /// `url` is one node of a Redis Cluster (the others are discovered from it).
    pub cluster: bool,
    /// PEM certificates of the CAs a `rediss://` server's certificate must chain to
    /// (`--redis-ca`, read by [`read_ca_file`]); `None` trusts the public CAs.
    pub ca_pem: Option<Vec<u8>>,
}

/// The connection: to one Redis (reconnecting by itself), or to a Redis Cluster
/// (which routes each command to the node holding its key's slot).
#[derive(Clone)]
enum Connection {
    Node(ConnectionManager),
    Cluster(ClusterConnection),
}

impl redis::aio::ConnectionLike for Connection {
    fn req_packed_command<'a>(&'a mut self, cmd: &'a redis::Cmd) -> redis::RedisFuture<'a, Value> {
        match self {
            Connection::Node(c) => c.req_packed_command(cmd),
            Connection::Cluster(c) => c.req_packed_command(cmd),
        }
    }

    fn req_packed_commands<'a>(
        &'a mut self,
        pipeline: &'a redis::Pipeline,
        offset: usize,
        count: usize,
    ) -> redis::RedisFuture<'a, Vec<Value>> {
        match self {
            Connection::Node(c) => c.req_packed_commands(pipeline, offset, count),
            Connection::Cluster(c) => c.req_packed_commands(pipeline, offset, count),
        }
    }

    fn get_db(&self) -> i64 {
        match self {
            Connection::Node(c) => c.get_db(),
            Connection::Cluster(c) => c.get_db(),
        }
    }
}

/// A connection to the shared store.
pub struct SharedStore {
    connection: Connection,
    prefix: String,
    retention_ms: u64,
    write: Script,
    /// Whether the last command got an answer (for the heartbeat and logs).
    reachable: AtomicBool,
    /// Commands that failed or timed out, since start.
    failures: AtomicU64,
    /// Changing requests of one learner take turns on this instance (striped by GUID),
    /// so a re-run after a conflict never repeats another local request's change.
    turns: Box<[tokio::sync::Mutex<()>]>,
}

/// Stripes of [`SharedStore::turn`]: learners sharing one wait for each other only
/// while one of them is being changed.
const TURN_STRIPES: usize = 1024;

impl SharedStore {
    /// Connect and check Redis answers; the error says why not (without the password).
    pub async fn connect(options: &StoreOptions) -> Result<SharedStore, StoreError> {
        if options.prefix.contains(['{', '}']) {
            // Redis Cluster would take the prefix's braces as the hash tag.
            return Err(StoreError::Unavailable(
                "the key prefix must not contain { or }".into(),
            ));
        }
        install_tls_provider();
        let invalid =
            |e: redis::RedisError| StoreError::Unavailable(format!("invalid Redis URL: {e}"));
        let tls = options
            .url
            .get(..9)
            .is_some_and(|scheme| scheme.eq_ignore_ascii_case("rediss://"));
        if options.ca_pem.is_some() && !tls {
            return Err(StoreError::Unavailable(
                "--redis-ca needs a rediss:// (TLS) URL".into(),
            ));
        }
        // The crate's own TLS settings: these CAs replace the public ones it trusts
        // by default.
        let certificates = options.ca_pem.as_ref().map(|pem| TlsCertificates {
            client_tls: None,
            root_cert: Some(pem.clone()),
        });
        let connecting = async {
            if options.cluster {
                let mut builder = ClusterClient::builder(vec![options.url.as_str()])
                    .connection_timeout(Duration::from_millis(1000))
                    .response_timeout(COMMAND_TIMEOUT)
                    .retries(2);
                if let Some(certificates) = certificates {
                    builder = builder.certs(certificates);
                }
                let client = builder.build().map_err(invalid)?;
                let connection = client.get_async_connection().await;
                return connection.map(Connection::Cluster).map_err(unavailable);
            }
            let client = match certificates {
                Some(certificates) => {
                    redis::Client::build_with_tls(options.url.as_str(), certificates)
                }
                None => redis::Client::open(options.url.as_str()),
            }
            .map_err(invalid)?;
            // A few quick retries with a short connect timeout: a request waits at
            // most COMMAND_TIMEOUT for a Redis that went away, and reconnection is
            // retried on the next command after that.
            let config = ConnectionManagerConfig::new()
                .set_connection_timeout(Some(Duration::from_millis(1000)))
                .set_response_timeout(Some(COMMAND_TIMEOUT))
                .set_number_of_retries(2)
                .set_min_delay(Duration::from_millis(50))
                .set_max_delay(Duration::from_millis(200));
            ConnectionManager::new_with_config(client, config)
                .await
                .map(Connection::Node)
                .map_err(unavailable)
        };
        let connection = tokio::time::timeout(COMMAND_TIMEOUT * 3, connecting)
            .await
            .map_err(|_| StoreError::TimedOut)?
            .map_err(|e| match e {
                // rustls says why it refused the server's certificate; say what helps.
                StoreError::Unavailable(reason)
                    if options.ca_pem.is_none() && reason.contains("UnknownIssuer") =>
                {
                    StoreError::Unavailable(format!(
                        "{reason} (the server's certificate is not signed by a public CA; \
                         give its CA with --redis-ca FILE)"
                    ))
                }
                other => other,
            })?;
        let store = SharedStore {
            connection,
            prefix: options.prefix.clone(),
            retention_ms: options.retention.as_millis().clamp(1, u64::MAX as u128) as u64,
            write: Script::new(WRITE_SCRIPT),
            reachable: AtomicBool::new(true),
            failures: AtomicU64::new(0),
            turns: (0..TURN_STRIPES)
                .map(|_| tokio::sync::Mutex::new(()))
                .collect(),
        };
        store.ping().await?;
        Ok(store)
    }

    /// The key of a learner's hash.
    pub fn key(&self, guid: &str) -> String {
        format!("{}{{{}}}", self.prefix, guid)
    }

    /// Which turn stripe a learner's changing requests take on this instance.
    pub fn turn_index(&self, guid: &str) -> usize {
        // FNV-1a: cheap, and GUIDs are random anyway.
        let hash = guid.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
        });
        (hash % TURN_STRIPES as u64) as usize
    }

    /// The turn of stripe `index` (from [`SharedStore::turn_index`]).
    pub fn turn(&self, index: usize) -> &tokio::sync::Mutex<()> {
        &self.turns[index % TURN_STRIPES]
    }

    /// The learner's expiry, in milliseconds.
    pub fn retention_ms(&self) -> u64 {
        self.retention_ms
    }

    /// Whether the last command was answered.
    pub fn is_reachable(&self) -> bool {
        self.reachable.load(Ordering::Relaxed)
    }

    /// Commands that failed or timed out since start.
    pub fn failures(&self) -> u64 {
        self.failures.load(Ordering::Relaxed)
    }

    /// Send a read (which may be repeated safely): when the connection turns out to
    /// have been lost (Redis restarted), the connection manager reconnects and the
    /// read is sent once more, so the first request after an outage still succeeds.
    /// Writes are never repeated here: one whose answer was lost may have happened.
    async fn read<T, F>(&self, send: impl Fn() -> F) -> Result<T, StoreError>
    where
        F: std::future::Future<Output = redis::RedisResult<T>>,
    {
        match self.run(send()).await {
            // Not after a timeout: the request's wait stays bounded by one timeout.
            Err(StoreError::Unavailable(_)) => self.run(send()).await,
            outcome => outcome,
        }
    }

    /// Send one command or pipeline, bounded by [`COMMAND_TIMEOUT`].
    async fn run<T>(
        &self,
        what: impl std::future::Future<Output = redis::RedisResult<T>>,
    ) -> Result<T, StoreError> {
        let outcome = match tokio::time::timeout(COMMAND_TIMEOUT, what).await {
            Ok(Ok(value)) => Ok(value),
            Ok(Err(e)) if is_unavailable(&e) => Err(StoreError::Unavailable(e.to_string())),
            Ok(Err(e)) => {
                // Redis answered, but with an error: it is up; the data is not ours.
                self.reachable.store(true, Ordering::Relaxed);
                return Err(StoreError::Corrupt(e.to_string()));
            }
            Err(_) => Err(StoreError::TimedOut),
        };
        let was = self.reachable.swap(outcome.is_ok(), Ordering::Relaxed);
        if outcome.is_err() {
            self.failures.fetch_add(1, Ordering::Relaxed);
        }
        match (&outcome, was) {
            (Err(e), true) => tracing::error!(error = %e, "lost the shared store"),
            (Ok(_), false) => tracing::info!("shared store reachable again"),
            _ => {}
        }
        outcome
    }

    /// `PING`: is Redis answering?
    pub async fn ping(&self) -> Result<(), StoreError> {
        let _: String = self
            .read(|| {
                let mut connection = self.connection.clone();
                async move { redis::cmd("PING").query_async(&mut connection).await }
            })
            .await?;
        Ok(())
    }

    /// The learner's current version (0: not stored): one `HGET`.
    pub async fn version(&self, guid: &str) -> Result<u64, StoreError> {
        let key = self.key(guid);
        let version: Option<u64> = self
            .read(|| {
                let mut connection = self.connection.clone();
                let command = redis::cmd("HGET").arg(&key).arg("v").clone();
                async move { command.query_async(&mut connection).await }
            })
            .await?;
        Ok(version.unwrap_or(0))
    }

    /// Push the learner's expiry `retention` into the future: one `PEXPIRE`.
    pub async fn refresh_expiry(&self, guid: &str) -> Result<(), StoreError> {
        let key = self.key(guid);
        let _: i64 = self
            .read(|| {
                let mut connection = self.connection.clone();
                let command = redis::cmd("PEXPIRE")
                    .arg(&key)
                    .arg(self.retention_ms)
                    .clone();
                async move { command.query_async(&mut connection).await }
            })
            .await?;
        Ok(())
    }

    /// The learner as stored, with its version; `None` when not stored. With
    /// `refresh`, its expiry is refreshed in the same round trip (a second command).
    pub async fn load(
        &self,
        guid: &str,
        refresh: bool,
    ) -> Result<Option<(u64, Record)>, StoreError> {
        let key = self.key(guid);
        let mut pipe = redis::pipe();
        pipe.cmd("HGETALL").arg(&key);
        if refresh {
            pipe.cmd("PEXPIRE")
                .arg(&key)
                .arg(self.retention_ms)
                .ignore();
        }
        let (fields,): (Vec<(String, Vec<u8>)>,) = self
            .read(|| {
                let mut connection = self.connection.clone();
                let pipe = pipe.clone();
                async move { pipe.query_async(&mut connection).await }
            })
            .await?;
        if fields.is_empty() {
            return Ok(None);
        }
        decode(guid, fields).map(Some).map_err(StoreError::Corrupt)
    }

    /// Write a learner (see [`WRITE_SCRIPT`]).
    ///
    /// After a failed command the connection may be one Redis no longer holds (it
    /// restarted): a `PING` first lets the connection manager replace it, since the
    /// write itself is sent only once (one whose answer was lost may have happened,
    /// and sending it again could apply a change twice), except a creation.
    pub async fn write(&self, guid: &str, write: &Write<'_>) -> Result<Written, StoreError> {
        if !self.is_reachable() {
            self.ping().await?;
        }
        let mut invocation = self.write.key(self.key(guid));
        invocation.arg(match write.expect {
            Expect::Exists => "*".to_string(),
            Expect::Absent => "0".to_string(),
            Expect::Version(v) => v.to_string(),
        });
        invocation.arg(self.retention_ms);
        let completed = write.state.map_or(write.completed, |r| &r.completed);
        let state_pairs = if write.state.is_some() { 3 } else { 0 };
        invocation.arg(state_pairs + completed.len());
        if let Some(record) = write.state {
            invocation
                .arg("token")
                .arg(&record.auth_token)
                .arg("note")
                .arg(&record.note)
                .arg("todos")
                .arg(encode_todos(&record.todos, record.next_id));
        }
        for key in completed {
            invocation.arg(format!("done:{key}")).arg("1");
        }
        for key in write.forgotten {
            invocation.arg(format!("done:{key}"));
        }
        let send = || {
            let mut connection = self.connection.clone();
            let invocation = &invocation;
            async move { invocation.invoke_async(&mut connection).await }
        };
        let (written, version): (u64, u64) = match write.expect {
            // Creating is safe to send again: if the first one did happen, the second
            // finds the learner there and reports a conflict; nothing is applied twice.
            Expect::Absent => self.read(send).await?,
            _ => self.run(send()).await?,
        };
        Ok(if written == 1 {
            Written::Done(version)
        } else {
            Written::Conflict(version)
        })
    }
}

fn unavailable(e: redis::RedisError) -> StoreError {
    StoreError::Unavailable(e.to_string())
}

/// Errors that mean "Redis is not there" rather than "Redis said no".
fn is_unavailable(e: &redis::RedisError) -> bool {
    e.is_io_error()
        || e.is_connection_dropped()
        || e.is_connection_refusal()
        || e.is_timeout()
        || e.is_unrecoverable_error()
}

/// rustls needs one process-wide crypto provider for `rediss://`.
fn install_tls_provider() {
    // Fails only when one is installed already, which is what we want.
    let _ = rustls::crypto::ring::default_provider().install_default();
}

/// Largest `--redis-ca` file read: a full public CA bundle is about 250 KB.
const MAX_CA_FILE_BYTES: u64 = 4 * 1024 * 1024;

/// Read `--redis-ca`: a PEM file holding at least one certificate; the error is a
/// sentence for the host (what is wrong with the file, not a panic).
pub fn read_ca_file(path: &std::path::Path) -> Result<Vec<u8>, String> {
    use rustls::pki_types::pem::PemObject;
    use rustls::pki_types::CertificateDer;
    let shown = path.display();
    let mut pem = Vec::new();
    std::fs::File::open(path)
        .and_then(|file| {
            use std::io::Read;
            file.take(MAX_CA_FILE_BYTES + 1).read_to_end(&mut pem)
        })
        .map_err(|e| {
            let reason = crate::config::describe_io_error(&e);
            format!("cannot read the --redis-ca file {shown}: {reason}")
        })?;
    if pem.len() as u64 > MAX_CA_FILE_BYTES {
        // A mistaken path (a device, a disk image) must not fill memory.
        return Err(format!(
            "the --redis-ca file {shown} is larger than {MAX_CA_FILE_BYTES} bytes; it is not a CA bundle"
        ));
    }
    // The checks the crate makes when it builds the client, made here so a file it
    // would refuse is a start-up error naming the file.
    let mut roots = rustls::RootCertStore::empty();
    for certificate in CertificateDer::pem_slice_iter(&pem) {
        let certificate = certificate.map_err(|e| {
            format!(
                "the --redis-ca file {shown} is not valid PEM: {}",
                pem_problem(&e)
            )
        })?;
        roots.add(certificate).map_err(|e| {
            format!("the --redis-ca file {shown} holds a certificate that is not a usable CA: {e}")
        })?;
    }
    if roots.is_empty() {
        return Err(format!(
            "the --redis-ca file {shown} holds no PEM certificate (-----BEGIN CERTIFICATE-----)"
        ));
    }
    Ok(pem)
}

/// What is wrong with a PEM file, in words (the parser's own text lists bytes).
fn pem_problem(error: &rustls::pki_types::pem::Error) -> String {
    use rustls::pki_types::pem::Error;
    match error {
        Error::MissingSectionEnd { .. } => "a block has no -----END ...----- line".into(),
        Error::IllegalSectionStart { .. } => "a -----BEGIN ...----- line is malformed".into(),
        Error::Base64Decode(_) => "a block is not base64".into(),
        Error::SectionTooLarge => "a block is too large".into(),
        other => other.to_string(),
    }
}

/// The URL with any password replaced, for messages and logs.
pub fn redacted(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return "(invalid URL)".into();
    };
    match rest.rsplit_once('@') {
        Some((user_info, host)) => {
            let user = user_info.split(':').next().unwrap_or("");
            format!("{scheme}://{user}:***@{host}")
        }
        None => url.to_string(),
    }
}

/// The todo list as stored: `{"next":N,"todos":[[id,"title",done,"description"?],...]}`.
fn encode_todos(todos: &[Todo], next_id: u64) -> String {
    let list: Vec<serde_json::Value> = todos
        .iter()
        .map(|t| {
            let mut fields = vec![t.id.into(), t.title.clone().into(), t.done_status.into()];
            if !t.description.is_empty() {
                fields.push(t.description.clone().into());
            }
            serde_json::Value::Array(fields)
        })
        .collect();
    serde_json::json!({ "next": next_id, "todos": list }).to_string()
}

fn decode_todos(bytes: &[u8]) -> Result<(Vec<Todo>, u64), String> {
    let value: serde_json::Value =
        serde_json::from_slice(bytes).map_err(|e| format!("todos are not JSON: {e}"))?;
    let next = value
        .get("next")
        .and_then(serde_json::Value::as_u64)
        .ok_or("todos without next")?;
    let items = value
        .get("todos")
        .and_then(serde_json::Value::as_array)
        .ok_or("todos without a list")?;
    let mut todos = Vec::with_capacity(items.len());
    for item in items {
        let fields = item.as_array().ok_or("a todo is not a list")?;
        let text = |i: usize| fields.get(i).and_then(serde_json::Value::as_str);
        let (Some(id), Some(title), Some(done)) = (
            fields.first().and_then(serde_json::Value::as_u64),
            text(1),
            fields.get(2).and_then(serde_json::Value::as_bool),
        ) else {
            return Err("a todo lacks id, title or done".into());
        };
        todos.push(Todo {
            id,
            title: title.to_string(),
            done_status: done,
            description: text(3).unwrap_or("").to_string(),
        });
    }
    Ok((todos, next))
}

/// A learner's hash as a record and its version.
fn decode(guid: &str, fields: Vec<(String, Vec<u8>)>) -> Result<(u64, Record), String> {
    if fields.len() > MAX_FIELDS {
        return Err(format!("{} fields", fields.len()));
    }
    let mut version = None;
    let mut record = Record {
        guid: guid.to_string(),
        auth_token: String::new(),
        note: String::new(),
        completed: Vec::new(),
        todos: Vec::new(),
        next_id: 0,
    };
    let mut has_todos = false;
    for (name, value) in fields {
        let text = || String::from_utf8(value.clone()).map_err(|_| format!("{name} is not UTF-8"));
        match name.as_str() {
            "v" => version = text()?.parse::<u64>().ok(),
            "token" => record.auth_token = text()?,
            "note" => record.note = text()?,
            "todos" => {
                (record.todos, record.next_id) = decode_todos(&value)?;
                has_todos = true;
            }
            _ => {
                if let Some(key) = name.strip_prefix("done:") {
                    record.completed.push(key.to_string());
                }
            }
        }
    }
    match (version, has_todos) {
        (Some(v), true) if v > 0 => Ok((v, record)),
        _ => Err("no version or no todos".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_redacted() {
        assert_eq!(
            redacted("rediss://default:s3cret@example.com:6380/0"),
            "rediss://default:***@example.com:6380/0"
        );
        assert_eq!(redacted("redis://127.0.0.1:6379"), "redis://127.0.0.1:6379");
        assert_eq!(redacted("nonsense"), "(invalid URL)");
    }

    #[test]
    fn todos_round_trip() {
        let todos = vec![
            Todo {
                id: 3,
                title: "a \"quoted\" title".into(),
                done_status: true,
                description: String::new(),
            },
            Todo {
                id: 7,
                title: "b".into(),
                done_status: false,
                description: "line\nbreak".into(),
            },
        ];
        let text = encode_todos(&todos, 12);
        assert_eq!(decode_todos(text.as_bytes()).unwrap(), (todos, 12));
    }

    #[test]
    fn hostile_hashes_are_refused_not_panicked_on() {
        for todos in [
            &b"not json"[..],
            b"{}",
            b"{\"next\":1,\"todos\":[[1]]}",
            b"{\"next\":1,\"todos\":[[\"x\",\"t\",true]]}",
            b"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[",
        ] {
            assert!(decode_todos(todos).is_err());
        }
        let fields = vec![("v".to_string(), b"1".to_vec())];
        assert!(decode("g", fields).is_err(), "no todos");
        let many = (0..1000)
            .map(|i| (format!("done:{i}"), b"1".to_vec()))
            .collect();
        assert!(decode("g", many).is_err(), "too many fields");
        let fields = vec![
            ("v".to_string(), b"4".to_vec()),
            ("todos".to_string(), b"{\"next\":11,\"todos\":[]}".to_vec()),
            ("done:GET_TODOS".to_string(), b"1".to_vec()),
            ("token".to_string(), vec![0xff]),
        ];
        assert!(decode("g", fields).is_err(), "token not UTF-8");
    }
}
