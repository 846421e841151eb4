import { RecordBatch } from 'apache-arrow';
import { ArrowBalanceError } from '../errors.js';

/** The apache-arrow versions arrow-balance supports: its peer dependency range (package.json). */
export const ARROW_RANGE = '^21.2.0';

/**
 * Checks that a value is a record batch of the apache-arrow copy arrow-balance itself loads.
 *
 * Batches of another copy (a second version installed beside ours, or a bundle of its own) look right but
 * fail deep inside apache-arrow: its type visitors test `instanceof`, and a foreign type reads as
 * `Unrecognized type 'NONE'`. A one-line error that says what to install is more use than that.
 * @param batch what reached an operator or a writer
 * @param where who received it, for the message (`balance`, `toParquet`, ...)
 * @throws ArrowBalanceError for a batch of another apache-arrow copy; TypeError for anything else
 */
export function assertOwnBatch(batch: unknown, where: string): asserts batch is RecordBatch {
  if (batch instanceof RecordBatch) return;
  if (looksLikeRecordBatch(batch)) {
    throw new ArrowBalanceError(
      `${where} got a RecordBatch from another copy of apache-arrow; arrow-balance needs the same one as your code: ` +
        `install a single apache-arrow ${ARROW_RANGE} (npm ls apache-arrow lists the copies; npm i apache-arrow@${ARROW_RANGE.slice(1)} then npm dedupe)`,
    );
  }
  throw new TypeError(`arrow-balance: ${where} expects apache-arrow RecordBatch values, got ${describe(batch)}`);
}

function looksLikeRecordBatch(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as { schema?: { fields?: unknown }; data?: unknown; numRows?: unknown };
  return Array.isArray(candidate.schema?.fields) && typeof candidate.data === 'object' && typeof candidate.numRows === 'number';
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value !== 'object') return typeof value;
  const name = (value as { constructor?: { name?: unknown } }).constructor?.name;
  return typeof name === 'string' && name !== '' ? `a ${name}` : 'an object';
}
