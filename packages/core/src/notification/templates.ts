import type { ApplicantFeedback } from "../review/feedback.js";
import {
  awardClosedMessage,
  closeoutFailedMessage,
  closeoutStartedMessage,
  finalReportRequestedMessage,
} from "./closeout-templates.js";
import { projectInactivatedMessage, projectReactivatedMessage } from "./consumption-templates.js";
// output-templates.ts uses this module's helpers, and this module's map uses its templates: import
// them through this module only (it re-exports them), so that this module is always the first
// evaluated and the map never reads a template not yet defined.
import {
  complianceChangedMessage,
  obligationOverdueMessage,
  obligationReminderMessage,
  outputRejectedMessage,
  outputVerifiedMessage,
} from "./output-templates.js";
import type { NotificationKind } from "./schema.js";
import {
  bullets,
  compose,
  formatCents,
  formatDuration,
  formatUtc,
  greeting,
  indent,
  type MessageContent,
  plural,
  SIGNATURE,
} from "./template-parts.js";
import { changeTemplates } from "./templates-changes.js";

export * from "./output-templates.js";
export { formatCents, formatDuration, formatUtc, type MessageContent } from "./template-parts.js";

import { type DigestInput, digestMessage } from "./templates-digest.js";
import { webhookDisabledMessage } from "./webhook-templates.js";

// Every template is a pure function of plain data, so a message can be checked in a unit test
// word for word, and re-rendering a retried notification gives the same text.

// ---------------------------------------------------------------------------------------------
// To the applicant

export interface ProposalReceivedInput {
  applicantName?: string;
  proposalId: string;
  proposalTitle: string;
  callTitle: string;
  submittedAt: string;
}

export const proposalReceivedMessage = (input: ProposalReceivedInput): MessageContent => ({
  subject: `We received your proposal "${input.proposalTitle}"`,
  text: compose(
    greeting(input.applicantName),
    `Thank you for applying to ${input.callTitle}. We received your proposal "${input.proposalTitle}" on ${formatUtc(input.submittedAt)}. Its reference is ${input.proposalId}; please quote it in any correspondence.`,
    [
      "What happens next:",
      bullets([
        "Screening: we check the proposal against the call's eligibility rules. You will hear from us whichever way it goes.",
        "Review: eligible proposals are scored by reviewers from the committee against the call's published rubric.",
        "Decision: the committee approves, declines or waitlists each proposal and records its rationale. You will receive the decision with anonymized feedback from the reviewers.",
      ]),
    ].join("\n"),
    "You can withdraw the proposal at any time before a decision is made.",
    SIGNATURE,
  ),
});

export type ScreeningOutcomeInput = {
  applicantName?: string;
  proposalId: string;
  proposalTitle: string;
  callTitle: string;
} & ({ eligible: true } | { eligible: false; reasons: readonly string[] });

export const screeningOutcomeMessage = (input: ScreeningOutcomeInput): MessageContent =>
  input.eligible
    ? {
        subject: `Your proposal "${input.proposalTitle}" is in review`,
        text: compose(
          greeting(input.applicantName),
          `Your proposal "${input.proposalTitle}" (${input.proposalId}) to ${input.callTitle} meets the call's eligibility rules and has moved on to review.`,
          "Reviewers will now score it against the call's rubric. We will write to you again once the committee has reached its decision.",
          SIGNATURE,
        ),
      }
    : {
        subject: `Your proposal "${input.proposalTitle}" is not eligible`,
        text: compose(
          greeting(input.applicantName),
          `We are sorry: your proposal "${input.proposalTitle}" (${input.proposalId}) to ${input.callTitle} does not meet the call's eligibility rules, so it will not be reviewed.`,
          input.reasons.length
            ? [
                `The screening found ${plural(input.reasons.length, "problem")}:`,
                bullets(input.reasons),
              ].join("\n")
            : "The screening recorded no specific reason; please contact the program staff.",
          "If you believe the screening is mistaken, contact the program staff and quote the reference above.",
          SIGNATURE,
        ),
      };

export type DecisionInput = {
  applicantName?: string;
  proposalId: string;
  proposalTitle: string;
  callTitle: string;
  rationale: string;
  feedback: ApplicantFeedback;
} & (
  | { outcome: "approve"; cashCents: number; creditsCents: number; durationMonths?: number }
  | { outcome: "decline" }
  | { outcome: "waitlist" }
);

