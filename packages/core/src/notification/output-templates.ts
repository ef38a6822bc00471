// Imported only through templates.ts, which re-exports it (see the note there).
import { compose, formatDuration, formatUtc, greeting, type MessageContent, SIGNATURE } from "./templates.js";

// Messages about a grantee's outputs and obligations (see templates.ts for the conventions).

type Obligation = "paper" | "repository";

const what = (kind: Obligation) => (kind === "paper" ? "paper" : "code repository");
const obligationText = (kind: Obligation) =>
  kind === "paper"
    ? "publish a research paper on the funded work (a DOI or an arXiv id)"
    : "open-source the work on GitHub under a permissive license";
const outputsRoute = (awardId: string) => `/awards/${awardId}/outputs`;

export interface OutputOutcomeInput {
  applicantName?: string;
  awardId: string;
  kind: Obligation;
  /** The normalized identity: "doi:10.1/x", "github:owner/name". */
  identity: string;
  reason: string;
  by: "check" | "override";
}

export const outputVerifiedMessage = (input: OutputOutcomeInput): MessageContent => ({
  subject: `Your ${what(input.kind)} ${input.identity} is verified`,
  text: compose(
    greeting(input.applicantName),
    input.by === "override"
      ? `Program staff accepted the ${what(input.kind)} ${input.identity} you registered on award ${input.awardId}: ${input.reason}.`
      : `The ${what(input.kind)} ${input.identity} you registered on award ${input.awardId} is verified: ${input.reason}.`,
    input.kind === "repository"
      ? "It will be checked again from time to time: please keep it public and under a permissive license."
      : undefined,
    SIGNATURE,
  ),
});

export const outputRejectedMessage = (input: OutputOutcomeInput): MessageContent => ({
  subject: `Your ${what(input.kind)} ${input.identity} could not be verified`,
  text: compose(
    greeting(input.applicantName),
    input.by === "override"
      ? `Program staff did not accept the ${what(input.kind)} ${input.identity} you registered on award ${input.awardId}: ${input.reason}.`
      : `The ${what(input.kind)} ${input.identity} you registered on award ${input.awardId} could not be verified: ${input.reason}.`,
    `Once it is fixed, ask for a new check with POST ${outputsRoute(input.awardId)}/{outputId}/verify, or register another with POST ${outputsRoute(input.awardId)}.`,
    SIGNATURE,
  ),
});

export interface ComplianceChangedInput {
  /** Absent for the staff mailbox. */
  applicantName?: string;
  toStaff: boolean;
  awardId: string;
  obligation: Obligation;
  met: boolean;
  identity: string;
  reason: string;
  compliant: boolean;
}

export const complianceChangedMessage = (input: ComplianceChangedInput): MessageContent => ({
  subject: input.met
    ? `Award ${input.awardId}: the ${what(input.obligation)} obligation is met`
    : `Award ${input.awardId}: the ${what(input.obligation)} obligation is no longer met`,
  text: compose(
    input.toStaff ? "Hello," : greeting(input.applicantName),
    input.met
      ? `The obligation to ${obligationText(input.obligation)} is met on award ${input.awardId} by ${input.identity}.`
      : `The obligation to ${obligationText(input.obligation)} is no longer met on award ${input.awardId}: ${input.identity} ${input.reason}.`,
    `The award is ${input.compliant ? "compliant" : "not compliant"} (GET /awards/${input.awardId}/compliance).`,
    !input.met && !input.toStaff
      ? `Please fix it (a public repository under a permissive license such as MIT or Apache-2.0), then ask for a new check with POST ${outputsRoute(input.awardId)}/{outputId}/verify.`
      : undefined,
    SIGNATURE,
  ),
});

export interface ObligationReminderInput {
  applicantName?: string;
  awardId: string;
  obligation: Obligation;
  dueAt: string;
  /** When the reminder is sent, for "due in …". */
  now: string;
}

export const obligationReminderMessage = (input: ObligationReminderInput): MessageContent => ({
  subject: `Reminder: the ${what(input.obligation)} of award ${input.awardId} is due in ${formatDuration(Date.parse(input.dueAt) - Date.parse(input.now))}`,
  text: compose(
    greeting(input.applicantName),
    `Award ${input.awardId} asks you to ${obligationText(input.obligation)} by ${formatUtc(input.dueAt)}, and no verified ${what(input.obligation)} is registered yet.`,
    `Register it with POST ${outputsRoute(input.awardId)} (${input.obligation === "paper" ? '{"doi": "…"} or {"arxivId": "…"}' : '{"repositoryUrl": "https://github.com/owner/repository"}'}); it is verified automatically.`,
    SIGNATURE,
  ),
});

export interface ObligationOverdueInput {
  applicantName?: string;
  toStaff: boolean;
  awardId: string;
  obligation: Obligation;
  dueAt: string;
}

export const obligationOverdueMessage = (input: ObligationOverdueInput): MessageContent => ({
  subject: `Overdue: the ${what(input.obligation)} of award ${input.awardId}`,
  text: compose(
    input.toStaff ? "Hello," : greeting(input.applicantName),
    `The ${what(input.obligation)} of award ${input.awardId} was due by ${formatUtc(input.dueAt)}, and no verified ${what(input.obligation)} is registered: the award is not compliant.`,
    input.toStaff
      ? `Staff may accept an output with a reason on record: POST ${outputsRoute(input.awardId)}/{outputId}/override.`
      : `Please register it now with POST ${outputsRoute(input.awardId)}, or contact the program staff.`,
    SIGNATURE,
  ),
});
