// Rational arithmetic on bigints. Binary floats turn 0.1 + 0.2 into 0.30000000000000004 and round a
// true 62.125 either way depending on the path taken; a committee's totals and ranks must instead be
// reproducible by anyone from the published scores, so everything stays exact until the final rounding.

export interface Ratio {
  readonly n: bigint;
  /** Always positive. */
  readonly d: bigint;
}

const abs = (x: bigint) => (x < 0n ? -x : x);

const gcd = (a: bigint, b: bigint): bigint => {
  let x = abs(a);
  let y = abs(b);
  while (y !== 0n) [x, y] = [y, x % y];
  return x;
};

export const ratio = (n: bigint, d = 1n): Ratio => {
  if (d === 0n) throw new RangeError("division by zero");
  const sign = d < 0n ? -1n : 1n;
  const g = gcd(n, d) || 1n;
  return { n: (sign * n) / g, d: (sign * d) / g };
};

export const ZERO = ratio(0n);
export const int = (x: number | bigint) => ratio(BigInt(x));
export const add = (a: Ratio, b: Ratio) => ratio(a.n * b.d + b.n * a.d, a.d * b.d);
export const sub = (a: Ratio, b: Ratio) => ratio(a.n * b.d - b.n * a.d, a.d * b.d);
export const mul = (a: Ratio, b: Ratio) => ratio(a.n * b.n, a.d * b.d);
export const div = (a: Ratio, b: Ratio) => ratio(a.n * b.d, a.d * b.n);
export const cmp = (a: Ratio, b: Ratio) => {
  const l = a.n * b.d;
  const r = b.n * a.d;
  return l < r ? -1 : l > r ? 1 : 0;
};
export const sum = (xs: readonly Ratio[]) => xs.reduce(add, ZERO);

/**
 * A finite number as the decimal it is written as: a weight of 0.1 means one tenth, not the binary
 * float nearest to it. JavaScript's shortest round-trip string gives exactly those digits.
 */
export const fromNumber = (x: number): Ratio => {
  if (!Number.isFinite(x)) throw new RangeError(`not a finite number: ${x}`);
  const m = /^(-?)(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/.exec(String(x));
  if (!m) throw new RangeError(`unexpected number format: ${x}`);
  const [, sign = "", whole = "0", fraction = "", exponent = "0"] = m;
  const digits = BigInt(`${sign}${whole}${fraction}`);
  const scale = Number(exponent) - fraction.length;
  return scale >= 0 ? ratio(digits * 10n ** BigInt(scale)) : ratio(digits, 10n ** BigInt(-scale));
};

/** Rounded half away from zero to `decimals` places, then as the nearest double. */
export const toRounded = (r: Ratio, decimals = 2): number => {
  const scale = 10n ** BigInt(decimals);
  const scaled = r.n * scale;
  let q = scaled / r.d;
  const rem = abs(scaled % r.d);
  if (2n * rem >= r.d) q += r.n < 0n ? -1n : 1n;
  return Number(q) / Number(scale);
};

const isqrt = (x: bigint): bigint => {
  if (x < 2n) return x;
  let y = x;
  let z = (y + 1n) / 2n;
  while (z < y) {
    y = z;
    z = (y + x / y) / 2n;
  }
  return y;
};

/** √r rounded half up to `decimals` places, exactly: round(√w) = ⌊(⌊√(4w)⌋ + 1) / 2⌋. */
export const sqrtRounded = (r: Ratio, decimals = 2): number => {
  if (r.n < 0n) throw new RangeError("square root of a negative number");
  const scale = 10n ** BigInt(decimals);
  const s = isqrt((4n * r.n * scale * scale) / r.d);
  return Number((s + 1n) / 2n) / Number(scale);
};
