// When a failed delivery is tried again. Plain functions of the answer and the clock, so the
// sweep, the first attempt and the tests share one policy.

/** Seconds after the first attempt: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h (> 24 h in all). */
export const DEFAULT_RETRY_SCHEDULE_SECONDS: readonly number[] = [5, 300, 1800, 7200, 18000, 36000, 36000];

/** The longest wait a Retry-After may impose. */
export const MAX_RETRY_AFTER_MS = 24 * 60 * 60 * 1000;

/** The jitter on each scheduled wait: ±20 %. */
export const JITTER = 0.2;

/**
 * The schedule from `ALLOT_WEBHOOK_RETRY_SCHEDULE` ("1,1,2": seconds, for tests), else the default.
 * A malformed value is refused rather than silently ignored.
 */
export const retrySchedule = (override: string | undefined): readonly number[] => {
  if (override === undefined || override.trim() === "") return DEFAULT_RETRY_SCHEDULE_SECONDS;
  const seconds = override.split(",").map((part) => Number(part.trim()));
  if (seconds.length > 20 || seconds.some((s) => !Number.isFinite(s) || s < 0 || s > 86_400)) {
    throw new Error(`webhook retry schedule "${override}": seconds between 0 and 86400, comma separated`);
  }
  return seconds;
};

/** The outcome of one attempt, as the policy needs it. */
export type AttemptOutcome = { statusCode: number; retryAfter?: string } | { error: string };

/** Retry on network errors, timeouts, 5xx, 408, 409, 429; never on other 4xx or 3xx (no redirects). */
export const isRetryable = (outcome: AttemptOutcome): boolean => {
  if ("error" in outcome) return true;
  const code = outcome.statusCode;
  return code >= 500 || code === 408 || code === 409 || code === 429;
};

export const isSuccess = (outcome: AttemptOutcome): boolean =>
  "statusCode" in outcome && outcome.statusCode >= 200 && outcome.statusCode < 300;

/** A Retry-After header (delta seconds or an HTTP date) as milliseconds from `now`, capped at 24 h. */
export const retryAfterMs = (value: string | undefined, now: Date): number | undefined => {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  let ms: number;
  if (/^\d+$/.test(trimmed)) ms = Number(trimmed) * 1000;
  else {
    const at = Date.parse(trimmed);
    if (Number.isNaN(at)) return undefined;
    ms = at - now.getTime();
  }
  return Math.min(Math.max(ms, 0), MAX_RETRY_AFTER_MS);
};

/** A wait with ±20 % jitter; `random` in [0, 1). */
export const withJitter = (ms: number, random: () => number = Math.random): number =>
  Math.round(ms * (1 - JITTER + 2 * JITTER * random()));

/**
 * When to try again after the `attemptsInCycle`-th failed attempt of a cycle (1 = the first), or
 * undefined when the answer is final (success, non-retryable) or the schedule is exhausted.
 * The later of the jittered schedule and the receiver's Retry-After.
 */
export const nextAttemptAt = (input: {
  outcome: AttemptOutcome;
  attemptsInCycle: number;
  schedule: readonly number[];
  now: Date;
  random?: () => number;
}): Date | undefined => {
  const { outcome, attemptsInCycle, schedule, now } = input;
  if (isSuccess(outcome) || !isRetryable(outcome)) return undefined;
  const scheduled = schedule[attemptsInCycle - 1];
  if (scheduled === undefined) return undefined;
  const jittered = withJitter(scheduled * 1000, input.random);
  const asked = "statusCode" in outcome ? retryAfterMs(outcome.retryAfter, now) : undefined;
  return new Date(now.getTime() + Math.max(jittered, asked ?? 0));
};
