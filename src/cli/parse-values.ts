import type { NullPolicy } from '../classes/label-coder.js';
import { MAX_CLASSES_LIMIT } from '../classes/label-options.js';
import { UsageError } from './cli-error.js';

const NULL_POLICIES: readonly NullPolicy[] = ['error', 'drop', 'class'];

/** Parses `--nulls`. */
export function parseNulls(text: string): NullPolicy {
  if ((NULL_POLICIES as readonly string[]).includes(text)) return text as NullPolicy;
  throw new UsageError(`--nulls must be one of ${NULL_POLICIES.join(', ')}, got "${text}"`);
}

/** Parses a whole number option such as `--seed` or `--row-group-size`, at least `min` and at most `max`. */
export function parseWholeNumber(name: string, text: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const value = Number(text);
  if (!/^-?\d+$/.test(text.trim()) || !Number.isSafeInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `of at least ${min}` : `from ${min} to ${max}`;
    throw new UsageError(`--${name} must be a whole number ${range}, got "${text}"`);
  }
  return value;
}

/** Parses `--max-classes`: distinct label values accepted, 1 to 2^24. */
export function parseMaxClasses(text: string | undefined): number | undefined {
  return text === undefined ? undefined : parseWholeNumber('max-classes', text, 1, MAX_CLASSES_LIMIT);
}

/**
 * `--seed -1` as `--seed=-1` (and `-o -1.parquet` as `--output=-1.parquet`), for the options that take a
 * value: node's parseArgs refuses a value that starts with "-" as ambiguous; joined, it reaches the
 * command's own check, whose message says what is allowed. Flags and everything after `--` are left alone.
 * @param args the command's arguments
 * @param options the command's `parseArgs` options
 */
export function joinNegativeValues(args: readonly string[], options: Readonly<Record<string, { readonly type: 'string' | 'boolean'; readonly short?: string }>>): string[] {
  const byShort = new Map<string, string>(Object.entries(options).flatMap(([name, option]): Array<[string, string]> => (option.short === undefined ? [] : [[`-${option.short}`, name]])));
  const joined: string[] = [];
  for (let at = 0; at < args.length; at += 1) {
    const arg = args[at] as string;
    if (arg === '--') return [...joined, ...args.slice(at)];
    const next = args[at + 1];
    const name = arg.startsWith('--') && !arg.includes('=') ? arg.slice(2) : byShort.get(arg);
    if (name !== undefined && options[name]?.type === 'string' && next !== undefined && /^-\d/.test(next)) {
      joined.push(`--${name}=${next}`);
      at += 1;
    } else {
      joined.push(arg);
    }
  }
  return joined;
}
