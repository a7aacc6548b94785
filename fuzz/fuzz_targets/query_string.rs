#![no_main]
//! The list query string (filters, `_sortBy`, `_limit`, `_offset`) and running it.

use apichallenges::todo::query::{self, ListQuery};
use apichallenges::todo::seed_todos;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(raw) = std::str::from_utf8(data) else {
        return;
    };
    let todos = seed_todos();
    let _ = query::url_decode(raw);
    let _ = ListQuery::parse_form(raw);
    let q = ListQuery::parse(raw);
    let _ = q.limit_value();
    let _ = q.offset_value();
    let _ = q.eq_value("title");

    match query::apply(&todos, &q, Some((10, 0))) {
        Ok(selected) => assert!(selected.len() <= 10),
        Err(error) => assert!(!error.message().is_empty()),
    }
    if let Ok((limit, offset)) = q.paging(10) {
        if let Ok(selected) = query::apply(&todos, &q, Some((limit, offset))) {
            assert!(selected.len() <= limit);
            assert!(selected.len() <= todos.len().saturating_sub(offset));
        }
    }
    if let Ok(all) = query::apply(&todos, &q, None) {
        assert!(all.len() <= todos.len());
    }
});
