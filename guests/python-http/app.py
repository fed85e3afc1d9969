"""The Python wasi:http guest: a wasi:http/proxy@0.2.12 component built with componentize-py
(wit/guests/http, world http-guest). It exports wasi:http/incoming-handler@0.2.12 and answers
by the request's path (without the query string):

    /hello          200, content-type: text/plain, body "hello from python"
    /echo           200, content-type: application/octet-stream,
                    x-method: <method, e.g. POST>, x-path: <path with query>,
                    x-header-foo: <value of the request header foo, or empty>;
                    body: the request body, byte for byte (read to its end first)
    /big?n=N        200, content-type: application/octet-stream, body: N bytes of "a"
    /status?code=C  status C, content-type: text/plain, body "status C"
    /spin           loops forever (for the host's timeouts)
    /trap           raises from handle without setting the response: a trap
    /fetch          GET of the URL in the request header x-target through
                    wasi:http/outgoing-handler. On success: 200, x-upstream-status: <status>,
                    body: the upstream body. When outgoing-handler.handle returns an error, the
                    future-incoming-response resolves to an error, or reading the upstream body
                    fails: 502, content-type: text/plain, body "error: <ErrorCode>", where
                    <ErrorCode> is the name of componentize-py's class for the error-code case
                    without its "ErrorCode_" prefix, i.e. the WIT case name in UpperCamelCase,
                    e.g. "error: HttpRequestDenied" (WIT HTTP-request-denied),
                    "error: ConnectionRefused"; a case with a payload adds it after a space, as
                    Python's repr, e.g. "error: InternalError 'boom'",
                    "error: DnsError DnsErrorPayload(rcode='...', info_code=None)"; a case whose
                    option payload is none shows the name alone ("error: InternalError"). A body
                    stream failure without an error-code gives "error: stream-error".
                    Without an x-target header: 400, body "error: missing x-target header".
    anything else   404, content-type: text/plain, body "not found: <path>"

Synchronous: blocking_read / blocking_write_and_flush, no poll_loop. Bodies are written in
chunks of 4096 bytes, the most blocking_write_and_flush takes. Every child resource (streams,
pollables, headers) is dropped before its parent, as wasi:http requires.
"""

from urllib import parse

from componentize_py_types import Ok, Err
from wit_world import exports
from wit_world.imports import outgoing_handler, types
from wit_world.imports.streams import StreamError_Closed, StreamError_LastOperationFailed
from wit_world.imports.types import (
    Fields,
    IncomingBody,
    IncomingRequest,
    OutgoingBody,
    OutgoingRequest,
    OutgoingResponse,
    ResponseOutparam,
    Scheme_Http,
    Scheme_Https,
    Scheme_Other,
)

CHUNK = 4096
READ_SIZE = 64 * 1024


class UpstreamError(Exception):
    """An error-code of wasi:http, on the way to a 502."""

    def __init__(self, code):
        super().__init__(code)
        self.code = code


def render_error_code(code) -> str:
    """"HttpRequestDenied" for ErrorCode_HttpRequestDenied(); "InternalError 'x'" with a payload."""
    if isinstance(code, str):
        return code
    name = type(code).__name__
    if name.startswith("ErrorCode_"):
        name = name[len("ErrorCode_"):]
    value = getattr(code, "value", None)
    return name if value is None else f"{name} {value!r}"


def method_name(method) -> str:
    name = type(method).__name__  # Method_Get, ..., Method_Other
    if name == "Method_Other":
        return method.value
    return name[len("Method_"):].upper()


def read_body(body: IncomingBody) -> bytes:
    """Reads an incoming body to its end and finishes it (trailers ignored)."""
    chunks = []
    with body.stream() as stream:
        while True:
            try:
                chunks.append(stream.blocking_read(READ_SIZE))
            except Err as e:
                if isinstance(e.value, StreamError_Closed):
                    break
                if isinstance(e.value, StreamError_LastOperationFailed):
                    code = types.http_error_code(e.value.value)
                    raise UpstreamError(code if code is not None else "stream-error") from None
                raise
    with IncomingBody.finish(body):
        pass
    return b"".join(chunks)


