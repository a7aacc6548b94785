//! The challenges: what a learner is asked to do and how completion is decided.
//!
//! `catalogue` defines a challenge (title, description, completion rule) and holds the
//! rules both generations share; `current` and `classic` are the two catalogue tables,
//! ONE table per profile; `tracking` is the view of one request/response pair that
//! rules read; `profile` is everything observable that differs between the two
//! generations, as data; `listing` pre-renders the `/challenges` rows. Uses the todo
//! model and the configuration; never HTTP handlers.

pub mod catalogue;
pub mod classic;
pub mod current;
pub mod listing;
pub mod profile;
pub mod tracking;
