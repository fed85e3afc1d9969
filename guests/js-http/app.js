// The JavaScript wasi:http guest: a wasi:http/proxy@0.2.12 component built with jco componentize
// (componentize-js, StarlingMonkey) from wit/guests/http, world http-guest. It exports
// wasi:http/incoming-handler@0.2.12 explicitly (the `incomingHandler` export below, so
// StarlingMonkey's fetch-event is off) and answers by the request's path (without the query):
//
//   /hello         200, content-type: text/plain, body "hello from js"
//   /echo          200, content-type: application/octet-stream, x-method: <method, e.g. POST>;
//                  body: the request body, byte for byte (read to its end first)
//   anything else  404, content-type: text/plain, body "not found: <path>"
//
// Synchronous: blockingRead / blockingWriteAndFlush, the body written in chunks of 4096 bytes
// (the most blockingWriteAndFlush takes).
import {
  ResponseOutparam,
  OutgoingBody,
  OutgoingResponse,
  Fields,
  IncomingBody,
} from 'wasi:http/types@0.2.12';

const CHUNK = 4096;
const READ_SIZE = 64n * 1024n;
const encoder = new TextEncoder();

function methodName(method) {
  return method.tag === 'other' ? method.val : method.tag.toUpperCase();
}

// Reads an incoming body to its end and finishes it (trailers ignored).
function readBody(body) {
  const chunks = [];
  let total = 0;
  const stream = body.stream();
  for (;;) {
    let chunk;
    try {
      chunk = stream.blockingRead(READ_SIZE);
    } catch (e) {
      if (e.payload && e.payload.tag === 'closed') break;
      throw e;
    }
    chunks.push(chunk);
    total += chunk.length;
  }
  stream[Symbol.dispose]();
  IncomingBody.finish(body)[Symbol.dispose]();
  const all = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    all.set(c, at);
    at += c.length;
  }
  return all;
}

// Sets the response, then writes its body in chunks of at most 4096 bytes.
function respond(responseOut, status, headers, body) {
  const response = new OutgoingResponse(
    Fields.fromList(headers.map(([name, value]) => [name, encoder.encode(value)])),
  );
  response.setStatusCode(status);
  const outBody = response.body();
  ResponseOutparam.set(responseOut, { tag: 'ok', val: response });
  const stream = outBody.write();
  for (let i = 0; i < body.length; i += CHUNK) {
    stream.blockingWriteAndFlush(body.subarray(i, Math.min(i + CHUNK, body.length)));
  }
  stream[Symbol.dispose]();
  OutgoingBody.finish(outBody, undefined);
}

export const incomingHandler = {
  handle(request, responseOut) {
    const pathWithQuery = request.pathWithQuery() ?? '';
    const query = pathWithQuery.indexOf('?');
    const path = query < 0 ? pathWithQuery : pathWithQuery.slice(0, query);
    if (path === '/hello') {
      respond(responseOut, 200, [['content-type', 'text/plain']], encoder.encode('hello from js'));
    } else if (path === '/echo') {
      const method = methodName(request.method());
      const body = readBody(request.consume());
      respond(
        responseOut,
        200,
        [
          ['content-type', 'application/octet-stream'],
          ['x-method', method],
        ],
        body,
      );
    } else {
      respond(responseOut, 404, [['content-type', 'text/plain']], encoder.encode(`not found: ${path}`));
    }
  },
};
