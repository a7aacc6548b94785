//! The `/challenges` rows, rendered once at start-up from the active catalogue: a
//! request only appends the learner's statuses.

use crate::challenges::profile::{ActiveSet, Profile};

/// The active challenges, pre-rendered.
pub struct Rows {
    pub rows: Vec<Row>,
}

pub struct Row {
    /// Catalogue index (the progress bit).
    pub index: usize,
    /// `/challenges` id.
    pub id: u64,
    pub name: &'static str,
    pub description: &'static str,
    /// `{"id":1,"name":"…","description":"…","status":`
    pub json_prefix: String,
}

impl Rows {
    pub fn new(profile: &Profile, active: &ActiveSet) -> Rows {
        let rows = active
            .indices
            .iter()
            .enumerate()
            .map(|(position, &index)| {
                let c = &profile.catalogue[index];
                let id = position as u64 + 1;
                let json_prefix = format!(
                    r#"{{"id":{id},"name":{},"description":{},"status":"#,
                    json_string(c.title),
                    json_string(c.description)
                );
                Row {
                    index,
                    id,
                    name: c.title,
                    description: c.description,
                    json_prefix,
                }
            })
            .collect();
        Rows { rows }
    }
}

fn json_string(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".to_string())
}
