import { tableFromIPC } from 'apache-arrow';
import type { BalancePlan } from '../plan/balance-plan.js';
import { columnSliceCount } from '../plan/column-slices.js';
import type { UnitRange } from '../plan/plan-tasks.js';
import type { ParquetInput } from '../parquet/sources.js';
import type { WasmReadSession } from '../parquet/wasm/wasm-read-session.js';

/**
 * How many column slices each unit of a plan is run as (see `plan/column-slices.ts`): 1 for a row group
 * small enough to decode whole. It follows from the input files' footers alone, read here by one worker.
 * @param inputs the plan's input files
 * @param plan the plan
 * @param session a read session over `inputs`
 * @param range the units that will run (a shard's): only their files' footers are read; all when not given
 * @returns the slices of each unit, in unit order
 */
export async function unitSlices(inputs: readonly ParquetInput[], plan: BalancePlan, session: WasmReadSession, range?: UnitRange): Promise<number[]> {
  const files = new Map<number, { readonly bytes: readonly number[]; readonly columns: number }>();
  const start = range?.start ?? 0;
  const end = range?.end ?? plan.units.length;
  const running = plan.units.filter((unit, u) => unit.rows > 0 && u >= start && u < end);
  for (const file of new Set(running.map((unit) => unit.file))) {
    if (inputs[file] === undefined) throw new RangeError(`arrow-balance: the plan names input ${file}, which is not given`);
    const described = await session.describe(file, undefined);
    files.set(file, { bytes: described.rowGroupBytes, columns: tableFromIPC(described.schemaIpc).schema.fields.length });
  }
  return plan.units.map((unit) => {
    const file = files.get(unit.file);
    return unit.rows === 0 || file === undefined ? 1 : columnSliceCount(file.bytes[unit.rowGroup] ?? 0, file.columns);
  });
}
