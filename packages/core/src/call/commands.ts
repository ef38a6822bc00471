import { isDeepStrictEqual } from "node:util";
import { z } from "zod";
import type { Actor } from "../actor.js";
import { ReviewerId } from "../bounds.js";
import type { Clock } from "../clock.js";
import {
  conflict,
  DomainError,
  type FieldIssue,
  fieldIssuesOf,
  forbidden,
  notFound,
  validationError,
} from "../errors.js";
import { createEvent } from "../events/define.js";
import { CallCreated, ReviewerPoolExtended } from "../program/events.js";
import type { ProgramRecord, ProgramRepository } from "../program/ports.js";
import type { ReviewerRepository } from "../review/ports.js";
import type { CallFilter, CallRepository } from "./ports.js";
import { type Call, CallInput } from "./schema.js";

export interface CallDeps {
  calls: CallRepository;
  programs: ProgramRepository;
  reviewers: ReviewerRepository;
  clock: Clock;
}

/** The body of POST /calls/{callId}/reviewers. */
export const PoolExtension = z.object({
  reviewerIds: z.array(ReviewerId).min(1, "name at least one reviewer").max(100),
});
export type PoolExtension = z.infer<typeof PoolExtension>;

/** Applications are accepted from opensAt up to, not including, closesAt. */
export const isOpen = (call: Pick<Call, "opensAt" | "closesAt">, now: Date): boolean =>
  Date.parse(call.opensAt) <= now.getTime() && now.getTime() < Date.parse(call.closesAt);

/** What a caller sees of a call: the pool is staff-only, since reviewers stay anonymous to applicants. */
export type CallView = Omit<Call, "reviewerPool"> & { reviewerPool?: string[] };

export const callView = (actor: Actor, call: Call): CallView => {
  if (actor.role === "staff") return call;
  const { reviewerPool: _pool, ...view } = call;
  return view;
};

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

const centsAt = (input: unknown, field: "maxCashCents" | "maxCreditsCents"): number | undefined => {
  const v = isRecord(input) && isRecord(input.eligibility) ? input.eligibility[field] : undefined;
  return typeof v === "number" && Number.isSafeInteger(v) && v >= 0 ? v : undefined;
};

const poolAt = (input: unknown): Array<[number, string]> => {
  const pool = isRecord(input) ? input.reviewerPool : undefined;
  if (!Array.isArray(pool)) return [];
  // Only well-formed ids are looked up: the schema reports the others, and they could not be keys.
  return pool.flatMap(
    (id, i): Array<[number, string]> => (ReviewerId.safeParse(id).success ? [[i, id]] : []),
  );
};

const unknownReviewers = async (
  reviewers: ReviewerRepository,
  field: string,
  ids: ReadonlyArray<[number, string]>,
): Promise<FieldIssue[]> => {
  if (!ids.length) return [];
  const known = new Set((await reviewers.getMany(ids.map(([, id]) => id))).map((r) => r.reviewerId));
  return ids
    .filter(([, id]) => !known.has(id))
    .map(([i, id]) => ({ field: `${field}.${i}`, message: `${id} has no reviewer profile; add one first` }));
};

// Checked on the raw input, so a cap or pool problem is reported with the schema's problems
// in one answer instead of one round-trip later.
const callIssues = async (deps: CallDeps, program: ProgramRecord, input: unknown): Promise<FieldIssue[]> => {
  const issues: FieldIssue[] = [];
  const limits = [
    ["maxCashCents", program.caps.maxGrantCashCents, "caps.maxGrantCashCents"],
    ["maxCreditsCents", program.caps.maxGrantCreditsCents, "caps.maxGrantCreditsCents"],
  ] as const;
  for (const [field, cap, capName] of limits) {
    const value = centsAt(input, field);
    if (value !== undefined && value > cap) {
      issues.push({
        field: `eligibility.${field}`,
        message: `must not exceed the program's ${capName} (${cap})`,
      });
    }
  }
  issues.push(...(await unknownReviewers(deps.reviewers, "reviewerPool", poolAt(input))));
  return issues;
};

type CallDefinition = z.infer<typeof CallInput>;

// Times are kept in UTC so that they sort and compare as strings, in keys as in code; the pool is a set.
const normalize = (call: CallDefinition): CallDefinition => ({
  ...call,
  opensAt: new Date(call.opensAt).toISOString(),
  closesAt: new Date(call.closesAt).toISOString(),
  reviewerPool: [...new Set(call.reviewerPool)],
});

// undefined-valued keys vanish in storage; compare what a round trip keeps.
const stored = <T>(value: T): T => JSON.parse(JSON.stringify(value));

const eventId = (callId: string, what: string) => `call:${callId}:${what}`;

/**
 * The pool only grows after creation, so a retried create still matches when its pool is a
 * subset of today's: the seed and client retries stay idempotent after staff added reviewers.
 */
