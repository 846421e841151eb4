/** Opens one Parquet input for parquetjs-lite: checks the framing, then decodes the footer. */
import parquetjs from 'parquetjs-lite';
import { ArrowBalanceError } from '../../errors.js';
import { readFailure } from './lite-errors.js';
import { framingProblem } from '../parquet-magic.js';
import type { ParquetInput } from '../sources.js';
import { liteRefusesUrl } from '../../remote/remote-url.js';

/** An open input: the envelope reader (holding the file descriptor) and the decoded footer. */
export interface LiteFile {
  readonly envelope: parquetjs.ParquetEnvelopeReader;
  readonly metadata: parquetjs.FileMetaData;
}

/**
 * Opens an input with parquetjs-lite's envelope reader and decodes its footer.
 *
 * The framing (magic bytes, footer length) is checked first so that a missing, empty, truncated or
 * non-Parquet file gets the same message as with the default engine. On failure the file is closed.
 * @param input a path or bytes
 * @returns the envelope reader, to close when done, and the footer
 * @throws ArrowBalanceError naming the input
 */
export async function openLiteFile(input: ParquetInput): Promise<LiteFile> {
  const envelope = await openEnvelope(input);
  try {
    const size = envelope.fileSize;
    const head = size >= 12 ? await envelope.read(0, 4) : new Uint8Array(0);
    const tail = size >= 12 ? await envelope.read(size - 8, 8) : new Uint8Array(0);
    const problem = framingProblem(size, head, tail);
    if (problem !== undefined) throw new ArrowBalanceError(`${input.name}: ${problem}`);
    return { envelope, metadata: await envelope.readFooter() };
  } catch (error) {
    await closeLiteFile(envelope);
    throw readFailure(input.name, error);
  }
}

/** Closes an envelope reader, ignoring a descriptor that is already closed. */
export async function closeLiteFile(envelope: parquetjs.ParquetEnvelopeReader): Promise<void> {
  try {
    await envelope.close();
  } catch {
    // Already closed: nothing to release.
  }
}

/**
 * Opens an input's envelope reader without decoding the footer (for reading row groups of a file whose
 * footer is already known).
 * @throws ArrowBalanceError when the file cannot be opened
 */
export async function openEnvelope(input: ParquetInput): Promise<parquetjs.ParquetEnvelopeReader> {
  if ('bytes' in input) {
    const { bytes } = input;
    // parquetjs-lite needs Buffer methods; a view over the same memory costs no copy.
    return parquetjs.ParquetEnvelopeReader.openBuffer(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  }
  if ('remote' in input) throw liteRefusesUrl(input.name);
  try {
    return await parquetjs.ParquetEnvelopeReader.openFile(input.path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new ArrowBalanceError(`${input.name}: no such file or directory; check the input path`);
    throw new ArrowBalanceError(`${input.name}: cannot read (${code ?? String(error)})`, { cause: error });
  }
}

