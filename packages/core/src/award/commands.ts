import type { Actor } from "../actor.js";
import type { Clock } from "../clock.js";
import { durationSeconds } from "../duration.js";
import { conflict, forbidden, notFound, validationError } from "../errors.js";
import { createEvent, type DomainEvent } from "../events/define.js";
import type { CallReader, ProgramReader, ProposalRepository, ReviewWorkflow } from "../proposal/ports.js";
import {
  AwardAccepted,
  AwardCommitRefused,
  AwardDeclined,
  AwardExtended,
  AwardLapsed,
  AwardOffered,
  AwardResumed,
  AwardRevoked,
  AwardSuspended,
  BudgetCommitted,
  BudgetReleased,
  CreditsProvisioned,
  ProvisioningFailed,
  ProvisioningRequested,
} from "./events.js";
import {
  BudgetExhausted,
  type LedgerEntry,
  type LedgerKind,
  type LedgerRepository,
  type Pool,
} from "./ledger.js";
import type { AwardRepository } from "./ports.js";
import type { ComputeProvider, ProviderAnswer } from "./provider.js";
import { type Award, type AwardStatus, awardIdFor } from "./schema.js";

export interface AwardDeps {
  proposals: ProposalRepository;
  calls: CallReader;
  programs: ProgramReader;
  awards: AwardRepository;
  ledger: LedgerRepository;
  provider: ComputeProvider;
  workflow: Pick<ReviewWorkflow, "complete" | "fail" | "startProvisioning">;
  clock: Clock;
  /** Where the provider posts its answers (the webhook route of this deployment). */
  providerCallbackUrl: string;
}

const SYSTEM = "allot";
const at = (deps: AwardDeps) => deps.clock.now().toISOString();
const addMonths = (iso: string, months: number) => {
  const d = new Date(iso);
  d.setUTCMonth(d.getUTCMonth() + months);
  return d.toISOString();
};

const ids = (a: Award) => ({ awardId: a.awardId, proposalId: a.proposalId, programId: a.programId });

const transition = (a: Award, status: AwardStatus, actor: string, reason: string, when: string): Award => ({
  ...a,
  status,
  history: [...a.history, { at: when, status, actor, reason }],
  revision: a.revision + 1,
});

const entriesFor = (
  a: Award,
  kind: LedgerKind,
  amounts: { cashCents: number; creditsCents: number },
  sign: 1 | -1,
  actor: string,
  cause: string,
  when: string,
  tag: string,
): LedgerEntry[] =>
  (["cash", "credits"] as Pool[]).flatMap((pool) => {
    const cents = pool === "cash" ? amounts.cashCents : amounts.creditsCents;
    if (!cents) return [];
    return [
      {
        entryId: `${a.awardId}:${tag}:${pool}`,
        programId: a.programId,
        awardId: a.awardId,
        institution: a.institution,
        strategicPartner: a.strategicPartner,
        pool,
        kind,
        amountCents: sign * cents,
        actor,
        cause,
        at: when,
      },
    ];
  });

const mustGet = async (deps: AwardDeps, awardId: string) => {
  const award = await deps.awards.get(awardId);
  if (!award) throw notFound(`Award ${awardId}`);
  return award;
};

/** Money held by an award now: what its entries add up to, per pool. */
export const heldBy = (entries: LedgerEntry[]) => ({
  cashCents: entries.filter((e) => e.pool === "cash").reduce((s, e) => s + e.amountCents, 0),
  creditsCents: entries.filter((e) => e.pool === "credits").reduce((s, e) => s + e.amountCents, 0),
});

/**
 * Workflow task after an approval: the award record, both pools' commitments, the partner cap,
 * the ledger entries and the events, in one transaction. A refusal puts the decision back in
 * the committee's hands with the numbers, and the workflow waits for a revised one.
 */
