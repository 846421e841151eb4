/**
 * Joins the column slices of one output (see `plan/column-slices.ts`) into one Parquet file: each slice is a
 * Parquet file holding some of the columns of the same rows, cut into the same row groups. Row group i of the
 * result holds every slice's column chunks of row group i, in slice order. The data is copied as it is, slice
 * after slice; only offsets and sizes in the footer change. A Parquet row group's column chunks need not lie
 * next to each other: each is found by its own offset.
 */
import { ArrowBalanceError } from '../../errors.js';
import { field, writeStruct, type ThriftList, type ThriftStruct } from '../thrift-compact.js';
import { FILE_META, mergedFooter, rebaseOffsetIndex, rebaseRowGroup, rowGroups, splitParquet, writePageIndexes, type ChunkIndexes } from './parquet-footer.js';

/** Field ids of parquet.thrift used here. */
const SCHEMA = 2;
const SCHEMA_ELEMENT = { numChildren: 5 } as const;
const ROW_GROUP = { columns: 1, totalByteSize: 2, numRows: 3, totalCompressedSize: 6 } as const;
const MAGIC = new Uint8Array([0x50, 0x41, 0x52, 0x31]);

/**
 * One Parquet file from column slices of the same rows.
 * @param template a Parquet file of no rows with every column of the output, in order: its schema, its
 *   `ARROW:schema` and the rest of its footer are the result's
 * @param slices the slices in column order, each a whole Parquet file
 * @returns the joined file
 * @throws ArrowBalanceError when the slices' columns do not make up the template's, or their row groups differ
 */
export function joinColumnSlices(template: Uint8Array, slices: readonly Uint8Array[]): Uint8Array {
  const base = splitParquet(template).footer;
  const parts = slices.map((slice) => splitParquet(slice));
  checkColumns(base, parts.map((part) => part.footer));
  const groupsOf = parts.map((part) => rowGroups(part.footer));
  const groupCount = groupsOf[0]?.length ?? 0;
  if (groupsOf.some((groups) => groups.length !== groupCount)) throw new ArrowBalanceError('column slices of one output hold different numbers of row groups');

  const chunks: Uint8Array[] = [MAGIC];
  let position = MAGIC.length;
  const indexOf = new Map<ThriftStruct, ChunkIndexes>();
  parts.forEach((part, s) => {
    const delta = BigInt(position - MAGIC.length);
    (groupsOf[s] as ThriftStruct[]).forEach((group, g) => rebaseRowGroup(group, delta, g));
    for (const chunk of part.indexes) {
      if (chunk.offsetIndex !== undefined) rebaseOffsetIndex(chunk.offsetIndex, delta);
      indexOf.set(chunk.chunk, chunk);
    }
    chunks.push(part.data);
    position += part.data.length;
  });

  const groups: ThriftStruct[] = [];
  for (let g = 0; g < groupCount; g++) groups.push(joinedRowGroup(groupsOf.map((groups) => groups[g] as ThriftStruct)));
  const indexes = groups.flatMap((group) => columnsOf(group).flatMap((chunk) => indexOf.get(chunk) ?? []));
  writePageIndexes(indexes, (bytes) => {
    const at = BigInt(position);
    chunks.push(bytes);
    position += bytes.length;
    return at;
  });
  const rows = field(parts[0]?.footer ?? base, FILE_META.numRows) as bigint;
  const footer = writeStruct(mergedFooter(base, groups, rows, {}));
  const length = new Uint8Array(4);
  new DataView(length.buffer).setUint32(0, footer.length, true);
  chunks.push(footer, length, MAGIC);
  return Buffer.concat(chunks);
}

/** Row group i of every slice as one: the slices' column chunks in order, their sizes added up. */
function joinedRowGroup(slices: readonly ThriftStruct[]): ThriftStruct {
  const [first] = slices as [ThriftStruct];
  const rows = field(first, ROW_GROUP.numRows);
  if (slices.some((group) => field(group, ROW_GROUP.numRows) !== rows)) throw new ArrowBalanceError('column slices of one output cut their rows into different row groups');
  const sum = (id: number): bigint => slices.reduce((total, group) => total + ((field(group, id) as bigint | undefined) ?? 0n), 0n);
  const columns = slices.flatMap(columnsOf);
  const fields = first.fields.map((f) => {
    if (f.id === ROW_GROUP.columns) return { ...f, value: { ...(f.value as ThriftList), items: columns } };
    if (f.id === ROW_GROUP.totalByteSize || f.id === ROW_GROUP.totalCompressedSize) return { ...f, value: sum(f.id) };
    return f;
  });
  return { kind: 'struct', fields };
}

/** The template's schema must be the slices' columns, in order, under one root. */
function checkColumns(template: ThriftStruct, slices: readonly ThriftStruct[]): void {
  const elements = (footer: ThriftStruct): ThriftStruct[] => ((field(footer, SCHEMA) as ThriftList | undefined)?.items ?? []) as ThriftStruct[];
  const [root, ...columns] = elements(template);
  const joined = slices.flatMap((slice) => elements(slice).slice(1));
  const same =
    root !== undefined &&
    field(root, SCHEMA_ELEMENT.numChildren) === slices.reduce((sum, slice) => sum + ((field(elements(slice)[0] as ThriftStruct, SCHEMA_ELEMENT.numChildren) as number | undefined) ?? 0), 0) &&
    joined.length === columns.length &&
    joined.every((element, i) => Buffer.from(writeStruct(element)).equals(writeStruct(columns[i] as ThriftStruct)));
  if (!same) throw new ArrowBalanceError("column slices of one output do not hold the output's columns in order");
}

function columnsOf(group: ThriftStruct): ThriftStruct[] {
  return ((field(group, ROW_GROUP.columns) as ThriftList | undefined)?.items ?? []) as ThriftStruct[];
}
