import { isDeepStrictEqual } from "node:util";
import type { Actor } from "../actor.js";
import type { Clock } from "../clock.js";
import { conflict, DomainError, fieldIssuesOf, forbidden, notFound, validationError } from "../errors.js";
import { createEvent } from "../events/define.js";
import { deterministicId } from "../ids.js";
import {
  DecisionRecorded,
  ProposalDrafted,
  ProposalScreened,
  ProposalSubmitted,
  ProposalWithdrawn,
} from "./events.js";
import type { CallReader, ProgramWithPartnersReader, ProposalRepository, ReviewWorkflow } from "./ports.js";
import {
  type Decision,
  type Proposal,
  type ProposalDraft,
  type ProposalStatus,
  ProposalSubmission,
} from "./schema.js";
import { type ScreeningResult, screen, submissionIssues } from "./screening.js";

export interface ProposalDeps {
  proposals: ProposalRepository;
  calls: CallReader;
  programs: ProgramWithPartnersReader;
  clock: Clock;
}

// One proposal per applicant per call falls out of the id: it derives from both.
export const proposalIdFor = (callId: string, applicantId: string) =>
  deterministicId("prp", callId, applicantId);
const eventId = (proposalId: string, what: string) => `${proposalId}:${what}`;

const DECIDED: ProposalStatus[] = ["awarded", "declined", "waitlisted"];
const WITHDRAWABLE: ProposalStatus[] = [
  "draft",
  "submitted",
  "in_review",
  "awaiting_reviewers",
  "decision_pending",
];

const mustOwn = (actor: Actor, proposal: Proposal | undefined, proposalId: string): Proposal => {
  if (!proposal || proposal.applicantId !== actor.userId) throw notFound(`Proposal ${proposalId}`);
  return proposal;
};

const loadCall = async (deps: ProposalDeps, callId: string) => {
  const call = await deps.calls.get(callId);
  if (!call)
    throw validationError("Unknown call", [{ field: "callId", message: `no call named "${callId}"` }]);
  const program = await deps.programs.get(call.programId);
  if (!program) throw new Error(`Call ${callId} names a missing program ${call.programId}`);
  return { call, program };
};

// Proposals stored before partner institutions carry a self-declared `pi.strategicPartner`: read
// as free text, which is what such a proposal now is (it never made anyone a partner).
const currentPi = (pi: ProposalDraft["pi"]): ProposalDraft["pi"] => {
  if (!pi || !("strategicPartner" in pi)) return pi;
  const { strategicPartner: _legacy, ...rest } = pi;
  return rest;
};

const draftFields = (p: Proposal): ProposalDraft => {
  const { callId, title, abstract, coInvestigators, keywords } = p;
  const pi = currentPi(p.pi);
  const { requestedCashCents, requestedCreditsCents, durationMonths, openSourcePlan } = p;
  return Object.fromEntries(
    Object.entries({
      callId,
      title,
      abstract,
      pi,
      coInvestigators,
      keywords,
      requestedCashCents,
      requestedCreditsCents,
      durationMonths,
      openSourcePlan,
    }).filter(([, v]) => v !== undefined),
  ) as ProposalDraft;
};

export const createDraft = async (
  deps: ProposalDeps,
  actor: Actor,
  draft: ProposalDraft,
): Promise<{ proposal: Proposal; created: boolean }> => {
  if (actor.role !== "applicant") throw forbidden("Only applicants write proposals");
  await loadCall(deps, draft.callId);
  const proposalId = proposalIdFor(draft.callId, actor.userId);
  const sameOrConflict = (existing: Proposal) => {
    if (existing.status === "draft" && isDeepStrictEqual(draftFields(existing), draft)) return existing;
    throw conflict(`You already have proposal ${proposalId} for call ${draft.callId}; edit that one`);
  };
  const existing = await deps.proposals.get(proposalId);
  if (existing) return { proposal: sameOrConflict(existing), created: false };
  const at = deps.clock.now().toISOString();
  const proposal: Proposal = {
    ...draft,
    proposalId,
    applicantId: actor.userId,
    status: "draft",
    createdAt: at,
    updatedAt: at,
    revision: 1,
  };
  try {
    await deps.proposals.insert(proposal, [
      createEvent(ProposalDrafted, eventId(proposalId, "drafted"), at, { proposalId, callId: draft.callId }),
    ]);
  } catch (error) {
    // A concurrent identical create won the race: answer as the retry it is.
    const winner =
      error instanceof DomainError && error.kind === "conflict"
        ? await deps.proposals.get(proposalId)
        : undefined;
    if (winner) return { proposal: sameOrConflict(winner), created: false };
    throw error;
  }
  return { proposal, created: true };
};

