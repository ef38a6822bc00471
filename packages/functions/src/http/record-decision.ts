import { Decision, recordDecision } from "@allot/core/proposal";
import { proposalDeps, reviewWorkflow } from "../lib/deps.js";
import { httpHandler } from "../lib/http.js";
import { proposalView } from "../lib/views.js";

export const handler = httpHandler({
  body: Decision,
  handle: async ({ actor, body, path }) => ({
    body: proposalView(
      await recordDecision({ ...proposalDeps(), workflow: reviewWorkflow() }, actor, path.proposalId ?? "", body),
    ),
  }),
});
