/**
 * Regenerates `samples/mammography.parquet` and `samples/page-blocks.parquet` from the CSV files in
 * `../shared/data` (beside the project), with DuckDB: typed numeric features, a `label` column, snappy
 * compression, rows in input order.
 *
 * Usage: `npm run samples` or `node dist/samples/make-samples.js [--data <dir>] [--out <dir>]`.
 */
import { existsSync, readFileSync, realpathSync, renameSync, rmSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { DuckDBInstance } from '@duckdb/node-api';

/** How one CSV file becomes one Parquet sample. */
export interface SampleSpec {
  /** Output file name inside the output folder. */
  readonly parquet: string;
  /** Input file name inside the data folder. */
  readonly csv: string;
  /** Output columns in order, with their DuckDB types; the last one is `label`. */
  readonly columns: readonly (readonly [name: string, type: string])[];
  /** Whether the CSV's first line is a header; if so it must name exactly `columns`. */
  readonly header: boolean;
  /** Field quote character (mammography wraps its labels in single quotes). */
  readonly quote: string;
  /** Line ending. */
  readonly lineEnding: 'lf' | 'crlf';
  /** Where the data come from, stored as the `source` key-value metadata of the file. */
  readonly source: string;
}

const feature = (name: string): readonly [string, string] => [name, 'DOUBLE'];
const integer = (name: string): readonly [string, string] => [name, 'INTEGER'];

/** The two samples: mammography (binary, labels -1/1) and page-blocks (five text labels). */
export const SAMPLES: readonly SampleSpec[] = [
  {
    parquet: 'mammography.parquet',
    csv: 'mammography.csv',
    columns: [...['f1', 'f2', 'f3', 'f4', 'f5', 'f6'].map(feature), integer('label')],
    header: false,
    quote: "'",
    lineEnding: 'lf',
    source:
      'Woods et al. (1993), Comparative Evaluation of Pattern Recognition Techniques for Detection of ' +
      'Microcalcifications in Mammography; OpenML dataset 310',
  },
  {
    parquet: 'page-blocks.parquet',
    csv: 'page-blocks.csv',
    columns: [
      integer('height'),
      integer('length'),
      integer('area'),
      feature('eccen'),
      feature('p_black'),
      feature('p_and'),
      feature('mean_tr'),
      integer('blackpix'),
      integer('blackand'),
      integer('wb_trans'),
      ['label', 'VARCHAR'],
    ],
    header: true,
    quote: '"',
    lineEnding: 'crlf',
    source: 'UCI Machine Learning Repository, Page Blocks Classification (Malerba, 1995), CC BY 4.0',
  },
];

/** Where to read the CSVs and write the Parquet files. */
export interface MakeSamplesOptions {
  /** Folder holding the CSV files. */
  dataDir: string;
  /** Folder to write the Parquet files into (created if missing). */
  outDir: string;
}

/** One sample written. */
export interface SampleWritten {
  /** The Parquet file. */
  path: string;
  /** Rows written. */
  rows: number;
}

/** DuckDB's `new_line` option takes the escape sequence as text, not the characters themselves. */
const NEW_LINE = { lf: String.raw`'\n'`, crlf: String.raw`'\r\n'` } as const;

const sql = (text: string): string => `'${text.replaceAll("'", "''")}'`;

/**
 * Converts every sample CSV into Parquet with DuckDB. Each file is written beside its target under a
 * temporary name and renamed into place, so a failure never leaves a half-written sample.
 *
 * @param options data and output folders
 * @returns the files written with their row counts
 */
export async function makeSamples(options: MakeSamplesOptions): Promise<SampleWritten[]> {
  await mkdir(options.outDir, { recursive: true });
  const instance = await DuckDBInstance.create(':memory:');
  try {
    const connection = await instance.connect();
    try {
      const written: SampleWritten[] = [];
      for (const spec of SAMPLES) {
        const csv = join(options.dataDir, spec.csv);
        if (spec.header) await checkHeader(csv, spec);
        const path = join(options.outDir, spec.parquet);
        const temporary = `${path}.tmp-${process.pid}`;
        try {
          const result = await connection.runAndReadAll(
            `COPY (SELECT * FROM ${csvSource(csv, spec)}) TO ${sql(temporary)} ` +
              `(FORMAT parquet, COMPRESSION snappy, KV_METADATA {source: ${sql(spec.source)}})`,
          );
          const rows = Number(result.getRowsJS()[0]?.[0] ?? 0);
          renameSync(temporary, path);
          written.push({ path, rows });
        } finally {
          rmSync(temporary, { force: true });
        }
      }
      return written;
    } finally {
      connection.closeSync();
    }
  } finally {
    instance.closeSync();
  }
}

/** `read_csv(...)` with every dialect option and column type given, so nothing depends on sniffing. */
function csvSource(csv: string, spec: SampleSpec): string {
  const columns = spec.columns.map(([name, type]) => `${sql(name)}: ${sql(type)}`).join(', ');
  return (
    `read_csv(${sql(csv)}, auto_detect = false, header = ${spec.header}, delim = ',', ` +
    `quote = ${sql(spec.quote)}, escape = ${sql(spec.quote)}, new_line = ${NEW_LINE[spec.lineEnding]}, ` +
    `columns = {${columns}})`
  );
}

/** Fails unless the CSV header (byte-order mark removed) names exactly the expected columns. */
async function checkHeader(csv: string, spec: SampleSpec): Promise<void> {
  const text = await readFile(csv, 'utf8');
  const firstLine = (text.split(/\r?\n/, 1)[0] ?? '').replace(/^\uFEFF/, '');
  const expected = spec.columns.map(([name]) => name).join(',');
  if (firstLine !== expected) {
    throw new Error(`${csv}: header is "${firstLine}", expected "${expected}"`);
  }
}

/**
 * The project root: the nearest folder at or above `from` whose package.json is named `arrow-balance`.
 *
 * @param from a folder inside the project (e.g. this script's folder, in `samples/` or `dist/samples/`)
 * @returns the root folder
 */
export function findProjectRoot(from: string): string {
  let dir = resolve(from);
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown }).name === 'arrow-balance') {
      return dir;
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no arrow-balance package.json found at or above ${from}`);
    dir = parent;
  }
}

/**
 * Default folders: the CSVs in `<root>/../shared/data`, the samples in `<root>/samples`.
 *
 * @param root the project root
 * @returns data and output folders
 */
export function defaultFolders(root: string): MakeSamplesOptions {
  return { dataDir: join(root, '..', 'shared', 'data'), outDir: join(root, 'samples') };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { data: { type: 'string' }, out: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help === true) {
    process.stdout.write('usage: make-samples [--data <csv folder>] [--out <samples folder>]\n');
    return;
  }
  const defaults = () => defaultFolders(findProjectRoot(dirname(fileURLToPath(import.meta.url))));
  const written = await makeSamples({
    dataDir: resolve(values.data ?? defaults().dataDir),
    outDir: resolve(values.out ?? defaults().outDir),
  });
  for (const { path, rows } of written) process.stderr.write(`wrote ${path} (${rows} rows)\n`);
}

const entry = process.argv[1];
if (entry !== undefined && existsSync(entry) && import.meta.url === pathToFileURL(realpathSync(entry)).href) {
  main().catch((error: unknown) => {
    process.stderr.write(`make-samples: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
}