export const updateDraft = async (
  deps: ProposalDeps,
  actor: Actor,
  proposalId: string,
  patch: Partial<Omit<ProposalDraft, "callId">>,
): Promise<Proposal> => {
  const proposal = mustOwn(actor, await deps.proposals.get(proposalId), proposalId);
  if (proposal.status !== "draft")
    throw conflict(`Proposal ${proposalId} is ${proposal.status}; only drafts can be edited`);
  const updated: Proposal = {
    ...proposal,
    ...patch,
    updatedAt: deps.clock.now().toISOString(),
    revision: proposal.revision + 1,
  };
  await deps.proposals.update(updated, []);
  return updated;
};

export const submitProposal = async (
  deps: ProposalDeps,
  actor: Actor,
  proposalId: string,
): Promise<Proposal> => {
  const proposal = mustOwn(actor, await deps.proposals.get(proposalId), proposalId);
  if (proposal.status !== "draft") {
    if (proposal.status === "withdrawn") throw conflict(`Proposal ${proposalId} was withdrawn`);
    return proposal;
  }
  const parsed = ProposalSubmission.safeParse(draftFields(proposal));
  const issues = parsed.success ? [] : fieldIssuesOf(parsed.error, "(proposal)");
  const { call, program } = await loadCall(deps, proposal.callId);
  const partners = await deps.programs.listInstitutions(program.programId);
  if (parsed.success)
    issues.push(...submissionIssues(parsed.data, call, program, partners, deps.clock.now()));
  if (issues.length)
    throw validationError("The proposal cannot be submitted yet; fix each field listed", issues);

  const at = deps.clock.now().toISOString();
  const fields = parsed.data as ProposalSubmission;
  // The canonical name goes with the id, so reviewers' conflicts and notices read the same name.
  const partner = partners.find((p) => p.institutionId === fields.pi.institutionId);
  const submitted: Proposal = {
    ...proposal,
    ...fields,
    pi: partner ? { ...fields.pi, institution: partner.name } : fields.pi,
    status: "submitted",
    submittedAt: at,
    updatedAt: at,
    revision: proposal.revision + 1,
  };
  const piEmail = (parsed.data as ProposalSubmission).pi.email.toLowerCase();
  try {
    await deps.proposals.update(
      submitted,
      [
        createEvent(ProposalSubmitted, eventId(proposalId, "submitted"), at, {
          proposalId,
          callId: proposal.callId,
        }),
      ],
      { claims: [{ kind: "pi-per-call", callId: proposal.callId, piEmail }] },
    );
  } catch (error) {
    const now = await deps.proposals.get(proposalId);
    // A concurrent submit of this same proposal got there first: the outcome is the same.
    if (now && now.status !== "draft" && now.status !== "withdrawn") return now;
    if (error instanceof DomainError && error.kind === "conflict" && now?.status === "draft") {
      throw validationError("The proposal cannot be submitted", [
        { field: "pi.email", message: `this PI already has a proposal in call ${proposal.callId}` },
      ]);
    }
    throw error;
  }
  return submitted;
};

export const withdrawProposal = async (
  deps: ProposalDeps & { workflow: ReviewWorkflow },
  actor: Actor,
  proposalId: string,
  reason: string,
): Promise<Proposal> => {
  const proposal = mustOwn(actor, await deps.proposals.get(proposalId), proposalId);
  let withdrawn = proposal;
  if (proposal.status !== "withdrawn") {
    if (!WITHDRAWABLE.includes(proposal.status)) {
      throw conflict(`Proposal ${proposalId} is ${proposal.status}; it can no longer be withdrawn`);
    }
    const at = deps.clock.now().toISOString();
    withdrawn = {
      ...proposal,
      status: "withdrawn",
      withdrawnAt: at,
      withdrawalReason: reason,
      updatedAt: at,
      revision: proposal.revision + 1,
    };
    await deps.proposals.update(withdrawn, [
      createEvent(ProposalWithdrawn, eventId(proposalId, "withdrawn"), at, {
        proposalId,
        callId: proposal.callId,
      }),
    ]);
  }
  // After the write, so a crash in between is healed by the applicant's retry.
  if (withdrawn.submittedAt) await deps.workflow.stop(proposalId, `Withdrawn by the applicant: ${reason}`);
  return withdrawn;
};

