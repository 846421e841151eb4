import type { PlanBalanceOptions } from '../jobs/plan-balance-job.js';
import { ENGINES, resolveEngine, type ParquetEngine } from '../parquet/engine.js';
import type { Strategy } from '../sampling/target-spec.js';
import { oneOf } from './output-job-args.js';
import { parseMaxClasses, parseNulls, parseWholeNumber } from './parse-values.js';
import { parseTarget } from './parse-target.js';

/** The `parseArgs` options that determine a plan (`plan`, and `balance --shard` without `--plan`). */
export const PLAN_OPTIONS = {
  label: { type: 'string' },
  strategy: { type: 'string' },
  target: { type: 'string' },
  seed: { type: 'string' },
  nulls: { type: 'string' },
  'max-classes': { type: 'string' },
  'importance-weight': { type: 'string' },
} as const;

/** The names of {@link PLAN_OPTIONS}, as a command line gives them. */
export const PLAN_OPTION_NAMES: readonly string[] = Object.keys(PLAN_OPTIONS);

type PlanValues = { readonly [name in keyof typeof PLAN_OPTIONS]?: string | undefined } & { readonly engine?: string | undefined };

/**
 * The balance options of a plan from the command line (`--label` checked by the caller).
 * @throws UsageError naming a bad value
 */
export function planArgs(values: PlanValues, label: string): PlanBalanceOptions & { readonly engine: ParquetEngine } {
  return {
    label,
    strategy: oneOf('strategy', values.strategy, ['under', 'over', 'hybrid'] as const) as Strategy | undefined,
    target: values.target === undefined ? undefined : parseTarget(values.target),
    seed: values.seed === undefined ? undefined : parseWholeNumber('seed', values.seed, 0),
    nulls: values.nulls === undefined ? undefined : parseNulls(values.nulls),
    maxClasses: parseMaxClasses(values['max-classes']),
    importanceWeight: values['importance-weight'],
    engine: resolveEngine(oneOf('engine', values.engine, ENGINES)),
  };
}
