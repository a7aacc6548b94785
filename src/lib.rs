//! apichallenges: a fast, tiny re-implementation of the API Challenges practice server.

pub mod catalogue;
pub mod error;
pub mod negotiation;
pub mod query;
pub mod representation;
pub mod todo;
pub mod todo_input;
pub mod tracking;
