import type { ClassCountsJSON } from '../classes/class-counts.js';
import type { DistributionCheck } from '../report/distribution-checks.js';
import type { BalanceMode } from '../sampling/balance-options.js';
import type { Strategy, TargetSpec } from '../sampling/target-spec.js';

/** Key of the Parquet key-value metadata entry that holds how a balanced file was made. */
export const REPORT_METADATA_KEY = 'arrow-balance';

/** What `balanceParquet` did. Also stored in the output file's metadata, without `seconds`, `rowsRead` and `rowsWritten`. */
export interface BalanceReport {
  /** The input file(s), as given. */
  readonly input: readonly string[];
  /** The output file (absolute path). */
  readonly output: string;
  /** Label column. */
  readonly label: string;
  readonly strategy: Strategy;
  readonly mode: BalanceMode;
  /** The target as given (`'auto'` when none was). */
  readonly target: TargetSpec;
  /** The seed used; drawn at random when none was given, so any run can be repeated. */
  readonly seed: number | string;
  /** Reservoir rows per class (reservoir mode; null otherwise). */
  readonly capacity: number | null;
  /** Rows in the shuffle buffer, or null when the output was not shuffled. */
  readonly shuffle: number | null;
  /** The importance-weight column added, or null. */
  readonly importanceWeight: string | null;
  /** Rows per class in the input. */
  readonly inputCounts: ClassCountsJSON;
  /** Rows per class in the output; null in the file metadata of online mode, where it is known only at the end. */
  readonly outputCounts: ClassCountsJSON | null;
  readonly rowsRead: number;
  readonly rowsWritten: number;
  /** Notices, such as a reservoir capacity that capped a target. */
  readonly warnings: readonly string[];
  /**
   * With `report`: each class's Kolmogorov-Smirnov distance between its input and output values in each
   * checked column, with the p-value and the error the sampling adds; null without. In the file's metadata
   * only where the job knows them before its last write (exact mode on worker threads).
   */
  readonly ks: readonly DistributionCheck[] | null;
  /** Wall time of the whole job. */
  readonly seconds: number;
}

/** Where a running `balanceParquet` is. */
export interface BalanceProgress {
  /** `'count'`: the first pass over the label column; `'balance'`: the pass that writes. */
  readonly phase: 'count' | 'balance';
  readonly rowsRead: number;
  /** Rows in the input, once known (after the count pass). */
  readonly rowsTotal: number | undefined;
  readonly rowsWritten: number;
}
