//! The simple API practice mode: `/simpleapi/items[/{id}]` and `/simpleapi/randomisbn`,
//! every route and method, every validation message, the limits, the top-up rules,
//! CORS, JSON and XML, hostile input, and that it is shared and counts for nobody.

use apichallenges::config::ProfileName;
use serde_json::Value;

use crate::common::{Resp, TestServer};

async fn send(s: &TestServer, method: &str, path: &str, body: &str) -> Resp {
    let mut req = s.req(method, path).header("Accept", "application/json");
    if !body.is_empty() {
        req = req.json(body);
    }
    req.send().await
}

async fn items(s: &TestServer) -> Vec<Value> {
    let r = send(s, "GET", "/simpleapi/items", "").await;
    assert_eq!(r.status, 200);
    r.json()["items"].as_array().unwrap().clone()
}

/// Create an item and return it.
async fn create(s: &TestServer, isbn: &str, price: &str, stock: Option<i64>) -> Value {
    let stock = stock.map_or(String::new(), |n| format!(",\"numberinstock\":{n}"));
    let body = format!("{{\"type\":\"book\",\"isbn13\":\"{isbn}\",\"price\":{price}{stock}}}");
    let r = send(s, "POST", "/simpleapi/items", &body).await;
    assert_eq!(r.status, 201, "{}", r.text());
    r.json()
}

/// Post a body and return the status and the first error message.
async fn refused(s: &TestServer, method: &str, path: &str, body: &str) -> (u16, String) {
    let r = send(s, method, path, body).await;
    let message = if r.status >= 400 {
        r.errors().join(" | ")
    } else {
        r.text()
    };
    (r.status, message)
}

#[tokio::test]
async fn every_route_and_method_has_its_status() {
    let s = TestServer::single().await;
    let table: [(u16, &str, &str); 23] = [
        (200, "GET", "/simpleapi/items"),
        (200, "HEAD", "/simpleapi/items"),
        (204, "OPTIONS", "/simpleapi/items"),
        (405, "PATCH", "/simpleapi/items"),
        (501, "TRACE", "/simpleapi/items"),
        (405, "DELETE", "/simpleapi/items"),
        (405, "PUT", "/simpleapi/items"),
        (422, "POST", "/simpleapi/items"),
        (200, "GET", "/simpleapi/items/1"),
        (200, "HEAD", "/simpleapi/items/1"),
        (204, "OPTIONS", "/simpleapi/items/1"),
        (405, "QUERY", "/simpleapi/items/1"),
        (405, "TRACE", "/simpleapi/items/1"),
        (404, "GET", "/simpleapi/items/999"),
        (404, "DELETE", "/simpleapi/items/999"),
        (200, "GET", "/simpleapi/randomisbn"),
        (200, "HEAD", "/simpleapi/randomisbn"),
        (200, "OPTIONS", "/simpleapi/randomisbn"),
        (405, "POST", "/simpleapi/randomisbn"),
        (405, "PUT", "/simpleapi/randomisbn"),
        (405, "PATCH", "/simpleapi/randomisbn"),
        (405, "DELETE", "/simpleapi/randomisbn"),
        (405, "TRACE", "/simpleapi/randomisbn"),
    ];
    for (status, method, path) in table {
        let r = s.req(method, path).send().await;
        assert_eq!(r.status, status, "{method} {path}");
    }
    let r = s.req("OPTIONS", "/simpleapi/items").send().await;
    assert_eq!(r.header("allow"), Some("OPTIONS, GET, HEAD, POST, QUERY"));
    let r = s.req("OPTIONS", "/simpleapi/items/1").send().await;
    // The engine's list leaves out PATCH, which works all the same.
    assert_eq!(
        r.header("allow"),
        Some("OPTIONS, GET, HEAD, POST, PUT, DELETE")
    );
    assert!(r
        .header("accept-patch")
        .unwrap()
        .contains("application/json-patch+json"));
    let r = s.req("OPTIONS", "/simpleapi/randomisbn").send().await;
    assert_eq!(r.header("allow"), Some("GET, HEAD, OPTIONS"));
    for path in ["/simpleapi/other", "/simpleapi/items/1/x", "/simpleapi"] {
        assert_eq!(s.get(path).send().await.status, 404, "{path}");
    }
}

