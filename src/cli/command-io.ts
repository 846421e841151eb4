/** Where a command writes: data to `out` (stdout), diagnostics and progress to `err` (stderr). */
export interface CommandIo {
  out(text: string): void;
  err(text: string): void;
  /** Whether stderr is a terminal (progress is shown only then). */
  readonly errIsTerminal: boolean;
}
