import { withPrefix } from '../errors.js';
import { logGamma, type RandomSource } from '../random.js';

/** Below this many draws, drawing them one by one is cheaper than computing a probability. */
const DIRECT_LIMIT = 16;

/**
 * Draws from the hypergeometric distribution: how many of `draws` items taken without replacement from a
 * `population` holding `successes` marked items are marked.
 *
 * Small draws are simulated item by item (exact). Larger ones invert the distribution function from its
 * mode outward (chop-down search, Kachitvichyanukul and Schmeiser 1985, "HIN"): about one uniform and a few
 * standard deviations of steps. The mode's probability comes from log-gamma differences, so its relative
 * error grows with the population's size (about 1e-10 at 10^6 rows, 1e-6 at 10^10): far below what any
 * sample could show. Whatever the rounding, the result always lies in the support.
 * @param random a uniform source in [0, 1)
 * @param population items in all (a non-negative safe integer)
 * @param successes marked items, at most `population`
 * @param draws items taken, at most `population`
 * @returns the marked items among those taken, in [max(0, draws - (population - successes)), min(draws, successes)]
 * @throws RangeError for arguments outside those ranges
 */
export function hypergeometric(random: RandomSource, population: number, successes: number, draws: number): number {
  for (const [name, value] of [['population', population], ['successes', successes], ['draws', draws]] as const) {
    if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(withPrefix(`hypergeometric ${name} is ${value}; it must be a non-negative integer`));
  }
  if (successes > population || draws > population) {
    throw new RangeError(withPrefix(`hypergeometric needs successes (${successes}) and draws (${draws}) at most the population (${population})`));
  }
  // Symmetries keep both parameters at most half the population.
  if (draws > population / 2) return successes - hypergeometric(random, population, successes, population - draws);
  if (successes > population / 2) return draws - hypergeometric(random, population, population - successes, draws);
  if (draws === 0 || successes === 0) return 0;
  return draws < DIRECT_LIMIT ? drawOneByOne(random, population, successes, draws) : invertFromMode(random, population, successes, draws);
}

function drawOneByOne(random: RandomSource, population: number, successes: number, draws: number): number {
  let marked = 0;
  for (let i = 0; i < draws; i++) if (random() * (population - i) < successes - marked) marked++;
  return marked;
}

function invertFromMode(random: RandomSource, population: number, successes: number, draws: number): number {
  const failures = population - successes;
  const low = Math.max(0, draws - failures);
  const high = Math.min(draws, successes);
  const mode = Math.min(high, Math.max(low, Math.floor(((draws + 1) * (successes + 1)) / (population + 2))));
  const modeProbability = Math.exp(logChoose(successes, mode) + logChoose(failures, draws - mode) - logChoose(population, draws));
  let u = random() - modeProbability;
  if (u <= 0) return mode;
  let up = mode;
  let down = mode;
  let upProbability = modeProbability;
  let downProbability = modeProbability;
  while (up < high || down > low) {
    if (up < high) {
      upProbability *= ((successes - up) * (draws - up)) / ((up + 1) * (failures - draws + up + 1));
      up++;
      u -= upProbability;
      if (u <= 0) return up;
    }
    if (down > low) {
      downProbability *= (down * (failures - draws + down)) / ((successes - down + 1) * (draws - down + 1));
      down--;
      u -= downProbability;
      if (u <= 0) return down;
    }
  }
  // Only rounding leaves probability unspent (about 1e-15): the mode is the likeliest answer.
  return mode;
}

/** ln C(n, k). */
function logChoose(n: number, k: number): number {
  return logFactorial(n) - logFactorial(k) - logFactorial(n - k);
}

function logFactorial(n: number): number {
  return n < 2 ? 0 : logGamma(n + 1);
}
