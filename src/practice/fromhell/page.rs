//! `/practice-modes/fromhell`: what the API From Hell is for, and every endpoint with
//! its problem and what a good client should show, straight from the catalogue.

use super::catalogue::{ENDPOINTS, NAME};
use super::PREFIX;
use crate::http::reply::Reply;
use crate::site::html::{self, escape};
use hyper::StatusCode;

pub fn page() -> Reply {
    let mut rows = String::new();
    for e in ENDPOINTS {
        rows.push_str(&format!(
            "<tr><td><span class=\"method\">{method}</span> <code>{PREFIX}{path}</code></td>\
<td>{status}</td><td>{content_type}</td><td><strong>{label}</strong><br>{problem}</td>\
<td>{expectation}</td></tr>\n",
            method = escape(e.method),
            path = escape(e.path),
            status = e.status,
            content_type = e
                .content_type
                .map(|t| format!("<code>{}</code>", escape(t)))
                .unwrap_or_else(|| "<em>none</em>".into()),
            label = escape(e.label),
            problem = escape(e.problem),
            expectation = escape(e.expectation),
        ));
    }
    let body = format!(
        "<h1>{name}</h1>\n\
<p>A catalogue of canned responses that are broken on purpose: malformed JSON and XML, \
missing or contradicting <code>Content-Type</code> headers, status codes that disagree with \
their headers or body. It is not for scripted checks but for judging your REST client: does \
it show you what really arrived, or does it quietly repair, hide or misreport it?</p>\n\
<p>Import the <a href=\"{PREFIX}/docs/openapi.json\">OpenAPI document</a> \
(also <a href=\"{PREFIX}/docs/openapi-3.0.json\">3.0</a> and \
<a href=\"{PREFIX}/docs/openapi-3.2.json\">3.2</a>) into your client, or call the endpoints \
directly, e.g. <code>curl -i http://localhost:4567{PREFIX}/malformed/json</code>. Start with \
the <em>good</em> endpoints as control samples, then work down the list and note what your \
client shows for each.</p>\n\
<p>Every path also answers <code>OPTIONS</code> (204 with <code>Allow</code>), \
<code>HEAD</code> where it has a <code>GET</code>, and <code>405</code> with \
<code>Allow</code> for other methods. Nothing here counts towards the challenges or touches \
your todos.</p>\n\
<p class=\"notice\">A proxy between you and the server may repair some of these responses \
(a body on a 204 or 304 is often dropped). To see the exact bytes, use \
<code>curl -i --raw</code> or a raw socket.</p>\n\
<table>\n<tr><th>Endpoint</th><th>Status</th><th>Content-Type</th><th>What is wrong</th>\
<th>What a good client shows</th></tr>\n{rows}</table>\n",
        name = escape(NAME)
    );
    html::reply(StatusCode::OK, html::page(NAME, &body))
}