export const commitAward = async (deps: AwardDeps, proposalId: string) => {
  const existing = await deps.awards.get(awardIdFor(proposalId));
  const program = async (programId: string) => {
    const found = await deps.programs.get(programId);
    if (!found) throw new Error(`Program ${programId} is missing`);
    return found;
  };
  if (existing)
    return { awardId: existing.awardId, offerTimeoutSeconds: offerTimeout(existing, deps.clock.now()) };
  const proposal = await deps.proposals.get(proposalId);
  if (proposal?.status !== "awarded" || proposal.decision?.outcome !== "approve") {
    throw conflict(`Proposal ${proposalId} has no approval to commit`);
  }
  const call = await deps.calls.get(proposal.callId);
  if (!call) throw new Error(`Call ${proposal.callId} is missing`);
  const prog = await program(call.programId);
  // Idempotent: a program's pools open from its budget the first time money moves in it.
  await deps.ledger.openPools(prog.programId, prog.pools, prog.caps.maxPartnerCreditsCents);
  const when = at(deps);
  const award: Award = {
    awardId: awardIdFor(proposalId),
    proposalId,
    programId: prog.programId,
    callId: proposal.callId,
    applicantId: proposal.applicantId,
    institution: proposal.pi?.institution ?? "",
    strategicPartner: proposal.pi?.strategicPartner ?? false,
    cashCents: proposal.decision.cashCents ?? 0,
    creditsCents: proposal.decision.creditsCents ?? 0,
    periodMonths: proposal.durationMonths ?? 12,
    status: "offered",
    offeredAt: when,
    offerExpiresAt: new Date(
      Date.parse(when) + (durationSeconds(prog.offerPeriod) ?? 30 * 86400) * 1000,
    ).toISOString(),
    history: [
      {
        at: when,
        status: "offered",
        actor: proposal.decision.decidedBy,
        reason: proposal.decision.rationale,
      },
    ],
    revision: 1,
  };
  const amounts = { cashCents: award.cashCents, creditsCents: award.creditsCents };
  try {
    await deps.ledger.move({
      requestToken: `${award.awardId}:commit`,
      entries: entriesFor(
        award,
        "commit",
        amounts,
        1,
        proposal.decision.decidedBy,
        `approval of ${proposalId}`,
        when,
        "commit",
      ),
      award: { item: award as unknown as Record<string, unknown>, expectedRevision: null },
      events: [
        createEvent(BudgetCommitted, `${award.awardId}:committed`, when, {
          ...ids(award),
          ...amounts,
          kind: "commit",
        }),
        createEvent(AwardOffered, `${award.awardId}:offered`, when, {
          ...ids(award),
          offerExpiresAt: award.offerExpiresAt,
        }),
      ],
    });
  } catch (error) {
    if (!(error instanceof BudgetExhausted)) throw error;
    const { decision } = proposal;
    await deps.proposals.update(
      {
        ...proposal,
        status: "decision_pending",
        decision: undefined,
        revisedDecisions: [
          ...(proposal.revisedDecisions ?? []),
          { ...decision, refusedAt: when, refusal: error.message },
        ],
        updatedAt: when,
        revision: proposal.revision + 1,
      },
      [
        createEvent(
          AwardCommitRefused,
          `${proposalId}:commit-refused:${(proposal.revisedDecisions ?? []).length}`,
          when,
          { proposalId, programId: prog.programId },
        ),
      ],
    );
    throw error;
  }
  return { awardId: award.awardId, offerTimeoutSeconds: offerTimeout(award, deps.clock.now()) };
};

const offerTimeout = (a: Award, now: Date) =>
  Math.max(1, Math.ceil((Date.parse(a.offerExpiresAt) - now.getTime()) / 1000));

/** Workflow task: parks the offer's callback; an answered offer completes it at once. */
export const awaitAcceptance = async (deps: AwardDeps, awardId: string, taskToken: string) => {
  const award = await mustGet(deps, awardId);
  if (award.status !== "offered") {
    await deps.workflow.complete(taskToken, {
      accepted: award.status !== "declined" && award.status !== "lapsed",
    });
    return;
  }
  if (award.offerTaskToken === taskToken) return;
  await deps.awards.update({ ...award, offerTaskToken: taskToken, revision: award.revision + 1 }, []);
};

const release = async (
  deps: AwardDeps,
  award: Award,
  status: AwardStatus,
  actor: string,
  reason: string,
  extra: DomainEvent[],
  tag: string,
) => {
  const when = at(deps);
  const held = heldBy(await deps.ledger.entriesForAward(award.awardId));
  const after = transition(award, status, actor, reason, when);
  await deps.ledger.move({
    requestToken: `${award.awardId}:${tag}`,
    entries: entriesFor(award, "release", held, -1, actor, reason, when, tag),
    award: { item: after as unknown as Record<string, unknown>, expectedRevision: award.revision },
    events: [
      ...extra,
      ...(held.cashCents || held.creditsCents
        ? [
            createEvent(BudgetReleased, `${award.awardId}:${tag}:released`, when, {
              ...ids(award),
              ...held,
              reason,
            }),
          ]
        : []),
    ],
  });
  return after;
};

