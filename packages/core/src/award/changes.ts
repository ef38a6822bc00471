import type { Actor } from "../actor.js";
import { conflict, forbidden, notFound, validationError } from "../errors.js";
import { createEvent } from "../events/define.js";
import { deterministicId } from "../ids.js";
import type {
  ApproveChange,
  ChangeAmounts,
  ChangeRequest,
  ChangeRequestInput,
  ChangeRequestRepository,
  ChangeStatus,
} from "./change-schema.js";
import { AwardCloseoutRequested, ChangeDecided, ChangeRequested } from "./events.js";
import { type AwardDeps, at, ids, mustGet } from "./moves.js";
import type { Award } from "./schema.js";
import { capIssues, extended, supplementAward } from "./staff.js";

// Change requests during the award: the grantee asks (supplement, no-cost extension, early
// closeout) with a justification; staff approve, possibly for less, or deny, always with a
// rationale. An approval applies in the same transaction as its decision: a supplement moves the
// ledger, an extension moves the award's end, an early closeout hands the award to closeout.
// What reaches the provider and the grantee follows from the events, out of the request.

export type ChangeDeps = AwardDeps & { changes: ChangeRequestRepository };

const OPEN_AWARD = ["active", "suspended"];

const mayRead = (actor: Actor, award: Award) =>
  actor.role === "staff" || (actor.role === "applicant" && award.applicantId === actor.userId);

/** The award as its grantee or staff may see it; anyone else is told it does not exist. */
const visibleAward = async (deps: Pick<ChangeDeps, "awards">, actor: Actor, awardId: string) => {
  const award = await deps.awards.get(awardId);
  if (!award || !mayRead(actor, award)) throw notFound(`Award ${awardId}`);
  return award;
};

/**
 * The grantee asks for a change. `operationId` (from the Idempotency-Key) names the request, so a
 * retry lands on the one already recorded instead of a second (or a refusal as a duplicate).
 */
export const requestChange = async (
  deps: Pick<ChangeDeps, "awards" | "changes" | "programs" | "clock">,
  actor: Actor,
  awardId: string,
  input: ChangeRequestInput,
  operationId: string,
): Promise<ChangeRequest> => {
  const award = await visibleAward(deps, actor, awardId);
  if (actor.role !== "applicant") throw forbidden("Only the award's grantee requests changes");
  const changeId = deterministicId("chg", awardId, operationId);
  const existing = await deps.changes.get(awardId, changeId);
  if (existing) return existing;
  if (!OPEN_AWARD.includes(award.status))
    throw conflict(
      `Award ${awardId} is ${award.status}; changes are requested on an active or suspended award`,
    );
  if (input.kind === "supplement") {
    const issues = await capIssues(deps, award, input);
    if (issues.length) throw validationError("The supplement does not fit the program's caps", issues);
  }
  const when = deps.clock.now().toISOString();
  const change: ChangeRequest = {
    changeId,
    ...ids(award),
    applicantId: award.applicantId,
    kind: input.kind,
    requested:
      input.kind === "supplement"
        ? { cashCents: input.cashCents, creditsCents: input.creditsCents }
        : input.kind === "extension"
          ? { months: input.months }
          : {},
    justification: input.justification,
    status: "pending",
    requestedAt: when,
    revision: 1,
  };
  await deps.changes.open(change, [
    createEvent(ChangeRequested, `${changeId}:requested`, when, {
      ...ids(award),
      changeId,
      kind: input.kind,
    }),
  ]);
  return change;
};

export const listAwardChanges = async (
  deps: Pick<ChangeDeps, "awards" | "changes">,
  actor: Actor,
  awardId: string,
) => {
  await visibleAward(deps, actor, awardId);
  return deps.changes.listForAward(awardId);
};

export const MAX_CHANGE_PAGE = 100;

/** Staff's queue: every award's requests in one status, oldest first. */
export const listChanges = async (
  deps: Pick<ChangeDeps, "changes">,
  actor: Actor,
  query: { status: ChangeStatus; limit?: number; cursor?: string },
) => {
  if (actor.role !== "staff") throw forbidden("Only program staff list change requests across awards");
  return deps.changes.listByStatus(query.status, { limit: query.limit ?? 50, cursor: query.cursor });
};

const mustGetChange = async (deps: Pick<ChangeDeps, "changes">, awardId: string, changeId: string) => {
  const change = await deps.changes.get(awardId, changeId);
  if (!change) throw notFound(`Change request ${changeId} of award ${awardId}`);
  return change;
};

/**
 * A decision already taken answers again as it was (a retry); the other decision is a conflict,
 * so a request is never both approved and denied.
 */
