import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failureSummary, runBounded } from './support/bounded-run.js';
import { writeLabelledParquet } from './support/fixtures.js';

const cli = fileURLToPath(new URL('../dist/src/cli/main.js', import.meta.url));

/** As in disk-full.test.ts: 8 runs catch a hang of one run in three with a chance over 96 %. */
const RUNS = 8;
/** The file-size limit of the child shell, in `ulimit -f` blocks of 1,024 bytes: 3 MB. */
const LIMIT_BLOCKS = 3072;

let dir: string;
let input: string;
let out: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ab-fsize-'));
  // About 5.8 MB of Parquet in row groups of 10,000 rows: any copy outgrows the limit while the job still runs.
  input = join(dir, 'in.parquet');
  await writeLabelledParquet(input, { rows: 60_000, classes: { a: 0.9, b: 0.1 }, rowGroupSize: 10_000 });
  out = join(dir, 'out');
  await mkdir(out);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('a file-size limit (ulimit -f, EFBIG)', () => {
  // node ignores SIGXFSZ, so the write past the limit fails with EFBIG instead of killing the process.
  it.each(['weight', 'balance --strategy over'] as const)(
    `arrow-balance %s: one line, exit 1, nothing left, and the process ends by itself (${RUNS} runs)`,
    async (command) => {
      const common = [input, '--label', 'label', '-o', join(out, 'w.parquet'), '--row-group-size', '20000'];
      const args = command === 'weight' ? ['weight', ...common] : ['balance', ...common, '--strategy', 'over', '--seed', '1'];
      for (let run = 1; run <= RUNS; run += 1) {
        const result = await runBounded('bash', ['-c', `ulimit -f ${LIMIT_BLOCKS}; exec "$@"`, 'bash', process.execPath, cli, ...args]);
        expect({ run, ...failureSummary(result) }).toEqual({
          run,
          timedOut: false,
          status: 1,
          signal: null,
          stderr: [expect.stringMatching(/^arrow-balance: \S+\/w\.parquet: writing Parquet failed: EFBIG: file too large, write; the file outgrew the size limit of this process \(ulimit -f\) or of its file system: raise the limit or write the output elsewhere$/)],
        });
        expect(await readdir(out)).toEqual([]);
      }
    },
    240_000,
  );
});