def respond(response_out: ResponseOutparam, status: int, headers, body: bytes) -> None:
    """Sets the response, then writes its body in chunks of at most 4096 bytes."""
    response = OutgoingResponse(Fields.from_list(headers))
    response.set_status_code(status)
    out_body = response.body()
    ResponseOutparam.set(response_out, Ok(response))
    with out_body.write() as stream:
        view = memoryview(body)
        for i in range(0, len(view), CHUNK):
            stream.blocking_write_and_flush(bytes(view[i:i + CHUNK]))
    OutgoingBody.finish(out_body, None)


def respond_big(response_out: ResponseOutparam, n: int) -> None:
    response = OutgoingResponse(Fields.from_list([("content-type", b"application/octet-stream")]))
    out_body = response.body()
    ResponseOutparam.set(response_out, Ok(response))
    chunk = b"a" * CHUNK
    with out_body.write() as stream:
        left = n
        while left > 0:
            k = min(left, CHUNK)
            stream.blocking_write_and_flush(chunk if k == CHUNK else chunk[:k])
            left -= k
    OutgoingBody.finish(out_body, None)


def text(s: str):
    return [("content-type", b"text/plain")], s.encode("utf-8")


def fetch(target: str):
    """GET target; returns (status, body) or raises UpstreamError."""
    url = parse.urlsplit(target)
    if url.scheme == "http":
        scheme = Scheme_Http()
    elif url.scheme == "https":
        scheme = Scheme_Https()
    else:
        scheme = Scheme_Other(url.scheme)
    path = url.path or "/"
    if url.query:
        path += "?" + url.query
    request = OutgoingRequest(Fields())
    request.set_scheme(scheme)
    request.set_authority(url.netloc)
    request.set_path_with_query(path)
    try:
        future = outgoing_handler.handle(request, None)
    except Err as e:
        raise UpstreamError(e.value) from None
    with future:
        with future.subscribe() as pollable:
            pollable.block()
        result = future.get()
        # option<result<result<incoming-response, error-code>>>: ready after block().
        if result is None or isinstance(result, Err):
            raise RuntimeError("future-incoming-response: no value after block()")
        if isinstance(result.value, Err):
            raise UpstreamError(result.value.value)
        with result.value.value as response:
            status = response.status()
            body = read_body(response.consume())
    return status, body


class IncomingHandler(exports.IncomingHandler):
    def handle(self, request: IncomingRequest, response_out: ResponseOutparam) -> None:
        method = method_name(request.method())
        path_with_query = request.path_with_query() or ""
        url = parse.urlsplit(path_with_query)
        path = url.path
        query = parse.parse_qs(url.query)
        with request.headers() as headers:
            foo = b", ".join(headers.get("foo"))
            target = headers.get("x-target")

        if path == "/hello":
            respond(response_out, 200, *text("hello from python"))
        elif path == "/echo":
            body = read_body(request.consume())
            respond(response_out, 200, [
                ("content-type", b"application/octet-stream"),
                ("x-method", method.encode("utf-8")),
                ("x-path", path_with_query.encode("utf-8")),
                ("x-header-foo", foo),
            ], body)
        elif path == "/big":
            respond_big(response_out, int(query.get("n", ["0"])[0]))
        elif path == "/status":
            code = int(query["code"][0])
            respond(response_out, code, *text(f"status {code}"))
        elif path == "/spin":
            while True:
                pass
        elif path == "/trap":
            raise RuntimeError("trap requested by /trap")
        elif path == "/fetch":
            if not target:
                respond(response_out, 400, *text("error: missing x-target header"))
                return
            try:
                status, body = fetch(target[0].decode("utf-8"))
            except UpstreamError as e:
                respond(response_out, 502, *text(f"error: {render_error_code(e.code)}"))
                return
            respond(response_out, 200, [("x-upstream-status", str(status).encode("ascii"))], body)
        else:
            respond(response_out, 404, *text(f"not found: {path}"))
