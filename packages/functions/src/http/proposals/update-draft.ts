import { ProposalDraftPatch, updateDraft } from "@allot/core/proposal";
import { readProposal } from "@allot/core/review";
import { proposalDeps, reviewDeps } from "../../lib/deps.js";
import { httpHandler } from "../../lib/http.js";
import { ProposalView } from "../../responses/proposals.js";

export const handler = httpHandler({
  responses: { 200: ProposalView },
  body: ProposalDraftPatch,
  handle: async ({ actor, body, path }) => {
    const proposal = await updateDraft(proposalDeps(), actor, path.proposalId ?? "", body);
    return { body: await readProposal(reviewDeps(), actor, proposal.proposalId) };
  },
});
