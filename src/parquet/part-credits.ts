/**
 * How many encoded parts and pieces this worker has sent that the main thread has not yet written (it sends
 * each one's memory back once written, see `PartReturn`). A task waits before sending another piece while
 * {@link PIECES_AHEAD} are unwritten, so that a worker running ahead of the part being written (another
 * task's, or another column slice of the same row group) cannot pile its output up in the main thread.
 *
 * No wait can deadlock: a worker runs its tasks in output order, so when its own task is the one being
 * written, everything it has sent before is written already, and its pieces are written as they come. A job
 * that stops (an error, an abort) writes nothing more: its `forget` resets the count and wakes a waiting task,
 * so that the worker, which the pool keeps for the next job, is not left waiting.
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

/**
 * Forgets every unwritten piece and part and wakes any task waiting to send: a job has stopped, or a task
 * starts (the count is per task; what an earlier task left unwritten is its own job's to write).
 */
export function resetPartCredits(): void {
  unwritten = 0;
  for (const wake of waiting.splice(0)) wake();
}
