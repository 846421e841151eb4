/** Child processes for tests of processes that must end by themselves: each run has its own time limit. */
import { spawn, type ChildProcess } from 'node:child_process';

/** How a bounded child process ended. */
export interface BoundedRun {
  /** The exit status, or null when a signal ended the process. */
  readonly status: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  /** True when the time limit ran out and the process was killed (it did not end by itself). */
  readonly timedOut: boolean;
}

/** Options of {@link runBounded}. */
export interface BoundedRunOptions {
  /** Kill the process (SIGKILL) when it has not ended after this long (default 20 s). */
  readonly timeoutMs?: number;
  /** Called once the child is spawned, with a function that tells whether it has exited. */
  readonly whileRunning?: (child: ChildProcess, exited: () => boolean) => void;
}

/**
 * Runs `command` and resolves when it ends, or once it has been killed for outliving `timeoutMs`: a hung
 * process fails the test that checks `timedOut` instead of stalling the suite.
 *
 * ## Example
 * ```ts
 * const run = await runBounded(process.execPath, [cli, 'count', file, '--label', 'label']);
 * expect(run.timedOut).toBe(false);
 * ```
 * @param command the program
 * @param args its arguments
 * @param options the time limit and a hook to act while it runs
 * @returns the exit status or signal, stdout, stderr and whether it was killed for time
 */
export function runBounded(command: string, args: readonly string[], options: BoundedRunOptions = {}): Promise<BoundedRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let exited = false;
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, options.timeoutMs ?? 20_000);
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('exit', () => (exited = true));
    child.on('close', (status, signal) => {
      clearTimeout(timer);
      resolve({ status, signal, stdout, stderr, timedOut });
    });
    options.whileRunning?.(child, () => exited);
  });
}

/**
 * What a test compares of a run that should fail cleanly: one object, so that a failure shows the time-out,
 * the status, the signal and stderr together.
 */
export function failureSummary(run: BoundedRun): { timedOut: boolean; status: number | null; signal: NodeJS.Signals | null; stderr: string[] } {
  return { timedOut: run.timedOut, status: run.status, signal: run.signal, stderr: run.stderr.trim().split('\n') };
}
