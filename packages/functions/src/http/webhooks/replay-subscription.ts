import { ReplayInput, replaySubscription } from "@allot/core/webhook";
import { replayDeps } from "../../lib/deps-deliveries.js";
import { httpHandler } from "../../lib/http.js";
import { operationOf } from "../../lib/idempotency.js";
import { StartedReplay } from "../../responses/webhooks.js";

// The Idempotency-Key names the replay: a retry answers the same one and starts nothing new.
export const handler = httpHandler({
  responses: { 202: StartedReplay },
  body: ReplayInput,
  handle: async (request) => ({
    status: 202,
    body: await replaySubscription(
      replayDeps(),
      request.actor,
      request.path.subscriptionId ?? "",
      request.body,
      operationOf(request),
    ),
  }),
});
