import { randomBytes } from 'node:crypto';
import { readdirSync, unlinkSync } from 'node:fs';
import { hostname } from 'node:os';
import { basename, dirname, join } from 'node:path';

/** The longest file name most file systems take, in bytes. */
const NAME_MAX = 255;
/** Room a temporary name needs beside the output's name: dots, the pid, "@", the host, the random part, ".tmp". */
const TAG_MAX = 2 + 10 + 1 + 64 + 1 + 12 + 4;

/**
 * The path of a new temporary file for `finalPath`, beside it: `.<name>.<pid>@<host>.<12 hex digits>.tmp`.
 * The pid and the host name say which process writes it, so that a later run can tell when it is stale
 * (see {@link removeStaleTempFiles}); an output name too long to leave room for them is shortened in it.
 * @param finalPath the output's absolute path
 * @returns the temporary file's absolute path (not yet created)
 */
export function newTempPath(finalPath: string): string {
  return join(dirname(finalPath), `${tempPrefix(finalPath)}${process.pid}@${machine()}.${randomBytes(6).toString('hex')}.tmp`);
}

/**
 * Removes the temporary files of `finalPath` that runs on this machine left behind when they were killed
 * (SIGKILL, out of memory, a power cut): those whose process is no longer alive.
 *
 * Left alone: a live process's (another run writing the same output), another machine's (in a shared
 * folder such as NFS its process cannot be checked from here), and any name not made by
 * {@link newTempPath}. A pid reused by another process keeps a stale file until that process ends, which
 * is safe. Should a live run's file ever be removed (a run on another machine, or in a container with its
 * own process table, under the same host name), that run fails when it notices, and never commits a
 * partial file.
 * @param finalPath the output's absolute path
 * @returns the names removed
 */
export function removeStaleTempFiles(finalPath: string): string[] {
  const folder = dirname(finalPath);
  const prefix = tempPrefix(finalPath);
  const here = machine();
  const removed: string[] = [];
  let names: string[];
  try {
    names = readdirSync(folder);
  } catch {
    return removed;
  }
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    const owner = /^(\d+)@(.+)\.[0-9a-f]{12}\.tmp$/.exec(name.slice(prefix.length));
    if (owner === null || owner[2] !== here || isAlive(Number(owner[1]))) continue;
    try {
      unlinkSync(join(folder, name));
      removed.push(name);
    } catch {
      // Removed meanwhile (by another run), or not ours to remove: either way nothing to do.
    }
  }
  return removed;
}

/** `.<name>.`, the output's name shortened (whole characters) so that the whole temporary name fits. */
function tempPrefix(finalPath: string): string {
  const chars = [...basename(finalPath)];
  while (Buffer.byteLength(chars.join('')) > NAME_MAX - TAG_MAX) chars.pop();
  return `.${chars.join('')}.`;
}

/** This machine's name as temporary names carry it: characters other than letters, digits, "." and "-" become "_". */
function machine(): string {
  return hostname().replace(/[^A-Za-z0-9.-]/g, '_').slice(0, 64) || 'localhost';
}

function isAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
