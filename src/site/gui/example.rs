//! A catalogue row's worked example made concrete for one learner: placeholders
//! filled in (their GUID, todo ids, token), then written out as raw HTTP, as a curl
//! command and as the fields of the in-page request runner.
//!
//! The output is plain text; the progress page escapes it before it reaches HTML.

use crate::challenges::catalogue::Example;
use crate::site::html::shell_quote;

/// What the placeholders of an example stand for, for the learner looking at the page.
pub struct Learner<'a> {
    /// Their X-CHALLENGER value.
    pub guid: &'a str,
    /// One of their todo ids (1 when they have none).
    pub existing_id: u64,
    /// An id none of their todos has.
    pub missing_id: u64,
    /// Their secret token (what `POST /secret/token` returns).
    pub token: &'a str,
    /// Their progress payload, as `GET /challenger/{guid}` returns it.
    pub progress: &'a str,
    /// Their todos, as `GET /challenger/database/{guid}` returns them.
    pub database: &'a str,
}

/// An example with every placeholder filled in.
pub struct Filled {
    pub method: &'static str,
    /// Path and query, starting with `/`.
    pub path: String,
    /// Headers in the order they are sent; an empty value means "must not be sent"
    /// (a header many clients add on their own).
    pub headers: Vec<(String, String)>,
    pub body: String,
    /// Why a browser cannot send it ("" when it can).
    pub browser_limit: &'static str,
}

/// The largest counter string an example may ask for (`{chars:N}`).
const MAX_COUNTER_STRING: usize = 10_000;

/// Fill in `example` for `learner`. `X-CHALLENGER` comes first unless the example is
/// anonymous or sets that header itself.
pub fn fill(example: &Example, learner: &Learner) -> Filled {
    let mut headers = Vec::with_capacity(example.headers.len() + 1);
    let sets_own = example
        .headers
        .iter()
        .any(|(name, _)| name.eq_ignore_ascii_case("x-challenger"));
    if !example.anonymous && !sets_own {
        headers.push(("X-CHALLENGER".to_string(), learner.guid.to_string()));
    }
    for (name, value) in example.headers {
        headers.push((name.to_string(), substitute(value, learner)));
    }
    Filled {
        method: example.method,
        path: substitute(example.path, learner),
        headers,
        body: substitute(example.body, learner),
        browser_limit: example.browser_limit,
    }
}

