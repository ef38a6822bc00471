import { notFound } from "../errors.js";
import type { EventDataOf } from "../events/define.js";
import type { DecisionRecorded, ProposalScreened, ProposalSubmitted } from "../proposal/events.js";
import type { Proposal } from "../proposal/schema.js";
import type { ReviewDeps } from "../review/assignments.js";
import { currentBySlot } from "../review/assignments.js";
import type { ReviewersAssigned, ReviewersNeeded, ReviewReminderDue } from "../review/events.js";
import { anonymizedFeedback } from "../review/feedback.js";
import { redactIdentities, reviewersOf } from "../review/redaction.js";
import { type NotifyDeps, notify } from "./commands.js";
import { draftNotification, staffMailbox } from "./schema.js";
import {
  decisionMessage,
  proposalReceivedMessage,
  reviewerAssignedMessage,
  reviewersNeededMessage,
  reviewReminderMessage,
  screeningOutcomeMessage,
} from "./templates.js";

// Events carry ids only; what goes into a message is read here, at sending time, from the
// records the recipient is entitled to hear about. The event id is the notification's cause,
// so a redelivered event lands on the notification already sent.

export type NotificationEventDeps = Pick<
  ReviewDeps,
  "proposals" | "calls" | "reviewers" | "assignments" | "clock"
> & {
  mail: NotifyDeps;
  /** The program staff's shared mailbox. */
  staffEmail: string;
};

const loadProposal = async (deps: NotificationEventDeps, proposalId: string) => {
  const proposal = await deps.proposals.get(proposalId);
  if (!proposal) throw notFound(`Proposal ${proposalId}`);
  const call = await deps.calls.get(proposal.callId);
  if (!call) throw notFound(`Call ${proposal.callId}`);
  return { proposal, call };
};

const applicant = (p: Proposal) => ({ userId: p.applicantId, email: p.pi?.email ?? "", name: p.pi?.name });
const related = (p: Proposal) => ({ proposalId: p.proposalId, callId: p.callId });

export const notifyProposalReceived = async (
  deps: NotificationEventDeps,
  eventId: string,
  data: EventDataOf<typeof ProposalSubmitted>,
) => {
  const { proposal, call } = await loadProposal(deps, data.proposalId);
  await notify(
    deps.mail,
    draftNotification({
      cause: eventId,
      kind: "proposal-received",
      recipient: applicant(proposal),
      related: related(proposal),
      message: proposalReceivedMessage({
        applicantName: proposal.pi?.name,
        proposalId: proposal.proposalId,
        proposalTitle: proposal.title ?? "",
        callTitle: call.title,
        submittedAt: proposal.submittedAt ?? proposal.updatedAt,
      }),
    }),
  );
};

export const notifyScreeningOutcome = async (
  deps: NotificationEventDeps,
  eventId: string,
  data: EventDataOf<typeof ProposalScreened>,
) => {
  const { proposal, call } = await loadProposal(deps, data.proposalId);
  const base = {
    applicantName: proposal.pi?.name,
    proposalId: proposal.proposalId,
    proposalTitle: proposal.title ?? "",
    callTitle: call.title,
  };
  await notify(
    deps.mail,
    draftNotification({
      cause: eventId,
      kind: "screening-outcome",
      recipient: applicant(proposal),
      related: related(proposal),
      message: screeningOutcomeMessage(
        data.eligible
          ? { ...base, eligible: true }
          : { ...base, eligible: false, reasons: proposal.screening?.reasons ?? [] },
      ),
    }),
  );
};

