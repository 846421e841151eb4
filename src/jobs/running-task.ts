import { joinColumnSlices } from '../parquet/stitch/column-slices-join.js';
import type { EncodedRows } from '../parquet/wasm/worker-protocol.js';

/** An encoded part of a task's output, whether it is the task's last, and how to give its memory back. */
export interface TaskPart {
  readonly bytes: Uint8Array;
  readonly rows: number;
  readonly last: boolean;
  /** Sent once by a column slice 0 (see {@link EncodedRows.template}). */
  readonly template?: Uint8Array | undefined;
  /** Called once the part is written: gives its memory back to the worker that encoded it, if any. */
  readonly written: () => void;
  /** With a task's last part, when it samples for the report: each request's samples. */
  readonly samples?: ReadonlyArray<NonNullable<EncodedRows['samples']>> | undefined;
}

/** A task in flight whose encoded parts come in output order. */
export interface OutputTask {
  /** The task's parts in order as they come, the last marked; throws the task's failure. */
  parts(): AsyncGenerator<TaskPart>;
}

/** A task sent to one worker: the pieces it has sent so far, and its final part once it has come. */
export class RunningTask implements OutputTask {
  private readonly pieces: EncodedRows[] = [];
  private readonly done: Promise<EncodedRows>;
  private settled = false;
  private wake: (() => void) | undefined;

  /**
   * @param start sends the task, handing each piece to the given callback, and resolves with its part
   * @param giveBack gives a written part's memory back to the task's worker
   */
  constructor(start: (onPiece: (piece: EncodedRows) => void) => Promise<EncodedRows>, private readonly giveBack: (bytes: Uint8Array) => void) {
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

  async *parts(): AsyncGenerator<TaskPart> {
    for (;;) {
      const piece = this.pieces.shift();
      if (piece !== undefined) {
        yield this.part(piece, false);
        continue;
      }
      if (this.settled) {
        yield this.part(await this.done, true);
        return;
      }
      await new Promise<void>((resolve) => {
        this.wake = resolve;
      });
      this.wake = undefined;
    }
  }

  private part(rows: EncodedRows, last: boolean): TaskPart {
    return { ...rows, samples: rows.samples === undefined ? undefined : [rows.samples], last, written: () => this.giveBack(rows.bytes) };
  }
}

/**
 * A task run as column slices, one request each (see `plan/column-slices.ts`): the slices' parts, which cut
 * the same rows at the same places, are joined column by column into the task's parts.
 */
export class SlicedTask implements OutputTask {
  /** @param slices the slices' requests, in column order */
  constructor(private readonly slices: readonly RunningTask[]) {}

  async *parts(): AsyncGenerator<TaskPart> {
    const streams = this.slices.map((slice) => slice.parts());
    let template: Uint8Array | undefined;
    for (;;) {
      const next = await Promise.all(streams.map((stream) => stream.next()));
      if (next.every((result) => result.done === true)) return;
      const parts = next.map((result) => (result.done === true ? undefined : result.value));
      const [first] = parts;
      if (first === undefined || parts.some((part) => part === undefined || part.rows !== first.rows || part.last !== first.last)) {
        throw new Error('arrow-balance: the column slices of one row group sent different parts');
      }
      template ??= first.template;
      if (template === undefined) throw new Error('arrow-balance: column slice 0 sent no template');
      const joined = joinColumnSlices(template, parts.map((part) => (part as TaskPart).bytes));
      for (const part of parts) part?.written();
      const samples = parts.flatMap((part) => part?.samples ?? []);
      yield { bytes: joined, rows: first.rows, last: first.last, written: () => undefined, samples: samples.length === 0 ? undefined : samples };
    }
  }
}
