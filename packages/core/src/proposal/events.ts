import { z } from "zod";
import { defineEvent } from "../events/define.js";
import { Sources } from "../events/sources.js";

// Ids only: subscribers read what they are allowed to see through the API.
const ids = { proposalId: z.string(), callId: z.string() };

export const ProposalDrafted = defineEvent(Sources.proposals, "Proposal Drafted", 1, z.object(ids));
export const ProposalSubmitted = defineEvent(Sources.proposals, "Proposal Submitted", 1, z.object(ids));
export const ProposalScreened = defineEvent(
  Sources.proposals,
  "Proposal Screened",
  1,
  z.object({ ...ids, eligible: z.boolean() }),
);
export const ProposalWithdrawn = defineEvent(Sources.proposals, "Proposal Withdrawn", 1, z.object(ids));
export const ProposalScored = defineEvent(
  Sources.proposals,
  "Proposal Scored",
  1,
  z.object({ ...ids, total: z.number(), reviewCount: z.number().int(), disagreement: z.boolean() }),
);
export const DecisionRecorded = defineEvent(
  Sources.proposals,
  "Decision Recorded",
  1,
  z.object({
    ...ids,
    outcome: z.enum(["approve", "decline", "waitlist"]),
    cashCents: z.number().int().optional(),
    creditsCents: z.number().int().optional(),
  }),
);

export const proposalEvents = [
  ProposalDrafted,
  ProposalSubmitted,
  ProposalScreened,
  ProposalWithdrawn,
  ProposalScored,
  DecisionRecorded,
];
