/** A small tmpfs mounted for a test, to make writes fail with a real ENOSPC (needs root, as tests and CI run). */
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';

/**
 * Creates `path` and mounts a tmpfs of `size` (mount's notation, such as `3m`) on it.
 * @throws Error saying why, when mount fails (not root, no tmpfs)
 */
export function mountTmpfs(path: string, size: string): void {
  mkdirSync(path, { recursive: true });
  const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', path], { encoding: 'utf8', timeout: 10_000 });
  if (mounted.status !== 0) {
    throw new Error(`cannot mount a tmpfs on ${path} (${mounted.stderr.trim() || String(mounted.error)}); these tests need root to fill a small disk`);
  }
}

/**
 * Unmounts the tmpfs at `path`; lazily when it is busy (a killed child may still hold a file for a moment).
 * Safe when nothing is mounted there.
 */
export function unmountTmpfs(path: string): void {
  const unmounted = spawnSync('umount', [path], { timeout: 10_000 });
  if (unmounted.status !== 0) spawnSync('umount', ['-l', path], { timeout: 10_000 });
}
