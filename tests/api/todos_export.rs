//! GET /todos/export?format=…: every format and its download name (challenges #67-#69).

use crate::common::TestServer;
use crate::todos_support::*;

const UNSUPPORTED: &str =
    "Unsupported export format. Use one of: json, xml, text-xml, csv, text, html, ndjson, jsonl, json-seq, tsv";

#[tokio::test]
async fn every_format_alias_has_its_type_and_file_name() {
    let s = TestServer::single().await;
    let table = [
        ("json", "application/json", "todos.json"),
        ("xml", "application/xml", "todos.xml"),
        ("text-xml", "text/xml", "todos.xml"),
        ("txml", "text/xml", "todos.xml"),
        ("csv", "text/csv", "todos.csv"),
        ("text", "text/plain", "todos.txt"),
        ("txt", "text/plain", "todos.txt"),
        ("plain", "text/plain", "todos.txt"),
        ("html", "text/html", "todos.html"),
        ("ndjson", "application/x-ndjson", "todos.ndjson"),
        ("jsonl", "application/jsonl", "todos.jsonl"),
        ("json-seq", "application/json-seq", "todos.json-seq"),
        ("jsonseq", "application/json-seq", "todos.json-seq"),
        ("tsv", "text/tab-separated-values", "todos.tsv"),
        ("tab", "text/tab-separated-values", "todos.tsv"),
        ("tabs", "text/tab-separated-values", "todos.tsv"),
        ("tab-delimited", "text/tab-separated-values", "todos.tsv"),
        ("tab-separated", "text/tab-separated-values", "todos.tsv"),
    ];
    for prefix in PREFIXES {
        for (format, content_type, file) in table {
            let r = s
                .get(&format!("{prefix}/todos/export?format={format}"))
                .send()
                .await;
            assert_eq!(r.status, 200, "{format}: {}", r.text());
            assert_eq!(r.content_type(), Some(content_type), "{format}");
            assert_eq!(
                r.header("content-disposition"),
                Some(format!("attachment; filename=\"{file}\"").as_str()),
                "{format}"
            );
            assert!(!r.body.is_empty(), "{format}");
        }
    }
}

#[tokio::test]
async fn format_is_trimmed_and_case_insensitive() {
    let s = TestServer::single().await;
    for format in ["CSV", "Csv", "%20csv%20", "+csv"] {
        let r = s
            .get(&format!("/api/todos/export?format={format}"))
            .send()
            .await;
        assert_eq!(r.status, 200, "{format}: {}", r.text());
        assert_eq!(r.content_type(), Some("text/csv"), "{format}");
    }
}

#[tokio::test]
async fn missing_or_unknown_format_is_400() {
    let s = TestServer::single().await;
    for query in ["", "?format=", "?format=pdf", "?fmt=csv", "?format=c%20sv"] {
        let r = s.get(&format!("/api/todos/export{query}")).send().await;
        assert_error(&r, 400, UNSUPPORTED);
    }
}

#[tokio::test]
async fn export_bodies_match_the_list_renderings_and_include_every_todo() {
    let s = TestServer::single().await;
    let c = Ctx::single(&s, "/api");
    for n in 11..=13 {
        c.create_ok(&format!(r#"{{"title":"extra {n}"}}"#)).await;
    }
    let r = s.get("/api/todos/export?format=json").send().await;
    assert_eq!(resp_ids(&r), (1..=13).collect::<Vec<_>>());
    let list = s.get("/api/todos?_limit=20").send().await;
    assert_eq!(r.text(), list.text());

    let r = s.get("/api/todos/export?format=csv").send().await;
    let text = r.text();
    let lines: Vec<&str> = text.split('\n').collect();
    assert_eq!(lines.len(), 14, "{text}");
    assert_eq!(lines[0], "id,title,doneStatus,description");
    assert_eq!(lines[1], "1,scan paperwork,false,");
    assert_eq!(lines[13], "13,extra 13,false,");

    let r = s.get("/api/todos/export?format=xml").send().await;
    assert!(r.text().starts_with(&format!(
        "<todos>{}",
        todo_xml(1, "scan paperwork", false, "")
    )));
    assert!(r
        .text()
        .ends_with(&format!("{}</todos>", todo_xml(13, "extra 13", false, ""))));
}

#[tokio::test]
async fn the_accept_header_is_ignored() {
    let s = TestServer::single().await;
    let r = s
        .get("/api/todos/export?format=csv")
        .header("Accept", "application/xml")
        .send()
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(r.content_type(), Some("text/csv"));
    let r = s
        .get("/api/todos/export?format=json")
        .header("Accept", "application/gzip")
        .send()
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(r.content_type(), Some("application/json"));
}

#[tokio::test]
async fn export_reads_the_learners_own_todos() {
    let s = TestServer::multi().await;
    let c = Ctx::new(&s, "/api").await;
    c.create_ok(r#"{"title":"mine"}"#).await;
    let r = c.get("/todos/export?format=ndjson").send().await;
    assert_eq!(r.text().lines().count(), 11);
    let stranger = s.get("/api/todos/export?format=ndjson").send().await;
    assert_eq!(stranger.text().lines().count(), 10);
}

#[tokio::test]
async fn csv_download_completes_67() {
    let title = "GET /api/todos/export (200) CSV download";
    let s = TestServer::multi().await;
    for prefix in PREFIXES {
        let c = Ctx::new(&s, prefix).await;
        // Near-miss: another file type.
        c.get("/todos/export?format=json").send().await;
        c.not_done(title).await;

        let r = c.get("/todos/export?format=csv").send().await;
        assert_eq!(r.status, 200);
        let expected: Vec<String> = std::iter::once("id,title,doneStatus,description".to_string())
            .chain((1..=10).map(|id| format!("{id},{},false,", SEEDS[(id - 1) as usize])))
            .collect();
        assert_eq!(r.text(), expected.join("\n"));
        c.done(title).await;
        // The export route is not a single todo.
        c.not_done("GET /api/todos/{id} (200)").await;
    }
}

#[tokio::test]
async fn html_download_completes_68() {
    let title = "GET /api/todos/export (200) HTML download";
    let s = TestServer::multi().await;
    for prefix in PREFIXES {
        let c = Ctx::new(&s, prefix).await;
        // Near-miss: an unknown format is a 400.
        let r = c.get("/todos/export?format=htm").send().await;
        assert_eq!(r.status, 400);
        c.not_done(title).await;

        let r = c.get("/todos/export?format=HTML").send().await;
        assert_eq!(r.status, 200);
        assert_eq!(r.content_type(), Some("text/html"));
        assert!(r.text().contains("<td>install webcam</td>"), "{}", r.text());
        c.done(title).await;
    }
}

#[tokio::test]
async fn tab_delimited_download_completes_69() {
    let title = "GET /api/todos/export (200) tab-delimited download";
    let s = TestServer::multi().await;
    for prefix in PREFIXES {
        let c = Ctx::new(&s, prefix).await;
        c.get("/todos/export?format=csv").send().await;
        c.not_done(title).await;

        let r = c.get("/todos/export?format=tab-delimited").send().await;
        assert_eq!(r.status, 200);
        assert!(
            r.text()
                .starts_with("id\ttitle\tdoneStatus\tdescription\n1\tscan paperwork\tfalse\t\n"),
            "{}",
            r.text()
        );
        c.done(title).await;
    }
    for alias in ["tsv", "tab", "tabs", "tab-separated"] {
        let c = Ctx::new(&s, "/api").await;
        c.get(&format!("/todos/export?format={alias}")).send().await;
        c.done(title).await;
    }
}
