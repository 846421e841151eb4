/** What `toParquet` reports when the file is complete. */
export interface ParquetWriteSummary {
  /** Absolute path of the file written. */
  readonly path: string;
  /** Rows written. */
  readonly rows: number;
  /** Row groups in the file. */
  readonly rowGroups: number;
  /** Size of the file in bytes. */
  readonly bytes: number;
}
