import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { ArrowBalanceError } from '../errors.js';
import type { ParquetInput } from '../parquet/sources.js';
import type { PlannedInput } from './plan-file.js';

/**
 * Each input file's path, size and modification time, as a plan records them.
 * @param inputs the resolved inputs (files on disk)
 * @throws ArrowBalanceError for input in memory (a plan names files) or a file that cannot be read
 */
export async function describeInputs(inputs: readonly ParquetInput[]): Promise<PlannedInput[]> {
  return Promise.all(
    inputs.map(async (input) => {
      if (!('path' in input)) throw new ArrowBalanceError('a plan reads files; write the input to a file first');
      const info = await stat(input.path);
      return { path: input.name, size: info.size, mtimeMs: info.mtimeMs };
    }),
  );
}

/**
 * Throws unless the inputs are the planned files, unchanged: the same paths in the same order, each with its
 * planned size and modification time. A changed file would make rows the plan does not describe.
 * @param planned the plan's inputs
 * @param inputs the inputs given now
 * @param planName the plan file, for messages
 * @throws ArrowBalanceError naming the first difference
 */
export async function checkInputsUnchanged(planned: readonly PlannedInput[], inputs: readonly ParquetInput[], planName: string): Promise<void> {
  const now = await describeInputs(inputs);
  const paths = (list: readonly PlannedInput[]) => list.map((input) => resolve(input.path));
  const given = paths(now);
  const expected = paths(planned);
  if (given.join('\n') !== expected.join('\n')) {
    const at = expected.findIndex((path, i) => path !== given[i]);
    const which = at === -1 ? `${given.length - expected.length} more file(s) than planned` : `${planned[at]?.path ?? ''} was planned as input ${at + 1}, got ${now[at]?.path ?? 'nothing'}`;
    throw new ArrowBalanceError(`the inputs are not the plan's (${which}); give the inputs of ${planName}, in its order, or make a new plan`);
  }
  planned.forEach((input, i) => {
    const current = now[i] as PlannedInput;
    if (current.size !== input.size || current.mtimeMs !== input.mtimeMs) {
      const what = current.size !== input.size ? `size ${input.size} -> ${current.size} bytes` : `modified ${new Date(current.mtimeMs).toISOString()}, planned ${new Date(input.mtimeMs).toISOString()}`;
      throw new ArrowBalanceError(`${input.path}: changed since it was planned (${what}); make a new plan (arrow-balance plan) and run every shard again`);
    }
  });
}
