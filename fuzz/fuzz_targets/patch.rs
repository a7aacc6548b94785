#![no_main]
//! PATCH documents: first byte even = JSON Merge Patch, odd = JSON Patch.

#[path = "common.rs"]
mod common;

use apichallenges::todo::input;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&selector, body)) = data.split_first() else {
        return;
    };
    let todo = common::sample_todo();
    let result = if selector % 2 == 0 {
        input::merge_patch(&todo, body)
    } else {
        input::json_patch(&todo, body)
    };
    match result {
        Ok(updated) => common::check_updated(&todo, &updated),
        Err(error) => common::check_error(&error),
    }
});
