//! The progress page's worked examples really work: for each profile, a fresh learner
//! sends every challenge's example exactly as the page's "Try it" runner is prefilled
//! (method, path, headers, body read back from the page), in catalogue order, and the
//! challenge turns done. The page is re-read before each example, because examples
//! name the learner's current todos.
//!
//! The only help the test gives is what the hints tell a learner to do first (mark a
//! todo done, give one a description) and repeating the two "until" challenges.

use std::collections::HashMap;

use apichallenges::config::ProfileName;

use crate::common::TestServer;
use crate::storage::DataDir;

/// One challenge's runner data, as the page holds it.
struct PageExample {
    key: String,
    method: String,
    path: String,
    headers: Vec<(String, String)>,
    body: String,
}

/// Undo the five escapes of `site::html::escape`.
fn unescape(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// The value of `name="..."` inside one tag.
fn attribute(tag: &str, name: &str) -> String {
    let start = tag
        .find(&format!(" {name}=\""))
        .unwrap_or_else(|| panic!("{name} missing in {tag}"))
        + name.len()
        + 3;
    let end = start + tag[start..].find('"').unwrap();
    unescape(&tag[start..end])
}

/// Every runner on the page, in page order.
fn examples(page: &str) -> Vec<PageExample> {
    page.match_indices("<details class=\"aid try-it\"")
        .map(|(at, _)| {
            let tag = &page[at..at + page[at..].find('>').unwrap()];
            let headers = attribute(tag, "data-headers")
                .lines()
                .filter_map(|l| l.split_once(':'))
                .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
                .collect();
            PageExample {
                key: attribute(tag, "data-key"),
                method: attribute(tag, "data-method"),
                path: attribute(tag, "data-path"),
                headers,
                body: attribute(tag, "data-body"),
            }
        })
        .collect()
}

async fn statuses(s: &TestServer, guid: &str) -> HashMap<String, bool> {
    let v = s
        .get(&format!("/gui/challenge-status/{guid}"))
        .send()
        .await
        .json();
    v["challenges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["key"].as_str().unwrap().to_string(),
                c["status"].as_bool().unwrap(),
            )
        })
        .collect()
}

async fn send(s: &TestServer, e: &PageExample) -> u16 {
    let mut req = s.req(&e.method, &e.path);
    for (name, value) in &e.headers {
        // An empty value means "leave this header out" (curl's `-H 'Accept:'`).
        if !value.is_empty() {
            req = req.header(name, value);
        }
    }
    req.body(e.body.clone()).send().await.status
}