#[tokio::test]
async fn starts_with_eight_seed_items_of_the_reference_types() {
    let s = TestServer::single().await;
    let all = items(&s).await;
    assert_eq!(all.len(), 8);
    let types: Vec<&str> = all.iter().map(|i| i["type"].as_str().unwrap()).collect();
    assert_eq!(
        types,
        ["book", "book", "dvd", "blu-ray", "cd", "cd", "dvd", "blu-ray"]
    );
    for (index, item) in all.iter().enumerate() {
        assert_eq!(item["id"], index as u64 + 1);
        let isbn = item["isbn13"].as_str().unwrap();
        assert_eq!(isbn.len(), 17, "{isbn}");
        assert_eq!(isbn.replace('-', "").len(), 13);
        let stock = item["numberinstock"].as_i64().unwrap();
        assert!((0..20).contains(&stock));
        assert!(item["price"].is_number());
    }
}

#[tokio::test]
async fn create_answers_201_with_location_and_defaults() {
    let s = TestServer::single().await;
    let r = send(
        &s,
        "POST",
        "/simpleapi/items",
        "{\"price\":2.00,\"numberinstock\":3,\"isbn13\":\"1234567890123\",\"type\":\"book\"}",
    )
    .await;
    assert_eq!(r.status, 201);
    assert_eq!(r.content_type(), Some("application/json"));
    assert_eq!(r.header("location"), Some("/simpleapi/items/9"));
    assert_eq!(
        r.text(),
        "{\"id\":9,\"type\":\"book\",\"isbn13\":\"1234567890123\",\"price\":2.0,\"numberinstock\":3}"
    );
    // Minimum payload: numberinstock defaults to 0.
    let item = create(&s, "111-1-11-111111-1", "1.99", None).await;
    assert_eq!(item["numberinstock"], 0);
    assert_eq!(item["price"].as_f64().unwrap() as f32, 1.99f32);
    let r = send(&s, "GET", "/simpleapi/items/10", "").await;
    assert_eq!(r.status, 200);
    assert_eq!(
        r.json(),
        item,
        "a single item is one object, not a collection"
    );
}

#[tokio::test]
async fn xml_in_and_out() {
    let s = TestServer::single().await;
    let r = s
        .req("POST", "/simpleapi/items")
        .header("Content-Type", "application/xml")
        .header("Accept", "application/json")
        .body("<item>\n  <price>1.64</price>\n  <isbn13>128-6-32-856404-0</isbn13>\n  <type>cd</type>\n</item>\n")
        .send()
        .await;
    assert_eq!(r.status, 201, "{}", r.text());
    assert_eq!(r.content_type(), Some("application/json"));
    let item = r.json();
    assert_eq!(item["price"].as_f64().unwrap() as f32, 1.64f32);
    assert_eq!(item["numberinstock"], 0);
    assert_eq!(item["isbn13"], "128-6-32-856404-0");
    assert_eq!(item["type"], "cd");

    let r = s
        .get("/simpleapi/items/9")
        .header("Accept", "application/xml")
        .send()
        .await;
    assert_eq!(r.content_type(), Some("application/xml"));
    assert_eq!(
        r.text(),
        "<item><price>1.64</price><numberinstock>0</numberinstock><isbn13>128-6-32-856404-0</isbn13><id>9</id><type>cd</type></item>"
    );
    let r = s
        .get("/simpleapi/items?id=9")
        .header("Accept", "application/xml")
        .send()
        .await;
    assert!(
        r.text().starts_with("<items><item><price>1.64</price>"),
        "{}",
        r.text()
    );
    let r = s
        .get("/simpleapi/items?id=999")
        .header("Accept", "application/xml")
        .send()
        .await;
    assert_eq!(r.text(), "<items></items>");
    // The error envelope follows the Accept header too.
    let r = s
        .get("/simpleapi/items/999")
        .header("Accept", "application/xml")
        .send()
        .await;
    assert_eq!(r.status, 404);
    assert_eq!(
        r.text(),
        "<errorMessages><errorMessage>Could not find any instances with items/999</errorMessage></errorMessages>"
    );
}

