import { existsSync, readdirSync, rmSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RecordBatch } from 'apache-arrow';
import { lastValueFrom, Observable, take } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromParquet, toParquet } from '../operators/index.js';
import { failureSummary, runBounded } from './support/bounded-run.js';
import { writeLabelledParquet } from './support/fixtures.js';

const cli = fileURLToPath(new URL('../dist/src/cli/main.js', import.meta.url));

/** As in disk-full.test.ts: 8 runs catch a hang of one run in three with a chance over 96 %. */
const RUNS = 8;

let dir: string;
let input: string;

/**
 * Removes `folder` (and the temporary output in it) as soon as the temporary output appears, so the job is
 * always stopped mid-run; resolves whether it did (false when the process ended first).
 */
async function removeOnceWriting(folder: string, exited: () => boolean): Promise<boolean> {
  for (;;) {
    if (exited()) return false;
    const names = await readdir(folder).catch(() => [] as string[]);
    if (names.some((name) => name.endsWith('.tmp'))) {
      await rm(folder, { recursive: true, force: true });
      return true;
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ab-removed-'));
  input = join(dir, 'in.parquet');
  await writeLabelledParquet(input, { rows: 60_000, classes: { a: 0.9, b: 0.1 }, rowGroupSize: 10_000 });
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('the output folder removed mid-write', () => {
  it.each(['weight', 'balance --strategy over'] as const)(
    `arrow-balance %s: one line that says so, exit 1, nothing recreated, and the process ends by itself (${RUNS} runs)`,
    async (command) => {
      const folder = join(dir, 'gone');
      const common = [input, '--label', 'label', '-o', join(folder, 'w.parquet'), '--row-group-size', '20000'];
      const args = command === 'weight' ? ['weight', ...common] : ['balance', ...common, '--strategy', 'over', '--seed', '1'];
      for (let run = 1; run <= RUNS; run += 1) {
        await mkdir(folder);
        let removal: Promise<boolean> = Promise.resolve(false);
        const result = await runBounded(process.execPath, [cli, ...args], { whileRunning: (_child, exited) => (removal = removeOnceWriting(folder, exited)) });
        expect({ run, removed: await removal, ...failureSummary(result) }).toEqual({
          run,
          removed: true,
          timedOut: false,
          status: 1,
          signal: null,
          stderr: [expect.stringMatching(/^arrow-balance: \S+\/gone\/w\.parquet: output folder \S+\/gone was removed while writing; nothing was written; create it and run again$/)],
        });
        expect(existsSync(folder)).toBe(false);
      }
    },
    240_000,
  );

  it.each(['parquet-wasm', 'parquetjs-lite'] as const)('is noticed at the end too, with %s: the folder or the temporary file alone removed after the last batch', async (engine) => {
    const batch = await lastValueFrom(fromParquet(input).pipe(take(1)));
    /** One batch, then `remove` runs, then the source completes: only finishing the file can notice. */
    const removedAfterLastBatch = (folder: string, remove: () => void): Promise<unknown> =>
      lastValueFrom(
        new Observable<RecordBatch>((subscriber) => {
          subscriber.next(batch);
          remove();
          subscriber.complete();
        }).pipe(toParquet(join(folder, 'w.parquet'), { engine, compression: 'snappy' })),
      );
    const folder = join(dir, `late-${engine}`);
    await mkdir(folder);
    await expect(removedAfterLastBatch(folder, () => rmSync(folder, { recursive: true }))).rejects.toThrow(
      /^arrow-balance: \S+\/w\.parquet: output folder \S+ was removed while writing; nothing was written; create it and run again$/,
    );
    expect(existsSync(folder)).toBe(false);
    await mkdir(folder);
    const removeTemp = (): void => {
      for (const name of readdirSync(folder)) rmSync(join(folder, name));
    };
    await expect(removedAfterLastBatch(folder, removeTemp)).rejects.toThrow(
      /^arrow-balance: \S+\/w\.parquet: the temporary file \S+\.tmp was removed while writing \(by another program\?\); nothing was written; run again$/,
    );
    expect(await readdir(folder)).toEqual([]);
  });
});