const scoreText = (mean: number | null, scale: { min: number; max: number }) =>
  // Means arrive rounded to 2 decimals, so toFixed only pads; it never rounds again.
  mean === null ? "not scored" : `${mean.toFixed(2)} on a scale of ${scale.min} to ${scale.max}`;

/** Only the fields of ApplicantFeedback are read: the labels it carries are all anyone learns of the reviewers. */
const feedbackSection = (feedback: ApplicantFeedback) => {
  const criteria = feedback.criteria.map((c) => {
    const line = `${c.name}: ${scoreText(c.mean, c.scale)}`;
    return c.description ? `${line}\n    (${c.description})` : line;
  });
  const parts = [
    feedback.reviewCount > 0
      ? `Reviewer feedback (${plural(feedback.reviewCount, "review")}, mean score per criterion):\n${bullets(criteria)}`
      : "Reviewer feedback: the proposal received no reviews.",
  ];
  if (feedback.comments.length) {
    parts.push(
      [
        "Comments from the reviewers:",
        ...feedback.comments.map((c) => `${c.reviewer}:\n${indent(c.text.trim(), "    ")}`),
      ].join("\n\n"),
    );
  }
  return parts.join("\n\n");
};

const rationaleSection = (rationale: string) =>
  `The committee's rationale:\n${indent(rationale.trim(), "    ")}`;

export const decisionMessage = (input: DecisionInput): MessageContent => {
  const ref = `"${input.proposalTitle}" (${input.proposalId}) to ${input.callTitle}`;
  const common = [rationaleSection(input.rationale), feedbackSection(input.feedback)];
  switch (input.outcome) {
    case "approve":
      return {
        subject: `Your proposal "${input.proposalTitle}" is approved`,
        text: compose(
          greeting(input.applicantName),
          `We are pleased to tell you that the committee approved your proposal ${ref}.`,
          [
            "The award:",
            bullets([
              `Research grant: ${formatCents(input.cashCents)}`,
              `Compute credits: ${formatCents(input.creditsCents)}`,
              ...(input.durationMonths ? [`Period: ${plural(input.durationMonths, "month")}`] : []),
            ]),
          ].join("\n"),
          [
            "The award carries two obligations, and only these two:",
            bullets([
              "publish a research paper on the work (we will ask for its DOI or arXiv id), and",
              "open-source the work on GitHub under a permissive license (such as Apache-2.0, MIT or BSD).",
            ]),
          ].join("\n"),
          "An award letter with the full terms follows separately; the award starts once you accept it.",
          ...common,
          SIGNATURE,
        ),
      };
    case "decline":
      return {
        subject: `The decision on your proposal "${input.proposalTitle}"`,
        text: compose(
          greeting(input.applicantName),
          `We are sorry to tell you that the committee declined your proposal ${ref}.`,
          ...common,
          "We hope the feedback helps, and that you will apply to a future call.",
          SIGNATURE,
        ),
      };
    case "waitlist":
      return {
        subject: `Your proposal "${input.proposalTitle}" is on the waitlist`,
        text: compose(
          greeting(input.applicantName),
          `The committee placed your proposal ${ref} on the waitlist. It may still be funded if budget becomes available in this call; we will write to you either way.`,
          ...common,
          SIGNATURE,
        ),
      };
  }
};

// ---------------------------------------------------------------------------------------------
// To reviewers

/**
 * In a blind call the proposal is named by its reference only: its title and PI are left out
 * even when the caller passes them, so a template can never be what breaks the blinding.
 */
interface ReviewerProposalRef {
  proposalId: string;
  callTitle: string;
  blind: boolean;
  proposalTitle?: string;
  piName?: string;
  institution?: string;
}

const describeProposal = (p: ReviewerProposalRef) => {
  if (p.blind || !p.proposalTitle)
    return `a blind-review proposal (reference ${p.proposalId}) in ${p.callTitle}`;
  const by = p.piName ? ` by ${p.piName}${p.institution ? ` (${p.institution})` : ""}` : "";
  return `the proposal "${p.proposalTitle}"${by} (reference ${p.proposalId}) in ${p.callTitle}`;
};

