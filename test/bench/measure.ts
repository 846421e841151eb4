/** Runs one benchmark job in a child process and collects its wall time and peak memory. */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** What one run of a job reports. */
export interface JobResult {
  /** Wall time of the job itself (after start-up), in seconds. */
  readonly seconds: number;
  /** CPU time of the whole child process (every thread, start-up included), user and system, in seconds. */
  readonly cpuSeconds: number;
  /** Peak resident set size of the whole child process (all threads), in MB. */
  readonly peakRssMb: number;
  /** Rows the job read. */
  readonly rowsIn: number;
  /** Rows the job wrote (0 for read-only jobs). */
  readonly rowsOut: number;
  /** Bytes read from the input, for jobs that count them (shards). */
  readonly bytesRead?: number | undefined;
}

const jobScript = fileURLToPath(new URL('./job.js', import.meta.url));

/**
 * Runs `job` with `args` in a fresh Node process, so that each measurement has its own memory.
 * @returns the job's own report, with the peak RSS the child saw
 */
export function runJob(job: string, args: readonly string[]): Promise<JobResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [jobScript, job, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`bench job ${job} exited with code ${code}`));
      const line = out.trim().split('\n').pop() ?? '';
      try {
        resolve(JSON.parse(line) as JobResult);
      } catch {
        reject(new Error(`bench job ${job} printed no result: ${out}`));
      }
    });
  });
}

/** Median of a non-empty list. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/**
 * Runs a job `times` times (each in its own process) and returns the median time, CPU time and peak RSS.
 */
export async function medianOf(times: number, job: string, args: readonly string[]): Promise<JobResult> {
  const results: JobResult[] = [];
  for (let run = 0; run < times; run += 1) results.push(await runJob(job, args));
  const first = results[0] as JobResult;
  return {
    seconds: median(results.map((r) => r.seconds)),
    cpuSeconds: median(results.map((r) => r.cpuSeconds)),
    peakRssMb: median(results.map((r) => r.peakRssMb)),
    rowsIn: first.rowsIn,
    rowsOut: first.rowsOut,
    bytesRead: first.bytesRead,
  };
}
