import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFile, cp, mkdir, mkdtemp, readFile, readdir, rm, utimes } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDuckDb, sqlString, type DuckDbSession } from './support/duckdb.js';
import { runCli, type CliRun } from './support/run-cli.js';

const CLI = fileURLToPath(new URL('../dist/src/cli/main.js', import.meta.url));
const COLUMNS = 'id, label, x, s';

let dir: string;
let inputs: string;
let plan: string;
let one: string;
let db: DuckDbSession;

/** Runs the built CLI with nothing in its environment but `env` (what an array-job engine sets). */
function runWithEnv(args: readonly string[], env: Record<string, string>): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000, killSignal: 'SIGKILL' });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString() }));
  });
}

/** Runs one shard process per environment, all at once, and expects each to succeed. */
async function runShards(args: readonly string[], envs: ReadonlyArray<Record<string, string>>): Promise<void> {
  const runs = await Promise.all(envs.map((env) => runWithEnv(args, env)));
  for (const run of runs) expect(run.stderr).toBe('');
  expect(runs.map((run) => run.status)).toEqual(envs.map(() => 0));
}

/** Rows only on one side (EXCEPT ALL both ways), without and with their positions (parts read in name order). */
async function differences(folder: string): Promise<number[]> {
  const parts = `read_parquet(${sqlString(join(folder, '*.parquet'))}, filename = true, file_row_number = true)`;
  const whole = `read_parquet(${sqlString(one)}, file_row_number = true)`;
  const positioned = `(SELECT row_number() OVER (ORDER BY filename, file_row_number) - 1 AS pos, ${COLUMNS} FROM ${parts})`;
  const single = `(SELECT file_row_number AS pos, ${COLUMNS} FROM ${whole})`;
  return Promise.all([
    db.count(`SELECT count(*) FROM (SELECT ${COLUMNS} FROM ${parts} EXCEPT ALL SELECT ${COLUMNS} FROM ${whole})`),
    db.count(`SELECT count(*) FROM (SELECT ${COLUMNS} FROM ${whole} EXCEPT ALL SELECT ${COLUMNS} FROM ${parts})`),
    db.count(`SELECT count(*) FROM (SELECT * FROM ${positioned} EXCEPT ALL SELECT * FROM ${single})`),
    db.count(`SELECT count(*) FROM (SELECT * FROM ${single} EXCEPT ALL SELECT * FROM ${positioned})`),
  ]);
}

