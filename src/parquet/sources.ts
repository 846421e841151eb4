import { readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { ArrowBalanceError } from '../errors.js';
import { openHttpObject, type ByteSpan, type HttpObject } from '../remote/http-object.js';
import { isHttpUrl } from '../remote/remote-url.js';

/**
 * What `fromParquet` reads: a file path or `http(s)://` URL, a list of them, a directory of `*.parquet` files,
 * bytes in memory, or inputs pinned by {@link pinInputs}.
 */
export type ParquetSource = string | readonly string[] | Uint8Array | PinnedInputs;

/** One Parquet input: a file on disk, a buffer in memory, or an object over HTTP(S) with its tail (footer). */
export type ParquetInput =
  | { readonly name: string; readonly path: string }
  | { readonly name: string; readonly bytes: Uint8Array }
  | { readonly name: string; readonly remote: HttpObject; readonly tail: ByteSpan };

/**
 * Inputs resolved once: a folder's files listed, each URL opened with its size and ETag. Every read of
 * them reads those files and those versions of the objects (a URL's requests are conditional on its ETag),
 * so two passes over the same pinned inputs see the same data, or fail.
 */
export class PinnedInputs {
  /** @param inputs the resolved inputs, in reading order (from `pinInputs`) */
  constructor(readonly inputs: readonly ParquetInput[]) {}
}

/**
 * Resolves a source once, for reading more than once: a job's count pass and its sampling pass read the
 * same files and object versions, even when a file is added to an input folder or an object is replaced
 * in between (the second read then fails rather than reading other data).
 *
 * ## Example
 * ```ts
 * const inputs = await pinInputs('https://example.com/data/part-0.parquet');
 * const counts = await lastValueFrom(fromParquet(inputs, { columns: ['label'] }).pipe(countClasses('label')));
 * fromParquet(inputs).pipe(balance({ label: 'label', counts })); // the same version of the object
 * ```
 * @param source a file, URL, list of them or folder, as `fromParquet` takes
 * @returns the pinned inputs
 * @throws ArrowBalanceError for a missing path, an empty list, a folder without Parquet files or a URL that cannot be opened
 */
export async function pinInputs(source: ParquetSource): Promise<PinnedInputs> {
  return source instanceof PinnedInputs ? source : new PinnedInputs(await resolveSources(source));
}

/** The name used for an in-memory source in error messages. */
export const BUFFER_NAME = '<buffer>';

/**
 * Resolves a source into the ordered list of inputs to read.
 *
 * A directory yields its `*.parquet` files sorted by name. Checks that each path exists; opens each URL (its
 * size, ETag and footer, in one or two Range requests).
 * @param source what the caller passed to `fromParquet`
 * @returns the inputs, in reading order
 * @throws ArrowBalanceError for a missing path, an empty list or a directory without Parquet files
 */
export async function resolveSources(source: ParquetSource): Promise<ParquetInput[]> {
  if (source instanceof PinnedInputs) return [...source.inputs];
  if (source instanceof Uint8Array) return [{ name: BUFFER_NAME, bytes: source }];
  const paths = typeof source === 'string' ? [source] : [...source];
  if (paths.length === 0) throw new ArrowBalanceError('no input files given; pass a Parquet file, a list of files or a directory');
  const inputs: ParquetInput[] = [];
  for (const path of paths) {
    if (typeof path !== 'string') throw new ArrowBalanceError(`input paths must be strings, got ${typeof path}`);
    for (const input of await expandPath(path)) inputs.push(input);
  }
  return inputs;
}

async function expandPath(path: string): Promise<ParquetInput[]> {
  if (isHttpUrl(path)) {
    const { object, tail } = await openHttpObject(path);
    return [{ name: object.name, remote: object, tail }];
  }
  const info = await stat(path).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') throw new ArrowBalanceError(`${path}: no such file or directory; check the input path`);
    throw new ArrowBalanceError(`${path}: cannot read (${error.code ?? error.message})`);
  });
  if (info.isFile()) return [{ name: path, path: resolve(path) }];
  if (!info.isDirectory()) throw new ArrowBalanceError(`${path}: not a regular file or directory`);
  const names = (await readdir(path)).filter((name) => name.endsWith('.parquet')).sort();
  if (names.length === 0) throw new ArrowBalanceError(`${path}: directory holds no *.parquet files`);
  return names.map((name) => ({ name: join(path, name), path: resolve(path, name) }));
}
