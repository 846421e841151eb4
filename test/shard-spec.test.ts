import { describe, expect, it } from 'vitest';
import { parseShard } from '../src/cli/shard-spec.js';

describe('--shard', () => {
  it('takes <index>/<count>', () => {
    expect(parseShard('0/4', undefined, {})).toEqual({ index: 0, count: 4 });
    expect(parseShard('3/4', '4', {})).toEqual({ index: 3, count: 4 });
  });

  it('reads each array-job engine\'s environment with auto', () => {
    expect(parseShard('auto', '5', { JOB_COMPLETION_INDEX: '4' })).toEqual({ index: 4, count: 5 });
    expect(parseShard('auto', '3', { AWS_BATCH_JOB_ARRAY_INDEX: '0' })).toEqual({ index: 0, count: 3 });
    expect(parseShard('auto', undefined, { SLURM_ARRAY_TASK_ID: '2', SLURM_ARRAY_TASK_COUNT: '3', SLURM_ARRAY_TASK_MIN: '0', SLURM_ARRAY_TASK_MAX: '2' })).toEqual({ index: 2, count: 3 });
    // sbatch --array=1-8: tasks 1 to 8 are shards 0 to 7.
    expect(parseShard('auto', undefined, { SLURM_ARRAY_TASK_ID: '1', SLURM_ARRAY_TASK_COUNT: '8', SLURM_ARRAY_TASK_MIN: '1', SLURM_ARRAY_TASK_MAX: '8' })).toEqual({ index: 0, count: 8 });
    expect(parseShard('auto', undefined, { SLURM_ARRAY_TASK_ID: '8', SLURM_ARRAY_TASK_COUNT: '8', SLURM_ARRAY_TASK_MIN: '1', SLURM_ARRAY_TASK_MAX: '8' })).toEqual({ index: 7, count: 8 });
  });

  it.each([
    ['4/4', undefined, {}, /--shard 4\/4: the index runs from 0 to 3/],
    ['1/0', undefined, {}, /--shard count must be a whole number of at least 1/],
    ['-1/4', undefined, {}, /--shard takes <index>\/<count>/],
    ['1', undefined, {}, /--shard takes <index>\/<count>/],
    ['1/2', '3', {}, /--shard 1\/2 and --shards 3 disagree/],
    ['auto', '4', {}, /--shard auto needs JOB_COMPLETION_INDEX .* none is set/],
    ['auto', undefined, { JOB_COMPLETION_INDEX: '1' }, /needs --shards <count>/],
    ['auto', '4', { JOB_COMPLETION_INDEX: '4' }, /JOB_COMPLETION_INDEX is 4, not below --shards 4/],
    ['auto', '4', { JOB_COMPLETION_INDEX: 'x' }, /JOB_COMPLETION_INDEX must be a whole number/],
    ['auto', '4', { JOB_COMPLETION_INDEX: '1', AWS_BATCH_JOB_ARRAY_INDEX: '1' }, /found JOB_COMPLETION_INDEX and AWS_BATCH_JOB_ARRAY_INDEX set/],
    ['auto', undefined, { SLURM_ARRAY_TASK_ID: '2' }, /needs SLURM_ARRAY_TASK_COUNT/],
    ['auto', '5', { SLURM_ARRAY_TASK_ID: '2', SLURM_ARRAY_TASK_COUNT: '4' }, /SLURM_ARRAY_TASK_COUNT is 4 but --shards is 5/],
    ['auto', undefined, { SLURM_ARRAY_TASK_ID: '2', SLURM_ARRAY_TASK_COUNT: '4', SLURM_ARRAY_TASK_MIN: '0', SLURM_ARRAY_TASK_MAX: '6' }, /shards need a contiguous array/],
    ['auto', undefined, { SLURM_ARRAY_TASK_ID: '0', SLURM_ARRAY_TASK_COUNT: '4', SLURM_ARRAY_TASK_MIN: '1' }, /SLURM_ARRAY_TASK_ID 0 is outside the array/],
  ])('refuses --shard %s (--shards %s) in one line', (shard, shards, env, message) => {
    expect(() => parseShard(shard, shards, env)).toThrow(message);
    try {
      parseShard(shard, shards, env);
    } catch (error) {
      expect((error as Error).message).toMatch(/^arrow-balance: [^\n]+; see arrow-balance --help$/);
    }
  });
});
