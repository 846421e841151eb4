/**
 * Samples a large row group column by column: the label first, to choose the rows, then every other column
 * gathered at those rows, one column at a time.
 *
 * A row group written with one page per column chunk (DuckDB does) can only be decoded a whole column at a
 * time; sampling all columns window by window would hold every decoded column at once (about 500 MB for
 * 5M rows of 13 columns). Here only one column is decoded at a time, and the windows where nothing was
 * chosen are never decoded at all when the pages are small. The rows out, their order and their weights are
 * the ones the sampler gives for whole batches: it sees the same label values in the same windows.
 */
import { Field, Int32, makeData, RecordBatch, Schema, Struct, type Data, type Vector } from 'apache-arrow';
import { ownedBatch } from '../../arrow/owned-batch.js';
import { takeData } from '../../arrow/take-data.js';
import type { UnitSampler } from '../../plan/unit-sampler.js';
import type { RowGroupWindows } from './row-group-windows.js';
import type { ReportTaps } from '../../report/report-taps.js';
import type { Selection } from '../../report/sample-tap.js';

/** The rows the sampler chose from one window: batches of the label, the row's number and any weight. */
interface Picks {
  readonly first: number;
  readonly end: number;
  readonly batches: readonly RecordBatch[];
  /** The window's input rows and each output batch's rows that the report samples, when it does. */
  readonly report?: { readonly input: Selection; readonly output: readonly Selection[] } | undefined;
}

/** The columns a task gathers when a row group is cut into column slices (see `plan/column-slices.ts`). */
export interface GatherSlice {
  /** The slice's top-level columns; the label is read to choose rows whether or not it is one of them. */
  readonly columns: readonly string[];
  /** Whether the columns the sampler appends (an importance weight) go out with this slice: the last slice's. */
  readonly extras: boolean;
}

/**
 * Runs a unit's sampler over a large row group, and gathers its output rows column by column.
 *
 * Whole (no `rangeRows`): every column is read once and released after its gather, so one decoded column
 * is held at a time, but the whole output is. By ranges: the row group is sampled and gathered `rangeRows`
 * input rows at a time, each range's output handed to `emit` before the next; columns stay decoded across
 * ranges (a column stored as one page is decoded once), so the output held is one range's.
 * @param windows the row group
 * @param sampler the unit's sampler (not finished here)
 * @param declared the file's schema (nullability and metadata of each field)
 * @param label the label column's name
 * @param windowRows rows the sampler is given at a time
 * @param emit takes the sampled batches, in order, with every column of the row group (and the weight column
 *   the sampler appends)
 * @param rangeRows input rows sampled and gathered at a time; undefined for the whole row group at once
 * @param slice only these columns go out (the windows must hold them and the label); undefined for every
 *   column of the windows and the sampler's own
 * @param taps samples input and output rows for the distribution report, if the job makes one
 */
export async function sampleByColumns(
  windows: RowGroupWindows,
  sampler: UnitSampler,
  declared: Schema,
  label: string,
  windowRows: number,
  emit: (batches: RecordBatch[]) => Promise<void>,
  rangeRows?: number,
  slice?: GatherSlice,
  taps?: ReportTaps,
): Promise<void> {
  const labelField = windows.schema.fields.find((f) => f.name === label);
  if (labelField === undefined) throw new Error(`label column "${label}" not found`);
  const step = rangeRows ?? windows.rows;
  for (let start = 0; start < windows.rows; start += step) {
    const picks = await pickRows(windows, sampler, labelField, start, Math.min(windows.rows, start + step), windowRows, taps);
    await emit(await gatherColumns(windows, picks, declared, label, rangeRows === undefined, slice, taps));
  }
  for (const f of windows.schema.fields) windows.release(f.name);
}

