//! Invariants shared by the fuzz targets. Each is a property every accepted todo or
//! every rendering must have, whatever the input was.
#![allow(dead_code)]

use apichallenges::error::ApiError;
use apichallenges::todo::{Todo, MAX_DESCRIPTION, MAX_TITLE};

/// A title the server accepted: not blank (Java `trim()` sense) and within the limit.
pub fn check_title(title: &str) {
    assert!(
        title.chars().any(|c| c > ' '),
        "accepted a blank title: {title:?}"
    );
    assert!(
        title.chars().count() <= MAX_TITLE,
        "accepted a title over {MAX_TITLE} chars: {title:?}"
    );
}

pub fn check_description(description: &str) {
    assert!(
        description.chars().count() <= MAX_DESCRIPTION,
        "accepted a description over {MAX_DESCRIPTION} chars: {description:?}"
    );
}

/// A todo produced by an update of `original`: limits hold and the id never changes.
pub fn check_updated(original: &Todo, updated: &Todo) {
    assert_eq!(updated.id, original.id, "an update changed the id");
    check_title(&updated.title);
    check_description(&updated.description);
}

/// Errors carry a 4xx status and at least one non-empty message.
pub fn check_error(error: &ApiError) {
    assert!(
        (400..500).contains(&error.status),
        "unexpected error status {}",
        error.status
    );
    assert!(!error.messages.is_empty(), "error without messages");
    assert!(
        error.messages.iter().all(|m| !m.is_empty()),
        "empty error message: {error:?}"
    );
}

/// The seed todo updates are tried against: some description, not done.
pub fn sample_todo() -> Todo {
    Todo {
        id: 3,
        title: "process payments".to_string(),
        done_status: false,
        description: "before the end of the month".to_string(),
    }
}
