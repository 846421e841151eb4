import type { BalancePlan } from '../plan/balance-plan.js';
import { planTasks } from '../plan/plan-tasks.js';
import type { UnitSamplerOptions } from '../plan/unit-sampler.js';
import { unitWork } from '../plan/unit-work.js';
import { markInputs } from '../parquet/open-inputs.js';
import type { ParquetInput } from '../parquet/sources.js';
import { WasmReadSession } from '../parquet/wasm-read-session.js';
import type { ParquetCompression } from '../parquet/write-options.js';
import { yieldToEventLoop } from './event-loop.js';

/** Rows a worker decodes for one task at most (units of 122,880 rows: four of them). */
const TASK_INPUT_ROWS = 524_288;
/** Rows per batch when workers decode a unit's row group. */
const TASK_BATCH_ROWS = 131_072;

/** How a plan is executed. */
export interface PlanExecution {
  /** Worker threads that sample and encode tasks. */
  readonly workers: number;
  readonly sampling: UnitSamplerOptions;
  readonly encode: { readonly compression: ParquetCompression; readonly rowGroupSize: number };
  readonly signal?: AbortSignal | undefined;
  /** Takes each task's encoded part, in output order, with the input rows its units held; the part is unusable after it returns. */
  readonly onPart: (part: Uint8Array, rowsIn: number, rowsOut: number) => void;
}

/**
 * Runs a plan's tasks on worker threads and hands back their parts in output order.
 *
 * Each worker reads, decodes, samples, gathers and encodes whole tasks (see `wasm-task.ts`); this thread
 * only sends tasks and receives encoded bytes. At most two tasks per worker are in flight, so memory is
 * bounded by tasks, not by the file. A part's bytes depend only on the plan, so the output is the same
 * whatever the number of workers or the order in which they finish.
 * @param inputs the plan's input files
 * @param plan the plan
 * @param run workers, sampling and encoding options, and where parts go
 * @throws ArrowBalanceError when a task fails (the input changed since planning, a corrupt row group) or a
 *   worker dies; the abort signal's reason when aborted
 */
export async function executePlan(inputs: readonly ParquetInput[], plan: BalancePlan, run: PlanExecution): Promise<void> {
  const tasks = planTasks(plan, { outputRows: run.encode.rowGroupSize, inputRows: TASK_INPUT_ROWS });
  const release = markInputs(inputs.flatMap((input) => ('path' in input ? [input.path] : [])));
  const session = new WasmReadSession(inputs, Math.max(1, Math.min(run.workers, tasks.length)));
  const inFlight: Array<Promise<{ readonly bytes: Uint8Array }>> = [];
  let next = 0;
  const send = (): void => {
    const task = tasks[next];
    if (task === undefined) return;
    const pending = session.task(next, task.file, {
      units: task.units.map((u) => unitWork(plan, u)),
      options: run.sampling,
      batchSize: TASK_BATCH_ROWS,
      encode: { ...run.encode, metadata: {} },
    });
    // Avoid an unhandled rejection while the promise waits its turn.
    pending.catch(() => undefined);
    inFlight.push(pending);
    next += 1;
  };
  try {
    for (let done = 0; done < tasks.length; done++) {
      while (inFlight.length < session.workerCount + 1 && next < tasks.length) send();
      const { bytes } = await (inFlight.shift() as Promise<{ readonly bytes: Uint8Array }>);
      run.signal?.throwIfAborted();
      const task = tasks[done] as (typeof tasks)[number];
      run.onPart(bytes, task.units.reduce((rows, u) => rows + (plan.units[u]?.rows ?? 0), 0), task.outputRows);
      session.returnPart(done, bytes);
      await yieldToEventLoop();
    }
  } finally {
    session.close();
    release();
  }
}