/** The label pass over rows [start, end): the sampler's choice of rows, window by window. */
async function pickRows(windows: RowGroupWindows, sampler: UnitSampler, labelField: Field, start: number, end: number, windowRows: number, taps: ReportTaps | undefined): Promise<Picks[]> {
  const label = labelField.name;
  const rowName = label === 'row' ? 'row number' : 'row';
  const picks: Picks[] = [];
  for (let first = start; first < end; first += windowRows) {
    const last = Math.min(end, first + windowRows);
    const labels = await windows.takeColumn(label, first, last);
    const rowNumbers = new Int32Array(last - first);
    for (let i = 0; i < rowNumbers.length; i++) rowNumbers[i] = first + i;
    const numbers = makeData({ type: new Int32(), length: last - first, nullCount: 0, data: rowNumbers });
    const fields = [new Field(label, labels.type, labelField.nullable), new Field(rowName, new Int32(), false)];
    const batch = new RecordBatch(new Schema(fields), makeData({ type: new Struct(fields), length: last - first, nullCount: 0, children: [labels, numbers] }));
    const codes = sampler.coder.encode(batch);
    const batches = sampler.push(batch, codes).map((sampled) => detached(sampled, labels));
    const report = taps === undefined ? undefined : { input: taps.selectInput(batch, first, { codes, coder: sampler.coder }), output: batches.map((sampled) => taps.selectOutput(sampled)) };
    picks.push({ first, end: last, batches, report });
  }
  return picks;
}

/**
 * The picked rows with every column of the slice, gathered one column at a time (each released after, when
 * `release`).
 */
async function gatherColumns(windows: RowGroupWindows, picks: readonly Picks[], declared: Schema, label: string, release: boolean, slice: GatherSlice | undefined, taps: ReportTaps | undefined): Promise<RecordBatch[]> {
  if (release) windows.release(label);
  const columns: Data[][] = picks.flatMap((pick) => pick.batches.map(() => []));
  const gathered = slice === undefined ? windows.schema.fields : windows.schema.fields.filter((f) => slice.columns.includes(f.name));
  for (const f of gathered) {
    let out = 0;
    for (const pick of picks) {
      if (f.name === label) {
        for (const batch of pick.batches) columns[out++]?.push(batch.data.children[0] as Data);
        continue;
      }
      const reported = pick.report !== undefined && taps?.columns.includes(f.name) === true ? pick.report : undefined;
      if (pick.batches.length === 0 && (reported === undefined || reported.input.indices.length === 0)) continue;
      const data = await windows.takeColumn(f.name, pick.first, pick.end);
      if (reported !== undefined) taps?.record('input', reported.input, f.name, data);
      pick.batches.forEach((batch, b) => {
        const rows = (batch.getChildAt(1) as Vector<Int32>).toArray() as Int32Array;
        const indices = rows.map((row) => row - pick.first);
        const gathered = detachedData(takeData(data, indices, f.name), data);
        if (reported !== undefined) taps?.record('output', reported.output[b] as Selection, f.name, gathered);
        columns[out++]?.push(gathered);
      });
    }
    if (release) windows.release(f.name);
  }

  let out = 0;
  return picks.flatMap((pick) =>
    pick.batches.map((batch) => {
      const children = columns[out++] as Data[];
      const fields = gathered.map((f, i) => {
        const own = declared.fields.find((d) => d.name === f.name);
        return new Field(f.name, (children[i] as Data).type, own?.nullable ?? true, own?.metadata);
      });
      // The sampler appends the importance weight after the label and the row number.
      for (const extra of slice?.extras === false ? [] : batch.schema.fields.slice(2)) {
        fields.push(extra);
        children.push(batch.getChild(extra.name)?.data[0] as Data);
      }
      return new RecordBatch(new Schema(fields, declared.metadata), makeData({ type: new Struct(fields), length: batch.numRows, nullCount: 0, children }));
    }),
  );
}

/** A sampled batch that shares no memory with the decoded column it was gathered from (its dictionary, a whole window). */
function detached(batch: RecordBatch, source: Data): RecordBatch {
  let owned = batch;
  for (const buffer of buffersOf(source)) owned = ownedBatch(owned, buffer);
  return owned;
}

function detachedData(gathered: Data, source: Data): Data {
  const fields = [new Field('column', gathered.type)];
  const batch = new RecordBatch(new Schema(fields), makeData({ type: new Struct(fields), length: gathered.length, nullCount: 0, children: [gathered] }));
  return detached(batch, source).data.children[0] as Data;
}

/** The memory a column's buffers lie in (a decoded window of pages holds all of its buffers in one). */
function buffersOf(data: Data, into = new Set<ArrayBufferLike>()): Set<ArrayBufferLike> {
  for (const array of [data.valueOffsets, data.values, data.nullBitmap, data.typeIds, ...data.variadicBuffers] as Array<ArrayBufferView | undefined>) {
    if (array !== undefined && array !== null) into.add(array.buffer);
  }
  for (const child of data.children) buffersOf(child, into);
  for (const dictionary of data.dictionary?.data ?? []) buffersOf(dictionary, into);
  return into;
}
