import type { Writable } from 'node:stream';

/** Where a command writes: data to `out` (stdout), diagnostics and progress to `err` (stderr). */
export interface CommandIo {
  out(text: string): void;
  /** The stream `-o -` writes Arrow IPC to (default: `process.stdout`); `out` then goes to `err`. */
  readonly stdout?: Writable;
  err(text: string): void;
  /** Whether stderr is a terminal (progress is shown only then). */
  readonly errIsTerminal: boolean;
}

/** Lines written to stdout per call when a command prints a long table. */
const LINES_PER_WRITE = 8192;

/**
 * Writes lines, each ending with a newline, a few thousand per call: a table of millions of classes is
 * never held as one string.
 * @param out where the text goes (`io.out`)
 * @param lines the lines
 */
export function writeLines(out: (text: string) => void, lines: Iterable<string>): void {
  let chunk: string[] = [];
  for (const line of lines) {
    chunk.push(line);
    if (chunk.length === LINES_PER_WRITE) {
      out(`${chunk.join('\n')}\n`);
      chunk = [];
    }
  }
  if (chunk.length > 0) out(`${chunk.join('\n')}\n`);
}
