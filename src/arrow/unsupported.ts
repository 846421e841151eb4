/**
 * The error for an Arrow type that the gather/concatenate code does not handle.
 */
import { Type } from 'apache-arrow';
import type { DataType } from 'apache-arrow';
import { withPrefix } from '../errors.js';

/** Types the row gather and concatenation handle, as listed in error messages. */
export const SUPPORTED_TYPES =
  'Null, Int, Float, Bool, Decimal, Date, Time, Timestamp, Duration, Interval, Utf8, LargeUtf8, Utf8View, Binary, '
  + 'LargeBinary, BinaryView, FixedSizeBinary, List, LargeList, FixedSizeList, Struct, Map, Dictionary';

/**
 * A `TypeError` saying that column `name` has a type we cannot process.
 *
 * @param name column name (or nested path)
 * @param type the column type
 * @param action what was attempted, e.g. `gather rows of`
 * @returns the error, to be thrown by the caller
 */
export function unsupportedType(name: string, type: DataType, action: string): TypeError {
  const id = type.typeId as Type;
  const label = Type[id] ?? String(id);
  return new TypeError(withPrefix(
    `cannot ${action} column "${name}" of type ${String(type)} (Type.${label}); supported types are: ${SUPPORTED_TYPES}`,
  ));
}
