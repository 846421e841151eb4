import type { ClassCountsJSON } from '../classes/class-counts.js';
import type { NullPolicy } from '../classes/label-coder.js';
import { ArrowBalanceError } from '../errors.js';
import { isHttpUrl } from '../remote/remote-url.js';
import type { Strategy, TargetSpec } from '../sampling/target-spec.js';
import type { BalancePlan } from './balance-plan.js';

/** What a plan file says it is: its `format` field. */
export const PLAN_FORMAT = 'arrow-balance-plan';
/** The plan file format this version writes and reads; a reader refuses any other. */
export const PLAN_VERSION = 1;

/**
 * An input as it was when planned: a shard refuses a file whose size or modification time changed, and an
 * object (URL) whose size or version changed.
 */
export interface PlannedInput {
  /** The path, as given (a folder's files as `folder/name.parquet`), or the URL without its query. */
  readonly path: string;
  /** Size in bytes. */
  readonly size: number;
  /** A file's modification time, milliseconds since 1970. */
  readonly mtimeMs?: number | undefined;
  /** An object's strong ETag when planned: shards read that version only. */
  readonly etag?: string | undefined;
  /** An object's Last-Modified when planned, when it had no strong ETag. */
  readonly lastModified?: string | undefined;
}

/** The balance options a plan was made with: with the inputs and the seed, they determine every output row. */
export interface PlannedOptions {
  readonly label: string;
  readonly strategy: Strategy;
  readonly target: TargetSpec;
  readonly nulls: NullPolicy;
  readonly maxClasses: number | null;
  readonly importanceWeight: string | null;
}

/**
 * A balance job planned in advance (`arrow-balance plan`), as JSON: the inputs, the options, the seed, the
 * class counts in and out, and the plan of units that shards run. It holds no timings or host names, so the
 * same inputs, options and seed give the same file anywhere.
 */
export interface PlanFile {
  readonly format: typeof PLAN_FORMAT;
  readonly version: typeof PLAN_VERSION;
  /** The job planned (only `balance` so far). */
  readonly job: 'balance';
  readonly inputs: readonly PlannedInput[];
  readonly options: PlannedOptions;
  /** The seed as given (or drawn when none was). */
  readonly seed: number | string;
  /** Rows per class in the inputs. */
  readonly inputCounts: ClassCountsJSON;
  /** Rows per class in the output. */
  readonly outputCounts: ClassCountsJSON;
  readonly plan: BalancePlan;
}

/**
 * Reads a plan file's text, checking its format, version and shape.
 * @param text the file's text
 * @param name the file's name, for messages
 * @returns the plan file
 * @throws ArrowBalanceError for anything that is not a plan file of this version, or a plan whose quotas do
 *   not add up to its targets (edited by hand?)
 */
export function parsePlanFile(text: string, name: string): PlanFile {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ArrowBalanceError(`${name}: not a plan file (not JSON); make one with arrow-balance plan`, { cause: error });
  }
  const file = value as Partial<PlanFile> | null;
  if (file === null || typeof file !== 'object' || file.format !== PLAN_FORMAT) throw new ArrowBalanceError(`${name}: not a plan file (no "format": "${PLAN_FORMAT}"); make one with arrow-balance plan`);
  if (file.version !== PLAN_VERSION) throw new ArrowBalanceError(`${name}: plan file version ${String(file.version)}, this arrow-balance reads version ${PLAN_VERSION}; make the plan again with this version`);
  const plan = file.plan;
  const shaped =
    file.job === 'balance' &&
    Array.isArray(file.inputs) &&
    file.inputs.every(isPlannedInput) &&
    typeof file.options?.label === 'string' &&
    plan !== undefined && Array.isArray(plan.units) && Array.isArray(plan.classes) &&
    plan.units.every((unit) => Number.isSafeInteger(unit?.file) && unit.file >= 0 && unit.file < (file.inputs?.length ?? 0) && Array.isArray(unit.counts) && Array.isArray(unit.quotas) && unit.counts.length === unit.quotas.length);
  if (!shaped) throw new ArrowBalanceError(`${name}: the plan file is damaged (a field is missing or of the wrong kind); make it again with arrow-balance plan`);
  const { classes, units } = plan as BalancePlan;
  const planned = classes.map(() => 0);
  for (const unit of units) unit.counts.forEach(([c], i) => (planned[c] = (planned[c] ?? 0) + (unit.quotas[i] ?? 0)));
  if (planned.some((rows, c) => rows !== classes[c]?.target)) throw new ArrowBalanceError(`${name}: the plan's quotas do not add up to its targets (was it edited?); make it again with arrow-balance plan`);
  return file as PlanFile;
}

/** A file with its size and modification time, or a URL with its size and, when it had one, its version. */
function isPlannedInput(input: PlannedInput | undefined): boolean {
  if (typeof input?.path !== 'string' || !Number.isSafeInteger(input.size)) return false;
  if (isHttpUrl(input.path)) return ['etag', 'lastModified'].every((key) => ['string', 'undefined'].includes(typeof input[key as 'etag']));
  return Number.isFinite(input.mtimeMs);
}

/**
 * A plan file's text: JSON, a field a line, and a unit a line (a plan of many thousand units stays readable
 * and diffable without a number a line).
 * @param file the plan file
 * @returns the text, ending with a newline
 */
export function planFileText(file: PlanFile): string {
  const { plan, ...head } = file;
  const { units, ...rest } = plan;
  const fields = Object.entries(head).map(([key, value]) => `${JSON.stringify(key)}: ${JSON.stringify(value)}`);
  const planFields = Object.entries(rest).map(([key, value]) => `  ${JSON.stringify(key)}: ${JSON.stringify(value)}`);
  const unitLines = units.map((unit) => `    ${JSON.stringify(unit)}`);
  const planText = `{\n${[...planFields, `  "units": [\n${unitLines.join(',\n')}\n  ]`].join(',\n')}\n }`;
  return `{\n${[...fields.map((line) => ` ${line}`), ` "plan": ${planText}`].join(',\n')}\n}\n`;
}
