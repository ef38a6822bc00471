import { VerificationUnavailable } from "@allot/core/output";
import { backoffMs } from "../dynamo/retry.js";

// One GET with the manners every registry expects, and the one answer to "is this failure
// 'not now' rather than 'no'?" for them: network errors, timeouts, 5xx, 429 and GitHub's
// rate-limit 403 are retried with backoff and full jitter, waiting what the service asks
// (Retry-After, x-ratelimit-reset) when that fits the budget; past it the caller gets
// VerificationUnavailable with the wait the service asked for, never a verdict.

export interface HttpPolicy {
  /** Per attempt: no answer within this many ms counts as a transient failure. */
  timeoutMs: number;
  /** Attempts in all, the first included. */
  maxAttempts: number;
  /** First backoff in ms, doubled per attempt under full jitter. */
  baseDelayMs: number;
  /**
   * The longest wait between attempts, in ms. A service that asks for longer (a rate-limit
   * reset an hour away) is not waited for: the caller is told when to come back instead.
   */
  maxDelayMs: number;
  /**
   * The whole lookup's budget in ms (every call and wait of one `lookUp`, which makes up to
   * three calls): no attempt or wait goes past it. A task running a lookup needs a timeout of
   * at least this plus its own work.
   */
  budgetMs: number;
}

/** A lookup ends within 25 s, answered or unavailable: give its task 30 s or more. */
export const DEFAULT_HTTP_POLICY: HttpPolicy = {
  timeoutMs: 8_000,
  maxAttempts: 3,
  baseDelayMs: 300,
  maxDelayMs: 4_000,
  budgetMs: 25_000,
};

export interface HttpAnswer {
  status: number;
  headers: Headers;
  body: string;
}

export interface HttpClientOptions {
  /** The service's name in errors and logs ("crossref", "github"). */
  service: string;
  headers?: Record<string, string>;
  policy?: Partial<HttpPolicy>;
  fetch?: typeof fetch;
  /** For tests: how the client waits between attempts. */
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

/** `deadline` (epoch ms) bounds this call's attempts and waits; see `startBudget`. */
export type HttpGet = (
  url: string,
  headers?: Record<string, string>,
  deadline?: number,
) => Promise<HttpAnswer>;

/** The deadline of one lookup, shared by its calls. */
export const startBudget = (policy: Partial<HttpPolicy> | undefined, now: () => number = Date.now) =>
  now() + (policy?.budgetMs ?? DEFAULT_HTTP_POLICY.budgetMs);

/** Seconds a response asks to wait: Retry-After (seconds or an HTTP date), else a rate-limit reset. */
export const requestedWaitSeconds = (headers: Headers, nowMs: number): number | undefined => {
  const retryAfter = headers.get("retry-after")?.trim();
  if (retryAfter) {
    if (/^\d+$/.test(retryAfter)) return Number(retryAfter);
    const at = Date.parse(retryAfter);
    if (!Number.isNaN(at)) return Math.max(0, Math.ceil((at - nowMs) / 1000));
  }
  const reset = headers.get("x-ratelimit-reset")?.trim();
  if (reset && /^\d+$/.test(reset) && headers.get("x-ratelimit-remaining")?.trim() === "0")
    return Math.max(0, Number(reset) - Math.floor(nowMs / 1000));
  return undefined;
};

/** Why an answer is worth another attempt, or undefined when it is the service's answer. */
export const transientStatus = (status: number, headers: Headers): string | undefined => {
  if (status === 429) return "rate limited (429)";
  if (status >= 500) return `HTTP ${status}`;
  // GitHub signals its primary limit with 403 and x-ratelimit-remaining: 0, its secondary
  // limits with 403 (or 429) and Retry-After; any other 403 is a real refusal.
  if (status === 403 && (headers.get("x-ratelimit-remaining") === "0" || headers.has("retry-after")))
    return "rate limited (403)";
  return undefined;
};

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export const httpClient = (options: HttpClientOptions): HttpGet => {
  const policy = { ...DEFAULT_HTTP_POLICY, ...options.policy };
  const send = options.fetch ?? globalThis.fetch;
  const sleep = options.sleep ?? realSleep;
  const now = options.now ?? Date.now;

  return async (url, headers = {}, deadline = now() + policy.budgetMs) => {
    let reason = "";
    let askedSeconds: number | undefined;
    for (let attempt = 1; attempt <= policy.maxAttempts; attempt++) {
      askedSeconds = undefined;
      const timeoutMs = Math.min(policy.timeoutMs, deadline - now());
      if (timeoutMs <= 0) {
        reason ||= "no time left in the lookup's budget";
        break;
      }
      try {
        const response = await send(url, {
          method: "GET",
          headers: { ...options.headers, ...headers },
          redirect: "follow",
          signal: AbortSignal.timeout(timeoutMs),
        });
        // The body is read under the same timeout: a stalled body is as good as no answer.
        const body = await response.text();
        const transient = transientStatus(response.status, response.headers);
        if (!transient) return { status: response.status, headers: response.headers, body };
        reason = transient;
        askedSeconds = requestedWaitSeconds(response.headers, now());
      } catch (error) {
        const e = error as Error & { cause?: { code?: string } };
        reason =
          e.name === "TimeoutError" || e.name === "AbortError"
            ? `no answer within ${timeoutMs} ms`
            : `network error: ${e.cause?.code ?? e.message}`;
      }
      if (attempt === policy.maxAttempts) break;
      const waitMs = askedSeconds !== undefined ? askedSeconds * 1000 : backoffMs(attempt, policy);
      if (waitMs > policy.maxDelayMs || now() + waitMs >= deadline) break;
      await sleep(waitMs);
    }
    throw new VerificationUnavailable(
      options.service,
      `${options.service} did not answer: ${reason}`,
      askedSeconds,
    );
  };
};

/** The JSON of a successful answer; a body that is not JSON is the service misbehaving, so transient. */
export const jsonBody = (service: string, answer: HttpAnswer): unknown => {
  try {
    return JSON.parse(answer.body);
  } catch {
    throw new VerificationUnavailable(service, `${service} answered HTTP ${answer.status} without JSON`);
  }
};

/** A status that is neither found, not found nor transient (400, 401, …): not a fact about the output. */
export const unexpected = (service: string, answer: HttpAnswer): VerificationUnavailable =>
  new VerificationUnavailable(
    service,
    `${service} answered HTTP ${answer.status}: ${answer.body.slice(0, 200)}`,
  );