const alreadyDecided = (change: ChangeRequest, decision: "approved" | "denied") => {
  if (change.status === "pending") return undefined;
  if (change.status === decision) return change;
  throw conflict(`Change request ${change.changeId} was already ${change.status}; its decision stands`);
};

const decided = (
  change: ChangeRequest,
  decision: "approved" | "denied",
  actor: Actor,
  rationale: string,
  when: string,
  granted?: ChangeAmounts,
) => {
  const record: ChangeRequest = {
    ...change,
    status: decision,
    decision: { decidedAt: when, decidedBy: actor.userId, rationale, ...(granted ? { granted } : {}) },
    revision: change.revision + 1,
  };
  const event = createEvent(ChangeDecided, `${change.changeId}:decided`, when, {
    awardId: change.awardId,
    proposalId: change.proposalId,
    programId: change.programId,
    changeId: change.changeId,
    kind: change.kind,
    decision,
  });
  return { record, event };
};

export const denyChange = async (
  deps: Pick<ChangeDeps, "changes" | "clock">,
  actor: Actor,
  awardId: string,
  changeId: string,
  input: { rationale: string },
) => {
  if (actor.role !== "staff") throw forbidden("Only program staff decide change requests");
  const change = await mustGetChange(deps, awardId, changeId);
  const before = alreadyDecided(change, "denied");
  if (before) return before;
  const { record, event } = decided(change, "denied", actor, input.rationale, deps.clock.now().toISOString());
  await deps.changes.decide(record, undefined, [event]);
  return record;
};

/** What an approval grants: at most what was asked, the asked amount where staff name none. */
const grantOf = (change: ChangeRequest, input: ApproveChange): ChangeAmounts => {
  const issues: Array<{ field: string; message: string }> = [];
  const fields = { supplement: ["cashCents", "creditsCents"], extension: ["months"], "early-closeout": [] }[
    change.kind
  ] as Array<keyof ChangeAmounts>;
  for (const field of ["cashCents", "creditsCents", "months"] as const) {
    if (input[field] !== undefined && !fields.includes(field))
      issues.push({ field, message: `does not apply to a ${change.kind} request` });
  }
  const granted: ChangeAmounts = {};
  for (const field of fields) {
    const asked = change.requested[field] ?? 0;
    const value = input[field] ?? asked;
    if (value > asked) issues.push({ field, message: `${value} is more than the ${asked} requested` });
    granted[field] = value;
  }
  if (change.kind === "supplement" && !granted.cashCents && !granted.creditsCents)
    issues.push({ field: "creditsCents", message: "an approval grants something; deny the request instead" });
  if (issues.length) throw validationError("The approval does not fit the request", issues);
  return granted;
};

export const approveChange = async (
  deps: ChangeDeps,
  actor: Actor,
  awardId: string,
  changeId: string,
  input: ApproveChange,
) => {
  if (actor.role !== "staff") throw forbidden("Only program staff decide change requests");
  const change = await mustGetChange(deps, awardId, changeId);
  const before = alreadyDecided(change, "approved");
  if (before) return before;
  const granted = grantOf(change, input);
  const award = await mustGet(deps, awardId);
  if (!OPEN_AWARD.includes(award.status))
    throw conflict(`Award ${awardId} is ${award.status}; only an active or suspended award changes`);
  const when = at(deps);
  const { record, event } = decided(change, "approved", actor, input.rationale, when, granted);
  // Named by the request, so the ledger entries and events of a retried approval are the same.
  const cause = {
    actor: actor.userId,
    reason: `change ${changeId}: ${input.rationale}`,
    operationId: changeId,
  };
  switch (change.kind) {
    case "supplement":
      await supplementAward(
        deps,
        award,
        { cashCents: granted.cashCents ?? 0, creditsCents: granted.creditsCents ?? 0 },
        { ...cause, change: { record, events: [event] } },
      );
      break;
    case "extension": {
      const { after, event: extendedEvent } = extended(deps, award, granted.months ?? 0, {
        ...cause,
        changeId,
      });
      await deps.changes.decide(record, after, [extendedEvent, event]);
      break;
    }
    case "early-closeout": {
      // The award keeps its status: the closeout workflow moves it to closing when it starts.
      const after: Award = {
        ...award,
        history: [
          ...award.history,
          {
            at: when,
            status: award.status,
            actor: actor.userId,
            reason: `early closeout approved: ${input.rationale}`,
            operationId: changeId,
          },
        ],
        revision: award.revision + 1,
      };
      const closeout = createEvent(
        AwardCloseoutRequested,
        `${awardId}:closeout-requested:${changeId}`,
        when,
        {
          ...ids(award),
          reason: `early closeout approved (change ${changeId})`,
        },
      );
      await deps.changes.decide(record, after, [closeout, event]);
      break;
    }
  }
  return record;
};
