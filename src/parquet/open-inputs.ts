import { realpathSync } from 'node:fs';

/** Real paths of the Parquet files being read right now, with how many readers hold each. */
const openInputs = new Map<string, number>();

/**
 * Marks files as being read, so no writer in this process replaces one of them.
 * @param paths absolute paths of the inputs
 * @returns a function that releases the mark (call it once, when reading ends)
 */
export function markInputs(paths: readonly string[]): () => void {
  const real = paths.map(realPathOf);
  for (const path of real) openInputs.set(path, (openInputs.get(path) ?? 0) + 1);
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

/** Whether a path names a file that a reader in this process has open. */
export function isOpenInput(path: string): boolean {
  return openInputs.has(realPathOf(path));
}

function realPathOf(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}
