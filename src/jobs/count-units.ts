import type { ClassCounts } from '../classes/class-counts.js';
import { ClassTally } from '../classes/class-tally.js';
import { LabelCoder, type NullPolicy } from '../classes/label-coder.js';
import type { UnitPlace } from '../plan/balance-plan.js';
import { UnitTally, type UnitClassRows } from '../plan/unit-tally.js';
import type { ParquetEngine } from '../parquet/engine.js';
import type { IpcSource } from '../ipc/ipc-reader.js';
import { RowRangeTally } from '../plan/row-range-tally.js';
import { isArrowInput, openJobInput, type JobInput } from './job-input.js';
import { yieldToEventLoop } from './event-loop.js';
import type { CountPassProgress } from './count-parquet.js';
import type { ParquetOutputOptions } from './parquet-output.js';

/** What the count pass of a plan learns: class counts in all and per unit (one row group of one input). */
export interface UnitCounts {
  /** Rows per class in the whole input. */
  readonly counts: ClassCounts;
  /** Every unit's place, in input order. */
  readonly places: readonly UnitPlace[];
  /** Every unit's class codes and rows. */
  readonly unitRows: readonly UnitClassRows[];
  /** The coder that numbered the classes (its codes are the ones in `unitRows`). */
  readonly coder: LabelCoder;
}

/**
 * The count pass of a plan: reads the label column alone and counts classes per row group (Arrow input,
 * which has no row groups: per range of rows, see {@link RowRangeTally}).
 * @param source the input
 * @param options the label column, the null policy, the class limit and the engine
 * @param job the job's abort signal and progress callback
 * @param bytes the bytes to read in place of Arrow input's own (a stream that spools as it is read)
 * @throws ArrowBalanceError as the reader and the label coder do
 */
export async function countUnits(
  source: JobInput,
  options: { readonly label: string; readonly nulls?: NullPolicy | undefined; readonly maxClasses?: number | undefined; readonly engine?: ParquetEngine | undefined },
  job: Pick<ParquetOutputOptions<CountPassProgress>, 'signal' | 'onProgress'>,
  bytes?: IpcSource,
): Promise<UnitCounts> {
  const coder = new LabelCoder({ label: options.label, nulls: options.nulls, maxClasses: options.maxClasses });
  const tally = new ClassTally();
  // Transient: labels are tallied and dropped, so the reader may reuse their memory.
  const reader = await openJobInput(source, { columns: [options.label], engine: options.engine, transient: true }, bytes);
  try {
    const layout = reader.rowGroupRows ?? [];
    const places = layout.flatMap((groups, file) => groups.map((rows, rowGroup): UnitPlace => ({ file, rowGroup, rows })));
    const units = isArrowInput(source) ? new RowRangeTally() : new UnitTally(places.map((place) => place.rows));
    let rowsRead = 0;
    for (let batches = await reader.next(); batches !== null; batches = await reader.next()) {
      for (const batch of batches) {
        const codes = coder.encode(batch);
        tally.add(codes);
        units.add(codes);
        rowsRead += batch.numRows;
      }
      job.signal?.throwIfAborted();
      job.onProgress?.({ phase: 'count', rowsRead, rowsTotal: undefined, rowsWritten: 0 });
      await yieldToEventLoop();
    }
    if (units instanceof RowRangeTally) return { counts: tally.snapshot(coder), ...units.finish(), coder };
    return { counts: tally.snapshot(coder), places, unitRows: units.finish(), coder };
  } finally {
    reader.close();
  }
}
