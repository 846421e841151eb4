import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { failureSummary, runBounded } from './support/bounded-run.js';

const cli = fileURLToPath(new URL('../dist/src/cli/main.js', import.meta.url));

describe('the CLI after an error', () => {
  it('ends the process even when something still holds the event loop (a leaked handle, injected by --import)', async () => {
    const leak = 'data:text/javascript,setInterval(() => undefined, 60_000)';
    const result = await runBounded(process.execPath, ['--import', leak, cli, 'count', 'no-such-input.parquet', '--label', 'label']);
    expect(failureSummary(result)).toEqual({ timedOut: false, status: 1, signal: null, stderr: [expect.stringMatching(/^arrow-balance: no-such-input\.parquet: no such file/)] });
  });
});
