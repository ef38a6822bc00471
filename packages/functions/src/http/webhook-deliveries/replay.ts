import { replaySubscription } from "@allot/core/webhook";
import { bus } from "@allot/stacks/table";
import { z } from "zod";
import { archiveReplayer, deliveryDeps } from "../../lib/deps-webhook-deliveries.js";
import { httpHandler } from "../../lib/http.js";
import { operationOf } from "../../lib/idempotency.js";
import { ReplayStarted } from "../../responses/webhook-deliveries.js";

export const ReplayInput = z.object({
  from: z.iso
    .datetime({ offset: true })
    .meta({ description: "The range's start (inclusive), within the archive's retention" }),
  to: z.iso
    .datetime({ offset: true })
    .meta({ description: "The range's end (exclusive), not in the future" }),
});

// The bus archive's events of [from, to) go to this subscription's rule only.
export const handler = httpHandler({
  responses: { 202: ReplayStarted },
  body: ReplayInput,
  handle: async (request) => ({
    status: 202,
    body: await replaySubscription(
      { ...deliveryDeps(), replayer: archiveReplayer(), archiveRetentionDays: bus.archiveRetentionDays },
      request.actor,
      request.path.subscriptionId ?? "",
      request.body,
      operationOf(request),
    ),
  }),
});
