/**
 * arrow-balance: rebalance class-imbalanced training data as it streams.
 *
 * The main entry. It never loads tfjs; see `arrow-balance/tfjs` for the trainer helpers.
 * @packageDocumentation
 */
export { ArrowBalanceError } from './errors.js';
