/**
 * A small HTTP server on 127.0.0.1 that serves files from memory with Range requests, ETags and If-Match,
 * and injects faults on request, for the tests of reading Parquet over HTTP.
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the server does to one request instead of answering it well (or before: `replace`). */
export type Fault =
  /** Sends the headers and half the body, then destroys the socket. */
  | 'drop'
  /** Answers 503 with `Retry-After: 0`. */
  | '503'
  /** Answers 200 with the whole object, as a server without Range support does. */
  | 'no-range';

/** A request the server saw: its path, Range and If-Match headers. */
export interface SeenRequest {
  readonly path: string;
  readonly range: string | undefined;
  readonly ifMatch: string | undefined;
}

/** A running server: add objects, plan faults, see requests; `close()` stops it. */
export class RangeServer {
  private readonly objects = new Map<string, { bytes: Uint8Array; etag: string }>();
  /** Faults to inject, each on the next matching request. */
  private readonly faults: Array<{ fault: Fault; when: (request: SeenRequest) => boolean }> = [];
  /** Called before each request is answered (to replace an object between requests, say). */
  onRequest: ((request: SeenRequest) => void) | undefined;
  readonly requests: SeenRequest[] = [];

  private constructor(private readonly server: Server, readonly origin: string) {}

  /** Starts a server on 127.0.0.1 at a free port. */
  static async start(): Promise<RangeServer> {
    let self: RangeServer | undefined;
    const server = createServer((request, response) => self?.answer(request, response));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    self = new RangeServer(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    return self;
  }

  /** Serves `bytes` at `path` (a new version, with a new ETag, when the path is taken); returns its URL. */
  put(path: string, bytes: Uint8Array): string {
    this.objects.set(path, { bytes, etag: `"${createHash('sha256').update(bytes).digest('hex').slice(0, 16)}"` });
    return this.origin + path;
  }

  /** Injects `fault` into the next request that `when` accepts (any request when not given). */
  inject(fault: Fault, when: (request: SeenRequest) => boolean = () => true): void {
    this.faults.push({ fault, when });
  }

  /** Stops the server, closing every connection. */
  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private answer(request: IncomingMessage, response: ServerResponse): void {
    const seen: SeenRequest = { path: new URL(request.url ?? '/', this.origin).pathname, range: request.headers.range, ifMatch: request.headers['if-match'] };
    this.requests.push(seen);
    this.onRequest?.(seen);
    const object = this.objects.get(seen.path);
    if (object === undefined) return void response.writeHead(404).end();
    const at = this.faults.findIndex(({ when }) => when(seen));
    const fault = at < 0 ? undefined : this.faults.splice(at, 1)[0]?.fault;
    if (fault === '503') return void response.writeHead(503, { 'Retry-After': '0' }).end();
    if (fault === 'no-range') return void response.writeHead(200, { 'Content-Length': object.bytes.byteLength, ETag: object.etag }).end(object.bytes);
    if (seen.ifMatch !== undefined && seen.ifMatch !== object.etag) return void response.writeHead(412).end();
    const range = rangeOf(seen.range, object.bytes.byteLength);
    if (range === undefined) return void response.writeHead(200, { 'Content-Length': object.bytes.byteLength, ETag: object.etag }).end(object.bytes);
    if (range === 'unsatisfiable') return void response.writeHead(416, { 'Content-Range': `bytes */${object.bytes.byteLength}` }).end();
    const [start, end] = range;
    const body = object.bytes.subarray(start, end + 1);
    response.writeHead(206, { 'Content-Length': body.byteLength, 'Content-Range': `bytes ${start}-${end}/${object.bytes.byteLength}`, ETag: object.etag, 'Accept-Ranges': 'bytes' });
    if (fault === 'drop') {
      response.write(body.subarray(0, body.byteLength >> 1), () => response.destroy());
      return;
    }
    response.end(body);
  }
}

/** The inclusive byte range a Range header asks for (one range: `a-b`, `a-` or `-n`). */
function rangeOf(header: string | undefined, size: number): readonly [number, number] | 'unsatisfiable' | undefined {
  const match = /^bytes=(\d*)-(\d*)$/.exec(header ?? '');
  if (match === null) return undefined;
  const [, from = '', to = ''] = match;
  if (from === '' && to === '') return undefined;
  const [start, end] = from === '' ? [Math.max(0, size - Number(to)), size - 1] : [Number(from), Math.min(size - 1, to === '' ? size - 1 : Number(to))];
  return start > end || start >= size ? 'unsatisfiable' : [start, end];
}