/// What the hints ask a learner to set up before this challenge, if anything.
async fn prepare(s: &TestServer, api: &str, guid: &str, key: &str) {
    match key {
        // "mark one done first, so that the list holds both kinds"
        "GET_TODOS_FILTERED" | "QUERY_TODOS_FILTERED" => {
            let list = s.get(&format!("{api}todos")).as_(guid).send().await.json();
            let id = list["todos"][0]["id"].as_u64().expect("a todo");
            let r = s
                .req("POST", &format!("{api}todos/{id}"))
                .as_(guid)
                .json(r#"{"doneStatus":true}"#)
                .send()
                .await;
            assert_eq!(r.status, 200, "mark a todo done");
        }
        "GET_TODOS_FILTERED_DESCRIPTION_REGEX" => {
            let r = s
                .req("POST", &format!("{api}todos"))
                .as_(guid)
                .json(r#"{"title":"described","description":"an example description"}"#)
                .send()
                .await;
            assert_eq!(r.status, 201, "give a todo a description");
        }
        _ => {}
    }
}

/// Challenges whose example is one step of several the hints describe elsewhere:
/// they need the learner to leave memory first.
const NEEDS_EVICTION: [&str; 1] = ["PUT_NEW_RESTORED_CHALLENGER_PROGRESS_STATUS"];
/// Challenges whose hints say to repeat the example until it completes.
const REPEATED: [&str; 2] = ["DELETE_ALL_TODOS", "POST_ALL_TODOS"];
/// Enough repeats to empty or fill a list of at most 20 todos.
const MAX_REPEATS: usize = 25;

async fn every_example_completes_its_challenge(profile: ProfileName, api: &str, multi_user: bool) {
    let s = TestServer::with(|c| {
        c.multi_user = multi_user;
        c.profile = profile;
    })
    .await;
    let created = s.req("POST", &format!("{api}challenger")).send().await;
    assert_eq!(created.status, 201);
    let guid = created.header("x-challenger").unwrap().to_string();
    if !multi_user {
        assert_eq!(guid, crate::common::SINGLE);
    }
    let page_url = format!("/gui/challenges/{guid}");
    let keys: Vec<String> = examples(&s.get(&page_url).send().await.text())
        .into_iter()
        .map(|e| e.key)
        .collect();
    assert!(keys.len() > 50, "{} runners", keys.len());
    let mut checked = 0;
    for key in &keys {
        if NEEDS_EVICTION.contains(&key.as_str()) {
            continue;
        }
        prepare(&s, api, &guid, key).await;
        let repeats = if REPEATED.contains(&key.as_str()) {
            MAX_REPEATS
        } else {
            1
        };
        let mut last = 0;
        for _ in 0..repeats {
            let page = s.get(&page_url).send().await.text();
            let example = examples(&page).into_iter().find(|e| &e.key == key).unwrap();
            last = send(&s, &example).await;
            if statuses(&s, &guid).await[key] {
                break;
            }
        }
        assert!(
            statuses(&s, &guid).await[key],
            "{profile:?}: the example of {key} did not complete it (last status {last})"
        );
        checked += 1;
    }
    let skipped = keys
        .iter()
        .filter(|k| NEEDS_EVICTION.contains(&k.as_str()))
        .count();
    assert_eq!(checked + skipped, keys.len());
    assert!(checked >= keys.len() - 1, "{checked} of {}", keys.len());
}

#[tokio::test]
async fn current_examples_complete_their_challenges() {
    every_example_completes_its_challenge(ProfileName::Current, "/api/", true).await;
}

#[tokio::test]
async fn single_user_examples_complete_their_challenges() {
    every_example_completes_its_challenge(ProfileName::Current, "/api/", false).await;
}

#[tokio::test]
async fn classic_examples_complete_their_challenges() {
    every_example_completes_its_challenge(ProfileName::Classic, "/", true).await;
}

/// The examples of the challenges that need the learner to have left memory, sent
/// as copied from the page before it left: #70 and #71 reload it from storage, #75
/// recreates it from the progress payload.
#[tokio::test]
async fn restore_examples_work_once_the_learner_has_left_memory() {
    let dir = DataDir::new();
    let path = dir.0.clone();
    let s = TestServer::with(move |c| {
        c.multi_user = true;
        c.storage = true;
        c.data_dir = path;
    })
    .await;
    let guid = s.new_challenger().await;
    for key in [
        "GET_RESTORE_EXISTING_CHALLENGER",
        "POST_RESTORE_EXISTING_CHALLENGER",
    ] {
        let page = s
            .get(&format!("/gui/challenges/{guid}"))
            .send()
            .await
            .text();
        let example = examples(&page).into_iter().find(|e| e.key == key).unwrap();
        s.clock.advance_ms(600_000);
        assert_eq!(s.handle.evict_idle(), 1);
        send(&s, &example).await;
        assert!(statuses(&s, &guid).await[key], "{key}");
    }
    drop(s);
    drop(dir);

    let s = TestServer::multi().await;
    let guid = s.new_challenger().await;
    let key = "PUT_NEW_RESTORED_CHALLENGER_PROGRESS_STATUS";
    let page = s
        .get(&format!("/gui/challenges/{guid}"))
        .send()
        .await
        .text();
    let example = examples(&page).into_iter().find(|e| e.key == key).unwrap();
    s.clock.advance_ms(600_000);
    assert_eq!(s.handle.evict_idle(), 1);
    assert_eq!(send(&s, &example).await, 201);
    assert!(statuses(&s, &guid).await[key]);
}
