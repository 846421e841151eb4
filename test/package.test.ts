/**
 * The package as its users get it: `npm pack`, then the tarball installed into fresh consumer projects (ES
 * modules with TypeScript nodenext and bundler resolution, esbuild bundles, CommonJS with TypeScript, pnpm),
 * each with its own apache-arrow and rxjs, and the README's examples compiled and run as written.
 * In the spirit of hyparquet's `test/package.test.js`.
 */
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARROW_RANGE } from '../src/arrow/own-batch.js';
import { consumerPeers, installedVersion, npmCopies, npmInstall, packTarball, PROJECT, run, runOk, STRICT, writeProject } from './support/consumer-project.js';
import { readmeExamples } from './support/readme-examples.js';

const SLOW = 600_000;
const sample = join(PROJECT, 'samples/mammography.parquet');
const peers = consumerPeers();
const typescript = `typescript@${installedVersion('typescript')}`;
const nodeTypes = `@types/node@${installedVersion('@types/node')}`;
let root: string;
let tarball: string;

/** What every pipeline below prints: the sample's counts, the balanced rows, the consumer's own batch weighted. */
const EXPECTED = {
  counts: { total: 11183, classes: [{ value: -1, count: 10923 }, { value: 1, count: 260 }] },
  rows: 520,
  weights: [4 / 6, 4 / 6, 4 / 6, 2],
};

/** A pipeline over the sample and over a batch the consumer built with its own apache-arrow. */
const PIPELINE = `
  const counts = await lastValueFrom(fromParquet('train.parquet', { columns: ['label'] }).pipe(countClasses({ label: 'label' })));
  const summary = await lastValueFrom(
    fromParquet('train.parquet').pipe(balance({ label: 'label', counts, seed: 3 }), shuffle({ bufferRows: 1000, seed: 3 }), toParquet('out.parquet', { overwrite: true })),
  );
  const table = tableFromArrays({ label: Int32Array.from([0, 0, 0, 1]), x: Float64Array.from([1, 2, 3, 4]) });
  const weighted: RecordBatch[] = await lastValueFrom(from(table.batches).pipe(weight({ label: 'label' }), toArray()));
  const weights = Array.from(weighted[0]?.getChild('weight')?.toArray() ?? []);
  console.log(JSON.stringify({ counts: counts.toJSON(), rows: summary.rows, weights }));
`;

const IMPORTS = `import { balance, countClasses, fromParquet, shuffle, toParquet, weight } from 'arrow-balance';
import { RecordBatch, tableFromArrays } from 'apache-arrow';
import { from, lastValueFrom, toArray } from 'rxjs';
`;

function expectPipelineOutput(stdout: string): void {
  const printed = JSON.parse(stdout.trim().split('\n').at(-1) as string) as typeof EXPECTED;
  expect(printed.counts).toEqual(EXPECTED.counts);
  expect(printed.rows).toBe(EXPECTED.rows);
  printed.weights.forEach((w, i) => expect(w).toBeCloseTo(EXPECTED.weights[i] as number, 6));
}

function expectOneCopyEach(folder: string): void {
  expect(npmCopies(folder, 'apache-arrow')).toEqual([peers.arrow]);
  expect(npmCopies(folder, 'rxjs')).toEqual([peers.rxjs]);
}

/**
 * Bundles a project's compiled pipeline.js and, apart, arrow-balance's worker with its wasm file (README,
 * "Bundling"), then copies the bundles and the sample to a folder outside the project, where no node_modules
 * can be reached: nothing is found there by accident.
 * @returns that folder
 */
function bundleApart(folder: string, format: 'esm' | 'cjs'): string {
  const esbuild = (args: string[]): string => runOk('npx', ['esbuild', '--bundle', '--platform=node', '--log-level=error', ...args], folder);
  esbuild(['pipeline.js', `--format=${format}`, `--outfile=build/app.${format === 'esm' ? 'mjs' : 'cjs'}`]);
  esbuild(['node_modules/arrow-balance/dist/src/parquet/wasm/wasm-worker.js', '--format=cjs', '--outfile=build/arrow-balance-worker.cjs']);
  copyFileSync(join(folder, 'node_modules/parquet-wasm/node/parquet_wasm_bg.wasm'), join(folder, 'build/parquet_wasm_bg.wasm'));
  const moved = join(root, `bundle-${format}`);
  runOk('mkdir', ['-p', moved], folder);
  runOk('cp', ['-r', 'build', 'train.parquet', moved], folder);
  return moved;
}

function tsconfig(options: Record<string, unknown>, include: string[]): string {
  return `${JSON.stringify({ compilerOptions: { ...STRICT, ...options }, include }, null, 2)}\n`;
}

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'arrow-balance-package-'));
  tarball = packTarball(join(root, 'pack'));
}, SLOW);

