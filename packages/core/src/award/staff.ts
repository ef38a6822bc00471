import { z } from "zod";
import type { Actor } from "../actor.js";
import { Text } from "../bounds.js";
import { conflict, validationError } from "../errors.js";
import { createEvent, type DomainEvent } from "../events/define.js";
import { Cents } from "../program/schema.js";
import type { ChangeRequest } from "./change-schema.js";
import { AwardExtended, AwardResumed, AwardRevoked, AwardSuspended, BudgetCommitted } from "./events.js";
import { BudgetExhausted } from "./ledger.js";
import {
  type AwardDeps,
  addMonths,
  at,
  entriesFor,
  ids,
  mustGet,
  release,
  staffOnly,
  transition,
} from "./moves.js";
import type { Award, AwardStatus } from "./schema.js";
import { settleConsumption } from "./settlement.js";

/** Re-drive after a failed provisioning: commit the budget again and provision anew. */
export const redriveProvisioning = async (deps: AwardDeps, actor: Actor, awardId: string, reason: string) => {
  staffOnly(actor);
  const award = await mustGet(deps, awardId);
  if (award.status === "provisioning") {
    // A retry after the commit went through: make sure the execution exists (idempotent by name).
    const round = award.history.filter((h) => h.status === "provisioning_failed").length;
    if (round > 0) await deps.workflow.startProvisioning(award.proposalId, awardId, round);
    return award;
  }
  if (award.status !== "provisioning_failed")
    throw conflict(`Award ${awardId} is ${award.status}; only failed provisioning is re-driven`);
  const when = at(deps);
  const round = award.history.filter((h) => h.status === "provisioning_failed").length;
  const after = transition(
    { ...award, provider: undefined, provisioningTaskToken: undefined },
    "provisioning",
    actor.userId,
    reason,
    when,
  );
  const amounts = { cashCents: award.cashCents, creditsCents: award.creditsCents };
  await deps.ledger.move({
    requestToken: `${awardId}:redrive-${round}`,
    entries: entriesFor(award, "commit", amounts, 1, actor.userId, reason, when, `redrive-${round}`),
    award: { item: after as unknown as Record<string, unknown>, expectedRevision: award.revision },
    events: [
      createEvent(BudgetCommitted, `${awardId}:redrive-${round}:committed`, when, {
        ...ids(award),
        ...amounts,
        kind: "commit",
      }),
    ],
  });
  await deps.workflow.startProvisioning(award.proposalId, awardId, round);
  return after;
};

/**
 * `operationId` names this top-up (from the client's Idempotency-Key): its ledger entries and
 * event are named by it, so concurrent top-ups are each applied and a retry of one lands once.
 */
export const topUpAward = async (
  deps: AwardDeps,
  actor: Actor,
  awardId: string,
  input: { cashCents: number; creditsCents: number; reason: string },
  operationId: string,
) => {
  staffOnly(actor);
  const award = await mustGet(deps, awardId);
  if (appliedAlready(award, operationId)) return award;
  if (!["active", "suspended", "provisioning"].includes(award.status))
    throw conflict(`Award ${awardId} is ${award.status}`);
  return supplementAward(deps, award, input, { actor: actor.userId, reason: input.reason, operationId });
};

/** The caps a supplement of `award` would cross, each named with its numbers. */
export const capIssues = async (
  deps: Pick<AwardDeps, "programs">,
  award: Award,
  amounts: { cashCents: number; creditsCents: number },
) => {
  const program = await deps.programs.get(award.programId);
  const issues = [];
  if (program && award.cashCents + amounts.cashCents > program.caps.maxGrantCashCents) {
    issues.push({
      field: "cashCents",
      message: `the award would hold ${award.cashCents + amounts.cashCents} cash cents, over the ${program.caps.maxGrantCashCents} cents grant cap (it holds ${award.cashCents})`,
    });
  }
  if (program && award.creditsCents + amounts.creditsCents > program.caps.maxGrantCreditsCents) {
    issues.push({
      field: "creditsCents",
      message: `the award would hold ${award.creditsCents + amounts.creditsCents} credit cents, over the ${program.caps.maxGrantCreditsCents} cents credit cap (it holds ${award.creditsCents})`,
    });
  }
  return issues;
};

/**
 * Adds cash and credits to an award within the program's caps, in one ledger movement with the
 * award (and, for an approved change request, the request's decision). The award's revision
 * serializes concurrent supplements, so the caps checked here hold when the write lands; the
 * pools and partner caps are held by the ledger's own conditions.
 */
