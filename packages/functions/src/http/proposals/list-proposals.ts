import { CallId } from "@allot/core";
import { listProposals, ProposalStatus } from "@allot/core/proposal";
import { readProposal } from "@allot/core/review";
import { z } from "zod";
import { reviewDeps } from "../../lib/deps.js";
import { httpHandler } from "../../lib/http.js";
import { itemsOf } from "../../responses/common.js";
import { ProposalView } from "../../responses/proposals.js";

const Query = z.object({ callId: CallId.optional(), status: ProposalStatus.optional() });

export const handler = httpHandler({
  responses: { 200: itemsOf(ProposalView) },
  query: Query,
  handle: async ({ actor, query }) => {
    const proposals = await listProposals(reviewDeps(), actor, query);
    const items = await Promise.all(proposals.map((p) => readProposal(reviewDeps(), actor, p.proposalId)));
    return { body: { items } };
  },
});