#[tokio::test]
async fn each_validation_message() {
    let s = TestServer::single().await;
    let cases: [(&str, &str); 16] = [
        (
            "{\"price\":2.00,\"numberinstock\":\"2\",\"isbn13\":\"123-4-56-789012-3\",\"type\":\"book\"}",
            "Failed Validation: numberinstock should be INTEGER but was STRING",
        ),
        (
            "{\"price\":2.00,\"numberinstock\":\"2.0\",\"isbn13\":\"123-4-56-789012-3\",\"type\":\"book\"}",
            "Failed Validation: numberinstock should be INTEGER but was STRING",
        ),
        (
            "{\"price\":2.00,\"numberinstock\":2.5,\"isbn13\":\"123-4-56-789012-3\",\"type\":\"book\"}",
            "Failed Validation: numberinstock should be INTEGER but was NUMERIC",
        ),
        (
            "{\"price\":\"2.00\",\"isbn13\":\"123-4-56-789012-3\",\"type\":\"book\"}",
            "Failed Validation: price should be FLOAT but was STRING",
        ),
        (
            "{\"price\":2,\"isbn13\":1234567890123,\"type\":true}",
            "Failed Validation: isbn13 should be STRING but was INTEGER, type should be ENUM but was BOOLEAN",
        ),
        (
            "{\"price\":null,\"isbn13\":\"123-4-56-789012-3\",\"type\":\"book\"}",
            "Failed Validation: price should be FLOAT but was NULL",
        ),
        (
            "{\"id\":1,\"price\":2.00,\"isbn13\":\"1234567890123\",\"type\":\"book\"}",
            "Failed Validation: Invalid Creation: Not allowed to create with id",
        ),
        (
            "{\"price\":2.00,\"isbn13\":\"123-4-56-789012-3\",\"type\":\"vinyl\"}",
            "Failed Validation: type : vinyl does not match type ENUM - valid values are [book,blu-ray,cd,dvd]",
        ),
        (
            "{\"price\":2.00,\"isbn13\":\"123-4-56-78901-3\",\"type\":\"book\"}",
            "Failed Validation: isbn13 does not match the regex [0-9]{3}[-]?[0-9]{1}[-]?[0-9]{2}[-]?[0-9]{6}[-]?[0-9]{1}",
        ),
        (
            "{\"price\":2.00,\"isbn13\":\"123-4-56-789012-3-\",\"type\":\"book\"}",
            "Failed Validation: isbn13 does not match the regex [0-9]{3}[-]?[0-9]{1}[-]?[0-9]{2}[-]?[0-9]{6}[-]?[0-9]{1}, Maximum allowable length exceeded for isbn13 - maximum allowed is 17",
        ),
        (
            "{\"price\":50000.5,\"isbn13\":\"123-4-56-789012-3\",\"type\":\"book\"}",
            "Failed Validation: price : 50000.5 is not within range for type FLOAT (0.000000 to 50000.000000)",
        ),
        (
            "{\"price\":-1,\"isbn13\":\"123-4-56-789012-3\",\"type\":\"book\"}",
            "Failed Validation: price : -1 is not within range for type FLOAT (0.000000 to 50000.000000)",
        ),
        (
            "{\"price\":1,\"numberinstock\":101,\"isbn13\":\"123-4-56-789012-3\",\"type\":\"book\"}",
            "Failed Validation: numberinstock : 101 is not within range for type INTEGER (0 to 100)",
        ),
        (
            "{\"price\":1,\"isbn13\":\"123-4-56-789012-3\",\"type\":\"book\",\"colour\":\"red\"}",
            "Failed Validation: Could not find field: colour",
        ),
        (
            "{\"isbn13\":\"123-4-56-789012-3\",\"type\":\"book\"}",
            "price : field is mandatory",
        ),
        (
            "{}",
            "Failed Validation: type : field is mandatory, isbn13 : field is mandatory, price : field is mandatory",
        ),
    ];
    for (body, message) in cases {
        assert_eq!(
            refused(&s, "POST", "/simpleapi/items", body).await,
            (422, message.to_string()),
            "{body}"
        );
    }
    // The boundaries themselves are accepted.
    create(&s, "000-0-00-000000-0", "0", Some(0)).await;
    create(&s, "000-0-00-000000-1", "50000", Some(100)).await;
    // Nothing refused was stored.
    assert_eq!(items(&s).await.len(), 10);
}

