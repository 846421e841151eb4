/**
 * The columns of the all-types fixture: for each, the DuckDB type it reads back as and the SQL that makes its
 * values from a per-column 64-bit hash and the row's edge-value slot `k` (= row % 50).
 */

/** One column of the all-types fixture. */
export interface AllTypesColumn {
  /** Column name in the file. */
  readonly name: string;
  /** The type DuckDB's `DESCRIBE` reports when it reads the file back. */
  readonly duckdbType: string;
  /** What the column stands for, and its special values. */
  readonly note: string;
  /** SQL for a non-null value, given the name of the column's UBIGINT hash of (row, seed, column); uses `k` = row % 50. */
  readonly sql: (h: string) => string;
}

const I64_FROM_HASH = (h: string): string =>
  `(${h}::HUGEINT - 9223372036854775808)::BIGINT`;
const DEC38_FROM_HASH = (h: string): string =>
  `(CASE WHEN ${h} % 2 = 0 THEN '-' ELSE '' END || (hash(${h}) % 10000000000000000000)::VARCHAR` +
  ` || lpad(((${h} >> 3) % 10000000000)::VARCHAR, 10, '0') || '.' || lpad(((${h} >> 5) % 1000000000)::VARCHAR, 9, '0'))`;
const STRINGS = `['', 'a', 'héllo wörld', '日本語テキスト', '🦆 quack', 'two' || chr(10) || 'lines', 'it''s "quoted"']`;

/**
 * Every column of the all-types fixture, in file order. Every column but `id` holds nulls (one row in
 * seven); rows `k` = 1..10 of every 50 hold the edge values named in `note`.
 */
