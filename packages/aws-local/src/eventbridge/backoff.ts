export interface BackoffPolicy {
  baseMs: number;
  maxMs: number;
  random?: () => number;
}

/**
 * Delay before retry number `attempt` (1 = first retry): exponential, capped, with "equal
 * jitter" (half fixed, half random) so that a burst of failures does not retry in lockstep
 * yet never retries sooner than half the nominal delay.
 */
export const retryDelay = (attempt: number, policy: BackoffPolicy) => {
  const nominal = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, attempt - 1));
  const random = policy.random ?? Math.random;
  return Math.round(nominal / 2 + random() * (nominal / 2));
};
