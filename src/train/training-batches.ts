/**
 * `trainingBatches`: Parquet (optionally through an RxJS pipeline) as a pull-based AsyncIterable of
 * mini-batches for a trainer.
 */
import { ArrowBalanceError } from '../errors.js';
import type { BatchReader } from '../parquet/batch-reader.js';
import { openParquet } from '../parquet/open-reader.js';
import type { ParquetSource } from '../parquet/sources.js';
import { MiniBatchAssembler } from './mini-batch-assembler.js';
import { PipelineReader } from './pipeline-reader.js';
import type { PullSource } from './pipeline-reader.js';
import { checkTrainingOptions } from './training-options.js';
import { planEpoch, rankPieces } from './balanced-epoch.js';
import { EpochReader } from './epoch-reader.js';
import { resolveSources } from '../parquet/sources.js';
import type { CheckedTrainingOptions } from './training-options.js';
import type { TrainingBatch, TrainingBatchesOptions } from './training-batch.js';

/**
 * Streams Parquet as mini-batches of typed arrays (`x` row-major features, `y` class indices, `w` weights),
 * reading the next row group only when the trainer asks for more.
 *
 * ```
 * file:     [  rg0  ][  rg1  ][  rg2  ]           (read one at a time, on demand)
 * pipeline: --b0------b1------b2--|               (optional: balance, shuffle, weight, ...)
 * batches:  [m0][m1][m2][m3][m4][m5][m6][m|       (batchSize rows each; the last may be short)
 * ```
 *
 * Pull-based: nothing is opened before the first `next()`, and each later row group is read only when the
 * rows already read are used up, so a slow trainer keeps memory flat. With a `pipeline` the row groups are
 * pushed into it one at a time, only when its output runs dry (see {@link PipelineReader}). Leaving a
 * `for await` loop early (`break`, `return`, a throw) closes the reader; so does aborting `signal`.
 *
 * Features may be Int8..Int64, Uint8..Uint64, Float16/32/64, Decimal or Bool columns (converted to float32;
 * NaN passes through). A null feature is an error naming the column unless `fillNull` gives a value; a
 * non-numeric feature is an error naming the column and its type. Class indices follow first appearance
 * (indices never change during an iteration), or the `classes` option. Every iteration starts afresh: the
 * Parquet source is opened again and the pipeline subscribed again. A `BatchReader` given as the source is
 * read once and closed at the end.
 *
 * Memory: the row group being cut (plus the one the Parquet engine decodes ahead), the mini-batch being
 * filled, and what the pipeline's operators hold by their own bounds. Batches already handed out belong
 * to the consumer.
 *
 * ## Example
 * ```ts
 * import { pipe } from 'rxjs';
 * import { balance, shuffle, trainingBatches } from 'arrow-balance';
 *
 * const batches = trainingBatches('train.parquet', {
 *   features: ['f1', 'f2', 'f3'], label: 'label', batchSize: 128,
 *   pipeline: pipe(balance({ label: 'label', strategy: 'over', seed: 1 }), shuffle({ bufferRows: 50_000, seed: 1 })),
 * });
 * for await (const { x, y, rows } of batches) await trainOn(x, y, rows);
 * ```
 * @param source a Parquet file, list of files, directory or bytes (anything `fromParquet` takes), or an open
 *   `BatchReader` (read once, closed at the end)
 * With `balance`, each epoch is balanced exactly before the pipeline (a count pass first, then each row
 * group's quotas); with `shard` too, each rank of a data-parallel job reads its own part of the epoch:
 *
 * ```ts
 * const batches = trainingBatches('train.parquet', {
 *   features: ['f1', 'f2'], label: 'label', batchSize: 128,
 *   balance: { strategy: 'under', seed: 7 }, shard: { index: rank, count: worldSize }, epoch,
 * });
 * ```
 * @param options features, label, weight, batchSize, pipeline, dropRemainder, classes, fillNull, nulls,
 *   maxClasses, columns, engine, signal, balance, shard, epoch
 * @returns an AsyncIterable of {@link TrainingBatch}; errors arrive as `arrow-balance: ...` from `next()`
 * @throws TypeError / RangeError (at once, before reading) naming a bad option
 */
