import { Decision, recordDecision } from "@allot/core/proposal";
import { readProposal } from "@allot/core/review";
import { reviewDeps } from "../../lib/deps.js";
import { httpHandler } from "../../lib/http.js";
import { tellStory } from "../../lib/story.js";
import { ProposalView } from "../../responses/proposals.js";

export const handler = httpHandler({
  responses: { 200: ProposalView },
  body: Decision,
  handle: async ({ actor, body, path, logger }) => {
    const proposal = await recordDecision(reviewDeps(), actor, path.proposalId ?? "", body);
    tellStory(logger, "decided", { proposalId: proposal.proposalId, outcome: body.outcome });
    return { body: await readProposal(reviewDeps(), actor, proposal.proposalId) };
  },
});
