//! The todo entity: fields, limits and seed data, as in the reference.

pub mod database;
pub mod input;
pub mod jsonpath_limits;
pub mod lenient_json;
pub mod negotiation;
pub mod query;
pub mod representation;

/// Maximum characters in a title.
pub const MAX_TITLE: usize = 50;
/// Maximum characters in a description.
pub const MAX_DESCRIPTION: usize = 200;
/// Maximum todos in one learner's database (unless `--unlimited-todos`).
pub const MAX_TODOS: usize = 20;
/// Maximum request body size, in bytes.
pub const MAX_BODY: usize = 5000;

/// One todo. Output field order is always id, title, doneStatus, description.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Todo {
    pub id: u64,
    pub title: String,
    pub done_status: bool,
    pub description: String,
}

/// The titles of the ten seed todos every new database starts with, ids 1..=10 in order.
pub const SEED_TITLES: [&str; 10] = [
    "scan paperwork",
    "file paperwork",
    "process payments",
    "escalate late payments",
    "pay invoices",
    "process payroll",
    "train staff",
    "schedule meeting",
    "tidy meeting room",
    "install webcam",
];

/// The ten seed todos every new database starts with.
pub fn seed_todos() -> Vec<Todo> {
    SEED_TITLES
        .iter()
        .zip(1..)
        .map(|(title, id)| Todo {
            id,
            title: (*title).to_string(),
            done_status: false,
            description: String::new(),
        })
        .collect()
}
