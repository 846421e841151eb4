import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { countParquet } from '../src/index.js';
import { parquetWorkerUrl, setWorkerPath } from '../src/parquet/wasm/worker-location.js';

const sample = fileURLToPath(new URL('../samples/mammography.parquet', import.meta.url));
const builtWorker = fileURLToPath(new URL('../dist/src/parquet/wasm/wasm-worker.js', import.meta.url));
const builtIndex = fileURLToPath(new URL('../dist/src/index.js', import.meta.url));

describe('where the Parquet worker module is found', () => {
  it('beside the package modules by default', () => {
    expect(fileURLToPath(parquetWorkerUrl())).toBe(builtWorker);
  });

  it('refuses a setWorkerPath that names no local file', () => {
    expect(() => setWorkerPath('/nowhere/arrow-balance-worker.cjs')).toThrow(
      'arrow-balance: setWorkerPath: no worker module at /nowhere/arrow-balance-worker.cjs; give the path of the bundled "arrow-balance/worker" file',
    );
    expect(() => setWorkerPath(new URL('https://example.com/worker.js'))).toThrow(/must be a local file/);
  });

  it('uses the file setWorkerPath names', async () => {
    setWorkerPath(builtWorker);
    expect(fileURLToPath(parquetWorkerUrl())).toBe(builtWorker);
    expect((await countParquet(sample, { label: 'label' })).total).toBe(11183);
  });

  it('reads ARROW_BALANCE_WORKER, and a wrong one fails the first read with one line', () => {
    const script = `import { countParquet } from ${JSON.stringify(builtIndex)};
try { await countParquet(${JSON.stringify(sample)}, { label: 'label' }); console.log('read'); } catch (error) { console.log(error.message); }`;
    const runWith = (worker: string): string => {
      const ran = spawnSync(process.execPath, ['--input-type=module', '-e', script], { env: { ...process.env, ARROW_BALANCE_WORKER: worker }, encoding: 'utf8', timeout: 30_000 });
      expect(ran.status).toBe(0);
      return ran.stdout.trim();
    };
    expect(runWith(builtWorker)).toBe('read');
    expect(runWith('/nowhere/worker.cjs')).toBe('arrow-balance: ARROW_BALANCE_WORKER: no worker module at /nowhere/worker.cjs; give the path of the bundled "arrow-balance/worker" file');
  });
});
