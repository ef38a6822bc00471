import { ProposalSubmitted } from "@allot/core/proposal";
import { reviewWorkflow } from "../lib/deps.js";
import { onEvent } from "../lib/event.js";

export const handler = onEvent(ProposalSubmitted, ({ proposalId }, { correlationId }) =>
  reviewWorkflow().start(proposalId, correlationId),
);
