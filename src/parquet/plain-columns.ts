import { DataType, type Field, type Schema } from 'apache-arrow';

/**
 * Dot-separated Parquet paths of the leaf columns holding floating-point values.
 *
 * These are written without dictionary encoding (see `buildWriterProperties`). Lists add the
 * `list.element` (or `list.item`) levels arrow-rs uses for their leaves.
 */
export function floatLeafPaths(schema: Schema): string[] {
  const paths: string[] = [];
  for (const field of schema.fields) collect(field, field.name, paths);
  return paths;
}

function collect(field: Field, path: string, paths: string[]): void {
  const type = field.type;
  if (DataType.isFloat(type)) {
    paths.push(path);
  } else if (DataType.isStruct(type)) {
    for (const child of type.children) collect(child, `${path}.${child.name}`, paths);
  } else if (DataType.isList(type) || DataType.isFixedSizeList(type)) {
    const child = type.children[0];
    if (child !== undefined) collect(child, `${path}.list.${child.name}`, paths);
  }
}
