//! `GET /challenges`: the active challenges with the learner's status (all false for nobody).
//!
//! The static part of each row (id, name, description) is rendered once at start-up;
//! a request only appends the learner's statuses.

use hyper::header::{ALLOW, LOCATION};
use hyper::StatusCode;

use crate::api::request::{gui_location, ApiRequest, Requester};
use crate::api::todos::Answer;
use crate::app::App;
use crate::challenges::listing::Row;
use crate::challenges::profile::ChallengeXml;
use crate::error::{ApiError, ErrorKind};
use crate::http::reply::Reply;
use crate::learners::registry::Progress;
use crate::todo::negotiation::Offer;
use crate::todo::query::{self, FieldValue, ListQuery, Record};
use crate::todo::representation::xml_escape;

/// A row with its status, as filters see it.
struct View<'a> {
    row: &'a Row,
    status: bool,
}

impl Record for View<'_> {
    fn field(&self, name: &str) -> Option<FieldValue<'_>> {
        match name {
            "id" => Some(FieldValue::Int(self.row.id)),
            "name" => Some(FieldValue::Str(self.row.name)),
            "description" => Some(FieldValue::Str(self.row.description)),
            "status" => Some(FieldValue::Bool(self.status)),
            _ => None,
        }
    }
}

/// `GET`/`HEAD /challenges`.
pub fn list(app: &App, req: &ApiRequest, who: &Requester) -> Answer {
    let b = req.behaviour;
    let format = req
        .negotiate(Offer::Standard)
        .map_err(|e| ApiError::new(ErrorKind::NotAcceptable, e.message()).in_json())?;
    let progress = who
        .entry
        .as_ref()
        .map(|s| s.state.lock().progress)
        .unwrap_or_default();
    let views: Vec<View> = app
        .challenge_rows
        .rows
        .iter()
        .map(|row| View {
            row,
            status: progress.is_done(row.index),
        })
        .collect();
    let selected: Vec<&View> = if req.raw_query.is_empty() {
        views.iter().collect()
    } else {
        let query = ListQuery::parse_with(req.raw_query, &b.list_query);
        query::apply(&views, &query, None)?
    };
    let mut reply = if format.is_xml() {
        let xml = render_xml(&selected, b.challenge_xml);
        Reply::body(StatusCode::OK, format.content_type(), xml)
    } else {
        Reply::json(StatusCode::OK, render_json(&selected))
    };
    if let Some(id) = who.id.filter(|_| who.is_known()) {
        reply.set_header(LOCATION, &gui_location(&id));
    }
    Ok(reply)
}

fn render_json(views: &[&View]) -> String {
    let mut out = String::with_capacity(views.len() * 160 + 16);
    out.push_str(r#"{"challenges":["#);
    for (i, v) in views.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&v.row.json_prefix);
        out.push_str(if v.status { "true}" } else { "false}" });
    }
    out.push_str("]}");
    out
}

fn render_xml(views: &[&View], order: ChallengeXml) -> String {
    let mut out = String::from("<challenges>");
    for v in views {
        let id = format!("<id>{}</id>", v.row.id);
        let named = format!(
            "<name>{}</name><description>{}</description>",
            xml_escape(v.row.name),
            xml_escape(v.row.description)
        );
        let (first, second) = match order {
            ChallengeXml::IdFirst => (id, named),
            ChallengeXml::NameFirst => (named, id),
        };
        out.push_str(&format!(
            "<challenge>{first}{second}<status>{}</status></challenge>",
            v.status
        ));
    }
    out.push_str("</challenges>");
    out
}

/// `OPTIONS /challenges`: 200 (not 204) with `Allow`.
pub fn options() -> Reply {
    Reply::json(StatusCode::OK, "").with_header(ALLOW, "GET, HEAD, OPTIONS")
}

/// The `/challenges` ids of a learner's completed challenges (for summaries).
pub fn completed_count(app: &App, progress: &Progress) -> usize {
    app.active
        .indices
        .iter()
        .filter(|&&i| progress.is_done(i))
        .count()
}
