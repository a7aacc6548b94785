//! Integration tests: each module starts real servers on 127.0.0.1:0 and speaks HTTP.

mod common;

mod challenger;
mod challenges;
mod classic;
mod classic_rows;
mod heartbeat;
mod limits;
mod metrics;
mod restore;
mod secret;
mod sessions;
mod shutdown;
