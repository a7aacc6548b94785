#![no_main]
//! JSON bodies built to nest (arrays, objects, the classic profile's lenient forms:
//! single quotes, bare words, comments), read by every JSON reader a request reaches:
//! todo bodies (strict and lenient), merge patches, structured QUERY documents; and
//! JSON Patch documents of generated operations (copies that double the document,
//! moves, tests). Prints the worst CPU time of one body (`WORST` lines).

#[path = "common.rs"]
mod common;

use std::sync::atomic::AtomicU64;

use apichallenges::todo::input::{self, BodySyntax};
use apichallenges::todo::negotiation::BodyKind;
use apichallenges::todo::{query, MAX_BODY};
use libfuzzer_sys::arbitrary::Unstructured;
use libfuzzer_sys::fuzz_target;

static WORST_BODY: AtomicU64 = AtomicU64::new(0);
static WORST_LENIENT: AtomicU64 = AtomicU64::new(0);
static WORST_MERGE: AtomicU64 = AtomicU64::new(0);
static WORST_STRUCTURED: AtomicU64 = AtomicU64::new(0);
static WORST_PATCH: AtomicU64 = AtomicU64::new(0);

const OPENS: &[&str] = &[
    "[",
    "{\"a\":",
    "{'a':",
    "{a:",
    "[[",
    "{\"title\":[",
    "{\"filter\":{\"id\":",
];
const CLOSES: &[&str] = &["]", "}", "}", "}", "]]", "]}", "}}"];
const ATOMS: &[&str] = &[
    "1",
    "\"s\"",
    "'s'",
    "true",
    "null",
    "x",
    "1e999",
    "/*c*/",
    "#c\n",
    "//c\n",
    "-0.5",
    "\"\\u0041\"",
    "{}",
    "[]",
    "\"title\":\"t\"",
];
const SEPARATORS: &[&str] = &[",", ";", " ", ":", "=>", "="];

const POINTERS: &[&str] = &[
    "",
    "/title",
    "/description",
    "/a",
    "/a/b",
    "/b",
    "/c",
    "/d",
    "/e",
    "/-",
    "/a/-",
];
const OPS: &[&str] = &["add", "copy", "move", "remove", "replace", "test"];

/// A JSON Patch document of operations chosen by the input.
fn patch_document(u: &mut Unstructured<'_>) -> libfuzzer_sys::arbitrary::Result<String> {
    let mut ops = Vec::new();
    let mut length = 2;
    while !u.is_empty() && length < MAX_BODY {
        let op = u.choose(OPS)?;
        let path = if u.ratio(1u8, 3)? {
            format!("/n{}", ops.len())
        } else {
            u.choose(POINTERS)?.to_string()
        };
        let from = u.choose(POINTERS)?;
        let value = u.choose(ATOMS)?;
        let op = format!(r#"{{"op":"{op}","path":"{path}","from":"{from}","value":{value}}}"#);
        length += op.len() + 1;
        ops.push(op);
    }
    Ok(format!("[{}]", ops.join(",")))
}

fuzz_target!(|data: &[u8]| {
    let mut u = Unstructured::new(data);
    let Ok(as_patch) = u.ratio(1u8, 4) else {
        return;
    };
    let todo = common::sample_todo();
    if as_patch {
        let Ok(document) = patch_document(&mut u) else {
            return;
        };
        if document.len() > MAX_BODY {
            return;
        }
        let bytes = document.as_bytes();
        match common::measure(&WORST_PATCH, "json patch", bytes, || {
            input::json_patch(&todo, bytes)
        }) {
            Ok(updated) => common::check_updated(&todo, &updated),
            Err(error) => common::check_error(&error),
        }
        return;
    }
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
    if body.len() > MAX_BODY {
        return;
    }
    let bytes = body.as_bytes();
    for (worst, what, syntax) in [
        (&WORST_BODY, "strict body", BodySyntax::Current),
        (&WORST_LENIENT, "lenient body", BodySyntax::Classic),
    ] {
        let fields = common::measure(worst, what, bytes, || {
            input::parse_body_with(syntax, BodyKind::Json, bytes)
        });
        if let Err(error) = fields {
            common::check_error(&error);
        }
    }
    match common::measure(&WORST_MERGE, "merge patch", bytes, || {
        input::merge_patch(&todo, bytes)
    }) {
        Ok(updated) => common::check_updated(&todo, &updated),
        Err(error) => common::check_error(&error),
    }
    if let Err(error) = common::measure(&WORST_STRUCTURED, "structured query", bytes, || {
        query::parse_structured(bytes)
    }) {
        assert!(
            matches!(error.kind.status().as_u16(), 400 | 422),
            "{error:?}"
        );
    }
});
