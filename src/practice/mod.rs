//! Practice modes: APIs beside the challenges for exploratory testing. None counts
//! towards a challenge or touches a learner's todos.

pub mod fromhell;
pub mod shop;
