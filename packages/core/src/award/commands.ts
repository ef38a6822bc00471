import type { Actor } from "../actor.js";
import { durationSeconds } from "../duration.js";
import { conflict, notFound } from "../errors.js";
import { createEvent } from "../events/define.js";
import { partnerNamed } from "../program/institutions.js";
import type { PartnerInstitutionRecord } from "../program/ports.js";
import type { Proposal } from "../proposal/schema.js";
import {
  AwardAccepted,
  AwardCommitRefused,
  AwardDeclined,
  AwardLapsed,
  AwardOffered,
  BudgetCommitted,
  CreditsProvisioned,
  ProvisioningFailed,
  ProvisioningRequested,
} from "./events.js";
import { BudgetExhausted } from "./ledger.js";
import {
  type AwardDeps,
  addMonths,
  at,
  entriesFor,
  ids,
  mustGet,
  release,
  SYSTEM,
  transition,
} from "./moves.js";
import { type ProviderAnswer, provisioningFailureReason } from "./provider.js";
import { type Award, type AwardStatus, awardIdFor } from "./schema.js";
import { offerTimeoutSeconds } from "./workflow.js";

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
  const partner = partnerOf(proposal, await deps.programs.listInstitutions(prog.programId));
  const when = at(deps);
  const award: Award = {
    awardId: awardIdFor(proposalId),
    proposalId,
    programId: prog.programId,
    callId: proposal.callId,
    applicantId: proposal.applicantId,
    institution: partner?.name ?? proposal.pi?.institution ?? "",
    ...(partner ? { institutionId: partner.institutionId } : {}),
    strategicPartner: partner !== undefined,
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
        // Not the committee's rationale: the grantee reads this history, and the rationale may
        // name a reviewer. It stays on the proposal, where each reader sees it as they may.
        reason: `approved by the committee (proposal ${proposalId})`,
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

/**
 * The partner whose cap an award counts against: the institution the proposal named by id, or
 * failing that the one its free text names (a partner that types its name instead of picking its
 * id still meets its cap; the text never makes anyone a partner for eligibility).
 */
const partnerOf = (proposal: Proposal, partners: readonly PartnerInstitutionRecord[]) =>
  partners.find((p) => p.institutionId === proposal.pi?.institutionId) ??
  partnerNamed(proposal.pi?.institution, partners);

const offerTimeout = (a: Award, now: Date) => offerTimeoutSeconds(a.offerExpiresAt, now);

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

/**
 * Compensation: release the budget and mark the award failed; staff and the grantee are told,
 * and staff may re-drive. `errorName` is the failed step's error name; only a plain reason
 * derived from it is kept, as the award's history is the grantee's to read.
 */
export const failProvisioning = async (deps: AwardDeps, awardId: string, errorName: string | undefined) => {
  const award = await mustGet(deps, awardId);
  if (award.status === "provisioning_failed") return { status: award.status };
  const error = provisioningFailureReason(errorName);
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
