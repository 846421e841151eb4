import type { Field, Schema } from 'apache-arrow';

/**
 * Describes the first field where two schemas differ, or nothing when they agree.
 *
 * Compares names, types (including nested children) and nullability, field by field in order. A field is
 * named, not numbered, when the names agree: schemas read with a projection number their fields anew.
 * @returns e.g. `"price" is Float64 in one and Int64 in the other`, or undefined
 */
export function firstSchemaDifference(a: Schema, b: Schema): string | undefined {
  const count = Math.max(a.fields.length, b.fields.length);
  for (let index = 0; index < count; index += 1) {
    const left = a.fields[index];
    const right = b.fields[index];
    if (left === undefined || right === undefined) {
      const extra = (left ?? right) as Field;
      return `field ${index}: "${extra.name}" is in one and missing from the other`;
    }
    if (left.name !== right.name) return `field ${index}: "${left.name}" against "${right.name}"`;
    const leftType = String(left.type);
    const rightType = String(right.type);
    if (leftType !== rightType) return `"${left.name}" is ${leftType} in one and ${rightType} in the other`;
    if (left.nullable !== right.nullable) {
      return `"${left.name}" is ${nullability(left)} in one and ${nullability(right)} in the other`;
    }
  }
  return undefined;
}

function nullability(field: Field): string {
  return field.nullable ? 'nullable' : 'not nullable';
}
