#![no_main]
//! POST/PUT todo bodies: decoding (first byte even = JSON, odd = XML), then create,
//! amend and replace validation against a todo.

#[path = "common.rs"]
mod common;

use apichallenges::todo::input;
use apichallenges::todo::negotiation::BodyKind;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&selector, body)) = data.split_first() else {
        return;
    };
    let kind = if selector % 2 == 0 {
        BodyKind::Json
    } else {
        BodyKind::Xml
    };
    let fields = match input::parse_body(kind, body) {
        Ok(fields) => fields,
        Err(error) => return common::check_error(&error),
    };
    match input::validate_create(&fields) {
        Ok(new) => {
            common::check_title(&new.title);
            common::check_description(&new.description);
        }
        Err(error) => common::check_error(&error),
    }
    let todo = common::sample_todo();
    match input::amend(&todo, &fields) {
        Ok(updated) => common::check_updated(&todo, &updated),
        Err(error) => common::check_error(&error),
    }
    match input::replace(&todo, &fields) {
        Ok(updated) => common::check_updated(&todo, &updated),
        Err(error) => common::check_error(&error),
    }
});
