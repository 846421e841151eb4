import type { TargetSpec } from '../sampling/target-spec.js';
import { UsageError } from './cli-error.js';

const NAMES: Readonly<Record<string, TargetSpec>> = {
  auto: 'auto',
  majority: 'majority',
  minority: 'minority',
  'not-minority': 'not minority',
  'not-majority': 'not majority',
  all: 'all',
};

/**
 * Parses `--target`: a name (`auto`, `majority`, `minority`, `not-minority`, `not-majority`, `all`), a ratio
 * such as `0.5`, or `class=count,...` (split at the last `=`, so class names may contain `=`).
 * @throws UsageError saying what is accepted
 */
export function parseTarget(text: string): TargetSpec {
  const name = NAMES[text.trim()];
  if (name !== undefined) return name;
  if (/^\d*\.?\d+(e-?\d+)?$/i.test(text.trim())) return Number(text);
  if (!text.includes('=')) {
    throw new UsageError(`--target "${text}" is not understood; use ${Object.keys(NAMES).join(', ')}, a ratio like 0.5, or class=count,...`);
  }
  const counts: Record<string, number> = {};
  for (const part of text.split(',')) {
    const at = part.lastIndexOf('=');
    const key = part.slice(0, at).trim();
    const count = Number(part.slice(at + 1).trim());
    if (at < 1 || !Number.isSafeInteger(count) || count < 0) {
      throw new UsageError(`--target part "${part}" must be class=count with a whole number of rows`);
    }
    if (key in counts) throw new UsageError(`--target names class "${key}" twice`);
    counts[key] = count;
  }
  return counts;
}
