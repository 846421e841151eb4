import { createHash } from 'node:crypto';
import type { PlanFile } from './plan-file.js';

/**
 * A short fingerprint of a plan file (16 hex digits of the SHA-256 of its JSON with keys sorted): parts
 * carry it, so that a part made from another plan (other inputs, seed or options) is told apart.
 * The same plan, from a file or recomputed by a shard, has the same fingerprint.
 * @param file the plan file
 * @returns the fingerprint
 */
export function planFingerprint(file: PlanFile): string {
  return createHash('sha256').update(canonicalJson(file)).digest('hex').slice(0, 16);
}

/** JSON with every object's keys in sorted order, so that equal values give equal text. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    return `{${entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
