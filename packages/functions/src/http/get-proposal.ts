import { getProposal } from "@allot/core/proposal";
import { proposalDeps } from "../lib/deps.js";
import { httpHandler } from "../lib/http.js";
import { proposalView } from "../lib/views.js";

export const handler = httpHandler({
  handle: async ({ actor, path }) => ({
    body: proposalView(await getProposal(proposalDeps(), actor, path.proposalId ?? "")),
  }),
});