const subjectName = (p: ReviewerProposalRef) =>
  p.blind || !p.proposalTitle ? `proposal ${p.proposalId}` : `"${p.proposalTitle}"`;

export interface ReviewerAssignedInput extends ReviewerProposalRef {
  reviewerName?: string;
  /** ISO date-time. */
  deadline: string;
}

export const reviewerAssignedMessage = (input: ReviewerAssignedInput): MessageContent => ({
  subject: `Review request: ${subjectName(input)}`,
  text: compose(
    greeting(input.reviewerName),
    `You have been assigned to review ${describeProposal(input)}.`,
    `Please submit your scores for each criterion of the rubric, and your comments, by ${formatUtc(input.deadline)}.`,
    input.blind
      ? "This call is reviewed blind: the applicant's identity is withheld from you, and yours from the applicant. Please do not try to identify the applicant."
      : "Your identity is never shown to the applicant: they receive only the mean scores and the comments you address to them, without your name.",
    "If you have a conflict of interest with this proposal (a shared institution, co-authorship with anyone named on it, or any other), declare it instead of reviewing and a replacement will be assigned.",
    SIGNATURE,
  ),
});

export interface ReviewReminderInput extends ReviewerProposalRef {
  reviewerName?: string;
  /** ISO date-time. */
  deadline: string;
  /** ISO date-time of sending, passed in so the template stays pure. */
  now: string;
}

export const reviewReminderMessage = (input: ReviewReminderInput): MessageContent => {
  const left = Date.parse(input.deadline) - Date.parse(input.now);
  if (Number.isNaN(left)) throw new RangeError("deadline and now must be date-times");
  const overdue = left <= 0;
  return {
    subject: overdue
      ? `Overdue review: ${subjectName(input)}`
      : `Reminder: your review of ${subjectName(input)} is due in ${formatDuration(left)}`,
    text: compose(
      greeting(input.reviewerName),
      `This is a reminder that your review of ${describeProposal(input)} is due by ${formatUtc(input.deadline)}.`,
      overdue
        ? `The deadline passed ${formatDuration(left)} ago. If the review does not arrive soon, the proposal may be reassigned to another reviewer.`
        : `Time left: ${formatDuration(left)}.`,
      "If you cannot complete the review, or have a conflict of interest, please declare it so that a replacement can be assigned in time.",
      SIGNATURE,
    ),
  };
};

// ---------------------------------------------------------------------------------------------
// To program staff

export interface ReviewersNeededInput {
  proposalId: string;
  callId: string;
  callTitle: string;
  minReviewers: number;
  /** Reviewers assigned so far. */
  assigned: number;
  /** How many more unconflicted reviewers the proposal needs. */
  short: number;
}

export const reviewersNeededMessage = (input: ReviewersNeededInput): MessageContent => ({
  subject: `Reviewers needed: proposal ${input.proposalId} in ${input.callTitle}`,
  text: compose(
    "Hello,",
    `Proposal ${input.proposalId} in ${input.callTitle} (call ${input.callId}) is ${plural(input.short, "reviewer")} short: it needs ${input.minReviewers}, and ${plural(input.assigned, "reviewer")} without a conflict of interest ${input.assigned === 1 ? "is" : "are"} assigned.`,
    "No conflicted reviewer is ever assigned in their place. The proposal's review workflow is waiting until enough reviewers without a conflict are added to the call's reviewer pool.",
    SIGNATURE,
  ),
});

export interface AwardOfferInput {
  applicantName?: string;
  awardId: string;
  proposalTitle: string;
  cashCents: number;
  creditsCents: number;
  periodMonths: number;
  offerExpiresAt: string;
  obligations: readonly string[];
}

/** The award letter: amounts, period, the two obligations and nothing else, and how to accept. */
export const awardOfferMessage = (input: AwardOfferInput): MessageContent => ({
  subject: `Your award letter for "${input.proposalTitle}"`,
  text: compose(
    greeting(input.applicantName),
    `We are pleased to offer you award ${input.awardId} for "${input.proposalTitle}".`,
    [
      "The award:",
      bullets([
        `Cash: ${formatCents(input.cashCents)}`,
        `Compute credits: ${formatCents(input.creditsCents)}`,
        `Period: ${plural(input.periodMonths, "month")} from acceptance`,
      ]),
    ].join("\n"),
    ["Your obligations, and there are no others:", bullets([...input.obligations])].join("\n"),
    `Please accept or decline by ${formatUtc(input.offerExpiresAt)}: POST /awards/${input.awardId}/accept (or /decline). An offer not accepted by then lapses.`,
    SIGNATURE,
  ),
});

