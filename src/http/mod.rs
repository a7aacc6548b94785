//! HTTP plumbing that knows nothing of todos or challenges: the accept loop with its
//! connection limits, timeouts and graceful shutdown (`server`), the adapter that lets
//! curl-style raw characters through the request line (`request_line`), who the
//! client is and its bound on creating challengers (`client`), slow and silent
//! clients: progress, write timeout and who gives way at the cap (`connections`),
//! reading a
//! bounded body and writing a response (`body`), and `Reply`, the answer every handler
//! builds; `raw` writes the few deliberately broken responses hyper would repair. It may use the todo representations and media types (for error bodies), the
//! configuration and the learner handle a reply credits; it never uses the API, site or
//! practice modules.

pub mod body;
pub mod client;
pub mod connections;
pub mod raw;
pub mod reply;
pub mod request_line;
pub mod server;
