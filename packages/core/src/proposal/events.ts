import { z } from "zod";
import { defineEvent } from "../events/define.js";
import { Sources } from "../events/sources.js";

export const ProposalSubmitted = defineEvent(
  Sources.proposals,
  "Proposal Submitted",
  1,
  z.object({ proposalId: z.string(), callId: z.string() }),
);

export const ProposalScreened = defineEvent(
  Sources.proposals,
  "Proposal Screened",
  1,
  z.object({ proposalId: z.string(), callId: z.string(), eligible: z.boolean() }),
);

export const DecisionRecorded = defineEvent(
  Sources.proposals,
  "Decision Recorded",
  1,
  z.object({
    proposalId: z.string(),
    callId: z.string(),
    outcome: z.enum(["approve", "decline", "waitlist"]),
    cashCents: z.number().int().optional(),
    creditsCents: z.number().int().optional(),
  }),
);

export const proposalEvents = [ProposalSubmitted, ProposalScreened, DecisionRecorded];