export function trainingBatches(source: ParquetSource | BatchReader, options: TrainingBatchesOptions): AsyncIterable<TrainingBatch> {
  const checked = checkTrainingOptions(options);
  return { [Symbol.asyncIterator]: () => iterate(source, checked) };
}

async function* iterate(source: ParquetSource | BatchReader, options: CheckedTrainingOptions): AsyncGenerator<TrainingBatch, void, undefined> {
  const { signal } = options;
  signal?.throwIfAborted();
  const assembler = new MiniBatchAssembler(options);
  if (isBatchReader(source) && source.transient === true) {
    // The assembler keeps the rows left over from one row group until the next is read.
    source.close();
    throw new ArrowBalanceError('trainingBatches cannot take a transient reader: it keeps rows across row groups; open the reader without transient');
  }
  const reader = await openSource(source, options);
  const pull = withPipeline(reader, options.pipeline);
  let open = true;
  const close = (): void => {
    if (open) pull.close();
    open = false;
  };
  signal?.addEventListener('abort', close, { once: true });
  try {
    for (;;) {
      const batch = assembler.take();
      if (batch !== undefined) {
        yield batch;
        signal?.throwIfAborted();
        continue;
      }
      if (!(await pullInto(assembler, pull, signal))) break;
    }
    const last = options.dropRemainder ? undefined : assembler.flush();
    if (last !== undefined) yield last;
  } finally {
    signal?.removeEventListener('abort', close);
    close();
  }
}

/** The Parquet source read plainly, or the rank's rows of a balanced epoch. */
async function openSource(source: ParquetSource | BatchReader, options: CheckedTrainingOptions): Promise<PullSource> {
  if (options.epoch === undefined) return isBatchReader(source) ? source : openParquet(source, options.read);
  if (isBatchReader(source)) {
    source.close();
    throw new ArrowBalanceError('a balanced feed (option "balance") reads its row groups itself: give the Parquet source, not an open reader');
  }
  const { balance, shard, number } = options.epoch;
  const plan = await planEpoch(source, { label: options.label, nulls: options.nulls, maxClasses: options.maxClasses, engine: options.read.engine, balance, epoch: number });
  const pieces = rankPieces(plan, shard ?? { index: 0, count: 1 }, options.dropRemainder);
  return new EpochReader(await resolveSources(source), options.read, plan, pieces, { label: options.label, nulls: options.nulls, maxClasses: options.maxClasses });
}

/** The reader, or the pipeline over it; closes the reader if the pipeline cannot even be subscribed to. */
function withPipeline(reader: PullSource, pipeline: CheckedTrainingOptions['pipeline']): PullSource {
  if (pipeline === undefined) return reader;
  try {
    return new PipelineReader(reader, pipeline);
  } catch (error) {
    reader.close();
    throw error;
  }
}

/**
 * Reads the next batches into the assembler; false at the end of the input. A function of its own so that
 * the generator's frame never holds a row group the assembler has let go of.
 */
async function pullInto(assembler: MiniBatchAssembler, pull: PullSource, signal: AbortSignal | undefined): Promise<boolean> {
  try {
    const batches = await pull.next();
    signal?.throwIfAborted();
    if (batches === null) return false;
    for (const batch of batches) assembler.add(batch);
    return true;
  } catch (error) {
    signal?.throwIfAborted(); // a read cut short by the abort reports the abort, not "reader closed"
    throw error;
  }
}

function isBatchReader(source: ParquetSource | BatchReader): source is BatchReader {
  return typeof source === 'object' && source !== null && !(source instanceof Uint8Array) && !Array.isArray(source)
    && typeof (source as BatchReader).next === 'function' && typeof (source as BatchReader).close === 'function';
}
