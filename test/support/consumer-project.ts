/**
 * Consumer projects for the package tests: the packed tarball installed into a fresh folder, as a user of the
 * registry would get it, next to the consumer's own apache-arrow and rxjs.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/** This checkout. */
export const PROJECT = resolve(import.meta.dirname, '../..');

/** A finished child process. */
export interface Ran {
  readonly status: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs a command to its end, bounded by its own timeout (a hang fails the test that awaits it, with output).
 * @param command the program
 * @param args its arguments
 * @param cwd where to run it
 * @param env extra environment variables
 * @param timeoutMs when to kill it
 */
export function run(command: string, args: readonly string[], cwd: string, env: Record<string, string> = {}, timeoutMs = 240_000): Ran {
  const result = spawnSync(command, args, { cwd, env: { ...process.env, ...env }, encoding: 'utf8', timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 });
  return { status: result.status, signal: result.signal, stdout: result.stdout ?? '', stderr: result.stderr ?? `${String(result.error ?? '')}` };
}

/** Runs a command and throws, with its output, unless it exits 0. */
export function runOk(command: string, args: readonly string[], cwd: string, env: Record<string, string> = {}): string {
  const ran = run(command, args, cwd, env);
  if (ran.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} in ${cwd} ended with ${ran.status ?? ran.signal}:\n${ran.stdout}\n${ran.stderr}`);
  }
  return ran.stdout;
}

/** Packs this checkout (already built) into `folder` as npm would publish it; returns the tarball's path. */
export function packTarball(folder: string): string {
  mkdirSync(folder, { recursive: true });
  const out = runOk('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', folder], PROJECT);
  const [packed] = JSON.parse(out) as Array<{ filename: string }>;
  if (packed === undefined) throw new Error('npm pack reported no tarball');
  return join(folder, packed.filename);
}

/** The version of a package this checkout installed (the lock's), for the consumer's own copy. */
export function installedVersion(name: string): string {
  return (JSON.parse(readFileSync(join(PROJECT, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
}

/**
 * The apache-arrow and rxjs versions the consumers install: `PEER_ARROW` and `PEER_RXJS` when set (CI tests the
 * lowest and highest of each peer range so), otherwise the lock's.
 */
export function consumerPeers(): { readonly arrow: string; readonly rxjs: string } {
  return { arrow: process.env['PEER_ARROW'] ?? installedVersion('apache-arrow'), rxjs: process.env['PEER_RXJS'] ?? installedVersion('rxjs') };
}

/**
 * Writes a consumer project: a package.json and the given files (paths relative to the folder).
 * @param folder the project folder (created)
 * @param type the package's module system
 * @param files file contents by relative path
 */
export function writeProject(folder: string, type: 'module' | 'commonjs', files: Record<string, string>): void {
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, 'package.json'), `${JSON.stringify({ name: 'consumer', version: '1.0.0', private: true, type }, null, 2)}\n`);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(folder, path)), { recursive: true });
    writeFileSync(join(folder, path), text);
  }
}

/** Installs packages into a consumer project with npm, as a user would (`npm i ...`). */
export function npmInstall(folder: string, specs: readonly string[]): void {
  runOk('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error', ...specs], folder);
}

/**
 * The versions of a package installed anywhere in a project's tree: one entry per copy on disk
 * (`npm ls --all --parseable` lists each folder once, however many packages share it).
 */
export function npmCopies(folder: string, name: string): string[] {
  const paths = run('npm', ['ls', name, '--all', '--parseable'], folder).stdout.split('\n').filter((path) => path.endsWith(`/node_modules/${name}`));
  return [...new Set(paths)].map((path) => (JSON.parse(readFileSync(join(path, 'package.json'), 'utf8')) as { version: string }).version);
}

/** The TypeScript compiler options every consumer shares: the strictest, as the README promises. */
export const STRICT = { strict: true, noUnusedLocals: true, noUnusedParameters: true, noImplicitReturns: true, skipLibCheck: false, types: ['node'] };
