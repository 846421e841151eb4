import { tableFromIPC } from 'apache-arrow';
import type { BalancePlan } from '../plan/balance-plan.js';
import { columnSliceCount } from '../plan/column-slices.js';
import type { ParquetInput } from '../parquet/sources.js';
import type { WasmReadSession } from '../parquet/wasm-read-session.js';

/**
 * How many column slices each unit of a plan is run as (see `plan/column-slices.ts`): 1 for a row group
 * small enough to decode whole. It follows from the input files' footers alone, read here by one worker.
 * @param inputs the plan's input files
 * @param plan the plan
 * @param session a read session over `inputs`
 * @returns the slices of each unit, in unit order
 */
export async function unitSlices(inputs: readonly ParquetInput[], plan: BalancePlan, session: WasmReadSession): Promise<number[]> {
  const files = new Map<number, { readonly bytes: readonly number[]; readonly columns: number }>();
  for (const file of new Set(plan.units.filter((unit) => unit.rows > 0).map((unit) => unit.file))) {
    if (inputs[file] === undefined) throw new RangeError(`arrow-balance: the plan names input ${file}, which is not given`);
    const described = await session.describe(file, undefined);
    files.set(file, { bytes: described.rowGroupBytes, columns: tableFromIPC(described.schemaIpc).schema.fields.length });
  }
  return plan.units.map((unit) => {
    const file = files.get(unit.file);
    return unit.rows === 0 || file === undefined ? 1 : columnSliceCount(file.bytes[unit.rowGroup] ?? 0, file.columns);
  });
}
