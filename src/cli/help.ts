/** The text of `arrow-balance --help`. */
export const HELP = `arrow-balance: rebalance class-imbalanced Parquet or Arrow IPC data

Usage:
  arrow-balance count <input...> --label <column> [--nulls error|drop|class] [--max-classes <n>]
                      [--engine <name>] [--json]
  arrow-balance balance <input...> --label <column> -o, --output <file> [options]
  arrow-balance weight <input...> --label <column> -o, --output <file> [options]
  arrow-balance plan <input...> --label <column> -o, --output <plan.json> [balance options]
  arrow-balance balance [<input...>] --plan <plan.json> --shard <i>/<n>|auto -o <folder>
  arrow-balance balance <input...> --label <column> --seed <n> --shard <i>/<n>|auto -o <folder>
  arrow-balance verify <folder> --plan <plan.json> [--shards <n>] [--json]
  arrow-balance --help | --version      (also: arrow-balance <command> --help)

Inputs are Parquet files, folders of *.parquet files (read in name order) or http(s):// URLs
(read with Range requests), or one Arrow IPC input: a .arrow/.feather file, an .arrows stream, or
- for an IPC stream on stdin.
Outputs follow their extension: .arrow/.feather an IPC file, .arrows an IPC stream, anything else
Parquet; -o - writes an IPC stream to stdout (the table and --json then go to stderr).

count     prints the rows of each class (reads only the label column).
          --json prints {"total": N, "classes": [{"value": v, "count": n}, ...]}.
          --max-classes <n>: distinct label values accepted (default 100000, at most 16777216);
          one more stops at once with an error (the label is likely an id column).

balance   writes a balanced copy of the input.
  --strategy under|over|hybrid     undersample the larger classes (default), oversample the
                                   smaller ones, or both
  --target <spec>                  auto (default), majority, minority, not-minority,
                                   not-majority, all, a ratio like 0.5, or class=count,...
  --mode exact|reservoir|online    exact (default: counts classes first, exact output counts),
                                   reservoir (one pass), online (approximate, unbounded)
  --capacity <rows>                reservoir mode: rows kept per class at most (default 100000)
  --seed <n>                       random seed (default: drawn and reported)
  --shuffle <rows>                 shuffle the output through a buffer of this many rows
  --workers <n>                    exact mode: worker threads (default: the cores available);
                                   the output is the same bytes whatever the number
  --nulls error|drop|class         null labels: an error (default), dropped, or a class
  --max-classes <n>                distinct label values accepted (default 100000), as for count
  --importance-weight <column>     add a column n_c/k_c so weighted totals match the input
  --compression <codec>            snappy (default), zstd, gzip, brotli, lz4_raw, none
  --row-group-size <n>             rows per output row group (default 122880)
  --engine parquet-wasm|parquetjs-lite
  --format parquet|arrow|arrows    the output's format, whatever its extension
  --force                          replace an existing output file
  --json                           print the report as JSON on stdout
  --quiet                          no progress on stderr
  --report <file.html>             write a page showing each class's distribution in and out, with
                                   the Kolmogorov-Smirnov distance per class and numeric column
                                   (also in --json and the file's metadata as "ks")
  --report-columns <a,b,...>       the numeric columns to check (default: the first 12)
  --max-ks <d>                     fail, leaving no output, when a class's KS distance in a column
                                   exceeds d (checked after the report is written)

plan      counts classes per row group and writes the exact plan as JSON: the inputs (size,
          modification time), the units with their counts and quotas, the targets, the seed.
          Takes balance's --strategy, --target, --seed, --nulls, --max-classes,
          --importance-weight, --engine, and --force, --json.

balance --shard <i>/<n>            runs shard i (from 0) of n of the plan: a contiguous run of row
                                   groups carrying about 1/n of the output, written to
                                   <folder>/part-<i>-of-<n>.parquet (replaced when run again: same
                                   bytes). The parts in name order hold the rows of the one-file
                                   output for the same seed, in order. An input changed since the
                                   plan was made is refused. Without --plan each shard plans for
                                   itself (--label and --seed needed).
  --shard auto                     the index from JOB_COMPLETION_INDEX (Kubernetes),
                                   SLURM_ARRAY_TASK_ID (Slurm, counted from SLURM_ARRAY_TASK_MIN;
                                   the count from SLURM_ARRAY_TASK_COUNT) or
                                   AWS_BATCH_JOB_ARRAY_INDEX
  --shards <n>                     the count, for Kubernetes and AWS Batch
  --workers, --compression, --row-group-size, --engine, --json   as for balance

verify    checks a folder of parts against the plan: every part present, made from this plan,
          with the planned rows per class, and no stray or stale *.parquet file. Exit status 1,
          naming each problem, otherwise.

weight    writes a copy of the input with a class-weight column.
  --scheme balanced|inverse|sqrt|effective|manual   default balanced; manual with --class-weight
  --beta <b>                       effective scheme, 0 <= b < 1 (default 0.999)
  --class-weight <class>=<w>       repeatable; for a class starting with "-" write --class-weight=-1=0.5
  --column <name>                  the weight column (default weight)
  --replace                        overwrite a column of that name in the input
  --type float32|float64           (default float32)
  --report <file.html>             write a page of the classes, weights, weighted totals and
                                   effective sample size
  --nulls, --max-classes, --compression, --row-group-size, --engine, --format, --force, --json,
  --quiet                          as for balance

Exit status: 0 on success; 1 on an error; 2 on a usage mistake; 130, 143 or 129 when stopped by
SIGINT (Ctrl-C), SIGTERM or SIGHUP, leaving no output behind. Errors are one line on stderr.
`;
