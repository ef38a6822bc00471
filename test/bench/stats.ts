// Numbers for the benchmarks: timing, medians, and the formatting of the report.

/** Runs `task` once and returns its result with the elapsed wall-clock milliseconds. */
export const timed = async <T>(task: () => Promise<T>): Promise<{ ms: number; result: T }> => {
  const start = performance.now();
  const result = await task();
  return { ms: performance.now() - start, result };
};

export const median = (values: readonly number[]): number => {
  if (values.length === 0) throw new Error("median of no values");
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
};

/** Rejects with a clear message when `promise` is not settled within `ms`. */
export const within = async <T>(promise: Promise<T>, ms: number, what: string): Promise<T> => {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
};

/** 3 significant digits, with thousands separators for large values. */
export const num = (value: number): string => {
  if (!Number.isFinite(value)) return String(value);
  const abs = Math.abs(value);
  if (abs >= 1000) return Math.round(value).toLocaleString("en-US");
  if (abs >= 100) return value.toFixed(0);
  if (abs >= 10) return value.toFixed(1);
  return value.toFixed(2);
};

/** Two decimals, or three significant digits when that would print 0.0x. */
export const ratio = (value: number): string => (value >= 0.1 ? value.toFixed(2) : value.toPrecision(3));

/** "median (min–max)" of a series. */
export const summary = (values: readonly number[]): string =>
  `${num(median(values))} (${num(Math.min(...values))}–${num(Math.max(...values))})`;
