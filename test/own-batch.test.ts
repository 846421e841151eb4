import { tableFromArrays } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { assertOwnBatch } from '../src/arrow/own-batch.js';
import { ArrowBalanceError } from '../src/errors.js';

// A real second copy of apache-arrow is tested in package.test.ts; here, the message for each kind of value.
describe('assertOwnBatch', () => {
  it('accepts a batch of the apache-arrow copy arrow-balance loads', () => {
    const [batch] = tableFromArrays({ x: Int32Array.of(1, 2) }).batches;
    expect(() => assertOwnBatch(batch, 'balance')).not.toThrow();
  });

  it('refuses what only looks like a batch (another copy) with one line that says what to install', () => {
    const [batch] = tableFromArrays({ x: Int32Array.of(1, 2) }).batches;
    const lookalike = { schema: { fields: batch?.schema.fields }, data: batch?.data, numRows: 2 };
    const error = (() => {
      try {
        assertOwnBatch(lookalike, 'weight');
      } catch (thrown) {
        return thrown as Error;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(ArrowBalanceError);
    expect(error?.message).toMatch(/^arrow-balance: weight got a RecordBatch from another copy of apache-arrow; .*install a single apache-arrow \^21\.2\.0/);
    expect(error?.message).not.toContain('\n');
  });

  it('names what came instead of a batch', () => {
    expect(() => assertOwnBatch(null, 'shuffle')).toThrow(new TypeError('arrow-balance: shuffle expects apache-arrow RecordBatch values, got null'));
    expect(() => assertOwnBatch(3, 'shuffle')).toThrow(/got number$/);
    expect(() => assertOwnBatch(new Map(), 'toParquet')).toThrow(/got a Map$/);
  });
});
