//! `/secret/token` and `/secret/note`: Basic auth, then the token (challenges #88-#97).

use crate::common::{TestServer, SINGLE};

const ADMIN: &str = "Basic YWRtaW46cGFzc3dvcmQ=";
const WRONG: &str = "Basic YWRtaW46YWRtaW4=";
const READ_ONLY: &str = "00000000-0000-4000-8000-000000000000";

async fn token(s: &TestServer, guid: &str) -> String {
    let r = s
        .req("POST", "/api/secret/token")
        .as_(guid)
        .header("Authorization", ADMIN)
        .send()
        .await;
    assert_eq!(r.status, 201);
    r.header("x-auth-token").unwrap().to_string()
}

#[tokio::test]
async fn token_with_wrong_credentials_is_401_and_completes_the_challenge() {
    let s = TestServer::multi().await;
    let g = s.new_challenger().await;
    let r = s
        .req("POST", "/api/secret/token")
        .as_(&g)
        .header("Authorization", WRONG)
        .send()
        .await;
    assert_eq!(r.status, 401);
    assert_eq!(
        r.header("www-authenticate"),
        Some("Basic realm=\"User Visible Realm\"")
    );
    assert!(r.body.is_empty());
    s.assert_done(Some(&g), "POST /api/secret/token (401)")
        .await;
    let widget = s
        .req("POST", "/secret/token")
        .as_(&g)
        .header("X-API-Challenges-Live-Widget", "true")
        .send()
        .await;
    assert_eq!(widget.status, 401);
    assert_eq!(widget.header("www-authenticate"), None);
}

#[tokio::test]
async fn missing_authorization_is_401_but_does_not_complete_the_challenge() {
    let s = TestServer::multi().await;
    let g = s.new_challenger().await;
    let r = s.req("POST", "/api/secret/token").as_(&g).send().await;
    assert_eq!(r.status, 401);
    s.assert_not_done(Some(&g), "POST /api/secret/token (401)")
        .await;
}

#[tokio::test]
async fn token_with_admin_credentials_is_201_with_a_stable_token() {
    let s = TestServer::multi().await;
    let g = s.new_challenger().await;
    let first = token(&s, &g).await;
    assert!(uuid::Uuid::parse_str(&first).is_ok());
    assert_eq!(token(&s, &g).await, first, "stable for the learner's life");
    s.assert_done(Some(&g), "POST /api/secret/token (201)")
        .await;
    let progress = s.get(&format!("/api/challenger/{g}")).send().await.json();
    assert_eq!(progress["xAuthToken"], first.as_str());
    // Legacy route too, for another learner.
    let h = s.new_challenger().await;
    let r = s
        .req("POST", "/secret/token")
        .as_(&h)
        .header("Authorization", ADMIN)
        .send()
        .await;
    assert_eq!(r.status, 201);
    s.assert_done(Some(&h), "POST /api/secret/token (201)")
        .await;
}

#[tokio::test]
async fn token_without_a_known_challenger_is_401_and_read_only_token_via_get() {
    let s = TestServer::multi().await;
    let r = s
        .req("POST", "/api/secret/token")
        .header("Authorization", ADMIN)
        .send()
        .await;
    assert_eq!(r.status, 401);
    assert_eq!(
        r.header("x-challenger"),
        Some("UNKNOWN CHALLENGER - Challenger not found")
    );
    let ro = s
        .get("/api/secret/token")
        .header("Authorization", ADMIN)
        .send()
        .await;
    assert_eq!(ro.status, 200);
    assert_eq!(ro.header("x-auth-token"), Some(READ_ONLY));
    assert_eq!(ro.json()["token"], READ_ONLY);
    let stranger = uuid::Uuid::new_v4().to_string();
    let unknown = s
        .get("/api/secret/token")
        .as_(&stranger)
        .header("Authorization", ADMIN)
        .send()
        .await;
    assert_eq!(unknown.status, 401);
    let g = s.new_challenger().await;
    let mine = s
        .get("/api/secret/token")
        .as_(&g)
        .header("Authorization", ADMIN)
        .send()
        .await;
    assert_eq!(mine.json()["token"], token(&s, &g).await.as_str());
}

