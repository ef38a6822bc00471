import type { ChangeAmounts, ChangeKind } from "../award/change-schema.js";
import {
  bullets,
  compose,
  formatCents,
  formatUtc,
  greeting,
  indent,
  type MessageContent,
  plural,
  SIGNATURE,
} from "./template-parts.js";

// Changes during the award: requests and their decisions, and the staff actions on an award,
// each told to the one it concerns (the grantee, or the staff mailbox for a new request).

const KIND_NAMES: Record<ChangeKind, string> = {
  supplement: "supplement",
  extension: "no-cost extension",
  "early-closeout": "early closeout",
};

/** What a request asks or a decision grants, in words. */
export const describeAmounts = (kind: ChangeKind, amounts: ChangeAmounts) => {
  switch (kind) {
    case "supplement":
      return `${formatCents(amounts.cashCents ?? 0)} cash and ${formatCents(amounts.creditsCents ?? 0)} in compute credits`;
    case "extension":
      return plural(amounts.months ?? 0, "month");
    case "early-closeout":
      return "closing the award before its term ends";
  }
};

const quoted = (label: string, text: string) => `${label}:\n${indent(text.trim(), "    ")}`;

export interface ChangeRequestedInput {
  awardId: string;
  changeId: string;
  proposalTitle: string;
  kind: ChangeKind;
  requested: ChangeAmounts;
  justification: string;
}

/** To the staff mailbox: a grantee asks for a change. */
export const changeRequestedMessage = (input: ChangeRequestedInput): MessageContent => ({
  subject: `Change request for award ${input.awardId}: ${KIND_NAMES[input.kind]}`,
  text: compose(
    "Hello,",
    `The grantee of award ${input.awardId} ("${input.proposalTitle}") asks for a ${KIND_NAMES[input.kind]}: ${describeAmounts(input.kind, input.requested)}.`,
    quoted("Their justification", input.justification),
    `Decide with POST /awards/${input.awardId}/changes/${input.changeId}/approve or /deny, with a rationale the grantee will read.`,
    SIGNATURE,
  ),
});

export interface ChangeDecidedInput {
  applicantName?: string;
  awardId: string;
  proposalTitle: string;
  kind: ChangeKind;
  decision: "approved" | "denied";
  requested: ChangeAmounts;
  granted?: ChangeAmounts;
  rationale: string;
}

/** To the grantee: the decision on their request, with what was granted and why. */
export const changeDecidedMessage = (input: ChangeDecidedInput): MessageContent => {
  const what = KIND_NAMES[input.kind];
  const approved = input.decision === "approved";
  const lessThanAsked =
    approved &&
    input.granted !== undefined &&
    describeAmounts(input.kind, input.granted) !== describeAmounts(input.kind, input.requested);
  return {
    subject: `Your ${what} request for "${input.proposalTitle}" was ${input.decision}`,
    text: compose(
      greeting(input.applicantName),
      approved
        ? `Your request for a ${what} on award ${input.awardId} was approved.`
        : `Your request for a ${what} on award ${input.awardId} was denied.`,
      approved && input.kind !== "early-closeout"
        ? bullets([
            `Requested: ${describeAmounts(input.kind, input.requested)}`,
            `Granted: ${describeAmounts(input.kind, input.granted ?? input.requested)}`,
          ])
        : undefined,
      lessThanAsked ? "Program staff granted less than you asked; their rationale says why." : undefined,
      approved && input.kind === "early-closeout"
        ? "The closeout of your award begins now; you will be told each step, including the final report."
        : undefined,
      quoted("Program staff's rationale", input.rationale),
      SIGNATURE,
    ),
  };
};

export interface AwardChangedInput {
  applicantName?: string;
  awardId: string;
  proposalTitle: string;
}

export const awardToppedUpMessage = (
  input: AwardChangedInput & {
    cashCents: number;
    creditsCents: number;
    totalCashCents: number;
    totalCreditsCents: number;
    reason: string;
  },
): MessageContent => ({
  subject: `Your award for "${input.proposalTitle}" was topped up`,
  text: compose(
    greeting(input.applicantName),
    `Program staff added ${formatCents(input.cashCents)} cash and ${formatCents(input.creditsCents)} in compute credits to award ${input.awardId}. It now holds ${formatCents(input.totalCashCents)} cash and ${formatCents(input.totalCreditsCents)} in credits.`,
    quoted("Their reason", input.reason),
    SIGNATURE,
  ),
});

export const awardExtendedMessage = (
  input: AwardChangedInput & { endsAt: string; reason: string },
): MessageContent => ({
  subject: `Your award for "${input.proposalTitle}" was extended`,
  text: compose(
    greeting(input.applicantName),
    `Program staff extended award ${input.awardId}: it now runs until ${formatUtc(input.endsAt)}, at no added cost.`,
    quoted("Their reason", input.reason),
    SIGNATURE,
  ),
});

export const awardSuspendedMessage = (input: AwardChangedInput & { reason: string }): MessageContent => ({
  subject: `Your award for "${input.proposalTitle}" is suspended`,
  text: compose(
    greeting(input.applicantName),
    `Program staff suspended award ${input.awardId}: your access to the research cluster is paused, and your credits stay as they are.`,
    quoted("Their reason", input.reason),
    "You will be told when it resumes. Reply to this message if you have questions.",
    SIGNATURE,
  ),
});

export const awardResumedMessage = (input: AwardChangedInput & { reason: string }): MessageContent => ({
  subject: `Your award for "${input.proposalTitle}" is active again`,
  text: compose(
    greeting(input.applicantName),
    `Program staff resumed award ${input.awardId}: your access to the research cluster is restored.`,
    quoted("Their reason", input.reason),
    SIGNATURE,
  ),
});

export const awardRevokedMessage = (input: AwardChangedInput & { reason: string }): MessageContent => ({
  subject: `Your award for "${input.proposalTitle}" was revoked`,
  text: compose(
    greeting(input.applicantName),
    `Program staff revoked award ${input.awardId}. Its remaining budget was released and its project on the research cluster removed.`,
    quoted("Their reason", input.reason),
    SIGNATURE,
  ),
});

/** The templates of this file, by kind, for the one registry in templates.ts. */
export const changeTemplates = {
  "change-requested": changeRequestedMessage,
  "change-decided": changeDecidedMessage,
  "award-topped-up": awardToppedUpMessage,
  "award-extended": awardExtendedMessage,
  "award-suspended": awardSuspendedMessage,
  "award-resumed": awardResumedMessage,
  "award-revoked": awardRevokedMessage,
} as const;
