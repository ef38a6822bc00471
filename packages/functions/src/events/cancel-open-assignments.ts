import { ProposalWithdrawn } from "@allot/core/proposal";
import { cancelOpenAssignments } from "@allot/core/review";
import { reviewDeps } from "../lib/deps.js";
import { onEvent } from "../lib/event.js";

export const handler = onEvent(ProposalWithdrawn, ({ proposalId }) =>
  cancelOpenAssignments(reviewDeps(), proposalId),
);
