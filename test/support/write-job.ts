/**
 * A child process for tests: runs one of the library's writing jobs several times in a row and prints each
 * failure's message on stderr, one a line. It does nothing to end the process: it ends only if every job let
 * go of its worker threads, ports and descriptors, which is what the tests that run it check.
 *
 * `node dist/test/support/write-job.js <toParquet|weightParquet|balanceParquet> <runs> <input> <output>`
 *
 * `toParquet` first reads the input into memory, then writes it from a synchronous source, so that every
 * write is the blocking kind; the jobs read and write in a pipeline, as the CLI does.
 */
import { from, lastValueFrom, toArray } from 'rxjs';
import { balanceParquet, fromParquet, toParquet, weightParquet } from '../../src/index.js';

const [job, runs, input, output] = process.argv.slice(2) as [string, string, string, string];
const ROW_GROUP_SIZE = 20_000;

const jobs: Record<string, () => Promise<unknown>> = {
  toParquet: async () => {
    const batches = await lastValueFrom(fromParquet(input).pipe(toArray()));
    return lastValueFrom(from(batches).pipe(toParquet(output, { rowGroupSize: ROW_GROUP_SIZE })));
  },
  weightParquet: () => weightParquet(input, output, { label: 'label', rowGroupSize: ROW_GROUP_SIZE }),
  balanceParquet: () => balanceParquet(input, output, { label: 'label', strategy: 'over', seed: 1, rowGroupSize: ROW_GROUP_SIZE }),
};

const run = jobs[job];
if (run === undefined) throw new Error(`unknown job ${job}; use one of ${Object.keys(jobs).join(', ')}`);
for (let i = 0; i < Number(runs); i += 1) {
  try {
    await run();
    process.stdout.write('written\n');
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exitCode = 1;
  }
}
