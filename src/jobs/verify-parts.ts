import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { ClassCounts, type ClassCountsJSON } from '../classes/class-counts.js';
import { classKey, showClass } from '../classes/class-value.js';
import { ArrowBalanceError } from '../errors.js';
import type { PlanFile } from '../plan/plan-file.js';
import { planFingerprint } from '../plan/plan-fingerprint.js';
import { shardRange } from '../plan/shard-range.js';
import { readKeyValueMetadata } from '../parquet/key-value-metadata.js';
import { messageOf } from '../text/escape-text.js';
import { countParquet } from './count-parquet.js';
import { PART_METADATA_KEY, shardOutputCounts, type PartMetadata } from './part-metadata.js';
import { parsePartName, partName } from './part-names.js';
import { readPlanFile } from './plan-balance-job.js';

/** What {@link verifyParts} found. */
export interface VerifyReport {
  /** Whether the folder holds exactly the plan's parts, each with its planned rows per class. */
  readonly ok: boolean;
  /** Shards the parts were cut into. */
  readonly shards: number;
  /** The plan's fingerprint. */
  readonly plan: string;
  /** Rows in all the parts that were read. */
  readonly rows: number;
  /** One line per problem (a missing, stray or stale part, or counts off the plan), in part order. */
  readonly problems: readonly string[];
}

/**
 * Checks a folder of parts written by `balanceShard` against their plan: every part present, each made
 * from this plan (its fingerprint) for its own range of units, with the planned rows per class (counted
 * from its label column), and no other `*.parquet` file (a stray file, or a stale part of another plan or
 * of another number of shards, would join the dataset that `read_parquet('<folder>/*.parquet')` reads).
 * Hidden files (temporary files of shards still running) and files of other extensions are left alone.
 *
 * ## Example
 * ```ts
 * const report = await verifyParts('out', 'plan.json');
 * if (!report.ok) console.error(report.problems.join('\n'));
 * ```
 * Memory: the label column of one row group.
 * @param folder the folder of parts
 * @param plan the plan, or its file's path
 * @param options `shards`: the number of shards expected (default: what the parts' names say, when they agree)
 * @returns the problems found (none: `ok`)
 * @throws ArrowBalanceError when the folder or the plan cannot be read
 */
export async function verifyParts(folder: string, plan: PlanFile | string, options: { readonly shards?: number | undefined } = {}): Promise<VerifyReport> {
  const file = typeof plan === 'string' ? await readPlanFile(plan) : plan;
  const fingerprint = planFingerprint(file);
  const names = await readdir(folder).catch((error: NodeJS.ErrnoException) => {
    throw new ArrowBalanceError(`${folder}: cannot read the folder of parts (${error.code ?? error.message}); check the path`, { cause: error });
  });
  const parquet = names.filter((name) => name.endsWith('.parquet') && !name.startsWith('.')).sort();
  const problems: string[] = [];
  const shards = options.shards ?? shardCount(folder, parquet, fingerprint);
  if (shards === undefined) return { ok: false, shards: 0, plan: fingerprint, rows: 0, problems: [`${folder}: holds no parts (part-<i>-of-<n>.parquet)`] };
  let rows = 0;
  for (const name of parquet) {
    const part = parsePartName(name);
    if (part === undefined) problems.push(`${name}: a stray file, not a part; remove it (readers of ${folder}/*.parquet would read it)`);
    else if (part.count !== shards) problems.push(`${name}: a stale part of ${part.count} shards, not ${shards}; remove it`);
  }
  for (let index = 0; index < shards; index++) {
    const name = partName(index, shards);
    if (!parquet.includes(name)) {
      problems.push(`${name}: missing; run shard ${index} of ${shards}`);
      continue;
    }
    const path = join(folder, name);
    const problem = await checkPart(path, file, fingerprint, index, shards).catch((error: unknown) => `cannot be read (${messageOf(error)})`);
    if (typeof problem === 'string') problems.push(`${name}: ${problem}`);
    else rows += problem;
  }
  return { ok: problems.length === 0, shards, plan: fingerprint, rows, problems };
}

/** The number of shards the parts' names give: one number, or the one of the parts made from this plan. */
function shardCount(folder: string, names: readonly string[], fingerprint: string): number | undefined {
  const parts = names.flatMap((name) => parsePartName(name) ?? []);
  const counts = [...new Set(parts.map((part) => part.count))];
  if (counts.length <= 1) return counts[0];
  const ours = counts.filter((count) => {
    const index = parts.find((part) => part.count === count)?.index ?? 0;
    return metadataOf(join(folder, partName(index, count)))?.plan === fingerprint;
  });
  if (ours.length === 1) return ours[0];
  const listed = (list: readonly number[]) => `${list.slice(0, -1).join(', ')} and ${String(list.at(-1))}`;
  if (ours.length > 1) throw new ArrowBalanceError(`${folder}: holds parts of ${listed(ours.sort((a, b) => a - b))} shards of this plan; remove the stale ones, or give --shards <n>`);
  throw new ArrowBalanceError(`${folder}: holds parts of ${listed(counts.sort((a, b) => a - b))} shards, none of this plan; remove the stale ones, or give --shards <n>`);
}

/** Checks one part: its metadata (plan, shard, units) and its rows per class. Returns its rows, or the problem. */
async function checkPart(path: string, file: PlanFile, fingerprint: string, index: number, count: number): Promise<number | string> {
  const metadata = metadataOf(path);
  if (metadata === undefined) return 'not written by arrow-balance (no part metadata); remove it';
  if (metadata.plan !== fingerprint) return `a stale part of another plan (${metadata.plan}, not ${fingerprint}); run shard ${index} of ${count} again`;
  if (metadata.part?.index !== index || metadata.part.count !== count) return `holds shard ${String(metadata.part?.index)} of ${String(metadata.part?.count)} (renamed?); run shard ${index} of ${count} again`;
  const range = shardRange(file.plan, index, count);
  if (metadata.units?.[0] !== range.start || metadata.units[1] !== range.end) return `holds units ${String(metadata.units)}, the plan gives shard ${index} units ${range.start},${range.end}; run it again`;
  const counted = await countParquet(path, { label: file.options.label, nulls: 'class', maxClasses: file.options.maxClasses ?? undefined });
  const off = countsOff(shardOutputCounts(file, range), counted);
  return off === undefined ? counted.total : off;
}

/** How counted rows differ from the planned ones (undefined when they agree). */
function countsOff(planned: ClassCountsJSON, counted: ClassCounts): string | undefined {
  const expected = ClassCounts.fromJSON(planned);
  const keys = new Set([...expected.values(), ...counted.values()].map(classKey));
  const wrong = [...keys].filter((key) => (expected.countOfKey(key) ?? 0) !== (counted.countOfKey(key) ?? 0));
  if (wrong.length === 0) return undefined;
  const shown = wrong.slice(0, 3).map((key) => `class ${showClass(key)}: ${counted.countOfKey(key) ?? 0} rows, planned ${expected.countOfKey(key) ?? 0}`);
  return `rows per class are not as planned (${shown.join('; ')}${wrong.length > 3 ? '; ...' : ''}); run the shard again`;
}

/** A part's metadata, or undefined when it has none that parses. */
function metadataOf(path: string): Partial<PartMetadata> | undefined {
  const text = readKeyValueMetadata(path).get(PART_METADATA_KEY);
  if (text === undefined) return undefined;
  try {
    const value = JSON.parse(text) as Partial<PartMetadata> | null;
    return value !== null && typeof value === 'object' && typeof value.plan === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}
