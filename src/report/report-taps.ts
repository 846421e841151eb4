/**
 * A task's taps for the distribution report (see `sample-tap.ts`): the input side's rows by their position in
 * the whole input (each unit's first row is given), the output's by their position in the whole output.
 */
import type { RecordBatch } from 'apache-arrow';
import type { TaskReport } from '../parquet/wasm/worker-protocol.js';
import type { ClassSamplesData } from './class-samples.js';
import { SampleTap, type CodedLabels, type Selection } from './sample-tap.js';

/** Both sides' taps of one task, following its units' rows and its output rows. */
export class ReportTaps {
  private readonly inputTap: SampleTap;
  private readonly outputTap: SampleTap;
  private inputRow = 0;
  private outputRow: number;

  constructor(private readonly report: TaskReport) {
    this.inputTap = new SampleTap({ ...report.settings, side: 'input', rates: new Map(report.rates.map(([key, rate]) => [key, rate])) });
    this.outputTap = new SampleTap({ ...report.settings, side: 'output', rates: new Map(report.rates.map(([key, , rate]) => [key, rate])) });
    this.outputRow = report.outputRow;
  }

  /** The report's columns. */
  get columns(): readonly string[] {
    return this.report.settings.columns;
  }

  /** Starts the task's unit `u`: its rows come next, from its first. */
  startUnit(u: number): void {
    this.inputRow = this.report.inputRows[u] ?? 0;
  }

  /** Samples the unit's next input rows (with the label and the report's columns), and their coded labels. */
  input(batch: RecordBatch, coded: CodedLabels): void {
    this.inputTap.push(batch, this.inputRow, coded);
    this.inputRow += batch.numRows;
  }

  /** Samples the task's next output rows. */
  output(batch: RecordBatch): void {
    this.outputTap.push(batch, this.outputRow);
    this.outputRow += batch.numRows;
  }

  /**
   * Counts input rows by class and picks those that may be sampled, for their columns to be recorded later
   * (column by column): `first` counts from the unit's first row; `coded` are the labels' codes.
   */
  selectInput(labels: RecordBatch, first: number, coded: CodedLabels): Selection {
    return this.inputTap.select(labels, this.inputRow + first, coded);
  }

  /** The same for the next output rows (their label), which are then counted as emitted. */
  selectOutput(labels: RecordBatch): Selection {
    const selection = this.outputTap.select(labels, this.outputRow);
    this.outputRow += labels.numRows;
    return selection;
  }

  /** Records one column of rows selected by {@link selectInput} or {@link selectOutput}. */
  record(side: 'input' | 'output', selection: Selection, column: string, data: Parameters<SampleTap['record']>[2]): void {
    (side === 'input' ? this.inputTap : this.outputTap).record(selection, column, data);
  }

  /** Both sides' samples, to send with the task's part. */
  samples(): { readonly input: ClassSamplesData; readonly output: ClassSamplesData } {
    return { input: this.inputTap.samples.toData(), output: this.outputTap.samples.toData() };
  }
}
