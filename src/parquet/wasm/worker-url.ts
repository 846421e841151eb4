import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

/**
 * URL of a compiled worker module that sits beside the calling module.
 *
 * When the caller runs from TypeScript sources (tests run `src/` directly), the worker is taken from the
 * build output in `dist/`, since a worker thread cannot load `.ts` files; `npm test` builds first.
 * @param callerUrl `import.meta.url` of the calling module
 * @param workerFile file name of the worker module, ending in `.js`
 * @returns a `file:` URL for `new Worker(url)`
 */
export function siblingWorkerUrl(callerUrl: string, workerFile: string): URL {
  const beside = new URL(workerFile, callerUrl);
  if (!callerUrl.endsWith('.ts')) return beside;
  const sourcePath = fileURLToPath(beside);
  const marker = `${pathSeparator()}src${pathSeparator()}`;
  const at = sourcePath.lastIndexOf(marker);
  const built = at < 0 ? sourcePath : `${sourcePath.slice(0, at)}${pathSeparator()}dist${sourcePath.slice(at)}`;
  if (!existsSync(built)) {
    throw new Error(`arrow-balance: worker module ${built} is missing; run "npm run build" first`);
  }
  return pathToFileURL(built);
}

function pathSeparator(): string {
  return process.platform === 'win32' ? '\\' : '/';
}
