//! Scale-out tests: a real redis-server and real instances of the binary on
//! 127.0.0.1, requests rotated over the instances as a round-robin balancer would.
//!
//! Run with `cargo test --features redis-tests --test redis` (needs `redis-server`
//! on PATH; .ci/run installs it). Without the feature this target is not built, so
//! a plain `cargo test` needs no Redis.

#[path = "../support/binary.rs"]
mod binary;
mod harness;

use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};

use harness::*;

const ADMIN: (&str, &str) = ("Authorization", "Basic YWRtaW46cGFzc3dvcmQ=");

#[test]
fn a_change_on_one_instance_is_seen_by_the_next_request_on_any_other() {
    let cluster = Cluster::start(&[]);
    let guid = new_learner(cluster.at(0));
    for i in 0..9 {
        let title = format!("todo {i}");
        let created = create_todo(cluster.at(i), &guid, &title);
        assert_eq!(created.status, 201, "{created:?}");
        // The very next request, on the next instance, sees it.
        let seen = titles(cluster.at(i + 1), &guid);
        assert!(
            seen.contains(&title),
            "instance {} sees {title}",
            (i + 1) % 3
        );
    }
    // Amend and delete on one, read on another.
    let amended = send(
        cluster.at(1),
        "POST",
        "/api/todos/11",
        &[
            ("X-CHALLENGER", &guid),
            ("Content-Type", "application/json"),
        ],
        r#"{"title":"renamed"}"#,
    );
    assert_eq!(amended.status, 200, "{amended:?}");
    assert!(titles(cluster.at(2), &guid).contains(&"renamed".to_string()));
    let deleted = send(
        cluster.at(2),
        "DELETE",
        "/api/todos/11",
        &[("X-CHALLENGER", &guid)],
        "",
    );
    assert_eq!(deleted.status, 204, "{deleted:?}");
    assert!(!titles(cluster.at(0), &guid).contains(&"renamed".to_string()));

    // Token from one instance, note written through a second, read through a third.
    let token = send(
        cluster.at(0),
        "POST",
        "/api/secret/token",
        &[("X-CHALLENGER", &guid), ADMIN],
        "",
    );
    assert_eq!(token.status, 201, "{token:?}");
    let token = token.header("x-auth-token").unwrap().to_string();
    let auth = [
        ("X-CHALLENGER", guid.as_str()),
        ("X-AUTH-TOKEN", token.as_str()),
    ];
    let headers = [auth[0], auth[1], ("Content-Type", "application/json")];
    let noted = send(
        cluster.at(1),
        "POST",
        "/api/secret/note",
        &headers,
        r#"{"note":"shared"}"#,
    );
    assert_eq!(noted.status, 200, "{noted:?}");
    let read = send(cluster.at(2), "GET", "/api/secret/note", &auth, "");
    assert_eq!(read.status, 200, "{read:?}");
    assert!(read.body.contains("shared"), "{read:?}");

    // Progress recorded on any instance shows on every instance, API and pages.
    for i in 0..3 {
        let status = progress(cluster.at(i), &guid);
        for key in ["POST_TODOS", "DELETE_A_TODO", "POST_SECRET_NOTE_200"] {
            assert_eq!(status[key], true, "{key} on instance {i}: {status}");
        }
    }
    let fresh = start_instance(&cluster.redis, &cluster.prefix, &[]);
    let page = send(
        &fresh.addr,
        "GET",
        &format!("/gui/challenge-status/{guid}"),
        &[],
        "",
    );
    assert_eq!(page.status, 200, "{page:?}");
    let page: serde_json::Value = serde_json::from_str(&page.body).unwrap();
    assert!(page["completed"].as_u64().unwrap() >= 5, "{page}");
}

#[test]
fn thirty_parallel_creates_over_three_instances_make_exactly_ten() {
    let cluster = Arc::new(Cluster::start(&[]));
    let guid = Arc::new(new_learner(cluster.at(0)));
    let start = Arc::new(Barrier::new(30));
    let threads: Vec<_> = (0..30)
        .map(|i| {
            let (cluster, guid, start) = (cluster.clone(), guid.clone(), start.clone());
            std::thread::spawn(move || {
                start.wait();
                create_todo(cluster.at(i), &guid, &format!("parallel {i}")).status
            })
        })
        .collect();
    let statuses: Vec<u16> = threads.into_iter().map(|t| t.join().unwrap()).collect();
    let created = statuses.iter().filter(|&&s| s == 201).count();
    // The limit's refusal (409 in this profile), never a server error.
    let refused = statuses.iter().filter(|&&s| s == 409).count();
    assert_eq!((created, refused), (10, 20), "statuses: {statuses:?}");
    for i in 0..3 {
        let seen = titles(cluster.at(i), &guid);
        assert_eq!(seen.len(), 20, "instance {i}: {seen:?}");
        let parallel = seen.iter().filter(|t| t.starts_with("parallel ")).count();
        assert_eq!(parallel, 10, "instance {i}: {seen:?}");
    }
}

