import { isDeepStrictEqual } from "node:util";
import type { Actor } from "../actor.js";
import type { Clock } from "../clock.js";
import { conflict, DomainError, forbidden, notFound, validationError } from "../errors.js";
import { createEvent } from "../events/define.js";
import { deterministicId } from "../ids.js";
import { DecisionRecorded, ProposalScreened, ProposalSubmitted } from "./events.js";
import type { ProposalRepository, ReviewWorkflow } from "./ports.js";
import type { Decision, Proposal, ProposalSubmission } from "./schema.js";
import { type ScreeningResult, screen } from "./screening.js";

export interface ProposalDeps {
  proposals: ProposalRepository;
  clock: Clock;
}

// One proposal per PI per call falls out of the id: it is derived from the call and the applicant.
export const proposalIdFor = (callId: string, applicantId: string) => deterministicId("prp", callId, applicantId);

const eventId = (proposalId: string, what: string) => `${proposalId}:${what}`;

export const submitProposal = async (
  deps: ProposalDeps,
  actor: Actor,
  submission: ProposalSubmission,
): Promise<{ proposal: Proposal; created: boolean }> => {
  if (actor.role !== "applicant") throw forbidden("Only applicants submit proposals");
  const proposalId = proposalIdFor(submission.callId, actor.userId);
  const existing = await deps.proposals.get(proposalId);
  if (existing) return { proposal: sameSubmissionOrConflict(existing, submission), created: false };

  const at = deps.clock.now().toISOString();
  const proposal: Proposal = {
    ...submission,
    proposalId,
    applicantId: actor.userId,
    status: "submitted",
    submittedAt: at,
    updatedAt: at,
    revision: 1,
  };
  const event = createEvent(ProposalSubmitted, eventId(proposalId, "submitted"), at, {
    proposalId,
    callId: submission.callId,
  });
  try {
    await deps.proposals.insert(proposal, [event]);
  } catch (error) {
    // A concurrent identical submission won the race: answer as the retry it is.
    if (error instanceof DomainError && error.kind === "conflict") {
      const winner = await deps.proposals.get(proposalId);
      if (winner) return { proposal: sameSubmissionOrConflict(winner, submission), created: false };
    }
    throw error;
  }
  return { proposal, created: true };
};

const submissionOf = (p: Proposal): ProposalSubmission => ({
  callId: p.callId,
  title: p.title,
  abstract: p.abstract,
  pi: p.pi,
  coInvestigators: p.coInvestigators,
  keywords: p.keywords,
  requestedCashCents: p.requestedCashCents,
  requestedCreditsCents: p.requestedCreditsCents,
  durationMonths: p.durationMonths,
  openSourcePlan: p.openSourcePlan,
});

const sameSubmissionOrConflict = (existing: Proposal, submission: ProposalSubmission): Proposal => {
  if (isDeepStrictEqual(submissionOf(existing), submission)) return existing;
  throw conflict(`You already submitted proposal ${existing.proposalId} to call ${existing.callId}`);
};

export const getProposal = async (deps: ProposalDeps, actor: Actor, proposalId: string): Promise<Proposal> => {
  const proposal = await deps.proposals.get(proposalId);
  // An applicant probing someone else's id learns nothing, not even that it exists.
  if (!proposal || (actor.role === "applicant" && proposal.applicantId !== actor.userId)) {
    throw notFound(`Proposal ${proposalId}`);
  }
  if (actor.role !== "applicant" && actor.role !== "staff") throw forbidden();
  return proposal;
};

/** Workflow task: idempotent, a re-run returns the outcome already recorded. */
export const screenProposal = async (deps: ProposalDeps, proposalId: string): Promise<ScreeningResult> => {
  const proposal = await deps.proposals.get(proposalId);
  if (!proposal) throw notFound(`Proposal ${proposalId}`);
  if (proposal.screening) return { eligible: proposal.screening.eligible, reasons: proposal.screening.reasons };
  const result = screen(proposal);
  const at = deps.clock.now().toISOString();
  await deps.proposals.update(
    {
      ...proposal,
      status: result.eligible ? "submitted" : "ineligible",
      screening: { ...result, screenedAt: at },
      updatedAt: at,
      revision: proposal.revision + 1,
    },
    [
      createEvent(ProposalScreened, eventId(proposalId, "screened"), at, {
        proposalId,
        callId: proposal.callId,
        eligible: result.eligible,
      }),
    ],
  );
  return result;
};

/** Workflow task: parks the committee's callback token; a re-run with a new token replaces it. */
export const awaitDecision = async (deps: ProposalDeps, proposalId: string, taskToken: string): Promise<void> => {
  const proposal = await deps.proposals.get(proposalId);
  if (!proposal) throw notFound(`Proposal ${proposalId}`);
  if (proposal.status !== "submitted" && proposal.status !== "decision_pending") {
    throw conflict(`Proposal ${proposalId} is ${proposal.status}; it cannot await a decision`);
  }
  if (proposal.status === "decision_pending" && proposal.decisionTaskToken === taskToken) return;
  const at = deps.clock.now().toISOString();
  await deps.proposals.update(
    { ...proposal, status: "decision_pending", decisionTaskToken: taskToken, updatedAt: at, revision: proposal.revision + 1 },
    [],
  );
};

const outcomeStatus = { approve: "awarded", decline: "declined", waitlist: "waitlisted" } as const;

export const recordDecision = async (
  deps: ProposalDeps & { workflow: ReviewWorkflow },
  actor: Actor,
  proposalId: string,
  decision: Decision,
): Promise<Proposal> => {
  if (actor.role !== "staff") throw forbidden("Only program staff record decisions");
  const proposal = await deps.proposals.get(proposalId);
  if (!proposal) throw notFound(`Proposal ${proposalId}`);
  let decided = proposal;
  if (proposal.decision) {
    const { decidedAt: _a, decidedBy: _b, ...recorded } = proposal.decision;
    if (!isDeepStrictEqual(recorded, decision)) {
      throw conflict(`Proposal ${proposalId} was already decided (${proposal.decision.outcome})`);
    }
  } else {
    if (proposal.status !== "decision_pending" || !proposal.decisionTaskToken) {
      throw conflict(`Proposal ${proposalId} is ${proposal.status}; it is not awaiting a decision`);
    }
    const issues = [];
    if (decision.outcome === "approve") {
      if ((decision.cashCents ?? 0) > proposal.requestedCashCents)
        issues.push({ field: "cashCents", message: `must not exceed the ${proposal.requestedCashCents} requested` });
      if ((decision.creditsCents ?? 0) > proposal.requestedCreditsCents)
        issues.push({ field: "creditsCents", message: `must not exceed the ${proposal.requestedCreditsCents} requested` });
    }
    if (issues.length) throw validationError("The decision does not fit the proposal", issues);
    const at = deps.clock.now().toISOString();
    decided = {
      ...proposal,
      status: outcomeStatus[decision.outcome],
      decision: { ...decision, decidedBy: actor.userId, decidedAt: at },
      updatedAt: at,
      revision: proposal.revision + 1,
    };
    await deps.proposals.update(decided, [
      createEvent(DecisionRecorded, eventId(proposalId, "decided"), at, {
        proposalId,
        callId: proposal.callId,
        outcome: decision.outcome,
        cashCents: decision.cashCents,
        creditsCents: decision.creditsCents,
      }),
    ]);
  }
  // Completing after the write means a crash in between is healed by the caller's retry,
  // which lands in the "already decided" branch above and completes the task again.
  if (decided.decisionTaskToken) {
    await deps.workflow.complete(decided.decisionTaskToken, { outcome: decision.outcome });
  }
  return decided;
};