const ACCEPTED: AwardStatus[] = [
  "provisioning",
  "provisioning_failed",
  "active",
  "suspended",
  "closed",
  "revoked",
];

/** The grantee accepts or declines the offer; answering the same way again is a no-op. */
export const respondToOffer = async (deps: AwardDeps, actor: Actor, awardId: string, accept: boolean) => {
  const award = await deps.awards.get(awardId);
  if (!award || actor.role !== "applicant" || award.applicantId !== actor.userId)
    throw notFound(`Award ${awardId}`);
  let now = award;
  if (award.status === "offered") {
    if (Date.parse(award.offerExpiresAt) <= deps.clock.now().getTime())
      throw conflict(`The offer of ${awardId} has lapsed`);
    const when = at(deps);
    if (accept) {
      now = {
        ...transition(award, "provisioning", actor.userId, "offer accepted", when),
        acceptedAt: when,
        startsAt: when,
        endsAt: addMonths(when, award.periodMonths),
      };
      await deps.awards.update(now, [createEvent(AwardAccepted, `${awardId}:accepted`, when, ids(award))]);
    } else {
      const declined = createEvent(AwardDeclined, `${awardId}:declined`, when, ids(award));
      now = await release(
        deps,
        award,
        "declined",
        actor.userId,
        "offer declined by the grantee",
        [declined],
        "declined",
      );
    }
  } else if (accept ? !ACCEPTED.includes(award.status) : award.status !== "declined") {
    throw conflict(
      `Award ${awardId} is ${award.status}; the offer can no longer be ${accept ? "accepted" : "declined"}`,
    );
  }
  if (now.offerTaskToken) await deps.workflow.complete(now.offerTaskToken, { accepted: accept });
  return now;
};

/** Workflow task on the offer's deadline: the budget goes back; idempotent. */
export const lapseOffer = async (deps: AwardDeps, awardId: string) => {
  const award = await mustGet(deps, awardId);
  if (award.status !== "offered") return { status: award.status };
  const when = at(deps);
  const after = await release(
    deps,
    award,
    "lapsed",
    SYSTEM,
    "the offer was not accepted by its deadline",
    [createEvent(AwardLapsed, `${awardId}:lapsed`, when, ids(award))],
    "lapsed",
  );
  return { status: after.status };
};

/** Workflow task: asks the provider for the project (request_project_create); idempotent by award. */
export const requestProvisioning = async (deps: AwardDeps, awardId: string) => {
  const award = await mustGet(deps, awardId);
  if (award.status !== "provisioning")
    throw conflict(`Award ${awardId} is ${award.status}; nothing to provision`);
  const proposal = await deps.proposals.get(award.proposalId);
  const program = await deps.programs.get(award.programId);
  const rate = program?.creditRate.centsPerChipHour || 1;
  await deps.provider.requestProject({
    awardId,
    grantee: {
      userId: award.applicantId,
      name: proposal?.pi?.name ?? "",
      email: proposal?.pi?.email ?? "",
      institution: award.institution,
    },
    creditsCents: award.creditsCents,
    chipHours: Math.floor(award.creditsCents / rate),
    startsAt: award.startsAt ?? at(deps),
    endsAt: award.endsAt ?? addMonths(at(deps), award.periodMonths),
    callbackUrl: deps.providerCallbackUrl,
  });
  if (!award.history.some((h) => h.reason === "provisioning requested")) {
    const when = at(deps);
    await deps.awards.update(
      {
        ...award,
        history: [
          ...award.history,
          { at: when, status: award.status, actor: SYSTEM, reason: "provisioning requested" },
        ],
        revision: award.revision + 1,
      },
      [createEvent(ProvisioningRequested, `${awardId}:provisioning-requested`, when, ids(award))],
    );
  }
  return { requested: true };
};

/** Workflow task: parks the callback that the provider's answer completes. */
export const awaitProvisioned = async (deps: AwardDeps, awardId: string, taskToken: string) => {
  const award = await mustGet(deps, awardId);
  if (award.provider) {
    await deps.workflow.complete(taskToken, { projectId: award.provider.projectId });
    return;
  }
  if (award.provisioningTaskToken === taskToken) return;
  await deps.awards.update({ ...award, provisioningTaskToken: taskToken, revision: award.revision + 1 }, []);
};

