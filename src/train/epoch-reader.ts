/**
 * Reads a rank's rows of a balanced epoch (see `balanced-epoch.ts`): only the row groups of its units, run by
 * a {@link PlanRunner} from the piece's first unit, so the rows are those any other reader of the same plan gets.
 */
import type { RecordBatch } from 'apache-arrow';
import type { ReadOptions } from '../parquet/batch-reader.js';
import type { ParquetInput } from '../parquet/sources.js';
import { WasmBatchReader } from '../parquet/wasm/wasm-reader.js';
import type { BalancePlan } from '../plan/balance-plan.js';
import { PlanRunner } from '../plan/plan-runner.js';
import type { UnitSamplerOptions } from '../plan/unit-sampler.js';
import { ArrowBalanceError } from '../errors.js';
import type { EpochPiece } from './balanced-epoch.js';
import type { PullSource } from './pipeline-reader.js';

/** A pull source of a rank's rows of one epoch, piece by piece. */
export class EpochReader implements PullSource {
  private piece = -1;
  private reader: WasmBatchReader | undefined;
  private runner: PlanRunner | undefined;
  /** Output rows of the piece still to skip, and to hand out. */
  private skip = 0;
  private take = 0;
  private closed = false;

  /**
   * @param inputs the plan's inputs
   * @param read projection and batch size
   * @param plan the epoch's plan
   * @param pieces the rank's runs of units ({@link rankPieces})
   * @param sampling the label column and null policy
   */
  constructor(
    private readonly inputs: readonly ParquetInput[],
    private readonly read: ReadOptions,
    private readonly plan: BalancePlan,
    private readonly pieces: readonly EpochPiece[],
    private readonly sampling: UnitSamplerOptions,
  ) {}

  async next(): Promise<RecordBatch[] | null> {
    for (;;) {
      if (this.closed) throw new ArrowBalanceError('reader closed');
      if (this.reader === undefined && !(await this.nextPiece())) return null;
      const reader = this.reader as WasmBatchReader;
      const batches = await reader.next();
      if (batches === null) throw new ArrowBalanceError("the input ended before the rows of the epoch's plan; it changed since planning");
      const runner = this.runner as PlanRunner;
      const out: RecordBatch[] = [];
      for (const batch of batches) if (this.take > 0) for (const sampled of runner.push(batch)) out.push(...this.keep(sampled));
      if (this.take === 0) this.endPiece();
      if (out.length > 0) return out;
    }
  }

  close(): void {
    this.closed = true;
    this.reader?.close();
    this.reader = undefined;
  }

  /** Opens the next piece's row groups; false after the last piece. */
  private async nextPiece(): Promise<boolean> {
    this.piece += 1;
    const piece = this.pieces[this.piece];
    if (piece === undefined) return false;
    const wanted = new Set(this.plan.units.slice(piece.first, piece.last + 1).map((unit) => `${unit.file}:${unit.rowGroup}`));
    this.reader = await WasmBatchReader.open(this.inputs, this.read, 1, (file, rowGroup) => wanted.has(`${file}:${rowGroup}`));
    if (this.closed) this.reader.close();
    this.runner = new PlanRunner(this.plan, this.sampling, piece.first);
    this.skip = piece.skip;
    this.take = piece.take;
    return true;
  }

  private endPiece(): void {
    this.reader?.close();
    this.reader = undefined;
    this.runner = undefined;
  }

  /** The part of some output rows the piece keeps. */
  private keep(batch: RecordBatch): RecordBatch[] {
    const skipped = Math.min(this.skip, batch.numRows);
    this.skip -= skipped;
    const taken = Math.min(this.take, batch.numRows - skipped);
    this.take -= taken;
    if (taken === 0) return [];
    return [skipped === 0 && taken === batch.numRows ? batch : batch.slice(skipped, skipped + taken)];
  }
}
