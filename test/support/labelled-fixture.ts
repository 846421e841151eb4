/** Writes, with DuckDB, a benchmark-like labelled Parquet file: numeric features and exact class shares. */
import { classCounts } from './class-counts.js';
import { copyOptionsSql, requireInteger } from './copy-options.js';
import type { CopyOptions } from './copy-options.js';
import { sqlIdentifier, sqlString, withDuckDb } from './duckdb-session.js';
import type { DuckDbSession } from './duckdb-session.js';
import type { FixtureSummary } from './all-types-fixture.js';
import { parquetMetadata } from './parquet-inspect.js';

/** Options for {@link writeLabelledParquet}. */
export interface LabelledOptions extends CopyOptions {
  /** Rows to write (at most 2^31). */
  rows: number;
  /**
   * Class value -> share, e.g. `{ a: 0.9, b: 0.09, c: 0.01 }`; counts are exact (see {@link classCounts}).
   * Class order (which sets the feature shift) is the object's key order, where JavaScript puts keys that
   * are non-negative integers first, ascending.
   */
  classes: Record<string, number>;
  /** Number of feature columns `f1..fN` (default 12). */
  featureColumns?: number;
  /** `double` (default): every feature DOUBLE; `mixed`: cycles DOUBLE, FLOAT, INTEGER, BIGINT. */
  featureTypes?: 'double' | 'mixed';
  /** Name of the label column, written after the features (default `label`). */
  labelColumn?: string;
  /** Label type; default `integer` (INTEGER) when every class value is an int32, else `varchar`. */
  labelType?: 'varchar' | 'integer';
  /** Feature values and the label layout depend on the seed (default 1). */
  seed?: number;
  /** A session to reuse; a fresh one is opened and closed otherwise. */
  db?: DuckDbSession;
}

/** What was written. */
export interface LabelledSummary extends FixtureSummary {
  /** Rows per class value, exactly as written. */
  counts: Record<string, number>;
  /** The label column's DuckDB type. */
  labelType: 'VARCHAR' | 'INTEGER';
}

const FEATURE_TYPES = ['DOUBLE', 'FLOAT', 'INTEGER', 'BIGINT'] as const;

/**
 * Makes DuckDB write a file of `featureColumns` numeric features followed by a label column whose classes
 * have exactly the requested shares. Generation is pure SQL over `range` (a few seconds for 5M rows x 13
 * columns on 2 cores). Labels are spread evenly through the file: row i gets the class whose slot holds
 * (a*i + b) mod rows, for a multiplier a near rows/golden-ratio that is coprime to rows, so each class's
 * rows are scattered, not grouped. Features are uniform in [-1, 1); the first three are shifted by
 * 0.5 x the class's index, so a model can learn the classes. Rows come out in the same order every time.
 *
 * ## Example
 * ```ts
 * await writeLabelledParquet('/tmp/bench.parquet', { rows: 1_000_000, classes: { a: 0.9, b: 0.09, c: 0.01 } });
 * ```
 * @param path the output file (replaced if present)
 * @param options rows, classes, features, label, seed, compression, row-group size
 * @returns the path, rows, row groups and exact class counts written
 */
export async function writeLabelledParquet(path: string, options: LabelledOptions): Promise<LabelledSummary> {
  const { rows } = options;
  requireInteger('rows', rows, 0);
  if (rows > 2 ** 31) throw new RangeError(`rows must be at most 2^31; got ${rows}`);
  const seed = options.seed ?? 1;
  requireInteger('seed', seed, 0);
  const featureColumns = options.featureColumns ?? 12;
  requireInteger('featureColumns', featureColumns, 0);
  const counts = classCounts(rows, options.classes);
  const labelType = resolveLabelType(Object.keys(counts), options.labelType);
  const copyOptions = copyOptionsSql(options, 122_880);
  const sql = labelledQuery({
    rows,
    seed,
    counts,
    labelType,
    featureColumns,
    featureTypes: options.featureTypes ?? 'double',
    labelColumn: options.labelColumn ?? 'label',
  });
  return withDuckDb(async (db) => {
    await db.run(`COPY (${sql}) TO ${sqlString(path)} ${copyOptions}`);
    const metadata = await parquetMetadata(path, db);
    return { path, rows: metadata.rows, rowGroups: metadata.rowGroups.length, counts, labelType };
  }, options.db);
}