#[test]
fn challenges_completed_at_once_on_different_instances_are_all_kept() {
    let cluster = Arc::new(Cluster::start(&[]));
    let guid = Arc::new(new_learner(cluster.at(0)));
    // Read-only requests, each completing a different challenge, all at once.
    let requests: [(&str, &str, &str); 6] = [
        ("GET", "/api/todos", "GET_TODOS"),
        ("HEAD", "/api/todos", "GET_HEAD_TODOS"),
        ("GET", "/api/todos/1", "GET_TODO"),
        ("GET", "/api/todo", "GET_TODOS_NOT_PLURAL_404"),
        ("GET", "/api/todos/999", "GET_TODO_404"),
        ("GET", "/api/challenges", "GET_CHALLENGES"),
    ];
    let start = Arc::new(Barrier::new(requests.len()));
    let threads: Vec<_> = requests
        .iter()
        .enumerate()
        .map(|(i, &(method, path, _))| {
            let (cluster, guid, start) = (cluster.clone(), guid.clone(), start.clone());
            std::thread::spawn(move || {
                start.wait();
                send(cluster.at(i), method, path, &[("X-CHALLENGER", &guid)], "").status
            })
        })
        .collect();
    for t in threads {
        assert!(t.join().unwrap() < 500);
    }
    for i in 0..3 {
        let status = progress(cluster.at(i), &guid);
        for (_, _, key) in requests {
            assert_eq!(status[key], true, "{key} on instance {i}: {status}");
        }
    }
}

#[test]
fn kill_9_of_an_instance_loses_nothing_it_acknowledged() {
    let mut cluster = Cluster::start(&[]);
    let guid = new_learner(cluster.at(0));
    for i in 0..5 {
        assert_eq!(
            create_todo(cluster.at(0), &guid, &format!("kept {i}")).status,
            201
        );
    }
    cluster.instances.remove(0).kill();
    let seen = titles(cluster.at(0), &guid);
    for i in 0..5 {
        assert!(seen.contains(&format!("kept {i}")), "{seen:?}");
    }
    // A brand-new instance sees it too.
    let fresh = start_instance(&cluster.redis, &cluster.prefix, &[]);
    assert_eq!(titles(&fresh.addr, &guid), seen);
    assert_eq!(progress(&fresh.addr, &guid)["POST_TODOS"], true);
}

#[test]
fn redis_lost_means_503_in_bounded_time_then_recovery_without_restart() {
    let mut cluster = Cluster::start(&[]);
    let guid = new_learner(cluster.at(0));
    assert_eq!(
        create_todo(cluster.at(0), &guid, "before the outage").status,
        201
    );
    assert_eq!(
        send(cluster.at(1), "GET", "/api/heartbeat", &[], "").status,
        204
    );

    cluster.redis.stop();
    for i in 0..3 {
        let started = Instant::now();
        let got = create_todo(cluster.at(i), &guid, "during the outage");
        assert_eq!(got.status, 503, "{got:?}");
        assert!(got
            .header("content-type")
            .unwrap()
            .starts_with("text/plain"));
        assert!(got.body.contains("Redis"), "{got:?}");
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "answered within 5 s"
        );
        let read = send(
            cluster.at(i),
            "GET",
            "/api/todos",
            &[("X-CHALLENGER", &guid)],
            "",
        );
        assert_eq!(read.status, 503, "{read:?}");
        let beat = send(cluster.at(i), "GET", "/api/heartbeat", &[], "");
        assert_eq!(beat.status, 503, "heartbeat reports the outage: {beat:?}");
        assert_eq!(metric(cluster.at(i), "apichallenges_shared_store_up"), 0);
        assert!(metric(cluster.at(i), "apichallenges_shared_store_failures_total") > 0);
    }
    // Pages that need no learner still answer; a learner's page cannot.
    assert_eq!(send(cluster.at(0), "GET", "/", &[], "").status, 200);
    let page = send(
        cluster.at(0),
        "GET",
        &format!("/gui/challenges/{guid}"),
        &[],
        "",
    );
    assert_eq!(page.status, 503, "{page:?}");

    cluster.redis.restart();
    // The same instances recover by themselves (their connection reconnects).
    let deadline = Instant::now() + Duration::from_secs(10);
    while send(cluster.at(0), "GET", "/api/heartbeat", &[], "").status != 204 {
        assert!(Instant::now() < deadline, "heartbeat recovers within 10 s");
        std::thread::sleep(Duration::from_millis(50));
    }
    let fresh = new_learner(cluster.at(1));
    assert_eq!(
        create_todo(cluster.at(2), &fresh, "after the outage").status,
        201
    );
    assert!(titles(cluster.at(0), &fresh).contains(&"after the outage".to_string()));
    assert_eq!(metric(cluster.at(1), "apichallenges_shared_store_up"), 1);
    // Redis came back empty: the learner an instance still holds is written back
    // from that copy, and nothing refused during the outage appears.
    let seen = titles(cluster.at(0), &guid);
    assert!(seen.contains(&"before the outage".to_string()), "{seen:?}");
    assert!(!seen.contains(&"during the outage".to_string()), "{seen:?}");
    assert_eq!(titles(cluster.at(1), &guid), seen);
    let page = send(
        cluster.at(2),
        "GET",
        &format!("/gui/challenges/{guid}"),
        &[],
        "",
    );
    assert_eq!(page.status, 200, "{page:?}");
}