afterAll(() => {
  // KEEP_CONSUMERS=1 keeps the projects to look into after a failure.
  if (root !== undefined && process.env['KEEP_CONSUMERS'] === undefined) rmSync(root, { recursive: true, force: true });
});

describe('the packed tarball', () => {
  it('holds what the exports reach, README and LICENSE, and no tests, samples or sources', () => {
    const listing = runOk('tar', ['tzf', tarball], root).split('\n').filter((line) => line !== '');
    expect(listing).toContain('package/README.md');
    expect(listing).toContain('package/LICENSE');
    expect(listing.filter((path) => /^package\/(dist\/(test|samples)|src|operators|test|samples)\//.test(path))).toEqual([]);
    const manifest = JSON.parse(readFileSync(join(PROJECT, 'package.json'), 'utf8')) as {
      exports: Record<string, string | Record<string, string>>;
      bin: Record<string, string>;
      peerDependencies: Record<string, string>;
    };
    const targets = Object.values(manifest.exports).flatMap((entry) => (typeof entry === 'string' ? [entry] : Object.values(entry)));
    for (const target of [...targets, ...Object.values(manifest.bin)]) expect(listing).toContain(`package/${target.replace(/^\.\//, '')}`);
    expect(manifest.peerDependencies['apache-arrow']).toBe(ARROW_RANGE);
  });
});

describe('an ES module project with TypeScript', () => {
  let folder: string;
  beforeAll(() => {
    folder = join(root, 'esm-ts');
    writeProject(folder, 'module', {
      'pipeline.ts': `${IMPORTS}${PIPELINE}`,
      'require.cjs': `const ab = require('arrow-balance');\nconst tfjs = require('arrow-balance/tfjs');\nconsole.log(typeof ab.balance, typeof ab.setWorkerPath, typeof tfjs.focalLoss, typeof tfjs.trainStep);\n`,
      'tsconfig.json': tsconfig({ module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022' }, ['*.ts']),
      'tsconfig.bundler.json': tsconfig({ module: 'esnext', moduleResolution: 'bundler', target: 'es2022', noEmit: true }, ['*.ts']),
      // tfjs's own declarations fail skipLibCheck: false; `tsc --init` projects skip library checks.
      'tsconfig.readme.json': tsconfig({ module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', skipLibCheck: true }, ['readme/*.ts']),
    });
    const examples = readmeExamples(readFileSync(join(PROJECT, 'README.md'), 'utf8'));
    writeProject(folder, 'module', Object.fromEntries(examples.map((code, i) => [`readme/example-${i + 1}.ts`, code])));
    copyFileSync(sample, join(folder, 'train.parquet'));
    npmInstall(folder, [tarball, `apache-arrow@${peers.arrow}`, `rxjs@${peers.rxjs}`, typescript, nodeTypes, `esbuild@${installedVersion('esbuild')}`, `@tensorflow/tfjs@${installedVersion('@tensorflow/tfjs')}`]);
  }, SLOW);

  it('installs one copy of apache-arrow and of rxjs: the project\'s own', () => {
    expectOneCopyEach(folder);
  });

  it('type-checks under strict nodenext and bundler resolution, and runs', () => {
    runOk('npx', ['tsc', '-p', 'tsconfig.json'], folder);
    runOk('npx', ['tsc', '-p', 'tsconfig.bundler.json'], folder);
    expectPipelineOutput(runOk('node', ['pipeline.js'], folder));
  }, SLOW);

  it('can require() the package and arrow-balance/tfjs (Node 20.19+ requires ES modules)', () => {
    expect(runOk('node', ['require.cjs'], folder).trim().split('\n').at(-1)).toBe('function function function function');
  });

  it('bundles as an ES module with esbuild, the worker bundled apart as the README says', () => {
    runOk('npx', ['tsc', '-p', 'tsconfig.json'], folder);
    const esbuild = (args: string[]): string => runOk('npx', ['esbuild', '--bundle', '--platform=node', '--log-level=error', ...args], folder);
    const moved = bundleApart(folder, 'esm');
    const env = { ARROW_BALANCE_WORKER: join(moved, 'build/arrow-balance-worker.cjs') };
    expectPipelineOutput(runOk('node', ['build/app.mjs'], moved, env));
    const missing = run('node', ['build/app.mjs'], moved);
    expect(missing.status).not.toBe(0);
    expect(missing.stderr).toContain('arrow-balance: cannot find the Parquet worker module');
    expect(missing.stderr).toContain('setWorkerPath');
  }, SLOW);

  it('compiles every README example under strict TypeScript and runs each twice in a row as written', () => {
    const examples = readmeExamples(readFileSync(join(PROJECT, 'README.md'), 'utf8'));
    expect(examples.length).toBeGreaterThanOrEqual(2);
    runOk('npx', ['tsc', '-p', 'tsconfig.readme.json'], folder);
    for (let i = 1; i <= examples.length; i++) {
      for (const time of [1, 2]) {
        const ran = run('node', [`readme/example-${i}.js`], folder);
        expect(ran.status, `README example ${i}, run ${time}:\n${ran.stderr}`).toBe(0);
      }
    }
  }, SLOW);
});

describe('a CommonJS project with TypeScript', () => {
  let folder: string;
  beforeAll(() => {
    folder = join(root, 'cjs-ts');
    writeProject(folder, 'commonjs', {
      'pipeline.ts': `${IMPORTS}\nasync function main(): Promise<void> {${PIPELINE}}\nvoid main();\n`,
      'tsconfig.json': tsconfig({ module: 'commonjs', moduleResolution: 'node10', target: 'es2022', esModuleInterop: true }, ['*.ts']),
    });
    copyFileSync(sample, join(folder, 'train.parquet'));
    npmInstall(folder, [tarball, `apache-arrow@${peers.arrow}`, `rxjs@${peers.rxjs}`, typescript, nodeTypes, `esbuild@${installedVersion('esbuild')}`]);
  }, SLOW);

  it('type-checks, compiles to require() calls and runs', () => {
    expectOneCopyEach(folder);
    runOk('npx', ['tsc', '-p', 'tsconfig.json'], folder);
    expect(readFileSync(join(folder, 'pipeline.js'), 'utf8')).toContain('require("arrow-balance")');
    expectPipelineOutput(runOk('node', ['pipeline.js'], folder));
  }, SLOW);

  it('bundles as CommonJS with esbuild, the worker bundled apart as the README says', () => {
    runOk('npx', ['tsc', '-p', 'tsconfig.json'], folder);
    const moved = bundleApart(folder, 'cjs');
    expectPipelineOutput(runOk('node', ['build/app.cjs'], moved, { ARROW_BALANCE_WORKER: join(moved, 'build/arrow-balance-worker.cjs') }));
  }, SLOW);
});

describe('a pnpm project', () => {
  it('installs with pnpm (no hoisting) and runs the pipeline with the project\'s own peers', () => {
    const folder = join(root, 'pnpm');
    writeProject(folder, 'module', { 'pipeline.mjs': `${IMPORTS.replace('RecordBatch, ', '')}${PIPELINE.replace(': RecordBatch[]', '')}` });
    copyFileSync(sample, join(folder, 'train.parquet'));
    const pnpm = join(PROJECT, 'node_modules/.bin/pnpm');
    runOk(pnpm, ['add', '--store-dir', join(root, 'pnpm-store'), '--reporter=silent', tarball, `apache-arrow@${peers.arrow}`, `rxjs@${peers.rxjs}`], folder);
    // pnpm's store holds one folder per version of a package without peers of its own.
    const store = readdirSync(join(folder, 'node_modules/.pnpm'));
    expect(store.filter((entry) => entry.startsWith('apache-arrow@'))).toEqual([`apache-arrow@${peers.arrow}`]);
    expect(store.filter((entry) => entry.startsWith('rxjs@'))).toEqual([`rxjs@${peers.rxjs}`]);
    expectPipelineOutput(runOk('node', ['pipeline.mjs'], folder));
  }, SLOW);
});

describe('a project with a second copy of apache-arrow', () => {
  it('gets one line that says what to install, from every operator that gathers or writes', () => {
    const folder = join(root, 'two-arrows');
    writeProject(folder, 'module', {
      'two.mjs': `import { balance, shuffle, toParquet, weight } from 'arrow-balance';
import { tableFromArrays } from 'other-arrow';
import { lastValueFrom, of } from 'rxjs';
const [batch] = tableFromArrays({ label: Int32Array.from([0, 0, 1]), x: Float64Array.from([1, 2, 3]) }).batches;
for (const operator of [balance({ label: 'label', counts: { 0: 2, 1: 1 }, seed: 1 }), shuffle({ bufferRows: 2 }), weight({ label: 'label' }), toParquet('two.parquet', { overwrite: true })]) {
  try { await lastValueFrom(of(batch).pipe(operator)); console.log('accepted'); } catch (error) { console.log(error.message); }
}
`,
    });
    npmInstall(folder, [tarball, `apache-arrow@${peers.arrow}`, `rxjs@${peers.rxjs}`, 'other-arrow@npm:apache-arrow@19.0.1']);
    const lines = runOk('node', ['two.mjs'], folder).trim().split('\n');
    expect(lines).toHaveLength(4);
    for (const line of lines) {
      expect(line).toMatch(/^arrow-balance: (balance|shuffle|weight|toParquet) got a RecordBatch from another copy of apache-arrow/);
      expect(line).toContain(`install a single apache-arrow ${ARROW_RANGE}`);
    }
  }, SLOW);
});
