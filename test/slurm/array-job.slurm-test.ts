/**
 * `npm run test:slurm`: a real Slurm array job balances a file in shards, on a one-node cluster started here
 * from Debian's packages (see `test/support/slurm-cluster.ts`), with the script users copy
 * (`samples/slurm-balance.sbatch`); the parts are then checked by `arrow-balance verify` and, with DuckDB,
 * against the one-file output of the same seed.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { balanceParquet } from '../../src/jobs/balance-parquet.js';
import { openDuckDb, sqlString } from '../support/duckdb.js';
import { writeMixedParquet } from '../support/mixed-fixture.js';
import { logs, slurmInstalled, startSlurmCluster, type SlurmCluster } from '../support/slurm-cluster.js';

const CLI = resolve('dist/src/cli/main.js');
let cluster: SlurmCluster;
let work: string;

beforeAll(async () => {
  if (!slurmInstalled()) throw new Error('Slurm is not installed: apt-get install -y --no-install-recommends slurmctld slurmd slurm-client munge (.ci/run does)');
  cluster = await startSlurmCluster();
  work = join(cluster.folder, 'work');
  mkdirSync(join(work, 'data'), { recursive: true });
  await writeMixedParquet(join(work, 'data', 'a.parquet'), { rows: 40_000, rowGroupSize: 4_000 });
  await writeMixedParquet(join(work, 'data', 'b.parquet'), { rows: 24_000, rowGroupSize: 4_000 });
}, 120_000);

afterAll(async () => {
  await cluster?.stop();
});

describe('a Slurm array job', () => {
  it('balances in 3 shards (array 1-3) whose parts are the one-file output, and verify finds them whole', async () => {
    const inputs = [join(work, 'data', 'a.parquet'), join(work, 'data', 'b.parquet')];
    execFileSync(process.execPath, [CLI, 'plan', ...inputs, '--label', 'label', '--seed', '42', '-o', join(work, 'plan.json')]);
    // The users' script, run as it is; only the command it runs is this checkout's CLI.
    const script = readFileSync('samples/slurm-balance.sbatch', 'utf8').replace(/^ARROW_BALANCE=.*$/m, `ARROW_BALANCE="${process.execPath} ${CLI}"`);
    writeFileSync(join(work, 'balance.sbatch'), script);
    try {
      execFileSync('/usr/bin/sbatch', ['--wait', '--array=1-3', `--chdir=${work}`, `--output=${join(work, 'task-%a.log')}`, join(work, 'balance.sbatch')], { env: cluster.env, timeout: 300_000 });
    } catch (error) {
      throw new Error(`the array job failed: ${String(error)}\n${[1, 2, 3].map((task) => safeRead(join(work, `task-${task}.log`))).join('\n')}\n${logs(cluster.folder)}`);
    }
    expect(execFileSync(process.execPath, [CLI, 'verify', join(work, 'balanced'), '--plan', join(work, 'plan.json')], { encoding: 'utf8' })).toMatch(/: 3 part\(s\) of plan [0-9a-f]+, .*per-class counts as planned/);

    const whole = join(work, 'whole.parquet');
    await balanceParquet(inputs, whole, { label: 'label', strategy: 'under', seed: 42 });
    const db = await openDuckDb();
    try {
      const parts = `read_parquet(${sqlString(join(work, 'balanced', '*.parquet'))}, filename = true)`;
      const one = `read_parquet(${sqlString(whole)})`;
      const count = async (sql: string): Promise<number> => Number((await db.rows(`SELECT count(*) AS n FROM (${sql})`))[0]?.n);
      expect(await count(`SELECT * EXCLUDE (filename) FROM ${parts}`)).toBe(await count(`SELECT * FROM ${one}`));
      expect(await count(`SELECT * EXCLUDE (filename) FROM ${parts} EXCEPT ALL SELECT * FROM ${one}`)).toBe(0);
      expect(await count(`SELECT * FROM ${one} EXCEPT ALL SELECT * EXCLUDE (filename) FROM ${parts}`)).toBe(0);
      // In the same order, the parts read in name order.
      const ordered = await db.rows(`SELECT list(id ORDER BY filename, file_row_number) AS ids FROM read_parquet(${sqlString(join(work, 'balanced', '*.parquet'))}, filename = true, file_row_number = true)`);
      const expected = await db.rows(`SELECT list(id ORDER BY file_row_number) AS ids FROM read_parquet(${sqlString(whole)}, file_row_number = true)`);
      expect(String(ordered[0]?.ids)).toBe(String(expected[0]?.ids));
    } finally {
      db.close();
    }
  }, 600_000);
});

function safeRead(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return `(no ${path})`;
  }
}
