import { Withdrawal, withdrawProposal } from "@allot/core/proposal";
import { readProposal } from "@allot/core/review";
import { reviewDeps } from "../../lib/deps.js";
import { httpHandler } from "../../lib/http.js";
import { ProposalView } from "../../responses/proposals.js";

export const handler = httpHandler({
  responses: { 200: ProposalView },
  body: Withdrawal,
  handle: async ({ actor, body, path }) => {
    const proposal = await withdrawProposal(reviewDeps(), actor, path.proposalId ?? "", body.reason);
    return { body: await readProposal(reviewDeps(), actor, proposal.proposalId) };
  },
});