/** The provider's answer (notify_project_create), from the signed webhook. */
export const recordProviderAnswer = async (deps: AwardDeps, answer: ProviderAnswer) => {
  const award = await mustGet(deps, answer.awardId);
  if (award.provider && award.provider.projectId !== answer.projectId) {
    throw conflict(`Award ${award.awardId} is already provisioned as ${award.provider.projectId}`);
  }
  let now = award;
  if (!award.provider) {
    if (award.status !== "provisioning")
      throw conflict(`Award ${award.awardId} is ${award.status}; not waiting for the provider`);
    now = {
      ...award,
      provider: { projectId: answer.projectId, access: answer.access, provisionedAt: at(deps) },
      revision: award.revision + 1,
    };
    await deps.awards.update(now, []);
  }
  if (now.provisioningTaskToken)
    await deps.workflow.complete(now.provisioningTaskToken, { projectId: answer.projectId });
  return now;
};

/** Workflow task: inform_transaction_complete, then the award is active and the grantee told. */
export const completeProvisioning = async (deps: AwardDeps, awardId: string) => {
  const award = await mustGet(deps, awardId);
  if (award.status === "active") return { status: "active" };
  if (award.status !== "provisioning" || !award.provider)
    throw conflict(`Award ${awardId} is ${award.status}`);
  await deps.provider.completeTransaction(awardId);
  const when = at(deps);
  await deps.awards.update(transition(award, "active", SYSTEM, "credits provisioned", when), [
    createEvent(CreditsProvisioned, `${awardId}:provisioned`, when, {
      ...ids(award),
      projectId: award.provider.projectId,
    }),
  ]);
  return { status: "active" };
};

/** Compensation: remove whatever the provider may have created. */
export const deprovisionAward = async (deps: AwardDeps, awardId: string, reason: string) => {
  await mustGet(deps, awardId);
  await deps.provider.deprovision(awardId, reason);
  return { deprovisioned: true };
};

/** Compensation: release the budget and mark the award failed; staff are told and may re-drive. */
export const failProvisioning = async (deps: AwardDeps, awardId: string, error: string) => {
  const award = await mustGet(deps, awardId);
  if (award.status === "provisioning_failed") return { status: award.status };
  const when = at(deps);
  const failedRound = award.history.filter((h) => h.status === "provisioning_failed").length;
  await release(
    deps,
    { ...award, provider: undefined },
    "provisioning_failed",
    SYSTEM,
    `provisioning failed: ${error}`,
    [
      createEvent(ProvisioningFailed, `${awardId}:provisioning-failed:${failedRound}`, when, {
        ...ids(award),
        error,
      }),
    ],
    `failed-${failedRound}`,
  );
  return { status: "provisioning_failed" };
};

// ---- Staff operations ----------------------------------------------------------------------

const staffOnly = (actor: Actor) => {
  if (actor.role !== "staff") throw forbidden("Only program staff manage awards");
};

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

export const topUpAward = async (
  deps: AwardDeps,
  actor: Actor,
  awardId: string,
  input: { cashCents: number; creditsCents: number; reason: string },
) => {
  staffOnly(actor);
  const award = await mustGet(deps, awardId);
  if (!["active", "suspended", "provisioning"].includes(award.status))
    throw conflict(`Award ${awardId} is ${award.status}`);
  const program = await deps.programs.get(award.programId);
  const issues = [];
  if (program && award.cashCents + input.cashCents > program.caps.maxGrantCashCents) {
    issues.push({
      field: "cashCents",
      message: `the award would exceed the ${program.caps.maxGrantCashCents} cents grant cap`,
    });
  }
  if (program && award.creditsCents + input.creditsCents > program.caps.maxGrantCreditsCents) {
    issues.push({
      field: "creditsCents",
      message: `the award would exceed the ${program.caps.maxGrantCreditsCents} cents credit cap`,
    });
  }
  if (issues.length) throw validationError("The top-up does not fit the program's caps", issues);
  const when = at(deps);
  const n = award.history.filter((h) => h.reason.startsWith("top-up")).length;
  const after = {
    ...award,
    cashCents: award.cashCents + input.cashCents,
    creditsCents: award.creditsCents + input.creditsCents,
    history: [
      ...award.history,
      { at: when, status: award.status, actor: actor.userId, reason: `top-up: ${input.reason}` },
    ],
    revision: award.revision + 1,
  };
  await deps.ledger.move({
    requestToken: `${awardId}:topup-${n}`,
    entries: entriesFor(award, "topup", input, 1, actor.userId, input.reason, when, `topup-${n}`),
    award: { item: after as unknown as Record<string, unknown>, expectedRevision: award.revision },
    events: [
      createEvent(BudgetCommitted, `${awardId}:topup-${n}`, when, {
        ...ids(award),
        cashCents: input.cashCents,
        creditsCents: input.creditsCents,
        kind: "topup",
      }),
    ],
  });
  return after;
};