export const ALL_TYPES_COLUMNS: readonly AllTypesColumn[] = [
  { name: 'id', duckdbType: 'BIGINT', note: 'row number 0..rows-1, never null', sql: () => 'i' },
  {
    name: 'i8',
    duckdbType: 'TINYINT',
    note: 'int8; k=1 max, k=2 min',
    sql: (h) => `(CASE k WHEN 1 THEN 127 WHEN 2 THEN -128 ELSE (${h} % 256)::INTEGER - 128 END)::TINYINT`,
  },
  {
    name: 'i16',
    duckdbType: 'SMALLINT',
    note: 'int16; k=1 max, k=2 min',
    sql: (h) => `(CASE k WHEN 1 THEN 32767 WHEN 2 THEN -32768 ELSE (${h} % 65536)::INTEGER - 32768 END)::SMALLINT`,
  },
  {
    name: 'i32',
    duckdbType: 'INTEGER',
    note: 'int32; k=1 max, k=2 min',
    sql: (h) => `(CASE k WHEN 1 THEN 2147483647 WHEN 2 THEN -2147483648 ELSE (${h} % 4294967296)::BIGINT - 2147483648 END)::INTEGER`,
  },
  {
    name: 'i64',
    duckdbType: 'BIGINT',
    note: 'int64 over the full range; k=1 max, k=2 min, k=6 2^53+1',
    sql: (h) => `(CASE k WHEN 1 THEN 9223372036854775807 WHEN 2 THEN -9223372036854775808 WHEN 6 THEN 9007199254740993
          ELSE ${I64_FROM_HASH(h)} END)::BIGINT`,
  },
  {
    name: 'u8',
    duckdbType: 'UTINYINT',
    note: 'uint8; k=1 max, k=2 zero',
    sql: (h) => `(CASE k WHEN 1 THEN 255 WHEN 2 THEN 0 ELSE ${h} % 256 END)::UTINYINT`,
  },
  {
    name: 'u16',
    duckdbType: 'USMALLINT',
    note: 'uint16; k=1 max, k=2 zero',
    sql: (h) => `(CASE k WHEN 1 THEN 65535 WHEN 2 THEN 0 ELSE ${h} % 65536 END)::USMALLINT`,
  },
  {
    name: 'u32',
    duckdbType: 'UINTEGER',
    note: 'uint32; k=1 max, k=2 zero',
    sql: (h) => `(CASE k WHEN 1 THEN 4294967295 WHEN 2 THEN 0 ELSE ${h} % 4294967296 END)::UINTEGER`,
  },
  {
    name: 'u64',
    duckdbType: 'UBIGINT',
    note: 'uint64 over the full range (half above 2^63); k=1 max, k=2 zero, k=6 2^53+1, k=7 2^63+1',
    sql: (h) => `(CASE k WHEN 1 THEN 18446744073709551615 WHEN 2 THEN 0 WHEN 6 THEN 9007199254740993
          WHEN 7 THEN 9223372036854775809 ELSE ${h} END)::UBIGINT`,
  },
  {
    name: 'f32',
    duckdbType: 'FLOAT',
    note: 'float32 (exact binary fractions); k=3 NaN, k=4 +Infinity, k=5 -Infinity',
    sql: (h) => `(CASE k WHEN 3 THEN 'NaN'::REAL WHEN 4 THEN 'Infinity'::REAL WHEN 5 THEN '-Infinity'::REAL
          ELSE (((${h} % 16777216)::INTEGER - 8388608) / 1024.0)::REAL END)`,
  },
  {
    name: 'f64',
    duckdbType: 'DOUBLE',
    note: 'float64; k=1 max finite, k=3 NaN, k=4 +Infinity, k=5 -Infinity, k=6 -0.0, k=7 smallest subnormal',
    sql: (h) => `(CASE k WHEN 1 THEN 1.7976931348623157e308::DOUBLE WHEN 3 THEN 'NaN'::DOUBLE WHEN 4 THEN 'Infinity'::DOUBLE
          WHEN 5 THEN '-Infinity'::DOUBLE WHEN 6 THEN '-0.0'::DOUBLE WHEN 7 THEN 5e-324::DOUBLE
          ELSE (${h} / 18446744073709551616.0 - 0.5) * 1e9 END)`,
  },
  {
    name: 'dec_10_2',
    duckdbType: 'DECIMAL(10,2)',
    note: 'decimal(10,2), stored as INT64; k=1 max, k=2 min',
    sql: (h) => `(CASE k WHEN 1 THEN 99999999.99::DECIMAL(10,2) WHEN 2 THEN -99999999.99::DECIMAL(10,2)
          ELSE ((${h} % 19999999999)::BIGINT - 9999999999)::DECIMAL(10,0) * 0.01 END)::DECIMAL(10,2)`,
  },
  {
    name: 'dec_38_9',
    duckdbType: 'DECIMAL(38,9)',
    note: 'decimal(38,9), stored as FIXED_LEN_BYTE_ARRAY; k=1 max, k=2 min',
    sql: (h) => `(CASE k WHEN 1 THEN '99999999999999999999999999999.999999999'
          WHEN 2 THEN '-99999999999999999999999999999.999999999' ELSE ${DEC38_FROM_HASH(h)} END)::DECIMAL(38,9)`,
  },
  { name: 'bool', duckdbType: 'BOOLEAN', note: 'boolean', sql: (h) => `(${h} % 2 = 0)` },
  {
    name: 'str',
    duckdbType: 'VARCHAR',
    note: 'high-cardinality UTF-8 (accents, CJK, emoji, newline, quotes) with empty strings; k=7 empty',
    sql: (h) => `(CASE WHEN k = 7 THEN '' ELSE list_element(${STRINGS}, (${h} % 7 + 1)::BIGINT)
          || CASE WHEN (${h} >> 8) % 5 = 0 THEN '' ELSE ' #' || i END END)`,
  },
  {
    name: 'str_dict',
    duckdbType: 'VARCHAR',
    note: 'four distinct strings: DuckDB writes it dictionary-encoded (RLE_DICTIONARY)',
    sql: (h) => `list_element(['buy', 'dont_buy', 'maybe', 'ünknown'], (${h} % 4 + 1)::BIGINT)`,
  },
  {
    name: 'enum',
    duckdbType: 'VARCHAR',
    note: "DuckDB ENUM('sad','ok','happy'): written as dictionary-encoded strings, read back as VARCHAR",
    sql: (h) => `list_element(['sad', 'ok', 'happy'], (${h} % 3 + 1)::BIGINT)::ENUM('sad', 'ok', 'happy')`,
  },
  {
    name: 'date',
    duckdbType: 'DATE',
    note: 'date32, 1860..2079 (before and after the epoch); k=2 1969-12-31',
    sql: (h) => `(CASE k WHEN 2 THEN DATE '1969-12-31' ELSE DATE '1970-01-01' + ((${h} % 80000)::INTEGER - 40000) END)`,
  },
  {
    name: 'time',
    duckdbType: 'TIME',
    note: 'time of day in microseconds; k=1 23:59:59.999999, k=2 midnight',
    sql: (h) => `(CASE k WHEN 1 THEN TIME '23:59:59.999999' WHEN 2 THEN TIME '00:00:00'
          ELSE TIME '00:00:00' + to_microseconds((${h} % 86400000000)::BIGINT) END)`,
  },
  {
    name: 'ts',
    duckdbType: 'TIMESTAMP',
    note: 'timestamp without time zone, microseconds, 1875..2065; k=2 one microsecond before the epoch',
    sql: (h) => `make_timestamp(CASE k WHEN 2 THEN -1 ELSE (${h} % 6000000000000000)::BIGINT - 3000000000000000 END)`,
  },
  {
    name: 'ts_tz',
    duckdbType: 'TIMESTAMP WITH TIME ZONE',
    note: 'timestamp with time zone (UTC-adjusted), microseconds, 1875..2065; independent of the session time zone',
    sql: (h) => `timezone('UTC', make_timestamp((${h} % 6000000000000000)::BIGINT - 3000000000000000))`,
  },
  {
    name: 'list_str',
    duckdbType: 'VARCHAR[]',
    note: 'list<varchar> of 1..3 elements with null elements; k=8 empty list, k=9 [NULL]',
    sql: (h) => `(CASE k WHEN 8 THEN []::VARCHAR[] WHEN 9 THEN [NULL]::VARCHAR[]
          ELSE list_slice(['a' || (${h} % 100), CASE WHEN (${h} >> 8) % 3 = 0 THEN NULL ELSE 'é' || i END, '🦆'],
                          1, (1 + (${h} >> 4) % 3)::BIGINT) END)`,
  },
  {
    name: 'struct',
    duckdbType: 'STRUCT(x INTEGER, y VARCHAR)',
    note: 'struct{x: int32, y: varchar} with null fields; k=10 both fields null',
    sql: (h) => `(CASE WHEN k = 10 THEN {'x': NULL::INTEGER, 'y': NULL::VARCHAR}
          ELSE {'x': CASE WHEN ${h} % 6 = 0 THEN NULL ELSE ((${h} >> 8) % 100000)::INTEGER - 50000 END,
                'y': CASE WHEN (${h} >> 4) % 5 = 0 THEN NULL ELSE 'n' || (${h} % 1000) END} END)`,
  },
];

/** Names of the all-types fixture columns. */
export type AllTypesColumnName =
  | 'id' | 'i8' | 'i16' | 'i32' | 'i64' | 'u8' | 'u16' | 'u32' | 'u64' | 'f32' | 'f64' | 'dec_10_2' | 'dec_38_9'
  | 'bool' | 'str' | 'str_dict' | 'enum' | 'date' | 'time' | 'ts' | 'ts_tz' | 'list_str' | 'struct';