#[tokio::test]
async fn isbns_are_unique_once_dashes_are_removed() {
    let s = TestServer::single().await;
    create(&s, "123-4-56-789012-3", "2", None).await;
    for duplicate in ["123-4-56-789012-3", "1234567890123", "123-456-789012-3"] {
        let body = format!("{{\"type\":\"cd\",\"isbn13\":\"{duplicate}\",\"price\":1}}");
        assert_eq!(
            refused(&s, "POST", "/simpleapi/items", &body).await,
            (
                422,
                "Failed Validation: Field isbn13 Value is not unique".to_string()
            ),
            "{duplicate}"
        );
    }
    let other = create(&s, "999-4-56-789012-3", "3", None).await;
    let path = format!("/simpleapi/items/{}", other["id"]);
    for method in ["POST", "PUT"] {
        let body =
            "{\"type\":\"book\",\"isbn13\":\"1234567890123\",\"price\":2,\"numberinstock\":2}";
        let (status, message) = refused(&s, method, &path, body).await;
        assert_eq!(status, 422, "{method}");
        assert!(
            message.contains("Field isbn13 Value is not unique"),
            "{message}"
        );
    }
    // An item keeps its own ISBN on update.
    let body = "{\"type\":\"dvd\",\"isbn13\":\"9994567890123\",\"price\":4}";
    assert_eq!(send(&s, "PUT", &path, body).await.status, 200);
    assert_eq!(items(&s).await.len(), 10);
}

#[tokio::test]
async fn amend_replace_and_patch() {
    let s = TestServer::single().await;
    let item = create(&s, "321-4-56-789012-3", "1.23", Some(3)).await;
    let path = format!("/simpleapi/items/{}", item["id"]);

    // POST amends only the fields sent.
    let r = send(&s, "POST", &path, "{\"numberinstock\":5}").await;
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["numberinstock"], 5);
    assert_eq!(r.json()["isbn13"], "321-4-56-789012-3");

    // PUT replaces: without an id, with the matching id, never with another.
    let body =
        "{\"price\":4.56,\"numberinstock\":8,\"isbn13\":\"321-4-56-789012-3\",\"type\":\"dvd\"}";
    let r = send(&s, "PUT", &path, body).await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["id"], item["id"]);
    assert_eq!(r.json()["type"], "dvd");
    assert_eq!(r.json()["price"].as_f64().unwrap() as f32, 4.56f32);
    let body = format!("{{\"id\":{},\"price\":7.89,\"numberinstock\":12,\"isbn13\":\"321-4-56-789012-3\",\"type\":\"cd\"}}", item["id"]);
    let r = send(&s, "PUT", &path, &body).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["numberinstock"], 12);
    let body = "{\"id\":1,\"price\":7.89,\"isbn13\":\"321-4-56-789012-3\",\"type\":\"cd\"}";
    assert_eq!(
        refused(&s, "PUT", &path, body).await,
        (422, format!("Can not amend id from {} to 1", item["id"]))
    );
    // PUT without a mandatory field, and a PUT that drops numberinstock to its default.
    let (status, message) = refused(&s, "PUT", &path, "{\"type\":\"cd\",\"price\":1}").await;
    assert_eq!(
        (status, message.as_str()),
        (422, "Failed Validation: isbn13 : field is mandatory")
    );
    let r = send(
        &s,
        "PUT",
        &path,
        "{\"type\":\"cd\",\"price\":1,\"isbn13\":\"321-4-56-789012-3\"}",
    )
    .await;
    assert_eq!(r.json()["numberinstock"], 0);

    // PATCH in its three styles.
    let r = send(&s, "PATCH", &path, "{\"price\":9.99}").await;
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["price"].as_f64().unwrap() as f32, 9.99f32);
    assert_eq!(r.json()["type"], "cd");
    let r = s
        .req("PATCH", &path)
        .header("Content-Type", "application/merge-patch+json")
        .body("{\"numberinstock\":7}")
        .send()
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["numberinstock"], 7);
    assert_eq!(r.json()["price"].as_f64().unwrap() as f32, 9.99f32);
    let r = s
        .req("PATCH", &path)
        .header("Content-Type", "application/json-patch+json")
        .body("[{\"op\":\"replace\",\"path\":\"/numberinstock\",\"value\":11}]")
        .send()
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["numberinstock"], 11);

    // A PATCH of the wrong type changes nothing.
    let (status, message) = refused(&s, "PATCH", &path, "{\"numberinstock\":\"2\"}").await;
    assert_eq!(status, 422);
    assert!(message.contains("numberinstock should be INTEGER but was STRING"));
    assert_eq!(send(&s, "GET", &path, "").await.json()["numberinstock"], 11);

    // Unknown ids.
    assert_eq!(
        refused(&s, "POST", "/simpleapi/items/999", "{\"price\":1}").await,
        (
            404,
            "No such item entity instance with id == 999 found".to_string()
        )
    );
    assert_eq!(
        refused(
            &s,
            "PUT",
            "/simpleapi/items/999",
            "{\"price\":1,\"type\":\"cd\",\"isbn13\":\"1111111111111\"}"
        )
        .await,
        (
            422,
            "Cannot create item with PUT due to Auto fields id".to_string()
        )
    );
    assert_eq!(
        refused(&s, "PATCH", "/simpleapi/items/999", "{\"price\":1}").await,
        (
            404,
            "Could not find any instances with items/999".to_string()
        )
    );
}

