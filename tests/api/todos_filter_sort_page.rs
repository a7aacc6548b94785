//! Filtering, sorting and paging GET /todos (filters, `_sortBy`, `_limit`/`_offset`; #7-#21).

use crate::common::TestServer;
use crate::todos_support::*;

/// `<` and `>` percent-encoded: the query is URL-decoded as a whole before splitting, and the
/// raw characters are covered on their own by `raw_angle_brackets_are_accepted`.
fn encoded(query: &str) -> String {
    query.replace('<', "%3C").replace('>', "%3E")
}

/// GET `/todos?{query}` and assert 200 with exactly these ids, in this order.
async fn expect_ids(c: &Ctx<'_>, query: &str, ids: &[u64]) {
    let r = c.get(&format!("/todos?{}", encoded(query))).send().await;
    assert_eq!(r.status, 200, "?{query}: {}", r.text());
    assert_eq!(r.content_type(), Some("application/json"), "?{query}");
    assert_eq!(resp_ids(&r), ids, "?{query} (prefix {:?})", c.prefix);
}

const FILTERED: &str = "GET /api/todos (200) ?filter";

#[tokio::test]
async fn filter_done_status_true_completes_7_once_both_kinds_exist() {
    let s = TestServer::multi().await;
    for prefix in PREFIXES {
        let c = Ctx::new(&s, prefix).await;
        // Near-miss: no done todo exists yet, so the store does not have both.
        expect_ids(&c, "doneStatus=true", &[]).await;
        c.not_done(FILTERED).await;

        let id = c.create_done("finished").await;
        let r = c.get("/todos?doneStatus=true").send().await;
        assert_eq!(r.status, 200);
        assert_eq!(
            r.text(),
            format!(r#"{{"todos":[{}]}}"#, todo_json(id, "finished", true, ""))
        );
        c.done(FILTERED).await;
    }
}

#[tokio::test]
async fn done_status_filter_uppercase_true_does_not_complete_7() {
    let s = TestServer::multi().await;
    let c = Ctx::new(&s, "/api").await;
    c.create_done("finished").await;
    c.get("/todos?doneStatus=TRUE").send().await;
    c.not_done(FILTERED).await;
}

#[tokio::test]
async fn filter_id_greater_than_completes_8() {
    let title = "GET /api/todos (200) ?filter id greater than";
    let s = TestServer::multi().await;
    for prefix in PREFIXES {
        let c = Ctx::new(&s, prefix).await;
        // Near-misses: `>=` is another operator; `>0` returns every todo.
        expect_ids(&c, "id>=5", &[5, 6, 7, 8, 9, 10]).await;
        expect_ids(&c, "id>0", &[1, 2, 3, 4, 5, 6, 7, 8, 9, 10]).await;
        c.not_done(title).await;

        expect_ids(&c, "id>5", &[6, 7, 8, 9, 10]).await;
        c.done(title).await;
    }
    // The `=>` spelling means the same.
    let c = Ctx::new(&s, "/api").await;
    expect_ids(&c, "id=>7", &[8, 9, 10]).await;
    c.done(title).await;
}

#[tokio::test]
async fn filter_id_less_than_completes_9() {
    let title = "GET /api/todos (200) ?filter id less than";
    let s = TestServer::multi().await;
    for prefix in PREFIXES {
        let c = Ctx::new(&s, prefix).await;
        expect_ids(&c, "id<=6", &[1, 2, 3, 4, 5, 6]).await;
        expect_ids(&c, "id<1", &[]).await;
        c.not_done(title).await;

        expect_ids(&c, "id<6", &[1, 2, 3, 4, 5]).await;
        c.done(title).await;
    }
}

#[tokio::test]
async fn filter_id_single_result_completes_10() {
    let title = "GET /api/todos (200) ?filter id single result";
    let s = TestServer::multi().await;
    for prefix in PREFIXES {
        let c = Ctx::new(&s, prefix).await;
        // Near-miss: `==` is not the plain equals operator.
        expect_ids(&c, "id==3", &[3]).await;
        c.not_done(title).await;

        let r = c.get("/todos?id=3").send().await;
        assert_eq!(r.text(), seed_list_json([3]));
        c.done(title).await;
    }
}

#[tokio::test]
async fn filter_description_regex_completes_11() {
    let title = "GET /api/todos (200) ?filter description regex";
    let s = TestServer::multi().await;
    for prefix in PREFIXES {
        let c = Ctx::new(&s, prefix).await;
        let id = c
            .create_ok(r#"{"title":"with fixture","description":"a fixture here"}"#)
            .await;
        // Near-miss: the expression must match the whole description.
        expect_ids(&c, "description~=fixture", &[]).await;
        c.not_done(title).await;

        expect_ids(&c, "description~=.*fixture.*", &[id]).await;
        c.done(title).await;
    }
}

#[tokio::test]
async fn filter_description_wildcard_completes_12() {
    let title = "GET /api/todos (200) ?filter description wildcard";
    let s = TestServer::multi().await;
    for prefix in PREFIXES {
        let c = Ctx::new(&s, prefix).await;
        let id = c
            .create_ok(r#"{"title":"with fixture","description":"a fixture here"}"#)
            .await;
        // Near-miss: the contains operator finds it but is not a wildcard.
        expect_ids(&c, "description%=fixture", &[id]).await;
        c.not_done(title).await;

        expect_ids(&c, "description*=*fixture*", &[id]).await;
        c.done(title).await;
        expect_ids(&c, "description*=a?fixture*", &[id]).await;
        expect_ids(&c, "description*=fixture*", &[]).await;
    }
}

#[tokio::test]
async fn other_filter_operators() {
    let s = TestServer::single().await;
    let c = Ctx::single(&s, "/api");
    expect_ids(&c, "id!=1", &[2, 3, 4, 5, 6, 7, 8, 9, 10]).await;
    expect_ids(&c, "id=<=3", &[1, 2, 3]).await;
    expect_ids(&c, "title*=*paper*", &[1, 2]).await;
    expect_ids(&c, "title%=pay", &[3, 4, 5, 6]).await;
    expect_ids(&c, "title~=p.*s", &[3, 5]).await;
    expect_ids(&c, "title=pay%20invoices", &[5]).await;
    expect_ids(&c, "title=pay+invoices", &[5]).await;
    expect_ids(&c, "id>2&id<5", &[3, 4]).await;
    // Unknown fields are ignored.
    expect_ids(&c, "priority=high", &[1, 2, 3, 4, 5, 6, 7, 8, 9, 10]).await;
    expect_ids(&c, "doneStatus=false&_limit=3", &[1, 2, 3]).await;
}

#[tokio::test]
async fn invalid_regex_is_400() {
    let s = TestServer::single().await;
    let r = s.get("/api/todos?title~=(").send().await;
    assert_client_error(&r, "invalid regex");
    assert_eq!(r.status, 400);
}

#[tokio::test]
async fn sort_ascending_completes_13() {
    let title = "GET /api/todos (200) ?_sortBy ascending";
    let s = TestServer::multi().await;
    for prefix in PREFIXES {
        let c = Ctx::new(&s, prefix).await;
        // Near-miss: an unknown field is not a valid criterion.
        c.get("/todos?_sortBy=priority").send().await;
        c.not_done(title).await;

        expect_ids(&c, "_sortBy=title", &[4, 2, 10, 5, 3, 6, 1, 8, 9, 7]).await;
        c.done(title).await;
    }
    // `+` decodes to a space, still ascending.
    let c = Ctx::new(&s, "/api").await;
    expect_ids(&c, "_sortBy=+id", &[1, 2, 3, 4, 5, 6, 7, 8, 9, 10]).await;
    c.done(title).await;
}

#[tokio::test]
async fn sort_descending_completes_14() {
    let title = "GET /api/todos (200) ?_sortBy descending";
    let s = TestServer::multi().await;
    for prefix in PREFIXES {
        let c = Ctx::new(&s, prefix).await;
        expect_ids(&c, "_sortBy=id", &[1, 2, 3, 4, 5, 6, 7, 8, 9, 10]).await;
        c.not_done(title).await;

        expect_ids(&c, "_sortBy=-id", &[10, 9, 8, 7, 6, 5, 4, 3, 2, 1]).await;
        c.done(title).await;
        expect_ids(&c, "_sortBy=-title", &[7, 9, 8, 1, 6, 3, 5, 10, 2, 4]).await;
    }
}

#[tokio::test]
async fn sort_by_multiple_fields_completes_15() {
    let title = "GET /api/todos (200) ?_sortBy multiple";
    let s = TestServer::multi().await;
    for prefix in PREFIXES {
        let c = Ctx::new(&s, prefix).await;
        let done = c.create_done("finished").await;
        // Near-miss: a single criterion.
        c.get("/todos?_sortBy=-id").send().await;
        c.not_done(title).await;

        expect_ids(
            &c,
            "_sortBy=-doneStatus,id",
            &[done, 1, 2, 3, 4, 5, 6, 7, 8, 9],
        )
        .await;
        c.done(title).await;
        expect_ids(&c, "_sortBy=doneStatus,-id&_limit=3", &[10, 9, 8]).await;
    }
}

#[tokio::test]
async fn filter_and_sort_completes_16() {
    let title = "GET /api/todos (200) ?filter&_sortBy";
    let s = TestServer::multi().await;
    for prefix in PREFIXES {
        let c = Ctx::new(&s, prefix).await;
        // Near-miss: `_limit` is not a filter on a todo field.
        expect_ids(&c, "_limit=3&_sortBy=-id", &[10, 9, 8]).await;
        c.not_done(title).await;

        expect_ids(
            &c,
            "doneStatus=false&_sortBy=-id",
            &[10, 9, 8, 7, 6, 5, 4, 3, 2, 1],
        )
        .await;
        c.done(title).await;
    }
}

#[tokio::test]
async fn limit_completes_17() {
    let title = "GET /api/todos (200) ?_limit";
    let s = TestServer::multi().await;
    for prefix in PREFIXES {
        let c = Ctx::new(&s, prefix).await;
        // Near-miss: the offset shortens the page below the expected 8.
        expect_ids(&c, "_limit=8&_offset=5", &[6, 7, 8, 9, 10]).await;
        expect_ids(&c, "_limit=7", &[1, 2, 3, 4, 5, 6, 7]).await;
        c.not_done(title).await;

        expect_ids(&c, "_limit=8", &[1, 2, 3, 4, 5, 6, 7, 8]).await;
        c.done(title).await;
    }
    // `08` counts as 8.
    let c = Ctx::new(&s, "/api").await;
    expect_ids(&c, "_limit=08", &[1, 2, 3, 4, 5, 6, 7, 8]).await;
    c.done(title).await;
}

#[tokio::test]
async fn limit_and_offset_completes_18() {
    let title = "GET /api/todos (200) ?_limit&_offset";
    let s = TestServer::multi().await;
    for prefix in PREFIXES {
        let c = Ctx::new(&s, prefix).await;
        expect_ids(&c, "_limit=5&_offset=4", &[5, 6, 7, 8, 9]).await;
        c.not_done(title).await;

        expect_ids(&c, "_limit=5&_offset=5", &[6, 7, 8, 9, 10]).await;
        c.done(title).await;
    }
}

#[tokio::test]
async fn limit_too_high_is_400_and_completes_19() {
    let title = "GET /api/todos (400) ?_limit too high";
    let s = TestServer::multi().await;
    for prefix in PREFIXES {
        let c = Ctx::new(&s, prefix).await;
        // Near-miss: 20 is allowed.
        expect_ids(&c, "_limit=20", &[1, 2, 3, 4, 5, 6, 7, 8, 9, 10]).await;
        c.not_done(title).await;

        let r = c.get("/todos?_limit=21").send().await;
        assert_error(&r, 400, "_limit must be no more than 20");
        c.done(title).await;
    }
    // Refused for an unknown learner too.
    let r = s.get("/api/todos?_limit=100").send().await;
    assert_error(&r, 400, "_limit must be no more than 20");
}

#[tokio::test]
async fn limit_too_high_error_follows_accept() {
    let s = TestServer::single().await;
    let r = s
        .get("/todos?_limit=21")
        .header("Accept", "application/xml")
        .send()
        .await;
    assert_eq!(r.status, 400);
    assert_eq!(r.content_type(), Some("application/xml"));
    assert_eq!(
        r.text(),
        "<errorMessages><errorMessage>_limit must be no more than 20</errorMessage></errorMessages>"
    );
}

#[tokio::test]
async fn sorted_second_page_completes_20() {
    let title = "GET /api/todos (200) ?_sortBy&_limit&_offset";
    let s = TestServer::multi().await;
    for prefix in PREFIXES {
        let c = Ctx::new(&s, prefix).await;
        // Near-miss: ascending.
        expect_ids(&c, "_sortBy=id&_limit=5&_offset=5", &[6, 7, 8, 9, 10]).await;
        c.not_done(title).await;

        expect_ids(&c, "_sortBy=-id&_limit=5&_offset=5", &[5, 4, 3, 2, 1]).await;
        c.done(title).await;
    }
}

#[tokio::test]
async fn filtered_page_completes_21() {
    let title = "GET /api/todos (200) ?filter&_limit&_offset";
    let s = TestServer::multi().await;
    for prefix in PREFIXES {
        let c = Ctx::new(&s, prefix).await;
        let done = c.create_done("finished").await;
        assert_eq!(done, 11);
        // Near-miss: no offset.
        expect_ids(&c, "doneStatus=false&_limit=2", &[1, 2]).await;
        c.not_done(title).await;

        expect_ids(&c, "doneStatus=false&_limit=2&_offset=1", &[2, 3]).await;
        c.done(title).await;
    }
}

#[tokio::test]
async fn paging_edges() {
    let s = TestServer::single().await;
    let c = Ctx::single(&s, "/api");
    expect_ids(&c, "_limit=0", &[]).await;
    expect_ids(&c, "_offset=10", &[]).await;
    expect_ids(&c, "_offset=8", &[9, 10]).await;
    expect_ids(&c, "_limit=3&_offset=1000", &[]).await;
    let r = c.get("/todos?_offset=10").send().await;
    assert_eq!(r.text(), r#"{"todos":[]}"#);
}

#[tokio::test]
async fn bad_paging_values_are_400() {
    let s = TestServer::single().await;
    for (query, message) in [
        ("_limit=abc", "_limit must be a non-negative integer"),
        ("_limit=-1", "_limit must be a non-negative integer"),
        ("_limit=2.5", "_limit must be a non-negative integer"),
        ("_offset=abc", "_offset must be a non-negative integer"),
        ("_offset=-1", "_offset must be a non-negative integer"),
    ] {
        let r = s.get(&format!("/api/todos?{query}")).send().await;
        assert_error(&r, 400, message);
    }
}

#[tokio::test]
async fn filters_on_xml_responses_do_not_complete_json_only_rules() {
    let s = TestServer::multi().await;
    let c = Ctx::new(&s, "/api").await;
    let r = c
        .get("/todos?id%3E5")
        .header("Accept", "application/xml")
        .send()
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(r.text(), seed_list_xml(6..=10));
    c.not_done("GET /api/todos (200) ?filter id greater than")
        .await;
}

#[tokio::test]
async fn raw_angle_brackets_and_quotes_are_accepted() {
    // The documented examples (`?id>5`, `?id<3`) are what curl sends unencoded; the
    // reference (Jetty) accepts them.
    let s = TestServer::multi().await;
    for prefix in PREFIXES {
        let c = Ctx::new(&s, prefix).await;
        for (query, ids) in [
            ("id>5", vec![6, 7, 8, 9, 10]),
            ("id<3", vec![1, 2]),
            ("id>=9", vec![9, 10]),
            ("id=<=2", vec![1, 2]),
            ("title=\"x\"", vec![]),
            ("title~=.*(paper|webcam).*", vec![1, 2, 10]),
        ] {
            let r = c.get(&format!("/todos?{query}")).send().await;
            assert_eq!(r.status, 200, "raw ?{query} (prefix {prefix:?})");
            assert_eq!(resp_ids(&r), ids, "raw ?{query}");
        }
        c.done("GET /api/todos (200) ?filter id greater than").await;
        c.done("GET /api/todos (200) ?filter id less than").await;
    }
}
