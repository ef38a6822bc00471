import { getProposal } from "@allot/core/proposal";
import { proposalDeps, reviewWorkflow } from "../lib/deps.js";
import { httpHandler } from "../lib/http.js";

export const handler = httpHandler({
  handle: async ({ actor, path }) => {
    const proposal = await getProposal(proposalDeps(), actor, path.proposalId ?? "");
    return { body: await reviewWorkflow().history(proposal.proposalId) };
  },
});