#[test]
fn keys_are_prefixed_hash_tagged_and_expire_after_the_retention_refreshed_on_use() {
    let cluster = Cluster::start(&["--retention-days", "2"]);
    let guid = new_learner(cluster.at(0));
    let mut redis = cluster.redis.client();
    let keys: Vec<String> = redis::cmd("KEYS")
        .arg(format!("{}*", cluster.prefix))
        .query(&mut redis)
        .unwrap();
    assert_eq!(keys, vec![cluster.key(&guid)]);
    let two_days: i64 = 2 * 24 * 3600;
    let ttl = |redis: &mut redis::Connection| -> i64 {
        redis::cmd("TTL")
            .arg(cluster.key(&guid))
            .query(redis)
            .unwrap()
    };
    let fresh = ttl(&mut redis);
    assert!(fresh > two_days - 60 && fresh <= two_days, "TTL {fresh}");
    // Shorten it by hand; using the learner puts it back.
    let _: i64 = redis::cmd("EXPIRE")
        .arg(cluster.key(&guid))
        .arg(100)
        .query(&mut redis)
        .unwrap();
    assert!(ttl(&mut redis) <= 100);
    assert_eq!(create_todo(cluster.at(1), &guid, "refresh").status, 201);
    let refreshed = ttl(&mut redis);
    assert!(refreshed > two_days - 60, "TTL {refreshed}");
    // A learner first read by an instance gets its expiry refreshed as well.
    let _: i64 = redis::cmd("EXPIRE")
        .arg(cluster.key(&guid))
        .arg(100)
        .query(&mut redis)
        .unwrap();
    let other = start_instance(&cluster.redis, &cluster.prefix, &["--retention-days", "2"]);
    assert_eq!(titles(&other.addr, &guid).len(), 11);
    assert!(ttl(&mut redis) > two_days - 60);
}

