//! A request handed to a component and the response it gave, with whole bodies.

/// An incoming request for a component's `wasi:http/incoming-handler`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HttpRequest {
    /// `GET`, `POST`, ... (any token).
    pub method: String,
    /// An absolute URI (`http://host:port/path?query`) or a path with query, then with a
    /// `host` header.
    pub uri: String,
    /// Header names and values in order; a name may repeat.
    pub headers: Vec<(String, Vec<u8>)>,
    pub body: bytes::Bytes,
}

/// What a component answered.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HttpResponse {
    pub status: u16,
    pub headers: Vec<(String, Vec<u8>)>,
    pub body: Vec<u8>,
}