function resolveLabelType(values: string[], requested: LabelledOptions['labelType']): 'VARCHAR' | 'INTEGER' {
  const integral = values.every((v) => /^-?\d+$/.test(v) && Number(v) >= -(2 ** 31) && Number(v) < 2 ** 31);
  if (requested === 'integer') {
    if (!integral) throw new RangeError(`labelType 'integer' needs int32 class values; got ${values.join(', ')}`);
    return 'INTEGER';
  }
  if (requested === 'varchar') return 'VARCHAR';
  if (requested !== undefined) throw new RangeError(`labelType must be 'varchar' or 'integer'; got ${String(requested)}`);
  return integral ? 'INTEGER' : 'VARCHAR';
}

interface LabelledQuery {
  rows: number;
  seed: number;
  counts: Record<string, number>;
  labelType: 'VARCHAR' | 'INTEGER';
  featureColumns: number;
  featureTypes: 'double' | 'mixed';
  labelColumn: string;
}

/** The SELECT that produces the labelled rows in row order. */
function labelledQuery(q: LabelledQuery): string {
  if (q.featureTypes !== 'double' && q.featureTypes !== 'mixed') {
    throw new RangeError(`featureTypes must be 'double' or 'mixed'; got ${String(q.featureTypes)}`);
  }
  const values = Object.keys(q.counts);
  const literals = values.map((v) => (q.labelType === 'INTEGER' ? String(Number(v)) : sqlString(v)));
  const bounds: string[] = [];
  let upper = 0;
  values.forEach((value, index) => {
    upper += q.counts[value] ?? 0;
    if (index < values.length - 1) bounds.push(`WHEN p < ${upper} THEN ${index}`);
  });
  const classIndex = bounds.length === 0 ? '0' : `CASE ${bounds.join(' ')} ELSE ${values.length - 1} END`;
  const { multiplier, offset } = labelPermutation(q.rows, q.seed);
  const features = Array.from({ length: q.featureColumns }, (_, k) => featureSql(k, q.seed, q.featureTypes));
  const label = `list_element([${literals.join(', ')}]::${q.labelType}[], c + 1) AS ${sqlIdentifier(q.labelColumn)}`;
  const position = q.rows === 0 ? '0' : `(i * ${multiplier} + ${offset}) % ${q.rows}`;
  return (
    `SELECT ${[...features, label].join(', ')} FROM (` +
    `SELECT i, ${classIndex} AS c FROM (SELECT i, ${position} AS p FROM range(${q.rows}) AS t(i)))`
  );
}

function featureSql(k: number, seed: number, featureTypes: 'double' | 'mixed'): string {
  const uniform = `(hash(i, ${seed}, ${k}) / 18446744073709551616.0 * 2 - 1${k < 3 ? ' + c * 0.5' : ''})`;
  const type = featureTypes === 'double' ? 'DOUBLE' : FEATURE_TYPES[k % FEATURE_TYPES.length];
  const name = sqlIdentifier(`f${k + 1}`);
  switch (type) {
    case 'INTEGER':
      return `round(${uniform} * 1e6)::INTEGER AS ${name}`;
    case 'BIGINT':
      return `round(${uniform} * 1e12)::BIGINT AS ${name}`;
    case 'FLOAT':
      return `${uniform}::FLOAT AS ${name}`;
    default:
      return `${uniform}::DOUBLE AS ${name}`;
  }
}

/** A bijection i -> (a*i + b) mod rows with a coprime to rows, a near rows / golden ratio. */
function labelPermutation(rows: number, seed: number): { multiplier: number; offset: number } {
  if (rows <= 1) return { multiplier: 1, offset: 0 };
  let multiplier = Math.max(1, Math.round(rows * 0.6180339887498949));
  while (gcd(multiplier, rows) !== 1) multiplier += 1;
  return { multiplier: multiplier % rows, offset: seed % rows };
}

function gcd(a: number, b: number): number {
  let x = a;
  let y = b;
  while (y !== 0) [x, y] = [y, x % y];
  return x;
}
