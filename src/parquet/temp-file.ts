import { closeSync, existsSync, fstatSync, linkSync, openSync, renameSync, statSync, unlinkSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ArrowBalanceError } from '../errors.js';
import { inputClock, readSince } from './open-inputs.js';
import { newTempPath, removeStaleTempFiles } from './temp-names.js';

/**
 * A temporary file beside its final path, renamed into place only when complete.
 *
 * Readers never see a half-written output: until `commit()`, the data lives under a hidden name
 * (`.<name>.<pid>@<host>.<random>.tmp`) in the same folder, and `discard()` removes it. A run that was
 * killed leaves its file; the next run to the same output removes it (see `temp-names.ts`).
 */
export class TempFile {
  private closed = false;
  private done = false;

  private constructor(
    /** Where the file goes when committed. */
    readonly finalPath: string,
    /** Where it is written meanwhile. */
    readonly tempPath: string,
    /** Open descriptor of the temporary file, for writing. */
    readonly fd: number,
    private readonly overwrite: boolean,
    private readonly createdAt: number,
  ) {}

  /**
   * Checks the output path, removes stale temporary files of this output, and creates the temporary file.
   * @throws ArrowBalanceError when the folder is missing or not writable, the output exists (without
   *   `overwrite`), the output is a directory, or the output is a file being read
   */
  static create(path: string, overwrite: boolean): TempFile {
    const finalPath = resolve(path);
    checkOutputFolder(path);
    if (existsSync(finalPath)) {
      if (statSync(finalPath).isDirectory()) throw new ArrowBalanceError(`${path}: is a directory; give a file path for the output`);
      if (readSince(finalPath, inputClock())) throw new ArrowBalanceError(`${path}: is an input being read; write the output to another path`);
      if (!overwrite) throw new ArrowBalanceError(`${path}: output file already exists; choose another path or allow overwriting (overwrite: true, --force)`);
    }
    removeStaleTempFiles(finalPath);
    const tempPath = newTempPath(finalPath);
    try {
      return new TempFile(finalPath, tempPath, openSync(tempPath, 'wx'), overwrite, inputClock());
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? String(error);
      throw new ArrowBalanceError(`${path}: cannot write in folder ${dirname(finalPath)} (${code}); check its permissions`, { cause: error });
    }
  }

  /**
   * Throws when the output path is a file read since this writer began (an input of the same pipeline).
   * @throws ArrowBalanceError saying to write elsewhere
   */
  refuseInput(): void {
    if (readSince(this.finalPath, this.createdAt)) {
      throw new ArrowBalanceError(`${this.finalPath}: is an input being read; write the output to another path`);
    }
  }

  /**
   * Throws when the temporary file is no longer in its folder (it, or the whole folder, was removed): the
   * writes still succeed, into a file that can never be moved into place.
   * @throws ArrowBalanceError from {@link TempFile.removedError}
   */
  checkPresent(): void {
    if (!this.closed && !this.done && fstatSync(this.fd).nlink === 0) throw this.removedError();
  }

  /** The error for a temporary file removed while it was written, naming the folder when that is gone. */
  removedError(): ArrowBalanceError {
    const folder = dirname(this.finalPath);
    if (!existsSync(folder)) return new ArrowBalanceError(`${this.finalPath}: output folder ${folder} was removed while writing; nothing was written; create it and run again`);
    return new ArrowBalanceError(`${this.finalPath}: the temporary file ${this.tempPath} was removed while writing (by another program?); nothing was written; run again`);
  }

  /** Closes the descriptor; call once nothing writes to it any more. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    closeSync(this.fd);
  }

  /**
   * Moves the finished file into place (closing it first).
   * @throws ArrowBalanceError when the output appeared meanwhile and overwriting is off; the temporary file is then removed
   */
  commit(): void {
    this.close();
    try {
      if (this.overwrite) {
        this.refuseInput();
        renameSync(this.tempPath, this.finalPath);
      } else {
        linkSync(this.tempPath, this.finalPath);
        unlinkSync(this.tempPath);
      }
      this.done = true;
    } catch (error) {
      this.discard();
      if (error instanceof ArrowBalanceError) throw error;
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') throw new ArrowBalanceError(`${this.finalPath}: output file appeared while writing; choose another path or allow overwriting`);
      if (code === 'ENOENT') throw this.removedError();
      throw new ArrowBalanceError(`${this.finalPath}: cannot move the finished file into place (${code ?? String(error)})`, { cause: error });
    }
  }

  /** Removes the temporary file. The descriptor is closed separately, once no writer can use it. Safe to repeat. */
  discard(): void {
    if (this.done) return;
    this.done = true;
    try {
      unlinkSync(this.tempPath);
    } catch {
      // Already gone: nothing to clean.
    }
  }
}

/**
 * Checks that an output's folder exists and is a folder (before a job does any work for it).
 * @throws ArrowBalanceError saying what to do
 */
export function checkOutputFolder(path: string): void {
  const folder = dirname(resolve(path));
  if (!existsSync(folder)) throw new ArrowBalanceError(`${path}: output folder ${folder} does not exist; create it first`);
  if (!statSync(folder).isDirectory()) throw new ArrowBalanceError(`${path}: ${folder} is not a folder`);
}
