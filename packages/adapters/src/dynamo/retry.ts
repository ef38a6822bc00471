// The one answer to "is this DynamoDB failure 'not now' rather than 'no'?", and the one retry
// loop that acts on it. A failed condition is never transient: it is the database's verdict,
// and the repositories translate it into a domain error. Everything here is safe to retry
// only because every write it retries is conditional or idempotent (conditions are evaluated
// again on each attempt; a transaction that did apply before a 5xx meets its own guards).

/** Error names (the SDK's `name`) that mean the request was not applied, or may be retried as it is. */
const TRANSIENT_NAMES = new Set([
  "ThrottlingException",
  "ProvisionedThroughputExceededException",
  "RequestLimitExceeded",
  "InternalServerError",
  "ServiceUnavailable",
  "TransactionConflictException",
  // The same client request token is still in flight (a retry of a slow transaction).
  "TransactionInProgressException",
  // Network resets and timeouts before an answer: the SDK's own retries were used up.
  "TimeoutError",
  "RequestTimeout",
  "RequestTimeoutException",
]);

/** Cancellation reasons of a TransactionCanceledException that mean "another writer, or too fast". */
const TRANSIENT_CANCELLATIONS = new Set([
  "TransactionConflict",
  "ThrottlingError",
  "ProvisionedThroughputExceeded",
  "RequestLimitExceeded",
]);

const NETWORK_CODES = new Set(["ECONNRESET", "ECONNREFUSED", "EPIPE", "ETIMEDOUT", "EAI_AGAIN"]);

interface AwsLikeError {
  name?: string;
  code?: string;
  $metadata?: { httpStatusCode?: number };
  CancellationReasons?: Array<{ Code?: string }>;
}

/** Why a failure is worth another attempt, or undefined when it is final. */
export const transientReason = (error: unknown): string | undefined => {
  if (typeof error !== "object" || error === null) return undefined;
  const e = error as AwsLikeError;
  if (e.name === "TransactionCanceledException") {
    const codes = (e.CancellationReasons ?? []).map((r) => r.Code ?? "None");
    // A failed condition anywhere cancels the whole transaction for good.
    if (codes.includes("ConditionalCheckFailed")) return undefined;
    return codes.find((c) => TRANSIENT_CANCELLATIONS.has(c));
  }
  if (e.name && TRANSIENT_NAMES.has(e.name)) return e.name;
  if (e.code && NETWORK_CODES.has(e.code)) return e.code;
  const status = e.$metadata?.httpStatusCode;
  // DynamoDB Local answers "This action timed out" with a 5xx when its lock waits too long.
  if (status !== undefined && status >= 500) return `HTTP ${status}`;
  return undefined;
};

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  maxAttempts: number;
  /** First backoff in ms, doubled per attempt under full jitter. */
  baseDelayMs: number;
  /** Largest backoff in ms. */
  maxDelayMs: number;
  /** Told of each retry, for tests and metrics. */
  onRetry?: (attempt: number, reason: string) => void;
}

/** For a single write or transaction whose conditions are re-evaluated on each attempt. */
export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 8, baseDelayMs: 15, maxDelayMs: 1_000 };

/** Full jitter (AWS Architecture Blog, "Exponential Backoff And Jitter"): uniform in [0, cap). */
export const backoffMs = (attempt: number, policy: RetryPolicy, random: () => number = Math.random) =>
  random() * Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.min(attempt, 30));

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Thrown inside a retried operation to ask for another attempt for a reason the policy cannot
 * see (a balance that changed between a refusal and the read that explains it). When the
 * attempts run out, `cause` goes up, not this.
 */
export class TryAgain extends Error {
  constructor(
    readonly reason: string,
    override readonly cause: unknown,
  ) {
    super(`try again: ${reason}`);
    this.name = "TryAgain";
  }
}

/**
 * Runs `operation` until it succeeds, fails for good, or has used the policy's attempts; a
 * failure past the last attempt goes up as it is (a transient AWS error, which the caller's own
 * retries or the workflow's retry policy own from there), never mistaken for a domain verdict.
 */
export const withRetries = async <T>(
  operation: (attempt: number) => Promise<T>,
  policy: RetryPolicy = DEFAULT_RETRY,
): Promise<T> => {
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation(attempt);
    } catch (error) {
      const again = error instanceof TryAgain;
      const reason = again ? error.reason : transientReason(error);
      if (reason === undefined) throw error;
      if (attempt >= policy.maxAttempts) throw again ? error.cause : error;
      policy.onRetry?.(attempt, reason);
      await sleep(backoffMs(attempt, policy));
    }
  }
};

/** A retry policy with the caller's overrides, for repositories that take partial options. */
export const retryPolicy = (defaults: RetryPolicy, overrides: Partial<RetryPolicy> = {}): RetryPolicy => ({
  ...defaults,
  ...Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined)),
});