#[test]
fn a_read_only_request_costs_at_most_two_redis_commands() {
    let cluster = Cluster::start(&[]);
    let guid = new_learner(cluster.at(0));
    let headers = [("X-CHALLENGER", guid.as_str())];
    // Warm: each instance has its copy, GET_TODOS is completed.
    for i in 0..3 {
        assert_eq!(
            send(cluster.at(i), "GET", "/api/todos", &headers, "").status,
            200
        );
    }
    let before = cluster.redis.commands_processed();
    let reads = 60;
    for i in 0..reads {
        assert_eq!(
            send(cluster.at(i), "GET", "/api/todos", &headers, "").status,
            200
        );
    }
    // Subtract the INFO that read `before`.
    let used = cluster.redis.commands_processed() - before - 1;
    assert!(
        used <= 2 * reads as u64,
        "{used} commands for {reads} reads"
    );
    assert!(used >= reads as u64, "every read checks its copy: {used}");

    // A change after a change on another instance (so the copy is stale): still bounded.
    let before = cluster.redis.commands_processed();
    let writes = 30;
    for i in 0..writes {
        let title = format!("w{i}");
        let changed = send(
            cluster.at(i),
            "POST",
            "/api/todos/1",
            &[
                ("X-CHALLENGER", &guid),
                ("Content-Type", "application/json"),
            ],
            &format!(r#"{{"title":"{title}"}}"#),
        );
        assert_eq!(changed.status, 200, "{changed:?}");
    }
    let used = cluster.redis.commands_processed() - before - 1;
    assert!(
        used <= 8 * writes as u64,
        "{used} commands for {writes} changes"
    );
}

#[test]
fn local_copies_are_bounded_and_evicted_learners_come_back_from_redis() {
    let cluster = Cluster::start(&["--max-challengers", "3"]);
    let guids: Vec<String> = (0..8).map(|_| new_learner(cluster.at(0))).collect();
    for guid in &guids {
        assert_eq!(create_todo(cluster.at(0), guid, "mine").status, 201);
    }
    assert!(metric(cluster.at(0), "apichallenges_challengers_in_memory") <= 3);
    for guid in &guids {
        assert!(titles(cluster.at(0), guid).contains(&"mine".to_string()));
    }
}

#[test]
fn single_user_mode_shares_the_one_learner() {
    let redis = RedisServer::start();
    let prefix = format!("test-{}:", uuid::Uuid::new_v4().simple());
    let start = || Instance::start_raw(&["--redis", &redis.url(), "--redis-prefix", &prefix]);
    let (a, b) = (start(), start());
    let created = send(
        &a.addr,
        "POST",
        "/api/todos",
        &[("Content-Type", "application/json")],
        r#"{"title":"one learner"}"#,
    );
    assert_eq!(created.status, 201, "{created:?}");
    let listed = send(&b.addr, "GET", "/api/todos?_limit=20", &[], "");
    assert!(listed.body.contains("one learner"), "{listed:?}");
}

#[test]
fn unreachable_redis_at_start_is_a_clear_message_and_a_non_zero_exit() {
    let port = free_port();
    let started = Instant::now();
    let out = binary()
        .args(["--port", "0", "--bind", "127.0.0.1", "--multi-user"])
        .args([
            "--redis",
            &format!("redis://user:hunter2@127.0.0.1:{port}/0"),
        ])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(started.elapsed() < Duration::from_secs(15));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("cannot use Redis at redis://user:***@127.0.0.1"),
        "{stderr}"
    );
    assert!(
        !stderr.contains("hunter2"),
        "the password is never printed: {stderr}"
    );
}

#[test]
fn a_password_in_the_url_is_used_and_a_wrong_one_refused() {
    let redis = RedisServer::start_with(&["--requirepass", "s3cret"]);
    let url = format!("redis://:s3cret@127.0.0.1:{}/0", redis.port);
    let instance = Instance::start(&url, &[]);
    let guid = new_learner(&instance.addr);
    assert_eq!(
        create_todo(&instance.addr, &guid, "authenticated").status,
        201
    );
    let wrong = format!("redis://:nope@127.0.0.1:{}/0", redis.port);
    let out = binary()
        .args(["--port", "0", "--multi-user", "--redis", &wrong])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("cannot use Redis"), "{stderr}");
    assert!(!stderr.contains("nope"), "{stderr}");
}

#[test]
fn rediss_with_a_private_ca_and_a_password_shares_learners() {
    let certificates = TestCertificates::generate();
    let redis = RedisServer::start_tls(&certificates, &["--requirepass", "tls-s3cret"]);
    let url = format!("rediss://:tls-s3cret@127.0.0.1:{}/0", redis.port);
    let ca = certificates.path("ca.pem");
    let a = Instance::start(&url, &["--redis-ca", &ca]);
    let b = Instance::start(&url, &["--redis-ca", &ca]);
    let guid = new_learner(&a.addr);
    assert_eq!(create_todo(&a.addr, &guid, "over TLS").status, 201);
    assert!(titles(&b.addr, &guid).contains(&"over TLS".to_string()));
    assert_eq!(create_todo(&b.addr, &guid, "and back").status, 201);
    assert!(titles(&a.addr, &guid).contains(&"and back".to_string()));
    // The plain port is off: only TLS reaches this Redis.
    let plain = format!("redis://:tls-s3cret@127.0.0.1:{}/0", redis.port);
    let out = binary()
        .args(["--port", "0", "--multi-user", "--redis", &plain])
        .output()
        .unwrap();
    assert!(!out.status.success());
}

