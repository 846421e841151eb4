import { mkdir, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { from, lastValueFrom, take } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromParquet, toParquet } from '../operators/index.js';
import { runBounded } from './support/bounded-run.js';
import { writeLabelledParquet } from './support/fixtures.js';

const cli = fileURLToPath(new URL('../dist/src/cli/main.js', import.meta.url));

let dir: string;
let input: string;
let out: string;

/** This machine's name as temporary files carry it (README: characters other than letters, digits, "." and "-" become "_"). */
const host = hostname().replace(/[^A-Za-z0-9.-]/g, '_');

/** Resolves true once a temporary output in `folder` holds data, or false when the process ended first. */
async function writingStarted(folder: string, exited: () => boolean): Promise<boolean> {
  for (;;) {
    if (exited()) return false;
    for (const name of (await readdir(folder)).filter((entry) => entry.endsWith('.tmp'))) {
      if ((await stat(join(folder, name)).catch(() => ({ size: 0 }))).size > 0) return true;
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ab-stale-'));
  // About 19 MB of Parquet: the killed run is still writing when the first bytes of its output appear.
  input = join(dir, 'in.parquet');
  await writeLabelledParquet(input, { rows: 200_000, classes: { a: 0.9, b: 0.1 }, rowGroupSize: 20_000 });
  out = join(dir, 'out');
  await mkdir(out);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('stale temporary files', () => {
  it('the next run to the same path removes the temporary file of a run killed mid-write (SIGKILL), and no one else\'s', async () => {
    const args = ['weight', input, '--label', 'label', '-o', join(out, 'w.parquet'), '--row-group-size', '20000'];
    let killed: Promise<boolean> = Promise.resolve(false);
    let killedPid = 0;
    const first = await runBounded(process.execPath, [cli, ...args], {
      whileRunning: (child, exited) => {
        killedPid = child.pid ?? 0;
        killed = writingStarted(out, exited).then((started) => started && child.kill('SIGKILL'));
      },
    });
    expect({ killed: await killed, timedOut: first.timedOut, signal: first.signal }).toEqual({ killed: true, timedOut: false, signal: 'SIGKILL' });
    const stale = await readdir(out);
    expect(stale).toEqual([expect.stringMatching(/^\.w\.parquet\..*\.tmp$/)]);

    // Temporary files that are not stale, or not ours to judge: a live run's on this machine (this test's
    // process), a run's on another machine (its process cannot be checked from here), another output's.
    const kept = [
      `.w.parquet.${process.pid}@${host}.0123456789ab.tmp`,
      `.w.parquet.${killedPid}@elsewhere.example.org.0123456789ab.tmp`,
      `.v.parquet.${killedPid}@${host}.0123456789ab.tmp`,
    ];
    for (const name of kept) await writeFile(join(out, name), 'in use');

    const second = await runBounded(process.execPath, [cli, ...args]);
    expect({ timedOut: second.timedOut, status: second.status, stderr: second.stderr }).toEqual({ timedOut: false, status: 0, stderr: '' });
    expect((await readdir(out)).sort()).toEqual([...kept, 'w.parquet'].sort());
  }, 60_000);

  it('an output name near the file-name limit still leaves room for the temporary name (the name is shortened in it)', async () => {
    const name = `${'n'.repeat(242)}.parquet`;
    const batch = await lastValueFrom(fromParquet(input).pipe(take(1)));
    const summary = await lastValueFrom(from([batch.slice(0, 10)]).pipe(toParquet(join(out, name))));
    expect(summary.rows).toBe(10);
    expect((await readdir(out)).filter((entry) => entry.endsWith('.tmp') && entry.startsWith('.nnn'))).toEqual([]);
    await rm(join(out, name));
  });
});
