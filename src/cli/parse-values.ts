import type { NullPolicy } from '../classes/label-coder.js';
import { UsageError } from './cli-error.js';

const NULL_POLICIES: readonly NullPolicy[] = ['error', 'drop', 'class'];

/** Parses `--nulls`. */
export function parseNulls(text: string): NullPolicy {
  if ((NULL_POLICIES as readonly string[]).includes(text)) return text as NullPolicy;
  throw new UsageError(`--nulls must be one of ${NULL_POLICIES.join(', ')}, got "${text}"`);
}

/** Parses a whole number option such as `--seed` or `--row-group-size`. */
export function parseWholeNumber(name: string, text: string, min: number): number {
  const value = Number(text);
  if (!/^-?\d+$/.test(text.trim()) || !Number.isSafeInteger(value) || value < min) {
    throw new UsageError(`--${name} must be a whole number of at least ${min}, got "${text}"`);
  }
  return value;
}
