import { realpathSync } from 'node:fs';

/** Real paths of the Parquet files being read right now, with how many readers hold each. */
const openInputs = new Map<string, number>();
/** For every file ever opened for reading in this process, the tick at which it was last opened. */
const lastOpened = new Map<string, number>();
let clock = 0;

/**
 * Marks files as being read, so no writer in this process replaces one of them.
 * @param paths absolute paths of the inputs
 * @returns a function that releases the mark (call it once, when reading ends)
 */
export function markInputs(paths: readonly string[]): () => void {
  const real = paths.map(realPathOf);
  clock += 1;
  for (const path of real) {
    openInputs.set(path, (openInputs.get(path) ?? 0) + 1);
    lastOpened.set(path, clock);
  }
  let released = false;
  return () => {
    if (released) return;
    released = true;
    for (const path of real) {
      const count = (openInputs.get(path) ?? 1) - 1;
      if (count <= 0) openInputs.delete(path);
      else openInputs.set(path, count);
    }
  };
}

/** The current tick, to pass to {@link readSince} later. */
export function inputClock(): number {
  return clock;
}

/**
 * Whether a path names a file that a reader in this process has open, or opened after `tick`.
 *
 * A writer asks this with the tick taken when it was created: a file read while the writer was
 * working is, as far as we can know, an input of the same pipeline, and must not be replaced.
 */
export function readSince(path: string, tick: number): boolean {
  const real = realPathOf(path);
  return openInputs.has(real) || (lastOpened.get(real) ?? -1) > tick;
}

function realPathOf(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}