async function digest(path: string): Promise<string> {
  return createHash('sha256').update(await readFile(path)).digest('hex');
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ab-shards-'));
  inputs = join(dir, 'in');
  await mkdir(inputs);
  db = await openDuckDb({ threads: 1 });
  // Three files of five row groups each (DuckDB cuts row groups at multiples of 2,048 rows); the classes' shares differ from file to file.
  for (const f of [0, 1, 2]) {
    await db.run(`COPY (SELECT i + ${f * 20_000} AS id,
        CASE WHEN i % ${7 + f} = 0 THEN 'rare' WHEN i % 3 = 0 THEN 'mid' ELSE 'common' END AS label,
        (i * 7919 % 1000) / 10.0 AS x, CASE WHEN i % 5 = 0 THEN NULL ELSE 's' || (i % 13) END AS s
      FROM range(20000) t(i)) TO ${sqlString(join(inputs, `f${f}.parquet`))} (FORMAT parquet, ROW_GROUP_SIZE 2500)`);
  }
  plan = join(dir, 'plan.json');
  one = join(dir, 'one.parquet');
  const planned = await runCli(['plan', inputs, '--label', 'label', '--seed', '5', '-o', plan]);
  expect(planned.stderr).toBe('');
  expect(planned.stdout).toMatch(/^planned 15 units \(row groups\) of 3 file\(s\), seed 5: 60,000 rows in/);
  const balanced = await runCli(['balance', inputs, '--label', 'label', '--seed', '5', '-o', one, '--workers', '1', '--quiet']);
  expect(balanced.status).toBe(0);
}, 120_000);
afterAll(async () => {
  db?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('shards on array-job engines', () => {
  it('Kubernetes Indexed Job, 4 shards with --plan: the parts are the one-file output, and verify passes', async () => {
    const out = join(dir, 'k8s');
    await runShards(['balance', '--plan', plan, '--shard', 'auto', '--shards', '4', '-o', out, '--workers', '1'], [0, 1, 2, 3].map((i) => ({ JOB_COMPLETION_INDEX: String(i) })));
    expect((await readdir(out)).sort()).toEqual(['part-0-of-4.parquet', 'part-1-of-4.parquet', 'part-2-of-4.parquet', 'part-3-of-4.parquet']);
    expect(await differences(out)).toEqual([0, 0, 0, 0]);
    const verified = await runCli(['verify', out, '--plan', plan]);
    expect(verified).toMatchObject({ status: 0, stderr: '' });
    expect(verified.stdout).toMatch(/4 part\(s\) of plan [0-9a-f]{16}, \d[\d,]* rows, per-class counts as planned/);
    // Running a shard again rewrites the same bytes.
    const before = await digest(join(out, 'part-2-of-4.parquet'));
    await runShards(['balance', '--plan', plan, '--shard', '2/4', '-o', out, '--workers', '2'], [{}]);
    expect(await digest(join(out, 'part-2-of-4.parquet'))).toBe(before);
  }, 120_000);

  it('a shard reads its units\' column chunks and the footers, no more, and says how much (--json)', async () => {
    const out = join(dir, 'bytes');
    const file = JSON.parse(await readFile(plan, 'utf8')) as { inputs: Array<{ path: string }>; plan: { units: Array<{ file: number; rowGroup: number }> } };
    const chunkBytes = await Promise.all(file.inputs.map(async ({ path }) => {
      const rows = await db.rows(`SELECT row_group_id AS g, sum(total_compressed_size)::DOUBLE AS bytes FROM parquet_metadata(${sqlString(path)}) GROUP BY g ORDER BY g`);
      return rows.map((row) => Number(row['bytes']));
    }));
    // A footer is read with its length and magic (8 bytes), and the file's first 4 bytes are checked.
    const footerBytes = await Promise.all(file.inputs.map(async ({ path }) => {
      const bytes = await readFile(path);
      return bytes.readUInt32LE(bytes.byteLength - 8) + 12;
    }));
    const allFooters = footerBytes.reduce((sum, n) => sum + n, 0);
    let total = 0;
    for (const index of [0, 1, 2, 3]) {
      const run = await runCli(['balance', '--plan', plan, '--shard', `${index}/4`, '-o', out, '--workers', '1', '--json']);
      expect(run.stderr).toBe('');
      const report = JSON.parse(run.stdout) as { units: [number, number]; bytesRead: number; cpuSeconds: number };
      const units = file.plan.units.slice(report.units[0], report.units[1]);
      const chunks = units.reduce((sum, unit) => sum + (chunkBytes[unit.file]?.[unit.rowGroup] ?? Number.NaN), 0);
      // Every chunk of its units once; each footer at most three times (the main thread's look at row groups, and the worker's).
      expect(report.bytesRead).toBeGreaterThanOrEqual(chunks);
      expect(report.bytesRead).toBeLessThanOrEqual(chunks + 3 * allFooters);
      expect(report.cpuSeconds).toBeGreaterThan(0);
      total += report.bytesRead;
    }
    const inputBytes = (await Promise.all(file.inputs.map(async ({ path }) => (await readFile(path)).byteLength))).reduce((sum, n) => sum + n, 0);
    expect(total).toBeLessThanOrEqual(inputBytes + 4 * 3 * allFooters);
  }, 120_000);

  it('Slurm array 1-3 without a plan file: each task plans for itself, and the parts match the plan file', async () => {
    const out = join(dir, 'slurm');
    const envs = [1, 2, 3].map((id) => ({ SLURM_ARRAY_TASK_ID: String(id), SLURM_ARRAY_TASK_COUNT: '3', SLURM_ARRAY_TASK_MIN: '1', SLURM_ARRAY_TASK_MAX: '3', SLURM_ARRAY_JOB_ID: '77', SLURM_JOB_ID: String(77 + id) }));
    await runShards(['balance', inputs, '--label', 'label', '--seed', '5', '--shard', 'auto', '-o', out, '--workers', '1'], envs);
    expect(await differences(out)).toEqual([0, 0, 0, 0]);
    expect(await runCli(['verify', out, '--plan', plan])).toMatchObject({ status: 0, stderr: '' });
  }, 120_000);

  it('AWS Batch array job of 2 with --plan and the inputs named: parts in name order, and their metadata', async () => {
    const out = join(dir, 'batch');
    await runShards(['balance', inputs, '--plan', plan, '--shard', 'auto', '--shards', '2', '-o', out, '--workers', '1'], [0, 1].map((i) => ({ AWS_BATCH_JOB_ARRAY_INDEX: String(i) })));
    expect(await differences(out)).toEqual([0, 0, 0, 0]);
    const kv = await db.rows(`SELECT decode(value) AS v FROM parquet_kv_metadata(${sqlString(join(out, 'part-1-of-2.parquet'))}) WHERE decode(key) = 'arrow-balance'`);
    const metadata = JSON.parse(String(kv[0]?.['v'])) as Record<string, unknown>;
    expect(Object.keys(metadata).sort()).toEqual(['inputs', 'label', 'outputCounts', 'part', 'plan', 'seed', 'strategy', 'units']);
    expect(metadata['part']).toEqual({ index: 1, count: 2 });
    expect((metadata['outputCounts'] as { total: number }).total).toBe(await db.count(`SELECT count(*) FROM read_parquet(${sqlString(join(out, 'part-1-of-2.parquet'))})`));
  }, 120_000);

  it('verify names a missing part, a stray file, a part of another count and a part of another plan', async () => {
    const out = join(dir, 'broken');
    await cp(join(dir, 'k8s'), out, { recursive: true });
    await rm(join(out, 'part-1-of-4.parquet'));
    await copyFile(one, join(out, 'extra.parquet'));
    await copyFile(join(dir, 'batch', 'part-0-of-2.parquet'), join(out, 'part-0-of-2.parquet'));
    // Shard 3 of a plan with another seed, in place of this plan's.
    const other = join(dir, 'other-plan.json');
    expect((await runCli(['plan', inputs, '--label', 'label', '--seed', '6', '-o', other])).status).toBe(0);
    expect((await runCli(['balance', '--plan', other, '--shard', '3/4', '-o', out, '--workers', '1'])).status).toBe(0);
    const verified = await runCli(['verify', out, '--plan', plan, '--shards', '4']);
    expect(verified.status).toBe(1);
    expect(verified.stderr.split('\n')).toHaveLength(2);
    expect(verified.stderr).toMatch(/^arrow-balance: .*: 4 problem\(s\): /);
    expect(verified.stderr).toContain('extra.parquet: a stray file, not a part');
    expect(verified.stderr).toContain('part-0-of-2.parquet: a stale part of 2 shards, not 4');
    expect(verified.stderr).toContain('part-1-of-4.parquet: missing; run shard 1 of 4');
    expect(verified.stderr).toMatch(/part-3-of-4\.parquet: a stale part of another plan/);
    // Without --shards, the parts' names give two counts, both of this plan: which is stale is for the user to say.
    const ambiguous = await runCli(['verify', out, '--plan', plan]);
    expect(ambiguous.status).toBe(1);
    expect(ambiguous.stderr).toMatch(/^arrow-balance: .*broken: holds parts of 2 and 4 shards of this plan; remove the stale ones, or give --shards <n>\n$/);
    // A part of another count from another plan is stale whatever the count.
    await rm(join(out, 'part-0-of-2.parquet'));
    await copyFile(join(out, 'part-3-of-4.parquet'), join(out, 'part-1-of-2.parquet'));
    const inferred = await runCli(['verify', out, '--plan', plan]);
    expect(inferred.stderr).toContain('part-1-of-2.parquet: a stale part of 2 shards, not 4');
    expect(inferred.stderr).toContain('part-1-of-4.parquet: missing');
  }, 120_000);

  it('refuses an input changed since planning, and bad --shard values, in one line', async () => {
    const copy = join(dir, 'in-copy');
    await cp(inputs, copy, { recursive: true });
    const copyPlan = join(dir, 'copy-plan.json');
    expect((await runCli(['plan', copy, '--label', 'label', '--seed', '5', '-o', copyPlan])).status).toBe(0);
    await utimes(join(copy, 'f1.parquet'), new Date(), new Date(Date.now() + 5_000));
    const refused = await runCli(['balance', '--plan', copyPlan, '--shard', '0/2', '-o', join(dir, 'changed')]);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(/^arrow-balance: .*f1\.parquet: changed since it was planned \(modified .*\); make a new plan .*\n$/);
    await expect(readdir(join(dir, 'changed'))).rejects.toThrow();
    const cases: Array<[string[], Record<string, string>, RegExp]> = [
      [['--shard', '4/4'], {}, /--shard 4\/4: the index runs from 0 to 3/],
      [['--shard', 'two'], {}, /--shard takes <index>\/<count>/],
      [['--shard', 'auto', '--shards', '4'], {}, /--shard auto needs JOB_COMPLETION_INDEX .* none is set/],
      [['--shard', 'auto'], { JOB_COMPLETION_INDEX: '1' }, /needs --shards <count>/],
      [['--shard', 'auto', '--shards', '2'], { AWS_BATCH_JOB_ARRAY_INDEX: '2' }, /AWS_BATCH_JOB_ARRAY_INDEX is 2, not below --shards 2/],
      [['--shard', 'auto'], { SLURM_ARRAY_TASK_ID: '0', SLURM_ARRAY_TASK_COUNT: '2', SLURM_ARRAY_TASK_MIN: '1' }, /SLURM_ARRAY_TASK_ID 0 is outside the array/],
      [['--shard', '0/30'], {}, /the plan has 15 unit\(s\).*use at most 15 shards/],
    ];
    for (const [args, env, message] of cases) {
      const run = await runWithEnv(['balance', '--plan', plan, ...args, '-o', join(dir, 'bad')], env);
      expect(run.stderr).toMatch(message);
      expect(run.stderr).toMatch(/^arrow-balance: [^\n]+\n$/);
      expect(run.status).toBe(/the plan has/.test(message.source) ? 1 : 2);
    }
  }, 120_000);
});
