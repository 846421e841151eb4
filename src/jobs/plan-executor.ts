import type { BalancePlan } from '../plan/balance-plan.js';
import { planTasks, type PlanTask, type UnitRange } from '../plan/plan-tasks.js';
import type { UnitSamplerOptions } from '../plan/unit-sampler.js';
import { unitWork } from '../plan/unit-work.js';
import { markInputs } from '../parquet/open-inputs.js';
import type { ParquetInput } from '../parquet/sources.js';
import { WasmReadSession } from '../parquet/wasm/wasm-read-session.js';
import type { ParquetCompression } from '../parquet/write-options.js';
import { yieldToEventLoop } from './event-loop.js';
import { RunningTask, SlicedTask, type OutputTask } from './running-task.js';
import { unitSlices } from './unit-slices.js';
import type { DistributionSamples } from '../report/distribution-report.js';
import type { TaskReport } from '../parquet/wasm/worker-protocol.js';

/** Rows a worker decodes for one task at most (units of 122,880 rows: four of them). */
const TASK_INPUT_ROWS = 524_288;
/** Rows per batch when workers decode a unit's row group. */
const TASK_BATCH_ROWS = 131_072;

/** How a plan is executed. */
export interface PlanExecution {
  /** Worker threads that sample and encode tasks. */
  readonly workers: number;
  /** The units to run (a shard's); all when not given. */
  readonly units?: UnitRange | undefined;
  readonly sampling: UnitSamplerOptions;
  readonly encode: { readonly compression: ParquetCompression; readonly rowGroupSize: number };
  readonly signal?: AbortSignal | undefined;
  /** Takes each task's encoded part, in output order, with the input rows its units held; the part is unusable after it returns. */
  readonly onPart: (part: Uint8Array, rowsIn: number, rowsOut: number) => void;
  /** Samples both sides for the distribution report: every task's samples are merged into these. */
  readonly report?: { readonly samples: DistributionSamples; readonly rates: TaskReport['rates'] } | undefined;
}

/**
 * Runs a plan's tasks on worker threads and hands back their parts in output order.
 *
 * Each worker reads, decodes, samples, gathers and encodes whole tasks (see `wasm-task.ts`); this thread
 * only sends tasks and receives encoded bytes. At most one request more than there are workers is in flight,
 * so memory is bounded by tasks, not by the file. A row group too large to decode whole is run as column
 * slices, one request each, so that one huge row group still keeps every worker busy; their parts are joined
 * here column by column. A part's bytes depend only on the plan and the input files' footers, so the output
 * is the same whatever the number of workers or the order in which they finish.
 * @param inputs the plan's input files
 * @param plan the plan
 * @param run workers, sampling and encoding options, and where parts go
 * @throws ArrowBalanceError when a task fails (the input changed since planning, a corrupt row group) or a
 *   worker dies; the abort signal's reason when aborted
 */
export async function executePlan(inputs: readonly ParquetInput[], plan: BalancePlan, run: PlanExecution): Promise<void> {
  const release = markInputs(inputs.flatMap((input) => ('path' in input ? [input.path] : [])));
  let session: WasmReadSession | undefined;
  try {
    const footers = new WasmReadSession(inputs, 1);
    const slices = await unitSlices(inputs, plan, footers, run.units).finally(() => footers.close());
    const tasks = planTasks(plan, { outputRows: run.encode.rowGroupSize, inputRows: TASK_INPUT_ROWS }, slices, run.units);
    const requests = tasks.reduce((sum, task) => sum + task.slices, 0);
    const workers = new WasmReadSession(inputs, Math.max(1, Math.min(run.workers, requests)));
    session = workers;
    // Requests in flight: at most one more than there are workers, so each has its next one waiting.
    const inFlight: Array<{ readonly task: OutputTask; readonly requests: number }> = [];
    let waiting = 0;
    let next = 0;
    let sent = 0;
    // Where each unit's rows and each task's output start in the whole input and output (for the report's samples).
    const unitStarts = startsOf(plan.units.map((unit) => unit.rows));
    const taskStarts = startsOf(tasks.map((task) => task.outputRows));
    const send = (): void => {
      const task = tasks[next] as PlanTask;
      const report: TaskReport | undefined =
        run.report === undefined
          ? undefined
          : { settings: run.report.samples.settings, rates: run.report.rates, inputRows: task.units.map((u) => unitStarts[u] as number), outputRow: taskStarts[next] as number };
      const work = { units: task.units.map((u) => unitWork(plan, u)), options: run.sampling, batchSize: TASK_BATCH_ROWS, encode: { ...run.encode, metadata: {} }, report };
      const requests = Array.from({ length: task.slices }, (_, index) => {
        const worker = sent++;
        const slice = task.slices > 1 ? { index, count: task.slices } : undefined;
        // Slices of one row group go to consecutive workers: all at once when there are enough of them.
        const paced = task.slices <= workers.workerCount;
        return new RunningTask(
          (onPiece) => workers.task(worker, task.file, { ...work, slice, paced }, onPiece),
          (bytes) => workers.returnPart(worker, bytes),
        );
      });
      inFlight.push({ task: requests.length === 1 ? (requests[0] as RunningTask) : new SlicedTask(requests), requests: requests.length });
      waiting += requests.length;
      next += 1;
    };
    for (let done = 0; done < tasks.length; done++) {
      while (next < tasks.length && (inFlight.length === 0 || waiting < workers.workerCount + 1)) send();
      const running = inFlight.shift() as (typeof inFlight)[number];
      const task = tasks[done] as PlanTask;
      const rowsIn = task.units.reduce((rows, u) => rows + (plan.units[u]?.rows ?? 0), 0);
      for await (const { bytes, rows, last, written, samples } of running.task.parts()) {
        run.signal?.throwIfAborted();
        run.onPart(bytes, last ? rowsIn : 0, rows);
        written();
        // A sliced task's slices each sampled the same rows, some columns each: their rows are joined.
        for (const sample of samples ?? []) run.report?.samples.merge(sample, task.slices > 1);
        await yieldToEventLoop();
      }
      waiting -= running.requests;
    }
  } finally {
    session?.close();
    release();
  }
}

/** Where each of consecutive runs of rows starts. */
function startsOf(rows: readonly number[]): number[] {
  let at = 0;
  return rows.map((n) => {
    const start = at;
    at += n;
    return start;
  });
}
