import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { ArrowBalanceError } from '../errors.js';
import type { ParquetInput } from '../parquet/sources.js';
import { isHttpUrl } from '../remote/remote-url.js';
import type { PlannedInput } from './plan-file.js';

/**
 * Each input as a plan records it: a file's path, size and modification time; a URL's name (without its
 * query), size and version (its strong ETag, else its Last-Modified).
 * @param inputs the resolved inputs (files, or URLs opened)
 * @throws ArrowBalanceError for input in memory (a plan names files) or a file that cannot be read
 */
export async function describeInputs(inputs: readonly ParquetInput[]): Promise<PlannedInput[]> {
  return Promise.all(
    inputs.map(async (input): Promise<PlannedInput> => {
      if ('remote' in input) {
        const { size, etag, lastModified } = input.remote;
        return { path: input.name, size, ...(etag !== undefined ? { etag } : lastModified !== undefined ? { lastModified } : {}) };
      }
      if (!('path' in input)) throw new ArrowBalanceError('a plan reads files or URLs; write the input to a file first');
      const info = await stat(input.path);
      return { path: input.name, size: info.size, mtimeMs: info.mtimeMs };
    }),
  );
}

/**
 * Throws unless the inputs are the planned ones, unchanged: the same paths or URLs in the same order, each
 * with its planned size and modification time (a URL: its planned size and version). A changed input would
 * make rows the plan does not describe.
 * @param planned the plan's inputs
 * @param inputs the inputs given now
 * @param planName the plan file, for messages
 * @throws ArrowBalanceError naming the first difference
 */
export async function checkInputsUnchanged(planned: readonly PlannedInput[], inputs: readonly ParquetInput[], planName: string): Promise<void> {
  const now = await describeInputs(inputs);
  const paths = (list: readonly PlannedInput[]) => list.map((input) => (isHttpUrl(input.path) ? input.path : resolve(input.path)));
  const given = paths(now);
  const expected = paths(planned);
  if (given.join('\n') !== expected.join('\n')) {
    const at = expected.findIndex((path, i) => path !== given[i]);
    const which = at === -1 ? `${given.length - expected.length} more file(s) than planned` : `${planned[at]?.path ?? ''} was planned as input ${at + 1}, got ${now[at]?.path ?? 'nothing'}`;
    throw new ArrowBalanceError(`the inputs are not the plan's (${which}); give the inputs of ${planName}, in its order, or make a new plan`);
  }
  planned.forEach((input, i) => {
    const change = changeOf(input, now[i] as PlannedInput);
    if (change !== undefined) throw new ArrowBalanceError(`${input.path}: changed since it was planned (${change}); make a new plan (arrow-balance plan) and run every shard again`);
  });
}

/** How an input differs from its planned state, if it does. */
function changeOf(planned: PlannedInput, current: PlannedInput): string | undefined {
  if (current.size !== planned.size) return `size ${planned.size} -> ${current.size} bytes`;
  if (current.mtimeMs !== planned.mtimeMs) return `modified ${new Date(current.mtimeMs ?? 0).toISOString()}, planned ${new Date(planned.mtimeMs ?? 0).toISOString()}`;
  if (current.etag !== planned.etag) return `ETag ${planned.etag ?? 'none'} -> ${current.etag ?? 'none'}`;
  if (current.lastModified !== planned.lastModified) return `Last-Modified ${planned.lastModified ?? 'none'} -> ${current.lastModified ?? 'none'}`;
  return undefined;
}