#[tokio::test]
async fn patch_refusals_leave_the_item_as_it_was() {
    let s = TestServer::single().await;
    let item = create(&s, "555-4-56-789012-3", "5", Some(5)).await;
    let path = format!("/simpleapi/items/{}", item["id"]);
    let cases: [(&str, &str, u16, &str); 7] = [
        (
            "application/merge-patch+json",
            "{\"price\":",
            400,
            "Malformed JSON Merge Patch document",
        ),
        (
            "application/merge-patch+json",
            "[1]",
            422,
            "JSON Merge Patch for entity resources must be an object",
        ),
        (
            "application/merge-patch+json",
            "{\"type\":null}",
            422,
            "Failed Validation: type : field is mandatory",
        ),
        (
            "application/json-patch+json",
            "[{\"op\":",
            400,
            "Malformed JSON Patch document",
        ),
        (
            "application/json-patch+json",
            "{}",
            400,
            "JSON Patch document must be an array of operations",
        ),
        (
            "application/json-patch+json",
            "[{\"op\":\"test\",\"path\":\"/price\",\"value\":1}]",
            409,
            "JSON Patch could not be applied",
        ),
        (
            "application/json-patch+json",
            "[{\"op\":\"replace\",\"path\":\"\",\"value\":[]}]",
            422,
            "PATCH result for entity resources must be an object",
        ),
    ];
    for (content_type, body, status, message) in cases {
        let r = s
            .req("PATCH", &path)
            .header("Content-Type", content_type)
            .body(body)
            .send()
            .await;
        assert_eq!(r.status, status, "{body}");
        assert_eq!(r.errors(), [message], "{body}");
    }
    let r = s
        .req("PATCH", &path)
        .header("Content-Type", "application/xml")
        .body("<item/>")
        .send()
        .await;
    assert_eq!(r.status, 415);
    assert_eq!(r.errors(), ["Unsupported PATCH Content Type"]);
    assert!(r.header("accept-patch").is_some());
    let r = s
        .req("PATCH", &path)
        .header("Content-Type", "text/bob")
        .body("x")
        .send()
        .await;
    assert_eq!(r.status, 415);
    assert_eq!(r.errors(), ["Unsupported Content Type - text/bob"]);
    assert_eq!(send(&s, "GET", &path, "").await.json(), item);
}