export const extendAward = async (
  deps: AwardDeps,
  actor: Actor,
  awardId: string,
  input: { months: number; reason: string },
) => {
  staffOnly(actor);
  const award = await mustGet(deps, awardId);
  if (!["active", "suspended"].includes(award.status) || !award.endsAt)
    throw conflict(`Award ${awardId} is ${award.status}`);
  const when = at(deps);
  const endsAt = addMonths(award.endsAt, input.months);
  const after = {
    ...award,
    endsAt,
    periodMonths: award.periodMonths + input.months,
    history: [
      ...award.history,
      {
        at: when,
        status: award.status,
        actor: actor.userId,
        reason: `extended ${input.months} months: ${input.reason}`,
      },
    ],
    revision: award.revision + 1,
  };
  await deps.awards.update(after, [
    createEvent(AwardExtended, `${awardId}:extended:${award.periodMonths}`, when, { ...ids(award), endsAt }),
  ]);
  return after;
};

export const setAwardSuspension = async (
  deps: AwardDeps,
  actor: Actor,
  awardId: string,
  suspend: boolean,
  reason: string,
) => {
  staffOnly(actor);
  const award = await mustGet(deps, awardId);
  const target: AwardStatus = suspend ? "suspended" : "active";
  if (award.status === target) return award;
  if (award.status !== (suspend ? "active" : "suspended"))
    throw conflict(`Award ${awardId} is ${award.status}`);
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

/** Revocation releases what the award still holds and removes the project. */
export const revokeAward = async (deps: AwardDeps, actor: Actor, awardId: string, reason: string) => {
  staffOnly(actor);
  const award = await mustGet(deps, awardId);
  if (award.status === "revoked") return award;
  if (!["offered", "provisioning", "active", "suspended"].includes(award.status))
    throw conflict(`Award ${awardId} is ${award.status}`);
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

/** An award as its caller may see it: staff, or the grantee; never the workflow's tokens. */
export const readAward = async (
  deps: Pick<AwardDeps, "awards" | "ledger">,
  actor: Actor,
  awardId: string,
) => {
  const award = await deps.awards.get(awardId);
  if (
    !award ||
    (actor.role !== "staff" && !(actor.role === "applicant" && award.applicantId === actor.userId))
  ) {
    throw notFound(`Award ${awardId}`);
  }
  const { offerTaskToken: _o, provisioningTaskToken: _p, revision: _r, ...view } = award;
  const held = heldBy(await deps.ledger.entriesForAward(awardId));
  return { ...view, held };
};

/** Staff report: the pools, and awards by state. */
export const budgetReport = async (
  deps: Pick<AwardDeps, "awards" | "ledger">,
  actor: Actor,
  programId: string,
) => {
  staffOnly(actor);
  const pools = await deps.ledger.pools(programId);
  const entries = await deps.ledger.entriesForProgram(programId);
  const sum = (filter: (e: LedgerEntry) => boolean) =>
    entries.filter(filter).reduce((s, e) => s + e.amountCents, 0);
  const institutions = [...new Set(entries.map((e) => e.institution))].sort().map((institution) => ({
    institution,
    committedCents: sum((e) => e.institution === institution && e.amountCents > 0),
    releasedCents: -sum((e) => e.institution === institution && e.amountCents < 0),
    heldCents: sum((e) => e.institution === institution),
  }));
  const awards = await deps.awards.listByProgram(programId);
  const byState: Record<string, number> = {};
  for (const a of awards) byState[a.status] = (byState[a.status] ?? 0) + 1;
  return {
    programId,
    pools: pools.map((p) => ({
      ...p,
      releasedCents: -sum((e) => e.pool === p.pool && e.amountCents < 0),
      grossCommittedCents: sum((e) => e.pool === p.pool && e.amountCents > 0),
    })),
    institutions,
    awardsByState: byState,
  };
};
