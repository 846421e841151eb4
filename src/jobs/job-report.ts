import { arrowInputName, isArrowInput, type JobInput } from './job-input.js';
import { isHttpUrl, urlName } from '../remote/remote-url.js';
import { PinnedInputs } from '../parquet/sources.js';

/**
 * The input of a job as its report names it: the file(s) as given, URLs without their query (see `urlName`),
 * or `<buffer>` for bytes.
 * @param input what the job read
 * @returns the names
 */
export function inputNames(input: JobInput): string[] {
  if (isArrowInput(input)) return [arrowInputName(input)];
  if (input instanceof PinnedInputs) return input.inputs.map((pinned) => pinned.name);
  const names = typeof input === 'string' ? [input] : input instanceof Uint8Array ? ['<buffer>'] : [...input];
  return names.map((name) => (isHttpUrl(name) ? urlName(name) : name));
}

/** What a job's report knows only at the end, and where its output went: neither is stored in the file. */
type NotStored = 'seconds' | 'rowsRead' | 'rowsWritten' | 'output';

/**
 * A job's report as stored in its output file. The footer is fixed when the first batch is written, so it
 * leaves out what is known only at the end: the timing and the row totals (the class counts hold the totals).
 * It leaves out the output path too: the file holds what made its rows, so the same job writes the same bytes
 * wherever the file goes.
 * @param report the report so far
 * @returns the report without `seconds`, `rowsRead`, `rowsWritten` and `output`
 */
export function storedReport<Report extends Record<NotStored, unknown>>(report: Report): Omit<Report, NotStored> {
  const { seconds: _seconds, rowsRead: _rowsRead, rowsWritten: _rowsWritten, output: _output, ...rest } = report;
  return rest;
}