#[tokio::test]
async fn hostile_bodies_get_4xx_and_store_nothing() {
    let s = TestServer::single().await;
    let before = items(&s).await;
    let bomb = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    let xml_bomb = format!("{}{}", "<a>".repeat(3_000), "</a>".repeat(3_000));
    let cases: [(&str, String, u16); 7] = [
        ("application/json", "{\"type\":".to_string(), 400),
        ("application/json", bomb, 400),
        ("application/json", "[1,2]".to_string(), 400),
        ("application/xml", "<item><type>cd</item>".to_string(), 400),
        ("application/xml", xml_bomb, 400),
        (
            "application/xml",
            "<!DOCTYPE x [<!ENTITY a \"b\">]><item/>".to_string(),
            400,
        ),
        ("text/bob", "x".to_string(), 415),
    ];
    for (content_type, body, status) in cases {
        let r = s
            .req("POST", "/simpleapi/items")
            .header("Content-Type", content_type)
            .body(body.clone())
            .send()
            .await;
        assert_eq!(
            r.status,
            status,
            "{content_type} {}",
            &body[..body.len().min(40)]
        );
        assert!(!r.errors().is_empty());
    }
    let r = s
        .req("POST", "/simpleapi/items")
        .json(&"x".repeat(25_000))
        .send()
        .await;
    assert_eq!(r.status, 413);
    assert_eq!(
        r.errors(),
        ["Error: request too large, max allowed is 24000 bytes"]
    );
    let r = s
        .get("/simpleapi/items")
        .header("Accept", "image/png")
        .send()
        .await;
    assert_eq!(r.status, 406);
    // Over-long strings are refused by the rules, not stored.
    let long = format!(
        "{{\"type\":\"book\",\"isbn13\":\"{}\",\"price\":1}}",
        "1".repeat(5000)
    );
    assert_eq!(
        send(&s, "POST", "/simpleapi/items", &long).await.status,
        422
    );
    assert_eq!(items(&s).await, before);
}

#[tokio::test]
async fn at_most_one_hundred_items() {
    let s = TestServer::single().await;
    let start = items(&s).await.len();
    for n in 0..(100 - start) {
        create(&s, &format!("{n:03}1234567890"), "1.23", None).await;
    }
    let (status, message) = refused(
        &s,
        "POST",
        "/simpleapi/items",
        "{\"type\":\"book\",\"isbn13\":\"1011234567890\",\"price\":1.23}",
    )
    .await;
    assert_eq!(
        (status, message.as_str()),
        (
            409,
            "ERROR: Cannot add instance, maximum limit of 100 reached"
        )
    );
    assert_eq!(items(&s).await.len(), 100);
}

#[tokio::test]
async fn deleting_everything_brings_back_eight() {
    let s = TestServer::single().await;
    for item in items(&s).await {
        let r = send(
            &s,
            "DELETE",
            &format!("/simpleapi/items/{}", item["id"]),
            "",
        )
        .await;
        assert_eq!(r.status, 204);
        assert!(r.body.is_empty());
    }
    let left = items(&s).await;
    assert_eq!(left.len(), 8);
    // Ids keep counting: the new seed items do not reuse deleted ids.
    assert!(left.iter().all(|i| i["id"].as_u64().unwrap() > 8));
}

#[tokio::test]
async fn fewer_than_five_tops_up_with_eight_more() {
    let s = TestServer::single().await;
    let all = items(&s).await;
    for item in &all[..3] {
        send(
            &s,
            "DELETE",
            &format!("/simpleapi/items/{}", item["id"]),
            "",
        )
        .await;
    }
    assert_eq!(items(&s).await.len(), 5);
    send(
        &s,
        "DELETE",
        &format!("/simpleapi/items/{}", all[3]["id"]),
        "",
    )
    .await;
    assert_eq!(items(&s).await.len(), 4 + 8);
    let r = send(&s, "GET", &format!("/simpleapi/items/{}", all[0]["id"]), "").await;
    assert_eq!(r.status, 404);
}

