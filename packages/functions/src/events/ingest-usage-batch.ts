import { ingestUsageEvent, UsageBatchEnvelope } from "@allot/core/usage";
import middy from "@middy/core";
import type { EventBridgeEvent } from "aws-lambda";
import { usageDeps } from "../lib/deps-usage.js";
import { MalformedEventError } from "../lib/event.js";
import { createLogger } from "../lib/logger.js";
import { businessMetric, publishMetrics } from "../lib/metrics.js";
import { storeBudgetMs } from "../lib/usage-budget.js";

const logger = createLogger("allot-usage");

// Usage batches that integrations put on the bus (not Allot events: no metadata envelope)
// go through the same ingestion as the API. Refused records are logged and reported as a
// "Usage Records Rejected" event, its id derived from the bus event's id so a redelivery
// reports them once.
// A batch not all stored in time throws (UsageBatchUnfinished): the bus delivers it again, and
// the next attempt stores only the rest.
export const handler = middy<EventBridgeEvent<string, unknown>, void>()
  .use(publishMetrics())
  .handler(async (event, context) => {
    const parsed = UsageBatchEnvelope.safeParse(event.detail);
    if (!parsed.success) {
      throw new MalformedEventError(
        `Usage Batch ${event.id}: ${parsed.error.issues.map((i) => `${i.path.join(".")} ${i.message}`).join("; ")}`,
      );
    }
    const storeUntil = Date.now() + storeBudgetMs(context.getRemainingTimeInMillis());
    const result = await ingestUsageEvent(usageDeps(), event.id, parsed.data.records, storeUntil);
    businessMetric("usageAccepted", result.accepted);
    businessMetric("usageRejected", result.rejected.length);
    if (result.rejected.length) {
      logger.warn("usage records rejected", {
        eventId: event.id,
        accepted: result.accepted,
        rejected: result.rejected,
      });
    }
  });
