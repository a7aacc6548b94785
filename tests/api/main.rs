//! Integration tests: each module starts real servers on 127.0.0.1:0 and speaks HTTP.

#[path = "../support/binary.rs"]
mod binary;
mod common;

mod challenger;
mod challenges;
mod classic;
mod classic_rows;
mod creation_limit;
mod empty_content_type;
mod eviction;
mod heartbeat;
mod host;
mod hostile_parsers;
mod limits;
mod metrics;
mod practice_fromhell;
mod practice_mirror;
mod practice_shop;
mod practice_simpleapi;
mod practice_simulation;
mod restore;
mod secret;
mod sessions;
mod shutdown;
mod slow_clients;
mod storage;
mod todos_accept;
mod todos_content_type;
mod todos_create;
mod todos_delete_limit;
mod todos_export;
mod todos_filter_sort_page;
mod todos_get;
mod todos_hostile;
mod todos_patch;
mod todos_query;
mod todos_support;
mod todos_update;
mod worked_examples;
