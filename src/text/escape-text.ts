/**
 * Text from data (class values, column names, file names) made safe to print: control characters become
 * visible escapes, so a value can neither drive the terminal nor break a line or a table.
 */

/**
 * What must not reach a terminal raw: C0 controls, DEL and C1 controls (ESC and CSI start terminal
 * commands; newline, tab and carriage return move the cursor), the line and paragraph separators, and the
 * bidirectional formatting characters, which reorder the text shown around them.
 */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const HAS_UNSAFE = new RegExp(UNSAFE.source);

const NAMED: Readonly<Record<string, string>> = {
  '\u0007': '\\a',
  '\b': '\\b',
  '\t': '\\t',
  '\n': '\\n',
  '\v': '\\v',
  '\f': '\\f',
  '\r': '\\r',
  '\u001b': '\\e',
};

function escapeOne(char: string): string {
  const named = NAMED[char];
  if (named !== undefined) return named;
  const code = char.charCodeAt(0);
  return code < 0x80 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/**
 * Escapes control characters the way C, bash's `$'...'` and git show them: `\e` (ESC), `\n`, `\t`, `\r`,
 * `\a`, `\b`, `\v`, `\f`, `\xHH` for other C0 controls and DEL, `\uHHHH` for C1 controls, U+2028, U+2029
 * and bidirectional controls such as U+202E. Everything else is left as it is (backslashes too: `--json`
 * output is the exact form), so the result is one line of printable text as wide as it looks.
 *
 * ## Example
 * ```ts
 * escapeText('\u001b[2J\u001b[31mred'); // '\\e[2J\\e[31mred'
 * escapeText('two\nlines'); // 'two\\nlines'
 * escapeText('abc\u202edef'); // 'abc\\u202edef'
 * ```
 * @param text any text
 * @returns the text with its control characters escaped (the same string when it has none)
 */
export function escapeText(text: string): string {
  return HAS_UNSAFE.test(text) ? text.replace(UNSAFE, escapeOne) : text;
}

/**
 * Folds line breaks, with the spaces around them, into single spaces: for messages of other libraries, whose
 * line breaks only lay out their text.
 *
 * @param text a message
 * @returns the message on one line, trimmed
 */
export function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]\s*/g, ' ').trim();
}

/**
 * The message of anything thrown by another library, on one line (see {@link oneLine}).
 *
 * @param error an Error (whose `message` some libraries leave undefined), a string or anything else
 * @returns its text
 */
export function messageOf(error: unknown): string {
  return oneLine(String(error instanceof Error ? error.message : error));
}

/** What `JSON.stringify` leaves raw though a terminal may act on it: DEL, C1 controls, separators, bidi controls. */
const JSON_UNSAFE = /[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/**
 * `JSON.stringify`, with the characters it leaves raw that a terminal may act on written as `\uHHHH` escapes
 * (it escapes those below U+0020 itself). These can only occur inside JSON strings, so the text parses to
 * the same value.
 *
 * ## Example
 * ```ts
 * jsonText({ value: 'a\u009b2Jb' }); // '{"value":"a\\u009b2Jb"}'
 * ```
 * @param value anything `JSON.stringify` takes
 * @returns the JSON text, printable
 */
export function jsonText(value: unknown): string {
  return JSON.stringify(value).replace(JSON_UNSAFE, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
