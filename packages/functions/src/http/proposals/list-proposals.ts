import { CallId } from "@allot/core";
import { listProposals, ProposalStatus } from "@allot/core/proposal";
import { readProposal } from "@allot/core/review";
import { z } from "zod";
import { reviewDeps } from "../../lib/deps.js";
import { HttpError, httpHandler, issuesFromZod } from "../../lib/http.js";

const Query = z.object({ callId: CallId.optional(), status: ProposalStatus.optional() });

export const handler = httpHandler({
  handle: async ({ actor, query }) => {
    const parsed = Query.safeParse(query);
    if (!parsed.success) throw new HttpError(400, "The query is invalid", issuesFromZod(parsed.error));
    const proposals = await listProposals(reviewDeps(), actor, parsed.data);
    const items = await Promise.all(proposals.map((p) => readProposal(reviewDeps(), actor, p.proposalId)));
    return { body: { items } };
  },
});
