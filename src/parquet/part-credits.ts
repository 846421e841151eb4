/**
 * How many encoded parts and pieces this worker has sent that the main thread has not yet written (it sends
 * each one's memory back once written, see `PartReturn`). A task waits before sending another piece while
 * {@link PIECES_AHEAD} are unwritten, so that a worker running ahead of the part being written (another
 * task's, or another column slice of the same row group) cannot pile its output up in the main thread.
 *
 * No wait can deadlock: a worker runs its tasks in output order, so when its own task is the one being
 * written, everything it has sent before is written already, and its pieces are written as they come.
 */

/** Unwritten pieces and parts a worker may have before it waits to send another piece. */
export const PIECES_AHEAD = 4;

let unwritten = 0;
const waiting: Array<() => void> = [];

/** Counts a piece or part sent to the main thread. */
export function partSent(): void {
  unwritten += 1;
}

/** Counts a part or piece the main thread has written (its memory came back). */
export function partWritten(): void {
  unwritten = Math.max(0, unwritten - 1);
  if (unwritten < PIECES_AHEAD) for (const wake of waiting.splice(0)) wake();
}

/** Resolves once fewer than {@link PIECES_AHEAD} pieces and parts sent are unwritten. */
export async function roomForPiece(): Promise<void> {
  while (unwritten >= PIECES_AHEAD) await new Promise<void>((resolve) => waiting.push(resolve));
}
