import type { ShardSpec } from '../jobs/balance-shard.js';
import { escapeText } from '../text/escape-text.js';
import { UsageError } from './cli-error.js';

/** The environment variables an array-job engine sets, as `--shard auto` reads them. */
export type ShardEnvironment = Readonly<Record<string, string | undefined>>;

/**
 * Which shard to run, from `--shard <i>/<n>` or `--shard auto` (with `--shards <n>` where the engine does
 * not give the count). `auto` reads, in this order:
 * - Kubernetes Indexed Jobs: `JOB_COMPLETION_INDEX` (0 to n - 1), the count from `--shards`;
 * - Slurm job arrays: `SLURM_ARRAY_TASK_ID` and `SLURM_ARRAY_TASK_COUNT`, the index counted from
 *   `SLURM_ARRAY_TASK_MIN` (an array `--array=1-8` runs tasks 1 to 8: shards 0 to 7); the array must be
 *   a contiguous range (no step), which task count = max - min + 1 checks when `SLURM_ARRAY_TASK_MAX` is set;
 * - AWS Batch array jobs: `AWS_BATCH_JOB_ARRAY_INDEX`, the count from `--shards`.
 * @param shard the `--shard` value
 * @param shards the `--shards` value, if given
 * @param env the environment (`process.env`)
 * @throws UsageError in one line saying what is missing or inconsistent
 */
export function parseShard(shard: string, shards: string | undefined, env: ShardEnvironment): ShardSpec {
  const given = shards === undefined ? undefined : whole('--shards', shards, 1);
  if (shard !== 'auto') {
    const match = /^(\d+)\/(\d+)$/.exec(shard.trim());
    if (match === null) throw new UsageError(`--shard takes <index>/<count> (from 0, e.g. 0/4) or auto, got "${escapeText(shard)}"`);
    const index = whole('--shard index', match[1] as string, 0);
    const count = whole('--shard count', match[2] as string, 1);
    if (index >= count) throw new UsageError(`--shard ${index}/${count}: the index runs from 0 to ${count - 1}`);
    if (given !== undefined && given !== count) throw new UsageError(`--shard ${index}/${count} and --shards ${given} disagree; give one count`);
    return { index, count };
  }
  const { JOB_COMPLETION_INDEX: kubernetes, SLURM_ARRAY_TASK_ID: slurm, AWS_BATCH_JOB_ARRAY_INDEX: batch } = env;
  const set = [kubernetes && 'JOB_COMPLETION_INDEX', slurm && 'SLURM_ARRAY_TASK_ID', batch && 'AWS_BATCH_JOB_ARRAY_INDEX'].filter(Boolean);
  if (set.length > 1) throw new UsageError(`--shard auto found ${set.join(' and ')} set; run under one array-job engine, or give --shard <index>/<count>`);
  if (slurm) return slurmShard(slurm, given, env);
  const name = kubernetes ? 'JOB_COMPLETION_INDEX' : batch ? 'AWS_BATCH_JOB_ARRAY_INDEX' : undefined;
  if (name === undefined) {
    throw new UsageError('--shard auto needs JOB_COMPLETION_INDEX (Kubernetes Indexed Job), SLURM_ARRAY_TASK_ID (Slurm job array) or AWS_BATCH_JOB_ARRAY_INDEX (AWS Batch array job) in the environment; none is set, so give --shard <index>/<count>');
  }
  if (given === undefined) throw new UsageError(`--shard auto under ${name} needs --shards <count> (the job's completions or array size)`);
  const index = whole(name, (kubernetes ?? batch) as string, 0);
  if (index >= given) throw new UsageError(`${name} is ${index}, not below --shards ${given}; make --shards the job's completions (array size)`);
  return { index, count: given };
}

/** A Slurm array task's shard: its task ID counted from the array's first ID. */
function slurmShard(id: string, given: number | undefined, env: ShardEnvironment): ShardSpec {
  const task = whole('SLURM_ARRAY_TASK_ID', id, 0);
  const min = env['SLURM_ARRAY_TASK_MIN'] === undefined ? 0 : whole('SLURM_ARRAY_TASK_MIN', env['SLURM_ARRAY_TASK_MIN'], 0);
  const max = env['SLURM_ARRAY_TASK_MAX'] === undefined ? undefined : whole('SLURM_ARRAY_TASK_MAX', env['SLURM_ARRAY_TASK_MAX'], 0);
  const counted = env['SLURM_ARRAY_TASK_COUNT'] === undefined ? undefined : whole('SLURM_ARRAY_TASK_COUNT', env['SLURM_ARRAY_TASK_COUNT'], 1);
  const count = counted ?? given ?? (max === undefined ? undefined : max - min + 1);
  if (count === undefined) throw new UsageError('--shard auto under Slurm needs SLURM_ARRAY_TASK_COUNT (set by sbatch --array) or --shards <count>');
  if (given !== undefined && given !== count) throw new UsageError(`SLURM_ARRAY_TASK_COUNT is ${count} but --shards is ${given}; leave out --shards`);
  if (max !== undefined && max - min + 1 !== count) {
    throw new UsageError(`the Slurm array ${min}-${max} holds ${count} tasks, not ${max - min + 1}: shards need a contiguous array (sbatch --array=0-${count - 1}, without a step or list)`);
  }
  const index = task - min;
  if (index < 0 || index >= count) throw new UsageError(`SLURM_ARRAY_TASK_ID ${task} is outside the array (from ${min}, ${count} tasks)`);
  return { index, count };
}

function whole(name: string, text: string, min: number): number {
  const value = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(value) || value < min) throw new UsageError(`${name} must be a whole number of at least ${min}, got "${escapeText(text)}"`);
  return value;
}
