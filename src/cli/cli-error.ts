import { ArrowBalanceError } from '../errors.js';

/** A command-line usage mistake: reported like any error, with exit status 2. */
export class UsageError extends ArrowBalanceError {
  constructor(message: string) {
    super(`${message}; see arrow-balance --help`);
    this.name = 'UsageError';
  }
}
