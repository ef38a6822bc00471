/** What one request with an Idempotency-Key answered, kept to answer its retries alike. */
export interface StoredResponse {
  status: number;
  body: unknown;
}

/** Who sent which key to which route: one record per scope. */
export interface IdempotencyScope {
  actorId: string;
  /** "POST /awards/{awardId}/top-up": the route, not the concrete path. */
  route: string;
  key: string;
}

export type IdempotencyClaim =
  /** The first request with this key (or one taking over from a crashed first): run it. */
  | { kind: "run" }
  /** Finished before with the same request: answer what it answered. */
  | { kind: "replay"; response: StoredResponse }
  /** The same key was sent with another request. */
  | { kind: "mismatch" }
  /** The first request with this key is still running. */
  | { kind: "in_progress" };

/**
 * Keys sent by clients on mutating requests (as Stripe and the IETF Idempotency-Key draft do):
 * a claim is taken atomically, so of concurrent duplicates exactly one runs.
 */
export interface IdempotencyStore {
  /** `fingerprint` identifies the request (path and body); `now` decides when a claim went stale. */
  claim(scope: IdempotencyScope, fingerprint: string, now: Date): Promise<IdempotencyClaim>;
  /** Keeps the answer of the claim's run, for its retries. */
  complete(scope: IdempotencyScope, fingerprint: string, response: StoredResponse): Promise<void>;
  /** Gives the key up after a failure the client may retry (a 5xx): the retry runs again. */
  release(scope: IdempotencyScope, fingerprint: string): Promise<void>;
}
