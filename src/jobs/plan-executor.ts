import type { BalancePlan } from '../plan/balance-plan.js';
import { planTasks, type PlanTask } from '../plan/plan-tasks.js';
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
  const inFlight: RunningTask[] = [];
  let next = 0;
  const send = (): void => {
    const task = tasks[next];
    if (task === undefined) return;
    const work = { units: task.units.map((u) => unitWork(plan, u)), options: run.sampling, batchSize: TASK_BATCH_ROWS, encode: { ...run.encode, metadata: {} } };
    inFlight.push(new RunningTask((onPiece) => session.task(next, task.file, work, onPiece)));
    next += 1;
  };
  try {
    for (let done = 0; done < tasks.length; done++) {
      while (inFlight.length < session.workerCount + 1 && next < tasks.length) send();
      const running = inFlight.shift() as RunningTask;
      const task = tasks[done] as PlanTask;
      const rowsIn = task.units.reduce((rows, u) => rows + (plan.units[u]?.rows ?? 0), 0);
      for await (const { bytes, rows, last } of running.parts()) {
        run.signal?.throwIfAborted();
        run.onPart(bytes, last ? rowsIn : 0, rows);
        session.returnPart(done, bytes);
        await yieldToEventLoop();
      }
    }
  } finally {
    session.close();
    release();
  }
}

/** An encoded part of a task's output, and whether it is the task's last. */
interface TaskPart {
  readonly bytes: Uint8Array;
  readonly rows: number;
  readonly last: boolean;
}

/** A task sent to a worker: the pieces it has sent so far, and its final part once it has come. */
class RunningTask {
  private readonly pieces: Array<{ readonly bytes: Uint8Array; readonly rows: number }> = [];
  private readonly done: Promise<{ readonly bytes: Uint8Array; readonly rows: number }>;
  private settled = false;
  private wake: (() => void) | undefined;

  constructor(start: (onPiece: (piece: { readonly bytes: Uint8Array; readonly rows: number }) => void) => Promise<{ readonly bytes: Uint8Array; readonly rows: number }>) {
    this.done = start((piece) => {
      this.pieces.push(piece);
      this.wake?.();
    });
    const settle = (): void => {
      this.settled = true;
      this.wake?.();
    };
    // Also keeps a failure from being unhandled while the task waits its turn.
    this.done.then(settle, settle);
  }

  /** The task's pieces, then its part, in order, as they come; throws the task's failure. */
  async *parts(): AsyncGenerator<TaskPart> {
    for (;;) {
      const piece = this.pieces.shift();
      if (piece !== undefined) {
        yield { ...piece, last: false };
        continue;
      }
      if (this.settled) {
        yield { ...(await this.done), last: true };
        return;
      }
      await new Promise<void>((resolve) => {
        this.wake = resolve;
      });
      this.wake = undefined;
    }
  }
}
