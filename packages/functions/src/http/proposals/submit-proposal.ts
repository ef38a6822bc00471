import { submitProposal } from "@allot/core/proposal";
import { readProposal } from "@allot/core/review";
import { proposalDeps, reviewDeps } from "../../lib/deps.js";
import { httpHandler } from "../../lib/http.js";
import { businessMetric } from "../../lib/metrics.js";
import { tellStory } from "../../lib/story.js";
import { ProposalView } from "../../responses/proposals.js";

export const handler = httpHandler({
  responses: { 200: ProposalView },
  handle: async ({ actor, path, logger }) => {
    const proposal = await submitProposal(proposalDeps(), actor, path.proposalId ?? "");
    tellStory(logger, "submitted", { proposalId: proposal.proposalId, callId: proposal.callId });
    businessMetric("proposalSubmitted");
    return { body: await readProposal(reviewDeps(), actor, proposal.proposalId) };
  },
});
