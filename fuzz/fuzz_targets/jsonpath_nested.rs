#![no_main]
//! JSONPath QUERY bodies built to nest: parentheses, filters inside filters, function
//! calls, descendant segments and repeated selectors, opened up to hundreds deep, run
//! against the 10 seed todos and a full list of 20. Prints the worst CPU time of one
//! expression (`WORST` lines); every answer must be a result or a 400/422.

#[path = "common.rs"]
mod common;

use std::sync::atomic::AtomicU64;

use apichallenges::todo::query;
use apichallenges::todo::{seed_todos, Todo, MAX_BODY, MAX_TODOS};
use libfuzzer_sys::arbitrary::Unstructured;
use libfuzzer_sys::fuzz_target;

static WORST: AtomicU64 = AtomicU64::new(0);

const OPENS: &[&str] = &[
    "(",
    "!(",
    "[?",
    "@[?",
    "$..[?",
    "@..[?",
    "count(@[?",
    "length(",
    "value(@..[?",
    "[",
    "@[",
    "count($..[?",
    "(@[?",
];
const CLOSES: &[&str] = &[
    ")", ")", "]", "]", "]", "]", "])", ")", "])", "]", "]", "])", "])",
];
const ATOMS: &[&str] = &[
    "@",
    "@.id",
    "@.title",
    "$",
    "$..*",
    "@..*",
    "@.*",
    "==1",
    ">2",
    "'x'",
    "true",
    "*",
    "0",
    "1:3",
    ".todos",
    "..*",
    "[*]",
    "[\"title\"]",
    "[*,*,*,*]",
    "..[0,0,0]",
    "null",
    "@.doneStatus==false",
    "$.todos[*]",
    "'(['",
];
const SEPARATORS: &[&str] = &["&&", "||", ",", " ", "==", "!=", "<"];

fn full_list() -> Vec<Todo> {
    let mut todos = seed_todos();
    let mut id = todos.len() as u64;
    while todos.len() < MAX_TODOS {
        id += 1;
        let mut copy = todos[0].clone();
        copy.id = id;
        todos.push(copy);
    }
    todos
}

fuzz_target!(|data: &[u8]| {
    let mut u = Unstructured::new(data);
    let Ok(prefix) = u.choose(&["$.todos[?", "$", "$..[?", ""]) else {
        return;
    };
    let generator = common::NestingGenerator {
        opens: OPENS,
        closes: CLOSES,
        atoms: ATOMS,
        separators: SEPARATORS,
        max_len: MAX_BODY,
    };
    let Ok(body) = generator.generate(&mut u) else {
        return;
    };
    let mut expr = format!("{prefix}{body}");
    if prefix.ends_with('?') {
        expr.push(']');
    }
    if expr.len() > MAX_BODY {
        // Past the body limit the server answers 413 without parsing.
        return;
    }
    for todos in [seed_todos(), full_list()] {
        let result = common::measure(&WORST, "jsonpath", expr.as_bytes(), || {
            query::run_jsonpath(&expr, &todos)
        });
        match result {
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
    }
});