#[tokio::test]
async fn note_read_paths_401_403_200_and_bearer() {
    let s = TestServer::multi().await;
    let g = s.new_challenger().await;
    let t = token(&s, &g).await;

    let no_token = s.get("/api/secret/note").as_(&g).send().await;
    assert_eq!(no_token.status, 401);
    assert_eq!(no_token.header("www-authenticate"), Some("Bearer"));
    s.assert_done(Some(&g), "GET /api/secret/note (401)").await;

    let wrong = s
        .get("/api/secret/note")
        .as_(&g)
        .header("X-AUTH-TOKEN", "wrong-token")
        .send()
        .await;
    assert_eq!(wrong.status, 403);
    assert!(wrong.body.is_empty());
    s.assert_done(Some(&g), "GET /api/secret/note (403)").await;

    let ok = s
        .get("/secret/note")
        .as_(&g)
        .header("X-AUTH-TOKEN", &t)
        .send()
        .await;
    assert_eq!(ok.status, 200);
    assert_eq!(ok.text(), r#"{"note":""}"#);
    s.assert_done(Some(&g), "GET /api/secret/note (200)").await;

    s.assert_not_done(Some(&g), "GET /api/secret/note (Bearer)")
        .await;
    let bearer = s
        .get("/api/secret/note")
        .as_(&g)
        .header("Authorization", &format!("bearer {t}"))
        .header("Accept", "application/xml")
        .send()
        .await;
    assert_eq!(bearer.status, 200);
    assert_eq!(bearer.text(), "<secretnote><note/></secretnote>");
    s.assert_done(Some(&g), "GET /api/secret/note (Bearer)")
        .await;

    // A well-formed but wrong Bearer wins over a right X-AUTH-TOKEN.
    let conflict = s
        .get("/api/secret/note")
        .as_(&g)
        .header("Authorization", "Bearer nope")
        .header("X-AUTH-TOKEN", &t)
        .send()
        .await;
    assert_eq!(conflict.status, 403);
    // `Bearer` alone is ignored and X-AUTH-TOKEN is used.
    let bare = s
        .get("/api/secret/note")
        .as_(&g)
        .header("Authorization", "Bearer")
        .header("X-AUTH-TOKEN", &t)
        .send()
        .await;
    assert_eq!(bare.status, 200);
}

#[tokio::test]
async fn note_write_paths_and_truncation() {
    let s = TestServer::multi().await;
    let g = s.new_challenger().await;
    let t = token(&s, &g).await;
    let post = |tok: Option<&str>, body: &str| {
        let mut r = s.req("POST", "/api/secret/note").as_(&g).json(body);
        if let Some(tok) = tok {
            r = r.header("X-AUTH-TOKEN", tok);
        }
        r.send()
    };
    assert_eq!(post(None, r#"{"note":"my note"}"#).await.status, 401);
    s.assert_done(Some(&g), "POST /api/secret/note (401)").await;
    assert_eq!(
        post(Some("wrong-token"), r#"{"note":"my note"}"#)
            .await
            .status,
        403
    );
    s.assert_done(Some(&g), "POST /api/secret/note (403)").await;
    let ok = post(Some(&t), r#"{"note":"my note"}"#).await;
    assert_eq!(ok.status, 200);
    assert_eq!(ok.json()["note"], "my note");
    s.assert_done(Some(&g), "POST /api/secret/note (200)").await;

    let long = "n".repeat(150);
    let cut = post(Some(&t), &format!(r#"{{"note":"{long}"}}"#)).await;
    assert_eq!(cut.status, 200);
    assert_eq!(cut.json()["note"].as_str().unwrap().len(), 100);

    let bearer = s
        .req("POST", "/secret/note")
        .as_(&g)
        .header("Authorization", &format!("Bearer {t}"))
        .json(r#"{"note":"bearer note"}"#)
        .send()
        .await;
    assert_eq!(bearer.status, 200);
    s.assert_done(Some(&g), "POST /api/secret/note (Bearer)")
        .await;
    let read = s
        .get("/api/secret/note")
        .as_(&g)
        .header("X-AUTH-TOKEN", &t)
        .send()
        .await;
    assert_eq!(read.json()["note"], "bearer note");
}

#[tokio::test]
async fn note_write_rejects_bad_bodies_and_types() {
    let s = TestServer::multi().await;
    let g = s.new_challenger().await;
    let t = token(&s, &g).await;
    let send = |content_type: &str, body: &str| {
        s.req("POST", "/api/secret/note")
            .as_(&g)
            .header("X-AUTH-TOKEN", &t)
            .header("Content-Type", content_type)
            .body(body.to_string())
            .send()
    };
    assert_eq!(send("text/plain", r#"{"note":"x"}"#).await.status, 415);
    assert_eq!(send("application/json", "{").await.status, 400);
    assert_eq!(
        send("application/json", r#"{"other":"x"}"#).await.status,
        422
    );
    assert_eq!(send("application/json", "").await.status, 422);
    let xml = send(
        "application/xml",
        "<secretnote><note>from xml</note></secretnote>",
    )
    .await;
    assert_eq!(xml.status, 200);
    assert_eq!(xml.json()["note"], "from xml");
    let refused = s
        .req("POST", "/api/secret/note")
        .as_(&g)
        .header("X-AUTH-TOKEN", &t)
        .header("Accept", "application/gzip")
        .json(r#"{"note":"x"}"#)
        .send()
        .await;
    assert_eq!(refused.status, 406);
}

#[tokio::test]
async fn read_only_note_without_a_challenger_header() {
    let s = TestServer::multi().await;
    let none = s.get("/api/secret/note").send().await;
    assert_eq!(none.status, 401);
    let wrong = s
        .get("/api/secret/note")
        .header("X-AUTH-TOKEN", "nope")
        .send()
        .await;
    assert_eq!(wrong.status, 403);
    let ro = s
        .get("/api/secret/note")
        .header("X-AUTH-TOKEN", READ_ONLY)
        .send()
        .await;
    assert_eq!(ro.status, 200);
    assert_eq!(ro.json()["note"], "This is the read-only secret note.");
    let stranger = uuid::Uuid::new_v4().to_string();
    let unknown = s
        .get("/api/secret/note")
        .as_(&stranger)
        .header("X-AUTH-TOKEN", READ_ONLY)
        .send()
        .await;
    assert_eq!(unknown.status, 401);
    assert_eq!(unknown.header("www-authenticate"), Some("Bearer"));
}

#[tokio::test]
async fn single_user_secret_flow_completes_for_the_single_player() {
    let s = TestServer::single().await;
    let t = token(&s, "ignored").await;
    let r = s
        .get("/api/secret/note")
        .header("X-AUTH-TOKEN", &t)
        .send()
        .await;
    assert_eq!(r.status, 200);
    s.assert_done(None, "GET /api/secret/note (200)").await;
    s.assert_done(None, "POST /api/secret/token (201)").await;
    let progress = s
        .get(&format!("/api/challenger/{SINGLE}"))
        .send()
        .await
        .json();
    assert_eq!(progress["xAuthToken"], t.as_str());
}