export const listProposals = async (
  deps: Pick<ProposalDeps, "proposals">,
  actor: Actor,
  query: { callId?: string; status?: ProposalStatus },
): Promise<Proposal[]> => {
  if (actor.role === "applicant") {
    const mine = await deps.proposals.listByApplicant(actor.userId);
    return mine.filter(
      (p) => (!query.callId || p.callId === query.callId) && (!query.status || p.status === query.status),
    );
  }
  if (actor.role !== "staff") throw forbidden("Reviewers list their assignments instead");
  if (!query.callId)
    throw validationError("Name the call", [{ field: "callId", message: "is required for staff" }]);
  return deps.proposals.listByCall(query.callId, query.status);
};

/** Workflow task: idempotent, a re-run returns the outcome already recorded. */
export const screenProposal = async (deps: ProposalDeps, proposalId: string): Promise<ScreeningResult> => {
  const proposal = await deps.proposals.get(proposalId);
  if (!proposal) throw notFound(`Proposal ${proposalId}`);
  if (proposal.screening) {
    const { screenedAt: _at, ...result } = proposal.screening;
    return result;
  }
  if (proposal.status !== "submitted") throw conflict(`Proposal ${proposalId} is ${proposal.status}`);
  const { call } = await loadCall(deps, proposal.callId);
  const partners = await deps.programs.listInstitutions(call.programId);
  const result = screen(ProposalSubmission.parse(draftFields(proposal)), call, partners);
  const at = deps.clock.now().toISOString();
  await deps.proposals.update(
    {
      ...proposal,
      status: result.eligible ? "in_review" : "ineligible",
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
export const awaitDecision = async (
  deps: ProposalDeps & { workflow: Pick<ReviewWorkflow, "complete"> },
  proposalId: string,
  taskToken: string,
): Promise<void> => {
  const proposal = await deps.proposals.get(proposalId);
  if (!proposal) throw notFound(`Proposal ${proposalId}`);
  // Staff may decide between a refused commitment and this task parking its new callback
  // (they completed the old one): the decision is already here, so hand it over at once.
  if (proposal.decision) {
    await deps.workflow.complete(taskToken, { outcome: proposal.decision.outcome });
    return;
  }
  if (proposal.status !== "in_review" && proposal.status !== "decision_pending") {
    throw conflict(`Proposal ${proposalId} is ${proposal.status}; it cannot await a decision`);
  }
  if (proposal.status === "decision_pending" && proposal.decisionTaskToken === taskToken) return;
  const at = deps.clock.now().toISOString();
  await deps.proposals.update(
    {
      ...proposal,
      status: "decision_pending",
      decisionTaskToken: taskToken,
      updatedAt: at,
      revision: proposal.revision + 1,
    },
    [],
  );
};

// A decision the budget refused goes back to the committee; each revision is its own event, so
// the bus does not drop it as a duplicate of the first.
const decisionEventId = (p: Proposal) => {
  const revised = p.revisedDecisions?.length ?? 0;
  return eventId(p.proposalId, revised ? `decided-${revised}` : "decided");
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
    const { decidedAt: _a, decidedBy: _b, scoreAtDecision: _s, ...recorded } = proposal.decision;
    if (!isDeepStrictEqual(recorded, decision)) {
      throw conflict(`Proposal ${proposalId} was already decided (${proposal.decision.outcome})`);
    }
  } else {
    if (proposal.status !== "decision_pending" || !proposal.decisionTaskToken) {
      throw conflict(`Proposal ${proposalId} is ${proposal.status}; it is not awaiting a decision`);
    }
    if (decision.outcome === "approve") {
      const { program } = await loadCall(deps, proposal.callId);
      const issues = [];
      const maxCash = Math.min(proposal.requestedCashCents ?? 0, program.caps.maxGrantCashCents);
      const maxCredits = Math.min(proposal.requestedCreditsCents ?? 0, program.caps.maxGrantCreditsCents);
      if ((decision.cashCents ?? 0) > maxCash) {
        issues.push({
          field: "cashCents",
          message: `must be at most ${maxCash} (the request, within the program's cap)`,
        });
      }
      if ((decision.creditsCents ?? 0) > maxCredits) {
        issues.push({
          field: "creditsCents",
          message: `must be at most ${maxCredits} (the request, within the program's cap)`,
        });
      }
      if (issues.length) throw validationError("The decision does not fit the proposal", issues);
    }
    const at = deps.clock.now().toISOString();
    decided = {
      ...proposal,
      status: outcomeStatus[decision.outcome],
      // The scores travel with the decision, so the record shows what the committee saw.
      decision: {
        ...decision,
        decidedBy: actor.userId,
        decidedAt: at,
        scoreAtDecision: proposal.score ?? null,
      },
      updatedAt: at,
      revision: proposal.revision + 1,
    };
    await deps.proposals.update(decided, [
      createEvent(DecisionRecorded, decisionEventId(proposal), at, {
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

export const isDecided = (p: Proposal) => DECIDED.includes(p.status);