export interface CreditsProvisionedInput {
  applicantName?: string;
  awardId: string;
  proposalTitle: string;
  creditsCents: number;
  access: { loginHost: string; account: string; instructions: string };
  endsAt?: string;
}

export const creditsProvisionedMessage = (input: CreditsProvisionedInput): MessageContent => ({
  subject: `Your compute credits for "${input.proposalTitle}" are ready`,
  text: compose(
    greeting(input.applicantName),
    `Award ${input.awardId} is active and your credits are on the research cluster.`,
    [
      "How to reach the cluster:",
      bullets([
        `Login host: ${input.access.loginHost}`,
        `Account: ${input.access.account}`,
        input.access.instructions,
      ]),
    ].join("\n"),
    `Credit balance: ${formatCents(input.creditsCents)}.${input.endsAt ? ` The award runs until ${formatUtc(input.endsAt)}.` : ""}`,
    SIGNATURE,
  ),
});

export interface ProvisioningFailedInput {
  awardId: string;
  proposalId: string;
  error: string;
}

export const provisioningFailedMessage = (input: ProvisioningFailedInput): MessageContent => ({
  subject: `Provisioning failed for award ${input.awardId}`,
  text: compose(
    "Hello,",
    `The compute provider could not provision award ${input.awardId} (proposal ${input.proposalId}): ${input.error}.`,
    "The compensation ran: whatever the provider had created was removed and the award's budget was released. Once the cause is fixed, re-drive it with POST /awards/" +
      `${input.awardId}/redrive.`,
    SIGNATURE,
  ),
});

export interface CreditsDelayedInput {
  applicantName?: string;
  awardId: string;
  proposalTitle: string;
  /** Plain words (provisioningFailureReason), never an error's cause. */
  reason: string;
}

/** To the grantee when provisioning failed for good: what happened and what comes next. */
export const creditsDelayedMessage = (input: CreditsDelayedInput): MessageContent => ({
  subject: `Your compute credits for "${input.proposalTitle}" are delayed`,
  text: compose(
    greeting(input.applicantName),
    `Setting up the credits of award ${input.awardId} did not succeed: ${input.reason}.`,
    "Your award stands. Program staff have been told and will try again; you will get another message as soon as your credits are ready. There is nothing you need to do.",
    SIGNATURE,
  ),
});

export interface CommitRefusedInput {
  proposalId: string;
  proposalTitle: string;
  refusal: string;
}

export const commitRefusedMessage = (input: CommitRefusedInput): MessageContent => ({
  subject: `The budget could not cover the approval of "${input.proposalTitle}"`,
  text: compose(
    "Hello,",
    `The approval of proposal ${input.proposalId} could not be committed: ${input.refusal}.`,
    `The proposal is back to "decision pending"; record a revised decision with POST /proposals/${input.proposalId}/decision.`,
    SIGNATURE,
  ),
});

export interface CreditThresholdInput {
  applicantName?: string;
  awardId: string;
  proposalTitle: string;
  /** The thresholds this notice reports, in percent; several when one batch crossed them at once. */
  thresholds: readonly number[];
  creditsCents: number;
  /** As read when the notice is sent, so possibly past the highest threshold. */
  consumedCents: number;
}

const percentList = (ts: readonly number[]) => {
  const items = ts.map((t) => `${t}%`);
  return items.length > 1 ? `${items.slice(0, -1).join(", ")} and ${items.at(-1)}` : (items[0] ?? "");
};

