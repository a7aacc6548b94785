//! Small HTML helpers shared by the site pages: THE escaping function every
//! client-supplied value goes through, the page layout, cookies and URL pieces.
//!
//! Pages are plain strings built in Rust: no template engine, no front-end build,
//! nothing fetched from a CDN.

use hyper::header::{HeaderName, CACHE_CONTROL};
use hyper::HeaderMap;
use hyper::StatusCode;

use crate::http::reply::Reply;

/// Content-Type of every HTML page.
pub const HTML: &str = "text/html; charset=utf-8";

/// Escape text for HTML element content and (quoted) attribute values. Every value
/// that came from a client (todo fields, notes, GUIDs, paths) goes through here.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            other => out.push(other),
        }
    }
    out
}

/// Make JSON text safe to embed inside an inline `<script>`: the characters that could
/// end the script element or start an HTML comment/entity become JSON `\u` escapes,
/// which only ever occur inside JSON strings, so the data means the same.
pub fn script_json(json: &str) -> String {
    let mut out = String::with_capacity(json.len() + 8);
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            other => out.push(other),
        }
    }
    out
}

/// Single-quote text for a POSIX shell (`'` becomes `'\''`), for curl examples.
pub fn shell_quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', r"'\''"))
}

/// Shared look of every page.
const STYLE: &str = r#"
:root{--fg:#1d2330;--muted:#5b6475;--bg:#f6f7f9;--card:#fff;--line:#dde1e8;--accent:#1f5fbf;--done:#17803d;--todo:#a23a1c}
*{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg)}
a{color:var(--accent)}
header.site{background:#1d2330;color:#fff;padding:.6rem 1.2rem;display:flex;flex-wrap:wrap;gap:1rem;align-items:center}
header.site a{color:#fff;text-decoration:none}
header.site .brand{font-weight:700;font-size:1.15rem;margin-right:auto}
header.site nav a{margin-left:1rem;opacity:.9}
header.site nav a:hover{opacity:1;text-decoration:underline}
main{max-width:64rem;margin:0 auto;padding:1rem 1.2rem 3rem}
footer{max-width:64rem;margin:0 auto;padding:1rem 1.2rem;color:var(--muted);font-size:.85rem}
h1{font-size:1.7rem;margin:.8rem 0}
h2{font-size:1.25rem;margin:1.6rem 0 .5rem}
code,pre{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.9em}
code{background:#eef1f5;padding:.05rem .3rem;border-radius:3px;overflow-wrap:anywhere}
pre{background:#eef1f5;padding:.7rem;border-radius:4px;overflow-x:auto}
.card{background:var(--card);border:1px solid var(--line);border-radius:6px;padding:.8rem 1rem;margin:1rem 0}
.card>h2:first-child,.card>h3:first-child{margin-top:.2rem}
.muted{color:var(--muted)}
table{border-collapse:collapse;width:100%;background:var(--card)}
th,td{border:1px solid var(--line);padding:.4rem .55rem;text-align:left;vertical-align:top}
th{background:#eef1f5}
td.num{width:3.2rem;text-align:right;color:var(--muted)}
td.status{width:7.5rem;white-space:nowrap}
tr.done td.status{color:var(--done);font-weight:600}
tr.not-done td.status{color:var(--todo)}
.desc{color:var(--muted);font-size:.92rem}
.count{font-size:1.4rem;font-weight:700}
.bar{height:.6rem;background:var(--line);border-radius:3px;overflow:hidden;margin:.3rem 0 1rem}
.bar span{display:block;height:100%;background:var(--done)}
button,input[type=text]{font:inherit;padding:.35rem .7rem;border-radius:4px;border:1px solid var(--line)}
button{background:var(--accent);color:#fff;border-color:var(--accent);cursor:pointer}
button.secondary{background:#fff;color:var(--accent)}
input[type=text]{width:min(100%,26rem)}
.notice{background:#fff6dd;border:1px solid #e8d38a;border-radius:6px;padding:.6rem .9rem}
.params td:first-child code,.responses code{white-space:nowrap}
.method{display:inline-block;min-width:4.6rem;font-weight:700;font-family:ui-monospace,monospace}
"#;

/// The site icon: a white tick on the accent blue (served as `/favicon.svg` and, for
/// browsers that ask for it by the old name, `/favicon.ico`).
pub const FAVICON_SVG: &str = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 32 32\">\
<rect width=\"32\" height=\"32\" rx=\"7\" fill=\"#1f5fbf\"/>\
<path d=\"M8 17l5 5 11-12\" fill=\"none\" stroke=\"#fff\" stroke-width=\"4\" \
stroke-linecap=\"round\" stroke-linejoin=\"round\"/></svg>\n";

/// A complete page: `title` is plain text (escaped here), `body` is HTML that the
/// caller has already built from escaped pieces.
pub fn page(title: &str, body: &str) -> String {
    format!(
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
<title>{title} - API Challenges</title>\n<link rel=\"icon\" href=\"/favicon.svg\" type=\"image/svg+xml\">\n<style>{STYLE}</style>\n</head>\n<body>\n\
<header class=\"site\"><a class=\"brand\" href=\"/\">API Challenges</a><nav>\
<a href=\"/gui/challenges\">Challenges</a><a href=\"/api/docs\">API docs</a>\
<a href=\"/gui\">Explorer</a></nav></header>\n<main>\n{body}\n</main>\n\
<footer>API Challenges practice server. Learn API testing by completing challenges \
against a small todo API.</footer>\n</body>\n</html>\n",
        title = escape(title)
    )
}

/// An HTML reply for a page that shows live data (never cached).
pub fn reply(status: StatusCode, html: String) -> Reply {
    no_sniff(Reply::body(status, HTML, html).with_header(CACHE_CONTROL, "no-store"))
}

/// Forbid browsers to guess another content type than the one sent (a JSON body
/// holding client text must never be rendered as HTML).
pub fn no_sniff(reply: Reply) -> Reply {
    reply.with_header(HeaderName::from_static("x-content-type-options"), "nosniff")
}

/// The value of cookie `name` from the request's `Cookie` headers (first non-empty).
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(hyper::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, value)| key.trim() == name && !value.trim().is_empty())
        .map(|(_, value)| percent_decode(value.trim().trim_matches('"')))
}

/// Add a `Set-Cookie` header (appended: a reply may set several cookies).
pub fn set_cookie(reply: &mut Reply, name: &str, value: &str, max_age_seconds: u64) {
    let text = format!("{name}={value}; Max-Age={max_age_seconds}; Path=/; SameSite=Lax");
    if let Ok(v) = hyper::header::HeaderValue::from_str(&text) {
        reply
            .headers
            .append(HeaderName::from_static("set-cookie"), v);
    }
}

/// Decode `%XX` escapes (invalid escapes are kept as written; invalid UTF-8 is replaced).
pub fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Encode text for use as one URL path segment (everything but unreserved characters).
pub fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The first value of query parameter `name` (`+` read as a space, then decoded).
/// A parameter given without `=` has the value "".
pub fn query_param(raw_query: &str, name: &str) -> Option<String> {
    raw_query
        .split('&')
        .map(|pair| pair.split_once('=').unwrap_or((pair, "")))
        .find(|(key, _)| percent_decode(&key.replace('+', " ")) == name)
        .map(|(_, value)| percent_decode(&value.replace('+', " ")))
}

/// The practice modes beside the challenges: page, title, documentation. The pages
/// themselves are the practice modes' own; the site only links to them.
const PRACTICE_MODES: [(&str, &str, &str); 5] = [
    ("/practice-modes/mirror", "HTTP Mirror", "/mirror/docs"),
    ("/practice-modes/simpleapi", "Simple API", "/simpleapi/docs"),
    ("/practice-modes/simulation", "API Simulator", "/sim/docs"),
    (
        "/practice-modes/shoppingcart",
        "Shopping cart (with deliberate bugs)",
        "/shop/docs",
    ),
    (
        "/practice-modes/fromhell",
        "The API From Hell",
        "/fromhell/docs/openapi.json",
    ),
];

/// Links to each practice mode's page and documentation, for the home page, the API
/// docs and the practice pages themselves.
pub fn practice_links() -> String {
    let mut out = String::from("<ul>\n");
    for (page, title, docs) in PRACTICE_MODES {
        out.push_str(&format!(
            "<li><a href=\"{page}\">{}</a> (<a href=\"{docs}\">API documentation</a>)</li>\n",
            escape(title)
        ));
    }
    out.push_str("</ul>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use hyper::header::HeaderValue;

    #[test]
    fn escape_covers_the_five_html_specials() {
        assert_eq!(
            escape(r#"<script>alert('x') & "y"</script>"#),
            "&lt;script&gt;alert(&#39;x&#39;) &amp; &quot;y&quot;&lt;/script&gt;"
        );
        assert_eq!(escape("plain ü"), "plain ü");
    }

    #[test]
    fn script_json_cannot_close_the_script_element() {
        let json = r#"{"t":"</script><!--&"}"#;
        let safe = script_json(json);
        assert_eq!(safe, r#"{"t":"\u003c/script\u003e\u003c!--\u0026"}"#);
        let back: serde_json::Value = serde_json::from_str(&safe).unwrap();
        assert_eq!(back["t"], "</script><!--&");
    }

    #[test]
    fn shell_quoting_survives_single_quotes() {
        assert_eq!(shell_quote("it's"), r"'it'\''s'");
        assert_eq!(shell_quote(""), "''");
    }

    #[test]
    fn replies_are_uncached_and_not_sniffed() {
        let r = reply(StatusCode::OK, "x".into());
        assert_eq!(r.headers["cache-control"], "no-store");
        assert_eq!(r.headers["x-content-type-options"], "nosniff");
        assert_eq!(r.headers["content-type"], HTML);
    }

    #[test]
    fn page_escapes_its_title() {
        let html = page("<b>", "<p>body</p>");
        assert!(html.contains("<title>&lt;b&gt; - API Challenges</title>"));
        assert!(html.contains("<p>body</p>"));
        assert!(html.starts_with("<!doctype html>"));
        assert!(html.contains("<link rel=\"icon\" href=\"/favicon.svg\" type=\"image/svg+xml\">"));
    }

    #[test]
    fn cookies_are_found_among_several_headers() {
        let mut h = HeaderMap::new();
        h.append(
            "cookie",
            HeaderValue::from_static("a=1; X-CHALLENGER= ; b=2"),
        );
        h.append("cookie", HeaderValue::from_static("X-CHALLENGER=abc%2Fd"));
        assert_eq!(cookie(&h, "a").as_deref(), Some("1"));
        assert_eq!(cookie(&h, "X-CHALLENGER").as_deref(), Some("abc/d"));
        assert_eq!(cookie(&h, "x-challenger"), None);
        assert_eq!(cookie(&HeaderMap::new(), "a"), None);
    }

    #[test]
    fn set_cookie_appends() {
        let mut r = Reply::empty(StatusCode::OK);
        set_cookie(&mut r, "A", "1", 10);
        set_cookie(&mut r, "B", "2", 10);
        let all: Vec<_> = r.headers.get_all("set-cookie").iter().collect();
        assert_eq!(all.len(), 2);
        assert_eq!(all[0], "A=1; Max-Age=10; Path=/; SameSite=Lax");
    }

    #[test]
    fn percent_coding_round_trips_and_tolerates_bad_escapes() {
        assert_eq!(percent_decode("a%20b%2F%zz%4"), "a b/%zz%4");
        assert_eq!(percent_decode("%"), "%");
        assert_eq!(percent_encode("a b/<ü>"), "a%20b%2F%3C%C3%BC%3E");
        assert_eq!(percent_decode(&percent_encode("x/y ü")), "x/y ü");
    }

    #[test]
    fn query_params_decode() {
        assert_eq!(query_param("entity=todo&id=3", "id").as_deref(), Some("3"));
        assert_eq!(query_param("a=x+y%21", "a").as_deref(), Some("x y!"));
        assert_eq!(query_param("download", "download").as_deref(), Some(""));
        assert_eq!(query_param("", "a"), None);
    }
}