#[test]
fn rediss_without_the_private_ca_refuses_to_start() {
    let certificates = TestCertificates::generate();
    let redis = RedisServer::start_tls(&certificates, &["--requirepass", "tls-s3cret"]);
    let url = format!("rediss://:tls-s3cret@127.0.0.1:{}/0", redis.port);
    let started = Instant::now();
    let out = binary()
        .args([
            "--port",
            "0",
            "--bind",
            "127.0.0.1",
            "--multi-user",
            "--redis",
            &url,
        ])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(started.elapsed() < Duration::from_secs(15));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("error: cannot use Redis at rediss://:***@127.0.0.1"),
        "{stderr}"
    );
    assert!(
        stderr.contains("certificate"),
        "names the certificate: {stderr}"
    );
    assert!(!stderr.contains("tls-s3cret"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn an_unusable_redis_ca_file_is_a_start_up_error() {
    let certificates = TestCertificates::generate();
    let redis = RedisServer::start_tls(&certificates, &[]);
    let url = format!("rediss://127.0.0.1:{}/0", redis.port);
    let missing = certificates.path("missing.pem");
    let not_pem = certificates.path("server.ext");
    let truncated = certificates.path("truncated.pem");
    let ca = std::fs::read_to_string(certificates.path("ca.pem")).unwrap();
    std::fs::write(&truncated, &ca[..ca.len() / 2]).unwrap();
    let not_der = certificates.path("not-der.pem");
    std::fs::write(
        &not_der,
        "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n",
    )
    .unwrap();
    let cases = [
        (missing.as_str(), "cannot read the --redis-ca file"),
        (not_pem.as_str(), "holds no PEM certificate"),
        (truncated.as_str(), "is not valid PEM"),
        (not_der.as_str(), "not a usable CA"),
        // A device that never ends is refused, not read into memory.
        ("/dev/zero", "is larger than"),
        // A key, not a certificate.
        (&certificates.path("server.key"), "holds no PEM certificate"),
    ];
    for (file, expected) in cases {
        let out = binary()
            .args([
                "--port",
                "0",
                "--multi-user",
                "--redis",
                &url,
                "--redis-ca",
                file,
            ])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "{file}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.starts_with("error: "), "{stderr}");
        assert!(stderr.contains(expected), "{file}: {stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
    }
    // A CA for a plain redis:// URL is a mistake worth saying.
    let plain = format!("redis://127.0.0.1:{}/0", free_port());
    let out = binary()
        .args(["--port", "0", "--multi-user", "--redis", &plain])
        .args(["--redis-ca", &certificates.path("ca.pem")])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("--redis-ca needs a rediss://"), "{stderr}");
}

#[test]
fn a_hostile_value_in_redis_is_a_503_not_a_crash() {
    let cluster = Cluster::start(&[]);
    let guid = new_learner(cluster.at(0));
    let mut redis = cluster.redis.client();
    let key = cluster.key(&guid);
    for todos in [
        "not json",
        "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[",
        "{\"next\":1}",
    ] {
        let _: i64 = redis::cmd("HSET")
            .arg(&key)
            .arg("todos")
            .arg(todos)
            .arg("v")
            .arg("1")
            .query(&mut redis)
            .unwrap();
        let got = send(
            cluster.at(1),
            "GET",
            "/api/todos",
            &[("X-CHALLENGER", &guid)],
            "",
        );
        assert_eq!(got.status, 503, "{got:?}");
    }
    // Another learner is unaffected.
    let other = new_learner(cluster.at(1));
    assert_eq!(titles(cluster.at(2), &other).len(), 10);
}

#[test]
fn migrate_copies_sqlite_learners_to_redis_once() {
    let dir = std::env::temp_dir().join(format!("apic-migrate-{}", uuid::Uuid::new_v4()));
    let dir_arg = dir.to_str().unwrap().to_string();
    let guid = {
        let local = Instance::start_raw(&["--multi-user", "--data-dir", &dir_arg]);
        let guid = new_learner(&local.addr);
        assert_eq!(create_todo(&local.addr, &guid, "from sqlite").status, 201);
        // SIGTERM: the server writes everything before it exits.
        local.terminate();
        guid
    };
    let redis = RedisServer::start();
    let migrate = || {
        binary()
            .args([
                "migrate",
                "--from-data-dir",
                &dir_arg,
                "--to-redis",
                &redis.url(),
            ])
            .output()
            .unwrap()
    };
    let first = migrate();
    assert!(first.status.success(), "{first:?}");
    assert!(
        String::from_utf8_lossy(&first.stdout).contains("copied 1 learners"),
        "{first:?}"
    );
    let second = migrate();
    assert!(
        String::from_utf8_lossy(&second.stdout).contains("copied 0 learners"),
        "{second:?}"
    );
    assert!(String::from_utf8_lossy(&second.stdout).contains("1 already there"));

    let shared = Instance::start(&redis.url(), &[]);
    assert!(titles(&shared.addr, &guid).contains(&"from sqlite".to_string()));
    assert_eq!(progress(&shared.addr, &guid)["POST_TODOS"], true);
    let missing = binary()
        .args([
            "migrate",
            "--from-data-dir",
            "/nonexistent",
            "--to-redis",
            &redis.url(),
        ])
        .output()
        .unwrap();
    assert!(!missing.status.success());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_quiet_redis_restart_costs_no_request_an_error() {
    let mut cluster = Cluster::start(&[]);
    let guids: Vec<String> = (0..3).map(|i| new_learner(cluster.at(i))).collect();
    // Redis restarts (empty) while no request is in flight.
    cluster.redis.restart();
    for (i, guid) in guids.iter().enumerate() {
        // A creation first on one instance, a learner's read first on another: both
        // find their connection gone and succeed on the new one.
        let created = send(cluster.at(i), "POST", "/api/challenger", &[], "");
        assert_eq!(created.status, 201, "instance {i}: {created:?}");
        assert_eq!(titles(cluster.at(i), guid).len(), 10, "instance {i}");
    }
}

#[test]
fn a_redis_cluster_spreads_learners_over_its_nodes_and_keeps_every_guarantee() {
    let redis = RedisCluster::start();
    let url = redis.nodes[0].url();
    let instances: Vec<Instance> = (0..3)
        .map(|_| Instance::start(&url, &["--redis-cluster"]))
        .collect();
    let at = |i: usize| instances[i % 3].addr.as_str();
    let guids: Vec<String> = (0..12).map(|i| new_learner(at(i))).collect();
    for (i, guid) in guids.iter().enumerate() {
        assert_eq!(create_todo(at(i + 1), guid, "clustered").status, 201);
        assert!(titles(at(i + 2), guid).contains(&"clustered".to_string()));
    }
    let spread = redis.keys_per_node();
    assert_eq!(spread.iter().sum::<u64>(), 12, "{spread:?}");
    assert!(spread.iter().filter(|&&n| n > 0).count() >= 2, "{spread:?}");

    // The parallel-creates guarantee holds on a cluster too.
    let guid = Arc::new(guids[0].clone());
    let addrs: Arc<Vec<String>> = Arc::new(instances.iter().map(|i| i.addr.clone()).collect());
    let start = Arc::new(Barrier::new(30));
    let threads: Vec<_> = (0..30)
        .map(|i| {
            let (addrs, guid, start) = (addrs.clone(), guid.clone(), start.clone());
            std::thread::spawn(move || {
                start.wait();
                create_todo(&addrs[i % 3], &guid, &format!("parallel {i}")).status
            })
        })
        .collect();
    let statuses: Vec<u16> = threads.into_iter().map(|t| t.join().unwrap()).collect();
    // 11 todos before (10 seeds + "clustered"): 9 more fit.
    let created = statuses.iter().filter(|&&s| s == 201).count();
    assert_eq!(created, 9, "{statuses:?}");
    for i in 0..3 {
        assert_eq!(titles(at(i), &guid).len(), 20);
    }
}

#[test]
fn the_idle_timeout_drops_only_the_local_copy() {
    let cluster = Cluster::start(&["--idle-timeout", "1"]);
    let guid = new_learner(cluster.at(0));
    assert_eq!(
        create_todo(cluster.at(0), &guid, "kept in redis").status,
        201
    );
    // The sweep runs every 5 s; wait (bounded) until instance 0 holds no learner.
    let deadline = Instant::now() + Duration::from_secs(20);
    while metric(cluster.at(0), "apichallenges_challengers_in_memory") > 0 {
        assert!(
            Instant::now() < deadline,
            "the idle copy leaves memory within 20 s"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    assert!(metric(cluster.at(0), "apichallenges_evictions_total") >= 1);
    // Still in Redis with its expiry; the instance reads it back on the next request.
    let mut redis = cluster.redis.client();
    let ttl: i64 = redis::cmd("TTL")
        .arg(cluster.key(&guid))
        .query(&mut redis)
        .unwrap();
    assert!(ttl > 0, "TTL {ttl}");
    assert!(titles(cluster.at(0), &guid).contains(&"kept in redis".to_string()));
    assert_eq!(progress(cluster.at(0), &guid)["POST_TODOS"], true);
}
