import { closeSync, openSync } from 'node:fs';
import type { ParquetInput } from './sources.js';

/**
 * File descriptors of the path inputs a read worker decodes, opened on the main thread.
 *
 * The main thread owns them so that they are closed even when the worker dies in the middle of a read
 * (descriptors belong to the process, not to the thread that opened them): each request's descriptor is
 * released when its reply, or the worker's death, arrives. A file is open only while requests about it
 * are in flight.
 */
export class InputDescriptors {
  private readonly open = new Map<number, { fd: number; users: number }>();

  constructor(private readonly inputs: readonly ParquetInput[]) {}

  /**
   * Opens input `file` (or reuses its descriptor) for one more request.
   * @returns the descriptor, or undefined for an in-memory input
   * @throws the system error when the file cannot be opened
   */
  acquire(file: number): number | undefined {
    const input = this.inputs[file];
    if (input === undefined || !('path' in input)) return undefined;
    const entry = this.open.get(file) ?? { fd: openSync(input.path, 'r'), users: 0 };
    entry.users += 1;
    this.open.set(file, entry);
    return entry.fd;
  }

  /** Ends one request about input `file`; closes it when no request needs it any more. */
  release(file: number): void {
    const entry = this.open.get(file);
    if (entry === undefined) return;
    entry.users -= 1;
    if (entry.users > 0) return;
    this.open.delete(file);
    closeSync(entry.fd);
  }
}
