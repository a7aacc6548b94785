//! The API error: a status and the messages of the error envelope (`{"errorMessages":[..]}`).

/// An error answered with the standard error body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiError {
    pub status: u16,
    pub messages: Vec<String>,
}

impl ApiError {
    /// One message with a status.
    pub fn new(status: u16, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            messages: vec![message.into()],
        }
    }
}
