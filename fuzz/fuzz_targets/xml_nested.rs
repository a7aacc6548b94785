#![no_main]
//! XML todo bodies built to nest: elements (with attributes), CDATA, references,
//! comments and processing instructions, opened up to hundreds deep, read with both
//! generations' rules and then validated as a create. Prints the worst CPU time of one
//! body (`WORST` lines).

#[path = "common.rs"]
mod common;

use std::sync::atomic::AtomicU64;

use apichallenges::todo::input::{self, BodySyntax};
use apichallenges::todo::negotiation::BodyKind;
use apichallenges::todo::MAX_BODY;
use libfuzzer_sys::arbitrary::Unstructured;
use libfuzzer_sys::fuzz_target;

static WORST: AtomicU64 = AtomicU64::new(0);

const OPENS: &[&str] = &[
    "<a>",
    "<todo>",
    "<a x=\"1\" y='2'>",
    "<title>",
    "<![CDATA[",
    "<todos>",
    "<b:c>",
];
const CLOSES: &[&str] = &[
    "</a>", "</todo>", "</a>", "</title>", "]]>", "</todos>", "</b:c>",
];
const ATOMS: &[&str] = &[
    "text",
    "&lt;",
    "&#65;",
    "&#x1F600;",
    "&unknown;",
    "<b/>",
    "<!-- c -->",
    "<?pi x?>",
    "true",
    "12",
    "-0",
    "1e5",
    "<a/>",
    "<title>t</title>",
    "<!DOCTYPE x>",
];
const SEPARATORS: &[&str] = &[" ", "\n", ""];

fuzz_target!(|data: &[u8]| {
    let mut u = Unstructured::new(data);
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
    for syntax in [BodySyntax::Current, BodySyntax::Classic] {
        let result = common::measure(&WORST, "xml body", bytes, || {
            input::parse_body_with(syntax, BodyKind::Xml, bytes).map(|fields| {
                let created = input::validate_create(&fields);
                (fields, created)
            })
        });
        match result {
            Ok((_, Ok(new))) => common::check_title(&new.title),
            Ok((_, Err(error))) | Err(error) => common::check_error(&error),
        }
    }
});
