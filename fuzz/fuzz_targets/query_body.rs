#![no_main]
//! QUERY bodies: the structured JSON query document, JSONPath expressions and
//! form-encoded bodies, each run against the seed todos.

use apichallenges::todo::query::{self, ListQuery};
use apichallenges::todo::seed_todos;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let todos = seed_todos();
    match query::parse_structured(data) {
        Ok(q) => run(&todos, &q),
        Err(error) => assert!(
            matches!(error.kind.status().as_u16(), 400 | 422),
            "{error:?}"
        ),
    }
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match query::run_jsonpath(text, &todos) {
        Ok(selected) => {
            for todo in &selected {
                assert!(todos.contains(todo), "JSONPath invented a todo: {todo:?}");
            }
        }
        Err(error) => assert!(
            matches!(error.kind.status().as_u16(), 400 | 422),
            "{error:?}"
        ),
    }
    if let Ok(q) = ListQuery::parse_form(text) {
        run(&todos, &q);
    }
});

fn run(todos: &[apichallenges::todo::Todo], q: &ListQuery) {
    if let Ok((limit, offset)) = q.paging(10) {
        if let Ok(selected) = query::apply(todos, q, Some((limit, offset))) {
            assert!(selected.len() <= limit);
        }
    }
    let _ = query::apply(todos, q, None);
}
