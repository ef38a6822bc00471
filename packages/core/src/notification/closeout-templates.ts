import {
  bullets,
  compose,
  formatCents,
  formatUtc,
  greeting,
  type MessageContent,
  SIGNATURE,
} from "./template-parts.js";

// The closeout's messages. Function declarations, not constants: templates.ts imports them into
// its table while this file imports its helpers, and only hoisted functions are ready on both
// sides of that cycle whichever file loads first.

export interface CloseoutStartedInput {
  /** Absent for the staff copy. */
  applicantName?: string;
  awardId: string;
  proposalTitle: string;
  reason: string;
  graceEndsAt: string;
  toStaff: boolean;
}

export function closeoutStartedMessage(input: CloseoutStartedInput): MessageContent {
  return {
    subject: `Closeout of award ${input.awardId} has started`,
    text: compose(
      input.toStaff ? "Hello," : greeting(input.applicantName),
      `The closeout of award ${input.awardId} ("${input.proposalTitle}") has started: ${input.reason}.`,
      [
        "What happens now:",
        bullets([
          "No new reservations of the research cluster; queued and granted ones are cancelled.",
          `Usage records that arrive until ${formatUtc(input.graceEndsAt)} are still counted; then the usage is settled and the credits not used go back to the program.`,
          "Then the grantee is asked for a short final report (summary, outcomes, cash spent, outputs).",
        ]),
      ].join("\n"),
      SIGNATURE,
    ),
  };
}

export interface FinalReportRequestedInput {
  applicantName?: string;
  awardId: string;
  proposalTitle: string;
  cashCents: number;
  dueAt: string;
}

export function finalReportRequestedMessage(input: FinalReportRequestedInput): MessageContent {
  return {
    subject: `Final report due for award ${input.awardId}`,
    text: compose(
      greeting(input.applicantName),
      `The usage of award ${input.awardId} ("${input.proposalTitle}") is settled. Please submit its final report by ${formatUtc(input.dueAt)}: PUT /awards/${input.awardId}/final-report.`,
      [
        "The report asks for:",
        bullets([
          "a summary of the funded work and its outcomes;",
          `the cash spent (at most the award's ${formatCents(input.cashCents)}); what was not spent goes back to the program;`,
          "the ids of the outputs (papers, repositories) you registered for the award.",
        ]),
      ].join("\n"),
      "Without a report by that date the whole cash is taken as spent and the award closes non-compliant.",
      SIGNATURE,
    ),
  };
}

export interface AwardClosedInput {
  applicantName?: string;
  awardId: string;
  proposalTitle: string;
  compliant: boolean;
  reasons: readonly string[];
  consumedCents?: number;
  returnedCreditsCents?: number;
  cashSpentCents?: number;
  returnedCashCents?: number;
  toStaff: boolean;
}

export function awardClosedMessage(input: AwardClosedInput): MessageContent {
  const amounts = [
    input.consumedCents !== undefined && `Credits consumed: ${formatCents(input.consumedCents)}`,
    input.returnedCreditsCents !== undefined &&
      `Credits returned to the program: ${formatCents(input.returnedCreditsCents)}`,
    input.cashSpentCents !== undefined && `Cash spent: ${formatCents(input.cashSpentCents)}`,
    input.returnedCashCents !== undefined &&
      `Cash returned to the program: ${formatCents(input.returnedCashCents)}`,
  ].filter((line): line is string => typeof line === "string");
  return {
    subject: input.compliant
      ? `Award ${input.awardId} is closed`
      : `Award ${input.awardId} is closed, with obligations unmet`,
    text: compose(
      input.toStaff ? "Hello," : greeting(input.applicantName),
      input.compliant
        ? `Award ${input.awardId} ("${input.proposalTitle}") is closed: every obligation is met. Thank you.`
        : `Award ${input.awardId} ("${input.proposalTitle}") is closed, but not every obligation is met:`,
      !input.compliant && bullets(input.reasons),
      amounts.length > 0 && ["Settlement:", bullets(amounts)].join("\n"),
      !input.compliant &&
        (input.toStaff
          ? "Staff may still record a late output or override a verification with a reason."
          : "You may still register the missing outputs; the program staff will review them."),
      SIGNATURE,
    ),
  };
}

export interface CloseoutFailedInput {
  awardId: string;
  attempt: number;
  /** The failed step's error name (never its cause, which may hold a trace). */
  error: string;
}

/** To the staff mailbox: a closeout run failed for good and waits for a resume. */
export function closeoutFailedMessage(input: CloseoutFailedInput): MessageContent {
  return {
    subject: `Closeout failed for award ${input.awardId}`,
    text: compose(
      "Hello,",
      `The closeout of award ${input.awardId} stopped: a step failed for good (attempt ${input.attempt}, ${input.error}). ` +
        "The award stays closing, and nothing more is returned to the pools or asked of the grantee until the closeout is resumed.",
      `Once the cause is fixed (the compute provider can inactivate the project again), resume it with POST /awards/${input.awardId}/closeout/resume.`,
      SIGNATURE,
    ),
  };
}