#[tokio::test]
async fn filters_sorting_and_query() {
    let s = TestServer::single().await;
    let r = send(&s, "GET", "/simpleapi/items?type=book&_sortBy=-id", "").await;
    let books = r.json()["items"].as_array().unwrap().clone();
    assert_eq!(books.len(), 2);
    assert_eq!(books[0]["id"], 2);
    // Paging is off: _limit does not cut the list.
    assert_eq!(
        send(&s, "GET", "/simpleapi/items?_limit=1", "")
            .await
            .json()["items"]
            .as_array()
            .unwrap()
            .len(),
        8
    );

    let r = s
        .req("QUERY", "/simpleapi/items")
        .header("Content-Type", "application/x-www-form-urlencoded")
        .header("Accept", "application/json")
        .body("type=book")
        .send()
        .await;
    assert_eq!(r.status, 200);
    let accept_query = r.header("accept-query").unwrap();
    assert!(accept_query.contains("application/x-www-form-urlencoded"));
    assert!(accept_query.contains("application/jsonpath"));
    let found = r.json()["items"].as_array().unwrap().clone();
    assert_eq!(found.len(), 2);
    assert!(found.iter().all(|i| i["type"] == "book"));

    let r = s
        .req("QUERY", "/simpleapi/items")
        .header("Content-Type", "application/jsonpath")
        .body("$.items[?(@.type == 'book')]")
        .send()
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    let found = r.json()["items"].as_array().unwrap().clone();
    assert_eq!(found.len(), 2);
    assert!(found.iter().all(|i| i["type"] == "book"));

    let r = s
        .req("QUERY", "/simpleapi/items")
        .header("Content-Type", "application/vnd.thingifier.query+json")
        .body("{\"filter\":{\"type\":\"cd\"}}")
        .send()
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert!(r.json()["items"]
        .as_array()
        .unwrap()
        .iter()
        .all(|i| i["type"] == "cd"));

    let refusals: [(Option<&str>, &str, u16, &str); 5] = [
        (
            None,
            "type=book",
            400,
            "Missing Content-Type for QUERY request",
        ),
        (
            Some("text/bob"),
            "x",
            415,
            "Unsupported QUERY Content Type - text/bob",
        ),
        (
            Some("application/jsonpath"),
            "  ",
            400,
            "Missing JSONPath expression for QUERY request",
        ),
        (
            Some("application/jsonpath"),
            "$.items[*].type",
            422,
            "JSONPath query must select complete resource objects from the collection",
        ),
        (
            Some("application/vnd.thingifier.query+json"),
            "{",
            400,
            "Malformed JSON query body",
        ),
    ];
    for (content_type, body, status, message) in refusals {
        let mut req = s.req("QUERY", "/simpleapi/items").body(body);
        if let Some(ct) = content_type {
            req = req.header("Content-Type", ct);
        }
        let r = req.send().await;
        assert_eq!(r.status, status, "{body}");
        assert_eq!(r.errors(), [message], "{body}");
        assert!(r.header("accept-query").is_some());
    }
}

#[tokio::test]
async fn cors_is_open_and_echoes_a_preflight() {
    let s = TestServer::single().await;
    let r = s
        .req("OPTIONS", "/simpleapi/items")
        .header("Origin", "https://example.test")
        .header("Access-Control-Request-Method", "POST")
        .header(
            "Access-Control-Request-Headers",
            "Authorization, Content-Type",
        )
        .send()
        .await;
    assert_eq!(r.status, 204);
    assert_eq!(r.header("access-control-allow-origin"), Some("*"));
    assert_eq!(
        r.header("access-control-allow-headers"),
        Some("Authorization, Content-Type")
    );
    assert_eq!(r.header("access-control-allow-methods"), Some("POST"));
    assert_eq!(r.header("access-control-expose-headers"), Some("*"));
    assert_eq!(r.header("access-control-allow-credentials"), None);
    let r = s
        .get("/simpleapi/items/1")
        .header("Access-Control-Request-Method", "PUT")
        .send()
        .await;
    assert_eq!(r.header("access-control-allow-origin"), Some("*"));
    assert_eq!(r.header("access-control-allow-methods"), Some("*"));
}

