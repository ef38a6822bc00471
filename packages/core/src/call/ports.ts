import type { DomainEvent } from "../events/define.js";
import type { Call } from "./schema.js";

export interface CallFilter {
  programId?: string;
  /** Only calls whose closesAt (UTC ISO) is after this instant. */
  closingAfter?: string;
}

/** Call persistence; a write carries the events it causes, committed together. */
export interface CallRepository {
  get(callId: string): Promise<Call | undefined>;
  /** Throws DomainError "conflict" when the call already exists. */
  insert(call: Call, events: DomainEvent[]): Promise<void>;
  /** A program's calls by opening time, or every call by closing time. */
  list(filter?: CallFilter): Promise<Call[]>;
  /**
   * Appends reviewers to the pool if it still holds `expectedSize` members. The pool only
   * grows, so its size versions it. Throws DomainError "conflict" when it changed meanwhile.
   */
  extendPool(
    callId: string,
    expectedSize: number,
    reviewerIds: string[],
    events: DomainEvent[],
  ): Promise<void>;
}