/** One notice for every threshold a batch crossed; at 100 % it says reservations are suspended. */
export const creditThresholdMessage = (input: CreditThresholdInput): MessageContent => {
  const ts = [...new Set(input.thresholds)].sort((a, b) => a - b);
  if (!ts.length) throw new RangeError("a credit-threshold notice names at least one threshold");
  const highest = ts.at(-1) ?? 0;
  const exhausted = highest >= 100;
  const remaining = input.creditsCents - input.consumedCents;
  const title = input.proposalTitle ? ` ("${input.proposalTitle}")` : "";
  return {
    subject: exhausted
      ? `Award ${input.awardId}: your compute credits are used up`
      : `Award ${input.awardId}: ${highest}% of your compute credits used`,
    text: compose(
      greeting(input.applicantName),
      ts.length > 1
        ? `Award ${input.awardId}${title} has crossed the ${percentList(ts)} thresholds of its compute credits at once.`
        : `Award ${input.awardId}${title} has crossed the ${percentList(ts)} threshold of its compute credits.`,
      [
        "Credits at the time of this message:",
        bullets([
          `Awarded: ${formatCents(input.creditsCents)}`,
          `Consumed: ${formatCents(input.consumedCents)}`,
          remaining >= 0
            ? `Remaining: ${formatCents(remaining)}`
            : `Remaining: ${formatCents(0)} (overdrawn by ${formatCents(-remaining)})`,
        ]),
      ].join("\n"),
      exhausted
        ? "The award's reservations on the research cluster are suspended until program staff top up its credits. Please contact the program staff if you need more."
        : `You can follow the award's usage and forecast with GET /awards/${input.awardId}/usage. When the credits are used up, the award's reservations are suspended until program staff top them up.`,
      SIGNATURE,
    ),
  };
};

export interface ReservationGrantedInput {
  applicantName?: string;
  awardId: string;
  reservationId: string;
  chips: number;
  startsAt: string;
  endsAt: string;
  holdCents: number;
}

/** A queued request granted once chips freed up: the window, and the credits held for it. */
export const reservationGrantedMessage = (input: ReservationGrantedInput): MessageContent => ({
  subject: `Your reservation of ${plural(input.chips, "chip")} on the research cluster is granted`,
  text: compose(
    greeting(input.applicantName),
    `Your queued reservation ${input.reservationId} for award ${input.awardId} has been granted: the chips freed up.`,
    [
      "Reservation:",
      bullets([
        `Chips: ${input.chips}`,
        `From: ${formatUtc(input.startsAt)}`,
        `Until: ${formatUtc(input.endsAt)}`,
        `Credits held: ${formatCents(input.holdCents)}`,
      ]),
    ].join("\n"),
    `The credits are held until the window ends, and the usage that follows is what the award pays. If you no longer need the chips, please cancel: POST /awards/${input.awardId}/reservations/${input.reservationId}/cancel.`,
    SIGNATURE,
  ),
});

/** One template per kind: adding a kind to the enum without its template does not compile. */
export const templates = {
  "proposal-received": proposalReceivedMessage,
  "screening-outcome": screeningOutcomeMessage,
  decision: decisionMessage,
  "reviewer-assigned": reviewerAssignedMessage,
  "review-reminder": reviewReminderMessage,
  "reviewers-needed": reviewersNeededMessage,
  "award-offer": awardOfferMessage,
  "credits-provisioned": creditsProvisionedMessage,
  "provisioning-failed": provisioningFailedMessage,
  "credits-delayed": creditsDelayedMessage,
  "commit-refused": commitRefusedMessage,
  "credit-threshold": creditThresholdMessage,
  "reservation-granted": reservationGrantedMessage,
  "closeout-started": closeoutStartedMessage,
  "final-report-requested": finalReportRequestedMessage,
  "award-closed": awardClosedMessage,
  "closeout-failed": closeoutFailedMessage,
  ...changeTemplates,
  "project-inactivated": projectInactivatedMessage,
  "project-reactivated": projectReactivatedMessage,
  "output-verified": outputVerifiedMessage,
  "output-rejected": outputRejectedMessage,
  "compliance-changed": complianceChangedMessage,
  "obligation-reminder": obligationReminderMessage,
  "obligation-overdue": obligationOverdueMessage,
  "webhook-subscription-disabled": webhookDisabledMessage,
  digest: (input: DigestInput) => digestMessage(input),
} as const satisfies Record<NotificationKind, (input: never) => MessageContent>;

export type TemplateInput<K extends NotificationKind> = Parameters<(typeof templates)[K]>[0];