const sameCallOrConflict = (existing: Call, programId: string, call: CallDefinition): Call => {
  const {
    programId: existingProgram,
    createdAt: _at,
    createdBy: _by,
    reviewerPool: pool,
    ...rest
  } = existing;
  const { reviewerPool: requestedPool, ...requested } = call;
  const pooled = new Set(pool);
  if (
    existingProgram === programId &&
    isDeepStrictEqual(stored(rest), stored(requested)) &&
    requestedPool.every((id) => pooled.has(id))
  ) {
    return existing;
  }
  throw conflict(`Call ${call.callId} already exists in program ${existingProgram} with different settings`);
};

/**
 * Staff open a call under a program. The input is validated here against the program's caps and
 * the reviewer profiles, and every problem comes back in one validation error. Idempotent by callId.
 */
export const createCall = async (
  deps: CallDeps,
  actor: Actor,
  programId: string,
  input: unknown,
): Promise<{ call: Call; created: boolean }> => {
  if (actor.role !== "staff") throw forbidden("Only program staff create calls");
  const program = await deps.programs.get(programId);
  if (!program) throw notFound(`Program ${programId}`);

  const parsed = CallInput.safeParse(input);
  const issues: FieldIssue[] = parsed.success ? [] : fieldIssuesOf(parsed.error);
  issues.push(...(await callIssues(deps, program, input)));
  if (!parsed.success || issues.length) throw validationError("The call is invalid", issues);

  const definition = normalize(parsed.data);
  const existing = await deps.calls.get(definition.callId);
  if (existing) return { call: sameCallOrConflict(existing, programId, definition), created: false };

  const at = deps.clock.now().toISOString();
  const call: Call = { ...definition, programId, createdAt: at, createdBy: actor.userId };
  try {
    await deps.calls.insert(call, [
      createEvent(CallCreated, eventId(call.callId, "created"), at, { programId, callId: call.callId }),
    ]);
  } catch (error) {
    // A concurrent identical create won the race: answer as the retry it is.
    if (error instanceof DomainError && error.kind === "conflict") {
      const winner = await deps.calls.get(call.callId);
      if (winner) return { call: sameCallOrConflict(winner, programId, definition), created: false };
    }
    throw error;
  }
  return { call, created: true };
};

/** Any signed-in role may read a call; only staff see its reviewer pool. */
export const getCall = async (
  deps: Pick<CallDeps, "calls">,
  actor: Actor,
  callId: string,
): Promise<CallView> => {
  const call = await deps.calls.get(callId);
  if (!call) throw notFound(`Call ${callId}`);
  return callView(actor, call);
};

export interface CallQuery {
  programId?: string;
  /** Only calls accepting applications now. */
  open?: boolean;
}

export const listCalls = async (
  deps: Pick<CallDeps, "calls" | "clock">,
  actor: Actor,
  query: CallQuery = {},
): Promise<CallView[]> => {
  const now = deps.clock.now();
  const filter: CallFilter = {};
  if (query.programId) filter.programId = query.programId;
  // The index narrows to calls not yet closed; whether they have opened is checked here.
  if (query.open) filter.closingAfter = now.toISOString();
  const calls = await deps.calls.list(filter);
  return (query.open ? calls.filter((c) => isOpen(c, now)) : calls).map((c) => callView(actor, c));
};

// Each attempt re-reads the pool; a conflict means another extension landed in between.
const POOL_ATTEMPTS = 5;

/**
 * Staff add reviewers, who must have profiles, to a call's pool. Idempotent: reviewers already in
 * the pool are skipped, and ReviewerPoolExtended names only the ones this request added.
 */
export const addReviewersToPool = async (
  deps: CallDeps,
  actor: Actor,
  callId: string,
  reviewerIds: readonly string[],
): Promise<{ call: Call; added: string[] }> => {
  if (actor.role !== "staff") throw forbidden("Only program staff extend reviewer pools");
  if (!reviewerIds.length) {
    throw validationError("Name the reviewers to add", [
      { field: "reviewerIds", message: "name at least one reviewer" },
    ]);
  }
  const issues = await unknownReviewers(
    deps.reviewers,
    "reviewerIds",
    reviewerIds.map((id, i): [number, string] => [i, id]),
  );
  if (issues.length) throw validationError("Some reviewers have no profile", issues);

  for (let attempt = 1; ; attempt++) {
    const call = await deps.calls.get(callId);
    if (!call) throw notFound(`Call ${callId}`);
    const pooled = new Set(call.reviewerPool);
    const added = [...new Set(reviewerIds)].filter((id) => !pooled.has(id));
    if (!added.length) return { call, added };

    const at = deps.clock.now().toISOString();
    const size = call.reviewerPool.length + added.length;
    // The pool's size after the change is unique to it, since the pool only grows.
    const event = createEvent(ReviewerPoolExtended, eventId(callId, `pool-${size}`), at, {
      callId,
      reviewerIds: added,
    });
    try {
      await deps.calls.extendPool(callId, call.reviewerPool.length, added, [event]);
      return { call: { ...call, reviewerPool: [...call.reviewerPool, ...added] }, added };
    } catch (error) {
      if (!(error instanceof DomainError && error.kind === "conflict") || attempt >= POOL_ATTEMPTS)
        throw error;
    }
  }
};
