/**
 * What to do when writing the output fails with a system error, for the end of the error's one line.
 * @param code the error's code (`ENOSPC`, `EFBIG`, ...)
 * @param folder the output's folder
 * @returns `; <what to do>`, or an empty string for a code with nothing specific to say
 */
export function writeAdvice(code: string | undefined, folder: string): string {
  switch (code) {
    case 'ENOSPC':
    case 'EDQUOT':
      return `; free some space in ${folder} or write the output elsewhere`;
    case 'EFBIG':
      return '; the file outgrew the size limit of this process (ulimit -f) or of its file system: raise the limit or write the output elsewhere';
    default:
      return '';
  }
}
