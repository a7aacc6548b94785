#![no_main]
//! Accept-header negotiation, the challenge predicates and Content-Type classification.
//! Input: an arbitrary header value; a NUL splits off a media range for `lists`.

use apichallenges::todo::negotiation::{self, predicates, MediaType, Offer};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let (header, range) = text.split_once('\0').unwrap_or((text, "application/xml"));
    let accept = Some(header);

    for offer in [Offer::Todos, Offer::SingleTodo, Offer::Standard] {
        let Ok(media) = negotiation::negotiate(accept, offer) else {
            continue;
        };
        assert!(!media.content_type().is_empty());
        if let MediaType::StructuredXml(concrete) = &media {
            assert_ne!(
                offer,
                Offer::Standard,
                "structured XML offered for {header:?}"
            );
            assert!(negotiation::is_structured_todo_xml(concrete));
        }
        if media == MediaType::Calendar {
            assert_eq!(
                offer,
                Offer::SingleTodo,
                "calendar for {offer:?} {header:?}"
            );
        }
    }
    // Absent and blank headers always give JSON.
    if predicates::missing(accept) {
        assert_eq!(
            negotiation::negotiate(accept, Offer::Todos),
            Ok(MediaType::Json)
        );
    }

    let allows = predicates::allows_xml(accept);
    let prefers = predicates::prefers_xml(accept);
    assert!(
        !prefers || allows,
        "prefers XML but does not allow it: {header:?}"
    );
    let _ = predicates::lists(accept, range);
    let _ = predicates::unsupported(accept);
    let _ = predicates::prefers_calendar(accept);
    let normalised = predicates::normalised(accept);
    assert!(!normalised.chars().any(char::is_whitespace));

    let _ = negotiation::body_kind(Some(header));
    let _ = negotiation::media_type_of(header);
    let _ = negotiation::is_structured_todo_xml(header);
});
