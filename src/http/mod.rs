//! HTTP plumbing that knows nothing of todos or challenges: the accept loop with its
//! connection limits, timeouts and graceful shutdown (`server`), the adapter that lets
//! curl-style raw characters through the request line (`request_line`), reading a
//! bounded body and writing a response (`body`), and `Reply`, the answer every handler
//! builds; `raw` writes the few deliberately broken responses hyper would repair. It may use the todo representations and media types (for error bodies), the
//! configuration and the learner handle a reply credits; it never uses the API, site or
//! practice modules.

pub mod body;
pub mod raw;
pub mod reply;
pub mod request_line;
pub mod server;
