import { bullets, compose, formatCents, greeting, type MessageContent, SIGNATURE } from "./template-parts.js";

// The notices of the award's project on the provider as its credits run out and come back.
// Function declarations, not constants: templates.ts imports them into its table while this
// file imports its helpers, and only hoisted functions are ready on both sides of that cycle.

export interface ProjectInactivatedInput {
  applicantName?: string;
  awardId: string;
  proposalTitle: string;
  /** What the award holds in credits, all consumed now. */
  creditsCents: number;
  /** Usage counted beyond the credits, as last settled. */
  overageCents: number;
}

export function projectInactivatedMessage(input: ProjectInactivatedInput): MessageContent {
  return {
    subject: `Award ${input.awardId}: your project on the cluster is inactivated, its credits are used up`,
    text: compose(
      greeting(input.applicantName),
      `The compute credits of award ${input.awardId} ("${input.proposalTitle}") are used up, so its project on the research cluster has been inactivated: it runs no new jobs.`,
      [
        "Credits:",
        bullets([
          `Awarded and consumed: ${formatCents(input.creditsCents)}`,
          ...(input.overageCents > 0
            ? [`Usage beyond the credits (recorded as overage): ${formatCents(input.overageCents)}`]
            : []),
        ]),
      ].join("\n"),
      "Your data and the project stay. If program staff top up the award's credits beyond what was used, the project is reactivated and you will hear from us. Please contact the program staff if you need more credits.",
      SIGNATURE,
    ),
  };
}

export interface ProjectReactivatedInput {
  applicantName?: string;
  awardId: string;
  proposalTitle: string;
  /** Credits the award still holds after the reactivation's settlement. */
  remainingCents: number;
}

export function projectReactivatedMessage(input: ProjectReactivatedInput): MessageContent {
  return {
    subject: `Award ${input.awardId}: your project on the cluster is active again`,
    text: compose(
      greeting(input.applicantName),
      `Award ${input.awardId} ("${input.proposalTitle}") holds compute credits again, so its project on the research cluster has been reactivated.`,
      `Credits remaining: ${formatCents(input.remainingCents)}. You can follow the award's usage with GET /awards/${input.awardId}/usage.`,
      SIGNATURE,
    ),
  };
}
