/**
 * Byte ranges of an object over HTTP(S), pinned to the version first seen: Range requests through Node's
 * built-in fetch, retried on throttling, 5xx and dropped connections, each one conditional on the ETag of
 * the first response (`If-Match`), so that an object replaced mid-read fails instead of mixing versions.
 */
import { ArrowBalanceError } from '../errors.js';
import { Limiter } from './limiter.js';
import { countBytesRead } from '../parquet/read-meter.js';
import { urlName } from './remote-url.js';
import { TransientError, withRetries } from './retry.js';

/** An object over HTTP(S) and the version of it being read. */
export interface HttpObject {
  readonly url: string;
  /** The URL without its query string or credentials, for messages (a presigned URL's query is a secret). */
  readonly name: string;
  readonly size: number;
  /** The first response's strong ETag, sent as `If-Match` on every later request. */
  readonly etag?: string | undefined;
  /** The first response's Last-Modified, sent as `If-Unmodified-Since` when there is no strong ETag. */
  readonly lastModified?: string | undefined;
}

/** Bytes of an object starting at `start`. */
export interface ByteSpan {
  readonly start: number;
  readonly bytes: Uint8Array;
}

/** The end of an object fetched when it is opened: enough for most footers in one request. */
const TAIL_BYTES = 64 * 1024;
/** Requests in flight at once from one thread. */
const limiter = new Limiter(4);
/** One attempt's time limit (a stalled server must not hang a job for ever). */
const ATTEMPT_TIMEOUT_MS = 300_000;

/**
 * Opens an object: one suffix Range request gives its size (from Content-Range), its ETag and its last
 * 64 KB; a footer longer than that is fetched in a second request.
 * @param url an `http://` or `https://` URL
 * @returns the pinned object and its tail, footer included
 * @throws ArrowBalanceError when the object is missing, empty, not served in ranges, or cannot be read
 */
export async function openHttpObject(url: string): Promise<{ readonly object: HttpObject; readonly tail: ByteSpan }> {
  const name = urlName(url);
  const first = await retried(() => attempt({ url, name, size: -1 }, { Range: `bytes=-${TAIL_BYTES}` }));
  const etag = first.headers.get('etag') ?? undefined;
  const strong = etag !== undefined && !etag.startsWith('W/') ? etag : undefined;
  const object: HttpObject = { url, name, size: first.size, etag: strong, lastModified: strong === undefined ? (first.headers.get('last-modified') ?? undefined) : undefined };
  let tail: ByteSpan = { start: first.start, bytes: first.bytes };
  if (object.size >= 8) {
    const length = new DataView(tail.bytes.buffer, tail.bytes.byteOffset + tail.bytes.byteLength - 8, 4).getUint32(0, true);
    const footerStart = object.size - 8 - length;
    if (footerStart >= 4 && footerStart < tail.start) {
      const rest = await fetchRange(object, footerStart, tail.start);
      const joined = new Uint8Array(object.size - footerStart);
      joined.set(rest, 0);
      joined.set(tail.bytes, rest.byteLength);
      tail = { start: footerStart, bytes: joined };
    }
  }
  return { object, tail };
}

/**
 * Fetches bytes [start, end) of a pinned object.
 * @throws ArrowBalanceError when the object changed since it was opened (HTTP 412, or another size), or a
 *   request still fails after the retries
 */
export async function fetchRange(object: HttpObject, start: number, end: number): Promise<Uint8Array> {
  if (end <= start) return new Uint8Array(0);
  const headers: Record<string, string> = { Range: `bytes=${start}-${end - 1}` };
  if (object.etag !== undefined) headers['If-Match'] = object.etag;
  else if (object.lastModified !== undefined) headers['If-Unmodified-Since'] = object.lastModified;
  const reply = await retried(() => attempt(object, headers));
  if (reply.start !== start || reply.bytes.byteLength !== end - start) {
    throw new ArrowBalanceError(`${object.name}: the server answered bytes ${reply.start}-${reply.start + reply.bytes.byteLength - 1} to a request for ${start}-${end - 1}; check the server's Range support`);
  }
  return reply.bytes;
}

/** One request, through the thread's limiter, retried; a failure left after the retries is an ArrowBalanceError. */
async function retried(request: () => Promise<RangeReply>): Promise<RangeReply> {
  try {
    return await limiter.run(() => withRetries(request));
  } catch (error) {
    if (error instanceof TransientError) throw new ArrowBalanceError(`${error.message}; check the server and run the job again`, { cause: error });
    throw error;
  }
}

interface RangeReply {
  readonly start: number;
  readonly size: number;
  readonly bytes: Uint8Array;
  readonly headers: Headers;
}

/** One request for a range; transient failures are thrown as {@link TransientError}s. */
async function attempt(object: Pick<HttpObject, 'url' | 'name' | 'size'>, headers: Record<string, string>): Promise<RangeReply> {
  const { name } = object;
  let response: Response;
  try {
    response = await fetch(object.url, { headers, signal: AbortSignal.timeout(ATTEMPT_TIMEOUT_MS) });
  } catch (error) {
    throw new TransientError(`${name}: the request failed (${causeOf(error)})`);
  }
  if (response.status !== 206) {
    await response.body?.cancel().catch(() => undefined);
    throw statusError(object, response);
  }
  const range = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(response.headers.get('content-range') ?? '');
  if (range === null) throw new ArrowBalanceError(`${name}: the server's answer to a Range request has no usable Content-Range header; check the server's Range support`);
  const size = Number(range[3]);
  if (object.size >= 0 && size !== object.size) throw replaced(name, `its size went from ${object.size} to ${size} bytes`);
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await response.arrayBuffer());
  } catch (error) {
    throw new TransientError(`${name}: the connection broke while reading (${causeOf(error)})`);
  }
  const start = Number(range[1]);
  if (bytes.byteLength !== Number(range[2]) - start + 1) throw new TransientError(`${name}: the answer ended early (${bytes.byteLength} bytes of ${Number(range[2]) - start + 1})`);
  countBytesRead(bytes.byteLength);
  return { start, size, bytes, headers: response.headers };
}

/** The error for an answer other than 206 Partial Content. */
function statusError(object: Pick<HttpObject, 'name' | 'size'>, response: Response): Error {
  const { name } = object;
  const { status } = response;
  const http = `HTTP ${status}${response.statusText === '' ? '' : ` ${response.statusText}`}`;
  if (status === 429 || status >= 500) {
    const after = Number(response.headers.get('retry-after'));
    return new TransientError(`${name}: the server answered ${http}`, Number.isFinite(after) && after > 0 ? after * 1000 : undefined);
  }
  if (status === 200) return new ArrowBalanceError(`${name}: the server does not serve byte ranges (it answered a Range request with the whole object); serve it with Range support, or download it and read the file`);
  if (status === 412) return replaced(name, 'its ETag or modification time no longer matches');
  if (status === 416 && object.size < 0) return new ArrowBalanceError(`${name}: empty object (0 bytes), not a Parquet file`);
  if (status === 404 || status === 410) return new ArrowBalanceError(`${name}: not found (${http}); check the URL`);
  if (status === 401 || status === 403) return new ArrowBalanceError(`${name}: access denied (${http}); check the URL and its credentials`);
  return new ArrowBalanceError(`${name}: cannot read (${http})`);
}

function replaced(name: string, how: string): ArrowBalanceError {
  return new ArrowBalanceError(`${name}: the object was replaced while it was being read (${how}); run the job again to read the new version`);
}

function causeOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? error.cause.message : undefined;
  return cause === undefined ? error.message : `${error.message}: ${cause}`;
}
