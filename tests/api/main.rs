//! Integration tests: each module starts real servers on 127.0.0.1:0 and speaks HTTP.

mod common;

mod challenger;
mod challenges;
mod classic;
mod classic_rows;
mod heartbeat;
mod hostile_parsers;
mod limits;
mod metrics;
mod restore;
mod secret;
mod sessions;
mod shutdown;
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
