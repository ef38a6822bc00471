import {
  ingestUsage,
  MAX_BATCH,
  MAX_BATCH_BYTES,
  UsageBatch,
  UsageBatchEnvelope,
  UsageBatchUnfinished,
} from "@allot/core/usage";
import { functionByName } from "@allot/stacks";
import { usageDeps } from "../../lib/deps-usage.js";
import { HttpError, httpHandler } from "../../lib/http.js";
import { businessMetric } from "../../lib/metrics.js";
import { storeBudgetMs } from "../../lib/usage-budget.js";
import { UsageBatchAnswer, UsageBatchUnfinishedAnswer } from "../../responses/usage.js";

const budgetMs = storeBudgetMs(functionByName("ingest-usage").timeoutSeconds * 1_000);

// The envelope (an object with 1 to 1,000 records, at most 4 MB) is a 4xx if wrong; each record
// is then judged on its own, and the answer lists every refusal. Counting happens asynchronously.
// A store too loaded to take the batch in time gets a 503 that says to send it again, never a
// timeout that leaves the client guessing.
export const handler = httpHandler({
  responses: { 202: UsageBatchAnswer, 503: UsageBatchUnfinishedAnswer },
  errors: [413],
  body: UsageBatchEnvelope,
  bodyValidatedInCore: UsageBatch,
  handle: async ({ body, event }) => {
    const storeUntil = Date.now() + budgetMs;
    if (Buffer.byteLength(event.body ?? "", event.isBase64Encoded ? "base64" : "utf8") > MAX_BATCH_BYTES) {
      throw new HttpError(
        413,
        `The body is larger than ${MAX_BATCH_BYTES / 1_048_576} MB; send at most ${MAX_BATCH} records of bounded size per batch`,
      );
    }
    try {
      const answer = await ingestUsage(usageDeps(), body.records, storeUntil);
      businessMetric("usageAccepted", answer.accepted);
      businessMetric("usageRejected", answer.rejected.length);
      return { status: 202, body: answer };
    } catch (error) {
      if (!(error instanceof UsageBatchUnfinished)) throw error;
      return {
        status: 503,
        headers: { "retry-after": "1" },
        body: { message: error.message, stored: error.stored, pending: error.pending },
      };
    }
  },
});
