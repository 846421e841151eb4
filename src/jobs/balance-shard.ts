import { mkdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { ArrowBalanceError } from '../errors.js';
import type { ClassCountsJSON } from '../classes/class-counts.js';
import type { PlanFile } from '../plan/plan-file.js';
import { planFingerprint } from '../plan/plan-fingerprint.js';
import { checkInputsUnchanged } from '../plan/plan-inputs.js';
import { shardRange } from '../plan/shard-range.js';
import { resolveSources } from '../parquet/sources.js';
import { bytesReadSoFar } from '../parquet/read-meter.js';
import { StitchedWriter } from '../parquet/stitch/stitched-writer.js';
import { resolveWriteOptions, type ParquetCompression } from '../parquet/write-options.js';
import { executePlan } from './plan-executor.js';
import { partMetadata, PART_METADATA_KEY } from './part-metadata.js';
import { partName } from './part-names.js';
import { planBalanceJob, readPlanFile, type PlanBalanceOptions } from './plan-balance-job.js';

/** Which shard to run: `index` of `count`, from 0. */
export interface ShardSpec {
  readonly index: number;
  readonly count: number;
}

/** Options of {@link balanceShard}. */
export interface BalanceShardOptions extends Partial<PlanBalanceOptions> {
  readonly shard: ShardSpec;
  /**
   * The plan (from `planBalanceJob`, or a plan file's path). Without it the shard plans from the inputs
   * itself, which needs `label` and `seed` (every shard must draw the same plan).
   */
  readonly plan?: PlanFile | string | undefined;
  /** Codec of every column (default snappy). */
  readonly compression?: ParquetCompression | undefined;
  /** Most rows per row group (default 122,880). */
  readonly rowGroupSize?: number | undefined;
  /** Worker threads (default: the cores available); the part is the same bytes whatever the number. */
  readonly workers?: number | undefined;
}

/** What a shard wrote. */
export interface ShardReport {
  /** The part file (absolute path). */
  readonly part: string;
  readonly shard: ShardSpec;
  /** The plan's fingerprint, as the part's metadata holds it. */
  readonly plan: string;
  /** The plan's units the shard ran, `[start, end)`. */
  readonly units: readonly [number, number];
  /** Rows per class in the part. */
  readonly outputCounts: ClassCountsJSON;
  /** Bytes this shard read from its inputs (files or URLs), footers included: its units' column chunks, not the whole input. */
  readonly bytesRead: number;
  /** CPU time of the process (every thread) while the shard ran, user and system, in seconds. */
  readonly cpuSeconds: number;
  readonly seconds: number;
}

/**
 * Runs shard `index` of `count` of a balance plan: a contiguous range of units (see `shardRange`), written
 * atomically to `<folder>/part-<i>-of-<n>.parquet` (replacing that part if it exists: running a shard again,
 * after a failure, writes the same bytes). The parts in name order hold exactly the rows, in order, of the
 * one-file output of `balanceParquet` for the same inputs, options and seed (their row groups may differ).
 * The part's key-value metadata holds {@link PartMetadata} under the key `arrow-balance`.
 *
 * ## Example
 * ```ts
 * const plan = await readPlanFile('plan.json');
 * await balanceShard(undefined, 'out', { plan, shard: { index: 2, count: 8 } }); // out/part-2-of-8.parquet
 * ```
 * Memory: as `balanceParquet` in exact mode, a few tasks' row groups per worker.
 * @param input the inputs (a file, files or a folder); with a plan, undefined takes the plan's inputs
 * @param folder where the part goes (created if missing)
 * @param options the shard, the plan or the balance options, and the output's
 * @returns what was written
 * @throws ArrowBalanceError for a bad shard, inputs that are not the plan's or changed since it was made
 */
export async function balanceShard(input: string | readonly string[] | undefined, folder: string, options: BalanceShardOptions): Promise<ShardReport> {
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  const readBefore = bytesReadSoFar();
  const { index, count } = options.shard;
  if (!Number.isSafeInteger(count) || count < 1 || !Number.isSafeInteger(index) || index < 0 || index >= count) {
    throw new ArrowBalanceError(`shard ${String(index)} of ${String(count)} does not exist; shards are numbered from 0 to count - 1`);
  }
  const workers = options.workers ?? availableParallelism();
  if (!Number.isSafeInteger(workers) || workers < 1 || workers > 64) throw new ArrowBalanceError(`workers must be an integer from 1 to 64, got ${String(workers)}`);
  if (options.engine === 'parquetjs-lite') throw new ArrowBalanceError('shards run on the parquet-wasm engine; leave out engine "parquetjs-lite"');
  const write = resolveWriteOptions({ compression: options.compression, rowGroupSize: options.rowGroupSize });
  const { file, planName } = await shardPlan(input, options);
  const sources = await resolveSources(input ?? file.inputs.map((planned) => planned.path));
  await checkInputsUnchanged(file.inputs, sources, planName);
  const range = shardRange(file.plan, index, count);
  const fingerprint = planFingerprint(file);
  const metadata = partMetadata(file, fingerprint, index, count, range);
  mkdirSync(folder, { recursive: true });
  const path = join(folder, partName(index, count));
  const stitched = StitchedWriter.create(path, { ...write, overwrite: true, metadata: () => ({ [PART_METADATA_KEY]: JSON.stringify(metadata) }) });
  const stop = (): void => stitched.abort();
  options.signal?.addEventListener('abort', stop);
  try {
    const { label, nulls, importanceWeight, maxClasses } = file.options;
    await executePlan(sources, file.plan, {
      workers,
      units: range,
      sampling: { label, nulls, importanceWeight: importanceWeight ?? undefined, maxClasses: maxClasses ?? undefined },
      encode: { compression: write.compression, rowGroupSize: write.rowGroupSize },
      signal: options.signal,
      onPart: (part) => stitched.append(part),
    });
    await stitched.finish();
  } catch (error) {
    stitched.abort();
    throw options.signal?.aborted === true ? (options.signal.reason as unknown) : error;
  } finally {
    options.signal?.removeEventListener('abort', stop);
  }
  const cpu = process.cpuUsage(cpuBefore);
  return {
    part: resolve(path),
    shard: { index, count },
    plan: fingerprint,
    units: [range.start, range.end],
    outputCounts: metadata.outputCounts,
    bytesRead: bytesReadSoFar() - readBefore,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    seconds: (performance.now() - started) / 1000,
  };
}

/** The shard's plan: given, read from its file, or made from the inputs (with a seed, so every shard makes the same). */
async function shardPlan(input: string | readonly string[] | undefined, options: BalanceShardOptions): Promise<{ readonly file: PlanFile; readonly planName: string }> {
  if (options.plan !== undefined) {
    if (options.label !== undefined) throw new ArrowBalanceError('a shard takes a plan or the balance options (label, seed, ...), not both: the plan holds its options');
    return typeof options.plan === 'string' ? { file: await readPlanFile(options.plan), planName: options.plan } : { file: options.plan, planName: 'the plan' };
  }
  if (input === undefined) throw new ArrowBalanceError('a shard without a plan needs its inputs');
  if (options.label === undefined) throw new ArrowBalanceError('a shard without a plan needs the label column (label, --label)');
  if (options.seed === undefined) throw new ArrowBalanceError('a shard without a plan needs a seed (seed, --seed), so that every shard draws the same plan; or make a plan first (arrow-balance plan)');
  return { file: await planBalanceJob(input, { ...options, label: options.label }), planName: 'the plan' };
}