#[tokio::test]
async fn random_isbns_are_plain_text_and_usable() {
    let s = TestServer::single().await;
    let r = s.get("/simpleapi/randomisbn").send().await;
    assert_eq!(r.status, 200);
    assert_eq!(r.content_type(), Some("text/plain"));
    let isbn = r.text();
    assert_eq!(isbn.len(), 17);
    assert!(
        isbn.replace('-', "")
            .chars()
            .all(|c| ('0'..='8').contains(&c)),
        "{isbn}"
    );
    let item = create(&s, &isbn.replace('-', ""), "3.00", Some(4)).await;
    assert_eq!(item["isbn13"].as_str().unwrap(), isbn.replace('-', ""));
    assert_eq!(item["price"], 3.0);
}

#[tokio::test]
async fn one_store_shared_by_every_learner_and_counted_for_none() {
    let s = TestServer::multi().await;
    let alice = s.new_challenger().await;
    let todos_before = s.get("/api/todos").as_(&alice).send().await.text();
    let before = s.statuses(Some(&alice)).await;
    let r = s
        .req("POST", "/simpleapi/items")
        .as_(&alice)
        .json("{\"type\":\"cd\",\"isbn13\":\"7777777777777\",\"price\":1}")
        .send()
        .await;
    assert_eq!(r.status, 201);
    assert!(r.header("x-challenger").is_none());
    // Anyone, with or without a session, sees it.
    let r = s.get("/simpleapi/items?isbn13=7777777777777").send().await;
    assert_eq!(r.json()["items"].as_array().unwrap().len(), 1);
    let bob = s.new_challenger().await;
    let r = s
        .get("/simpleapi/items?isbn13=7777777777777")
        .as_(&bob)
        .send()
        .await;
    assert_eq!(r.json()["items"].as_array().unwrap().len(), 1);
    assert!(s.statuses(Some(&alice)).await == before);
    assert_eq!(
        s.get("/api/todos").as_(&alice).send().await.text(),
        todos_before
    );
}

#[tokio::test]
async fn works_in_both_profiles_and_user_modes() {
    for (classic, multi) in [(false, false), (false, true), (true, false), (true, true)] {
        let s = TestServer::with(|c| {
            if classic {
                c.profile = ProfileName::Classic;
            }
            c.multi_user = multi;
        })
        .await;
        assert_eq!(items(&s).await.len(), 8, "classic {classic} multi {multi}");
        create(&s, "123-4-56-789012-3", "1", None).await;
        assert_eq!(s.get("/practice-modes/simpleapi").send().await.status, 200);
        let doc = s.get("/simpleapi/docs/openapi.json").send().await.json();
        assert!(doc["paths"]["/simpleapi/items/{id}"]["patch"].is_object());
    }
}

/// The JSONPath bombs that once aborted the server through the todo QUERY are refused
/// on the simple API too, quickly, with its 400 envelope, and the server stays up.
#[tokio::test]
async fn jsonpath_nesting_and_cost_bombs_are_refused() {
    let s = TestServer::single().await;
    let parens = format!("$.items[?{}@.id==1{}]", "(".repeat(900), ")".repeat(900));
    let filters = format!("$.items[?{}@{}]", "@[?".repeat(24), "]".repeat(24));
    for bomb in [parens, filters] {
        let started = std::time::Instant::now();
        let r = s
            .req("QUERY", "/simpleapi/items")
            .header("Content-Type", "application/jsonpath")
            .body(bomb)
            .send()
            .await;
        assert_eq!(r.status, 400, "{}", r.text());
        assert!(r.json()["errorMessages"][0]
            .as_str()
            .unwrap()
            .starts_with("JSONPath"));
        assert!(started.elapsed() < std::time::Duration::from_secs(2));
    }
    assert_eq!(s.get("/api/heartbeat").send().await.status, 204);
}
