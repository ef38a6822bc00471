import { submitProposal } from "@allot/core/proposal";
import { readProposal } from "@allot/core/review";
import { proposalDeps, reviewDeps } from "../../lib/deps.js";
import { httpHandler } from "../../lib/http.js";
import { ProposalView } from "../../responses/proposals.js";

export const handler = httpHandler({
  responses: { 200: ProposalView },
  handle: async ({ actor, path }) => {
    const proposal = await submitProposal(proposalDeps(), actor, path.proposalId ?? "");
    return { body: await readProposal(reviewDeps(), actor, proposal.proposalId) };
  },
});
