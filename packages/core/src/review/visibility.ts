import type { Actor } from "../actor.js";
import { forbidden, notFound, validationError } from "../errors.js";
import type { CallReader, ProposalRepository } from "../proposal/ports.js";
import type { Proposal } from "../proposal/schema.js";
import type { AssignmentRepository } from "./assignments-ports.js";
import type { ReviewerRepository } from "./ports.js";
import { redactIdentities, reviewersOf } from "./redaction.js";
import { rankProposals } from "./scoring.js";

export interface VisibilityDeps {
  proposals: ProposalRepository;
  calls: CallReader;
  assignments: AssignmentRepository;
  reviewers: Pick<ReviewerRepository, "getMany">;
}

/** Workflow internals that no caller ever sees. */
const internal = (p: Proposal) => {
  const { decisionTaskToken: _d, reviewerWaitTaskToken: _r, revision: _v, ...rest } = p;
  return rest;
};

// In a blind call the reviewer learns what is proposed, never who proposes it; they also do
// not see screening notes or the committee's decision, which are not theirs to weigh.
const forReviewer = (p: Proposal, blind: boolean) => {
  const {
    applicantId: _a,
    pi,
    coInvestigators,
    screening: _s,
    decision: _d,
    score: _c,
    withdrawalReason: _w,
    ...rest
  } = internal(p);
  return blind ? { ...rest, blind: true } : { ...rest, pi, coInvestigators, blind: false };
};

// The committee's text may quote a reviewer by name; the applicant reads it without the names of
// the call's reviewers or any e-mail address. Staff read it as written.
const forApplicant = async (deps: VisibilityDeps, p: Proposal) => {
  if (!p.decision && !p.revisedDecisions?.length) return internal(p);
  const call = await deps.calls.get(p.callId);
  const reviewers = await reviewersOf(deps, p, call?.reviewerPool ?? []);
  const redacted = <T extends { rationale: string }>(d: T): T => ({
    ...d,
    rationale: redactIdentities(d.rationale, reviewers),
  });
  return internal({
    ...p,
    ...(p.decision ? { decision: redacted(p.decision) } : {}),
    ...(p.revisedDecisions ? { revisedDecisions: p.revisedDecisions.map(redacted) } : {}),
  });
};

/** A proposal as this caller may see it; anything they may not see is "not found". */
export const readProposal = async (deps: VisibilityDeps, actor: Actor, proposalId: string) => {
  const proposal = await deps.proposals.get(proposalId);
  if (!proposal) throw notFound(`Proposal ${proposalId}`);
  switch (actor.role) {
    case "staff":
      return internal(proposal);
    case "applicant":
      if (proposal.applicantId !== actor.userId) throw notFound(`Proposal ${proposalId}`);
      return forApplicant(deps, proposal);
    case "reviewer": {
      const mine = (await deps.assignments.listForProposal(proposalId)).some(
        (a) => a.reviewerId === actor.userId && a.status !== "cancelled",
      );
      if (!mine) throw notFound(`Proposal ${proposalId}`);
      const call = await deps.calls.get(proposal.callId);
      return forReviewer(proposal, call?.review.blind ?? true);
    }
    default:
      throw forbidden();
  }
};

/** A reviewer's own assignments, each with the proposal as they may see it. */
export const listMyAssignments = async (deps: VisibilityDeps, actor: Actor) => {
  if (actor.role !== "reviewer") throw forbidden("Only reviewers have assignments");
  const mine = (await deps.assignments.listForReviewer(actor.userId)).filter((a) => a.status !== "cancelled");
  const items = [];
  for (const a of mine) {
    const proposal = await deps.proposals.get(a.proposalId);
    const call = proposal ? await deps.calls.get(proposal.callId) : undefined;
    if (!proposal || !call) continue;
    const { taskToken: _t, ...assignment } = a;
    items.push({
      ...assignment,
      rubric: call.review.rubric,
      proposal: forReviewer(proposal, call.review.blind),
    });
  }
  return items.sort((x, y) => x.dueAt.localeCompare(y.dueAt));
};

/** Staff: a call's scored proposals, ranked, with the numbers behind each rank. */
export const callRanking = async (deps: VisibilityDeps, actor: Actor, callId: string) => {
  if (actor.role !== "staff") throw forbidden("Only program staff see the ranking");
  const call = await deps.calls.get(callId);
  if (!call)
    throw validationError("Unknown call", [{ field: "callId", message: `no call named "${callId}"` }]);
  const scored = (await deps.proposals.listByCall(callId))
    .filter((p) => p.score && p.score.total !== null && p.status !== "withdrawn")
    .map((p) => ({
      proposalId: p.proposalId,
      title: p.title,
      status: p.status,
      total: p.score?.total as number,
      reviewCount: p.score?.reviewCount ?? 0,
      spread: p.score?.spread ?? 0,
      disagreement: p.score?.disagreement ?? false,
      incomplete: p.score?.incomplete ?? false,
    }));
  return rankProposals(scored);
};