export const supplementAward = async (
  deps: AwardDeps,
  award: Award,
  amounts: { cashCents: number; creditsCents: number },
  cause: {
    actor: string;
    reason: string;
    operationId: string;
    /** The approved request this grants: decided in the same transaction, with its events. */
    change?: { record: ChangeRequest; events: DomainEvent[] };
  },
) => {
  const issues = await capIssues(deps, award, amounts);
  if (issues.length) throw validationError("The top-up does not fit the program's caps", issues);
  const when = at(deps);
  const tag = `topup-${cause.operationId}`;
  const after = {
    ...award,
    cashCents: award.cashCents + amounts.cashCents,
    creditsCents: award.creditsCents + amounts.creditsCents,
    history: [
      ...award.history,
      {
        at: when,
        status: award.status,
        actor: cause.actor,
        reason: `top-up: ${cause.reason}`,
        operationId: cause.operationId,
      },
    ],
    revision: award.revision + 1,
  };
  const changeId = cause.change?.record.changeId;
  try {
    await deps.ledger.move({
      requestToken: `${award.awardId}:${tag}`,
      entries: entriesFor(award, "topup", amounts, 1, cause.actor, cause.reason, when, tag),
      award: { item: after as unknown as Record<string, unknown>, expectedRevision: award.revision },
      events: [
        createEvent(BudgetCommitted, `${award.awardId}:${tag}`, when, {
          ...ids(award),
          cashCents: amounts.cashCents,
          creditsCents: amounts.creditsCents,
          kind: "topup",
          ...(changeId ? { changeId } : {}),
        }),
        ...(cause.change?.events ?? []),
      ],
      ...(cause.change ? { decidedChange: cause.change.record } : {}),
    });
  } catch (error) {
    // The pools or a partner's cap cannot cover it: staff get the numbers, not a 500.
    if (error instanceof BudgetExhausted)
      throw conflict(`The top-up does not fit the budget: ${error.message}`);
    throw error;
  }
  return after;
};

/** `operationId` names this extension (from the client's Idempotency-Key), as for top-ups. */
export const extendAward = async (
  deps: AwardDeps,
  actor: Actor,
  awardId: string,
  input: { months: number; reason: string },
  operationId: string,
) => {
  staffOnly(actor);
  const award = await mustGet(deps, awardId);
  if (appliedAlready(award, operationId)) return award;
  if (!["active", "suspended"].includes(award.status) || !award.endsAt)
    throw conflict(`Award ${awardId} is ${award.status}`);
  const { after, event } = extended(deps, award, input.months, {
    actor: actor.userId,
    reason: input.reason,
    operationId,
  });
  await deps.awards.update(after, [event]);
  return after;
};

/** The award with its end moved by `months`, and the event that says so. */
export const extended = (
  deps: Pick<AwardDeps, "clock">,
  award: Award,
  months: number,
  cause: { actor: string; reason: string; operationId: string; changeId?: string },
) => {
  const when = deps.clock.now().toISOString();
  const endsAt = addMonths(award.endsAt ?? when, months);
  const after: Award = {
    ...award,
    endsAt,
    periodMonths: award.periodMonths + months,
    history: [
      ...award.history,
      {
        at: when,
        status: award.status,
        actor: cause.actor,
        reason: `extended ${months} months: ${cause.reason}`,
        operationId: cause.operationId,
      },
    ],
    revision: award.revision + 1,
  };
  const event = createEvent(AwardExtended, `${award.awardId}:extended-${cause.operationId}`, when, {
    ...ids(award),
    endsAt,
    ...(cause.changeId ? { changeId: cause.changeId } : {}),
  });
  return { after, event };
};

// A retry of an operation whose answer was lost (a crash after the write) finds it in the history.
export const appliedAlready = (award: Award, operationId: string) =>
  award.history.some((h) => h.operationId === operationId);

export const setAwardSuspension = async (
  deps: AwardDeps,
  actor: Actor,
  awardId: string,
  suspend: boolean,
  reason: string,
) => {
  staffOnly(actor);
  const current = await mustGet(deps, awardId);
  const target: AwardStatus = suspend ? "suspended" : "active";
  if (current.status === target) return current;
  if (current.status !== (suspend ? "active" : "suspended"))
    throw conflict(`Award ${awardId} is ${current.status}`);
  // The ledger says what the award consumed up to the suspension.
  if (suspend) await settleConsumption(deps, awardId, `suspended: ${reason}`);
  const award = suspend ? await mustGet(deps, awardId) : current;
  await deps.provider.setAccess(awardId, suspend ? "suspended" : "active");
  const when = at(deps);
  const after = transition(award, target, actor.userId, reason, when);
  const n = award.history.length;
  await deps.awards.update(after, [
    suspend
      ? createEvent(AwardSuspended, `${awardId}:suspended:${n}`, when, ids(award))
      : createEvent(AwardResumed, `${awardId}:resumed:${n}`, when, ids(award)),
  ]);
  return after;
};

/**
 * Revocation settles what the award consumed, then releases only the unconsumed remainder and
 * removes the project. Two movements: a retry after the first finds the settlement done.
 */
export const revokeAward = async (deps: AwardDeps, actor: Actor, awardId: string, reason: string) => {
  staffOnly(actor);
  const current = await mustGet(deps, awardId);
  if (current.status === "revoked") return current;
  if (!["offered", "provisioning", "active", "suspended"].includes(current.status))
    throw conflict(`Award ${awardId} is ${current.status}`);
  await settleConsumption(deps, awardId, `revoked: ${reason}`);
  const award = await mustGet(deps, awardId);
  await deps.provider.deprovision(awardId, `revoked: ${reason}`);
  const when = at(deps);
  return release(
    deps,
    award,
    "revoked",
    actor.userId,
    `revoked: ${reason}`,
    [createEvent(AwardRevoked, `${awardId}:revoked`, when, ids(award))],
    "revoked",
  );
};

// The bodies of staff actions on awards: each names its reason, kept in the award's history.
const Reason = Text(2000, 5, "say why (at least 5 characters)");

export const TopUp = z
  .object({ cashCents: Cents.default(0), creditsCents: Cents.default(0), reason: Reason })
  .refine((t) => t.cashCents + t.creditsCents > 0, {
    message: "top up cash, credits or both",
    path: ["creditsCents"],
  });
export const Extension = z.object({ months: z.number().int().min(1).max(36), reason: Reason });
export const StaffReason = z.object({ reason: Reason });