/// Replace `{guid}`, `{id}`, `{missing}`, `{token}`, `{progress}`, `{database}` and
/// `{chars:N}`; anything else in
/// braces (JSON, for one) is left as written.
fn substitute(text: &str, learner: &Learner) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open..];
        let Some(close) = after.find('}') else {
            out.push_str(after);
            return out;
        };
        let name = &after[1..close];
        let replacement = match name {
            "guid" => Some(learner.guid.to_string()),
            "id" => Some(learner.existing_id.to_string()),
            "missing" => Some(learner.missing_id.to_string()),
            "token" => Some(learner.token.to_string()),
            "progress" => Some(learner.progress.to_string()),
            "database" => Some(learner.database.to_string()),
            _ => name
                .strip_prefix("chars:")
                .and_then(|n| n.parse::<usize>().ok())
                .map(|n| counter_string(n.min(MAX_COUNTER_STRING))),
        };
        match replacement {
            Some(value) => {
                out.push_str(&value);
                rest = &after[close + 1..];
            }
            None => {
                out.push('{');
                rest = &after[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// A counter string of exactly `length` characters: each `*` sits at the position the
/// number before it names (`*3*5*7*9*12*15*`...), so a reader can tell a length at a
/// glance. Built from the end so the last `*` is at `length`.
pub fn counter_string(length: usize) -> String {
    let mut pieces: Vec<String> = Vec::new();
    let mut position = length;
    while position > 0 {
        let piece = format!("{position}*");
        if piece.len() > position {
            pieces.push("*".repeat(position));
            break;
        }
        position -= piece.len();
        pieces.push(piece);
    }
    pieces.reverse();
    pieces.concat()
}

/// The request as it travels on the wire (HTTP/1.1), `host` in the Host header.
pub fn raw_http(filled: &Filled, host: &str) -> String {
    let mut out = format!("{} {} HTTP/1.1\nHost: {host}\n", filled.method, filled.path);
    for (name, value) in &filled.headers {
        if !value.is_empty() {
            out.push_str(&format!("{name}: {value}\n"));
        }
    }
    if !filled.body.is_empty() {
        out.push_str(&format!(
            "Content-Length: {}\n\n{}",
            filled.body.len(),
            filled.body
        ));
    }
    out
}

/// A curl command line (POSIX shell quoting) for `base` (scheme and host).
pub fn curl(filled: &Filled, base: &str) -> String {
    let method = match filled.method {
        "GET" => String::new(),
        "HEAD" => " --head".to_string(),
        other => format!(" -X {other}"),
    };
    let mut out = format!(
        "curl -i{method} {}",
        shell_quote(&format!("{base}{}", filled.path))
    );
    for (name, value) in &filled.headers {
        let header = if value.is_empty() {
            // `-H 'Name:'` makes curl leave out a header it would add by itself.
            format!("{name}:")
        } else {
            format!("{name}: {value}")
        };
        out.push_str(&format!(" \\\n  -H {}", shell_quote(&header)));
    }
    if !filled.body.is_empty() {
        out.push_str(&format!(" \\\n  --data-raw {}", shell_quote(&filled.body)));
    }
    out
}

/// The runner's header box: one `Name: value` per line (empty values kept, so the
/// runner can say that a browser cannot leave the header out).
pub fn header_lines(filled: &Filled) -> String {
    filled
        .headers
        .iter()
        .map(|(name, value)| format!("{name}: {value}"))
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::challenges::catalogue::{Example, SOLUTIONS_SITE};

    const LEARNER: Learner = Learner {
        guid: "g-1",
        existing_id: 3,
        missing_id: 1003,
        token: "t-9",
        progress: "{\"p\":1}",
        database: "{\"todos\":[]}",
    };

    fn example(
        method: &'static str,
        path: &'static str,
        headers: &'static [(&'static str, &'static str)],
        body: &'static str,
    ) -> Example {
        Example {
            method,
            path,
            headers,
            body,
            anonymous: false,
            browser_limit: "",
        }
    }

    #[test]
    fn counter_strings_have_the_asked_length_and_mark_positions() {
        for n in [0, 1, 2, 3, 9, 10, 11, 50, 51, 200, 201, 5000] {
            assert_eq!(counter_string(n).len(), n, "{n}");
        }
        let s = counter_string(50);
        assert!(s.ends_with("50*"));
        // Every number is followed by a star at the position it names.
        let mut at = 0;
        for part in s.split_inclusive('*') {
            at += part.len();
            if let Ok(n) = part.trim_end_matches('*').parse::<usize>() {
                assert_eq!(n, at, "{s}");
            }
        }
    }

    #[test]
    fn placeholders_are_filled_and_json_braces_kept() {
        let e = example(
            "PUT",
            "/api/todos/{missing}",
            &[("X-AUTH-TOKEN", "{token}")],
            r#"{"id":{id},"title":"{chars:3}","x":{"y":1},"z":"{unknown}"}"#,
        );
        let f = fill(&e, &LEARNER);
        assert_eq!(f.path, "/api/todos/1003");
        assert_eq!(
            f.headers,
            [
                ("X-CHALLENGER".to_string(), "g-1".to_string()),
                ("X-AUTH-TOKEN".to_string(), "t-9".to_string())
            ]
        );
        assert_eq!(
            f.body,
            r#"{"id":3,"title":"*3*","x":{"y":1},"z":"{unknown}"}"#
        );
        assert_eq!(substitute("{", &LEARNER), "{");
        assert_eq!(
            substitute("{progress}{database}", &LEARNER),
            r#"{"p":1}{"todos":[]}"#
        );
        assert_eq!(substitute("a{guid", &LEARNER), "a{guid");
    }

    #[test]
    fn an_example_can_replace_or_leave_out_the_challenger_header() {
        let own = example("GET", "/x", &[("X-CHALLENGER", "{guid}{guid}")], "");
        assert_eq!(
            fill(&own, &LEARNER).headers,
            [("X-CHALLENGER".into(), "g-1g-1".into())]
        );
        let anonymous = Example {
            anonymous: true,
            ..example("POST", "/api/challenger", &[], "")
        };
        assert!(fill(&anonymous, &LEARNER).headers.is_empty());
    }

    #[test]
    fn raw_and_curl_forms() {
        let e = example(
            "POST",
            "/api/todos",
            &[("Content-Type", "application/json"), ("Accept", "")],
            r#"{"title":"it's"}"#,
        );
        let f = fill(&e, &LEARNER);
        assert_eq!(
            raw_http(&f, "h:1"),
            "POST /api/todos HTTP/1.1\nHost: h:1\nX-CHALLENGER: g-1\nContent-Type: application/json\nContent-Length: 16\n\n{\"title\":\"it's\"}"
        );
        assert_eq!(
            curl(&f, "http://h:1"),
            "curl -i -X POST 'http://h:1/api/todos' \\\n  -H 'X-CHALLENGER: g-1' \\\n  -H 'Content-Type: application/json' \\\n  -H 'Accept:' \\\n  --data-raw '{\"title\":\"it'\\''s\"}'"
        );
        let head = fill(&example("HEAD", "/api/todos", &[], ""), &LEARNER);
        assert!(curl(&head, "b").starts_with("curl -i --head 'b/api/todos'"));
        assert_eq!(
            header_lines(&f),
            "X-CHALLENGER: g-1\nContent-Type: application/json\nAccept: "
        );
        assert!(SOLUTIONS_SITE.starts_with("https://"));
    }
}
