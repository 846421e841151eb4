/**
 * Finding the feature and weight columns of a batch and checking that they can be read as numbers.
 */
import type { RecordBatch, Schema } from 'apache-arrow';
import { ArrowBalanceError } from '../errors.js';
import { isNumericType, SUPPORTED_NUMERIC_TYPES } from './numeric-column.js';

/** Positions of the columns a mini-batch is built from, in one schema. */
export interface ColumnLayout {
  /** Index in the batch of each feature column, in feature order. */
  readonly features: readonly number[];
  /** Index of the weight column, or -1 when none is read. */
  readonly weight: number;
}

/**
 * Resolves (and caches per schema) where the feature and weight columns sit.
 *
 * Memory: one small layout per distinct schema seen (normally one).
 */
export class ColumnLocator {
  readonly #cache = new WeakMap<Schema, ColumnLayout>();

  /**
   * @param features feature column names
   * @param weight weight column name, if any
   */
  constructor(
    private readonly features: readonly string[],
    private readonly weight: string | undefined,
  ) {}

  /**
   * The layout of a batch's schema.
   *
   * @param batch a record batch
   * @returns column positions
   * @throws ArrowBalanceError naming a missing column (and listing the columns there are) or a column that
   *   is not numeric (with its type and the supported types)
   */
  locate(batch: RecordBatch): ColumnLayout {
    const schema = batch.schema;
    let layout = this.#cache.get(schema);
    if (layout === undefined) {
      layout = {
        features: this.features.map((name) => numericColumn(schema, name, 'feature')),
        weight: this.weight === undefined ? -1 : numericColumn(schema, this.weight, 'weight'),
      };
      this.#cache.set(schema, layout);
    }
    return layout;
  }
}

function numericColumn(schema: Schema, name: string, role: 'feature' | 'weight'): number {
  const fields = schema.fields;
  const index = fields.findIndex((field) => field.name === name);
  const field = fields[index];
  if (field === undefined) {
    const names = fields.map((f) => f.name).join(', ');
    const hint = role === 'weight' ? ' (add one with weight(), or leave the weight option out)' : '';
    throw new ArrowBalanceError(`${role} column "${name}" not found${hint}; columns are: ${names === '' ? '(none)' : names}`);
  }
  if (!isNumericType(field.type)) {
    throw new ArrowBalanceError(
      `${role} column "${name}" has type ${String(field.type)}, which is not numeric; `
      + `encode it as numbers first, or leave it out; supported types are: ${SUPPORTED_NUMERIC_TYPES}`,
    );
  }
  return index;
}