export const notifyDecision = async (
  deps: NotificationEventDeps,
  eventId: string,
  data: EventDataOf<typeof DecisionRecorded>,
) => {
  const { proposal, call } = await loadProposal(deps, data.proposalId);
  const decision = proposal.decision;
  if (!decision) throw notFound(`The decision on ${proposal.proposalId}`);
  const reviews = [...currentBySlot(await deps.assignments.listForProposal(proposal.proposalId)).values()]
    .filter((a) => a.status === "submitted" && a.review)
    .map((a) => a.review as NonNullable<typeof a.review>);
  // Reviewers' names and any e-mail address are redacted, even from a signed comment or a
  // rationale that quotes a reviewer.
  const reviewers = await reviewersOf(deps, proposal, call.reviewerPool);
  const base = {
    applicantName: proposal.pi?.name,
    proposalId: proposal.proposalId,
    proposalTitle: proposal.title ?? "",
    callTitle: call.title,
    rationale: redactIdentities(decision.rationale, reviewers),
    feedback: anonymizedFeedback(call.review.rubric, reviews, { reviewers }),
  };
  const message =
    decision.outcome === "approve"
      ? decisionMessage({
          ...base,
          outcome: "approve",
          cashCents: decision.cashCents ?? 0,
          creditsCents: decision.creditsCents ?? 0,
          durationMonths: proposal.durationMonths,
        })
      : decisionMessage({ ...base, outcome: decision.outcome });
  await notify(
    deps.mail,
    draftNotification({
      cause: eventId,
      kind: "decision",
      recipient: applicant(proposal),
      related: related(proposal),
      message,
    }),
  );
};

const reviewerRef = (proposal: Proposal, callTitle: string, blind: boolean) => ({
  proposalId: proposal.proposalId,
  callTitle,
  blind,
  ...(blind
    ? {}
    : { proposalTitle: proposal.title, piName: proposal.pi?.name, institution: proposal.pi?.institution }),
});

export const notifyReviewersAssigned = async (
  deps: NotificationEventDeps,
  eventId: string,
  data: EventDataOf<typeof ReviewersAssigned>,
) => {
  const { proposal, call } = await loadProposal(deps, data.proposalId);
  const profiles = await deps.reviewers.getMany(data.assignments.map((a) => a.reviewerId));
  for (const { assignmentId, reviewerId } of data.assignments) {
    const profile = profiles.find((p) => p.reviewerId === reviewerId);
    const assignment = await deps.assignments.get(assignmentId);
    if (!profile || !assignment) continue;
    await notify(
      deps.mail,
      draftNotification({
        cause: eventId,
        kind: "reviewer-assigned",
        recipient: { userId: reviewerId, email: profile.email, name: profile.name },
        related: related(proposal),
        message: reviewerAssignedMessage({
          ...reviewerRef(proposal, call.title, call.review.blind),
          reviewerName: profile.name,
          deadline: assignment.dueAt,
        }),
      }),
    );
  }
};

export const notifyReviewReminder = async (
  deps: NotificationEventDeps,
  eventId: string,
  data: EventDataOf<typeof ReviewReminderDue>,
) => {
  const { proposal, call } = await loadProposal(deps, data.proposalId);
  const profile = await deps.reviewers.get(data.reviewerId);
  if (!profile) return;
  await notify(
    deps.mail,
    draftNotification({
      cause: eventId,
      kind: "review-reminder",
      recipient: { userId: data.reviewerId, email: profile.email, name: profile.name },
      related: related(proposal),
      message: reviewReminderMessage({
        ...reviewerRef(proposal, call.title, call.review.blind),
        reviewerName: profile.name,
        deadline: data.dueAt,
        now: deps.clock.now().toISOString(),
      }),
    }),
  );
};

export const notifyReviewersNeeded = async (
  deps: NotificationEventDeps,
  eventId: string,
  data: EventDataOf<typeof ReviewersNeeded>,
) => {
  const { proposal, call } = await loadProposal(deps, data.proposalId);
  await notify(
    deps.mail,
    draftNotification({
      cause: eventId,
      kind: "reviewers-needed",
      recipient: staffMailbox(deps),
      related: related(proposal),
      message: reviewersNeededMessage({
        proposalId: proposal.proposalId,
        callId: call.callId,
        callTitle: call.title,
        minReviewers: call.review.minReviewers,
        assigned: call.review.minReviewers - data.shortBy,
        short: data.shortBy,
      }),
    }),
  );
};
