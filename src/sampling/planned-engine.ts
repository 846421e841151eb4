import { takeRows } from '../arrow/take.js';
import type { RowPlanner, SamplingEngine } from './engine.js';

/**
 * Wraps a row planner as a sampling engine: plan the codes, then gather the planned rows (a batch whose
 * plan keeps every row in order is passed on as it is).
 *
 * Memory: the plan and the gathered rows of one batch.
 * @param planner the planner that picks the rows
 * @returns a sampling engine that holds no rows between batches
 */
export function plannedEngine(planner: RowPlanner): SamplingEngine {
  return {
    push(batch, codes) {
      const { indices, weights } = planner.plan(codes);
      const part = isIdentity(indices, batch.numRows) ? batch : takeRows(batch, indices);
      return [weights === undefined ? { batch: part } : { batch: part, weights }];
    },
    finish() {
      planner.finish();
      return [];
    },
  };
}

function isIdentity(indices: Int32Array, rows: number): boolean {
  if (indices.length !== rows) return false;
  for (let i = 0; i < rows; i++) if (indices[i] !== i) return false;
  return true;
}
