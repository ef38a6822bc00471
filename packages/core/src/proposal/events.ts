import { z } from "zod";
import { defineEvent } from "../events/define.js";
import { Sources } from "../events/sources.js";

// Ids only: subscribers read what they are allowed to see through the API.
const ids = {
  proposalId: z.string().describe("The proposal's id (prp_…)."),
  callId: z.string().describe("The call the proposal answers."),
};
const example = { proposalId: "prp_zbtnnzb4jss7sexq8gajt736f1", callId: "call-2027-spring" };

export const ProposalDrafted = defineEvent(Sources.proposals, "Proposal Drafted", 1, z.object(ids), {
  description:
    "An applicant started a proposal in an open call. Sent once per proposal; analytics count drafts per call from it.",
  example,
});
export const ProposalSubmitted = defineEvent(Sources.proposals, "Proposal Submitted", 1, z.object(ids), {
  description:
    "An applicant submitted a proposal that passed the call's window and the program's caps. Sent once per proposal; it starts the review workflow, and university research offices track submissions with it.",
  example,
});
export const ProposalScreened = defineEvent(
  Sources.proposals,
  "Proposal Screened",
  1,
  z.object({
    ...ids,
    eligible: z.boolean().describe("Whether the proposal meets the call's eligibility rules."),
  }),
  {
    description:
      "The workflow checked a submitted proposal against the call's eligibility rules. Sent once per submission; an ineligible proposal stops here, an eligible one goes to reviewer assignment.",
    example: { ...example, eligible: true },
  },
);
export const ProposalWithdrawn = defineEvent(Sources.proposals, "Proposal Withdrawn", 1, z.object(ids), {
  description:
    "The applicant withdrew the proposal before the decision. Sent once; the workflow stops and open review assignments are dropped.",
  example,
});
export const ProposalScored = defineEvent(
  Sources.proposals,
  "Proposal Scored",
  1,
  z.object({
    ...ids,
    total: z.number().describe("The weighted rubric score, averaged over the reviews."),
    reviewCount: z.number().int().describe("How many reviews the score is made of."),
    disagreement: z.boolean().describe("Whether the reviewers' scores spread beyond the call's threshold."),
  }),
  {
    description:
      "Every review of a proposal is in and its weighted score is computed; the proposal waits for the committee. Sent once per proposal; staff dashboards and analytics rank proposals with it.",
    example: { ...example, total: 4.35, reviewCount: 2, disagreement: false },
  },
);
export const DecisionRecorded = defineEvent(
  Sources.proposals,
  "Decision Recorded",
  1,
  z.object({
    ...ids,
    outcome: z.enum(["approve", "decline", "waitlist"]).describe("The committee's decision."),
    cashCents: z.number().int().optional().describe("On approval: the cash granted, in cents."),
    creditsCents: z.number().int().optional().describe("On approval: the compute credits granted, in cents."),
  }),
  {
    description:
      "The committee decided on a proposal, with a rationale kept on the decision record. Sent once per decision; an approval starts the award workflow, and billing and research offices follow outcomes with it.",
    example: { ...example, outcome: "approve", cashCents: 9_000_000, creditsCents: 20_000_000 },
  },
);

export const proposalEvents = [
  ProposalDrafted,
  ProposalSubmitted,
  ProposalScreened,
  ProposalWithdrawn,
  ProposalScored,
  DecisionRecorded,
];
