//! The challenge catalogue: every challenge, in order, with its section, exact title,
//! our description and its completion rule, side by side in ONE table per profile
//! (challenges.md §4-5; classic.md §2 for the classic profile).

use crate::tracking::Exchange;

/// When a rule is evaluated (challenges.md §1 "Request-phase"/"Response-phase").
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    /// Before the request is handled; `Exchange::response` is `None`.
    Request,
    /// After the response exists.
    Response,
}

/// In which configurations a challenge is active (challenges.md §3).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Availability {
    Always,
    /// Multi-user mode with persistent storage only (#70, #71).
    MultiUserWithStorage,
    /// Multi-user mode only (#75).
    MultiUser,
}

/// One challenge definition.
pub struct Challenge {
    /// The reference enum name, e.g. `GET_TODOS` (the key of `challengeStatus`).
    pub key: &'static str,
    /// Index into the profile's section list.
    pub section: usize,
    /// The exact title (the `name` in `/challenges`).
    pub title: &'static str,
    /// Our own description.
    pub description: &'static str,
    pub availability: Availability,
    pub phase: Phase,
    /// True when the exchange completes the challenge.
    pub rule: fn(&Exchange) -> bool,
}

/// Section titles of the current profile, in order (challenges.md §4).
pub static CURRENT_SECTIONS: &[&str] = &[];

/// The 99 challenges of the current profile, in catalogue order.
pub static CURRENT: &[Challenge] = &[];
