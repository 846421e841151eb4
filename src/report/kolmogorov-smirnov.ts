/**
 * The two-sample Kolmogorov-Smirnov test: the largest distance between two samples' empirical distribution
 * functions, and how likely a distance at least that large is when both samples come from one distribution.
 *
 * Written here rather than taken from a library: the statistic is one merge of two sorted arrays, and the
 * p-value one alternating series (Kolmogorov's distribution with Stephens' small-sample correction, as in
 * Numerical Recipes' `kstwo`); the statistics packages on npm bring far more than these twenty lines.
 */

/**
 * The KS distance between two samples: the largest gap between their empirical distribution functions.
 * @param a one sample, sorted ascending
 * @param b the other, sorted ascending
 * @returns a number in [0, 1]; 0 when either sample is empty
 */
export function ksDistance(a: Float64Array, b: Float64Array): number {
  if (a.length === 0 || b.length === 0) return 0;
  let i = 0;
  let j = 0;
  let distance = 0;
  while (i < a.length && j < b.length) {
    const x = Math.min(a[i] as number, b[j] as number);
    while (i < a.length && (a[i] as number) <= x) i++;
    while (j < b.length && (b[j] as number) <= x) j++;
    distance = Math.max(distance, Math.abs(i / a.length - j / b.length));
  }
  return distance;
}

/**
 * The p-value of a two-sample KS distance: the chance of a distance at least `d` between samples of `n` and
 * `m` values drawn from one continuous distribution (asymptotic, with Stephens' correction).
 * @param d the distance
 * @param n the first sample's size
 * @param m the second sample's size
 */
export function ksPValue(d: number, n: number, m: number): number {
  if (n === 0 || m === 0) return 1;
  const effective = Math.sqrt((n * m) / (n + m));
  return kolmogorovSurvival((effective + 0.12 + 0.11 / effective) * d);
}

/** P(K > lambda) for Kolmogorov's distribution: 2 * sum_k (-1)^(k-1) exp(-2 k^2 lambda^2). */
export function kolmogorovSurvival(lambda: number): number {
  if (lambda < 0.2) return 1;
  let sum = 0;
  let previous = 0;
  for (let k = 1; k <= 100; k++) {
    const term = 2 * (k % 2 === 1 ? 1 : -1) * Math.exp(-2 * k * k * lambda * lambda);
    sum += term;
    if (Math.abs(term) <= 1e-10 * sum || Math.abs(term) <= 1e-12 * previous) return Math.min(1, Math.max(0, sum));
    previous = Math.abs(term);
  }
  return 1;
}

/**
 * How far a KS distance between two uniform random subsamples (of `n` and `m` values) can be from the
 * distance between the full sets they were drawn from, with probability at least 1 - alpha: by the
 * Dvoretzky-Kiefer-Wolfowitz inequality (Massart's constant), each subsample's distribution function lies
 * within sqrt(ln(4 / alpha) / (2 size)) of its full set's with probability 1 - alpha / 2. A sample that holds its
 * whole set adds nothing.
 * @param n the first subsample's size, or Infinity when it is its whole set
 * @param m the second's
 * @param alpha the chance allowed for the bound to fail (default 0.05)
 */
export function ksSamplingError(n: number, m: number, alpha = 0.05): number {
  const side = (size: number): number => (Number.isFinite(size) && size > 0 ? Math.sqrt(Math.log(4 / alpha) / (2 * size)) : 0);
  return side(n) + side(m);
}
