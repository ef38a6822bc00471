import { ingestUsage, MAX_BATCH, MAX_BATCH_BYTES, UsageBatch, UsageBatchEnvelope } from "@allot/core/usage";
import { usageDeps } from "../../lib/deps-usage.js";
import { HttpError, httpHandler } from "../../lib/http.js";

// The envelope (an object with 1 to 1,000 records, at most 4 MB) is a 4xx if wrong; each record
// is then judged on its own, and the answer lists every refusal. Counting happens asynchronously.
export const handler = httpHandler({
  body: UsageBatchEnvelope,
  bodyValidatedInCore: UsageBatch,
  handle: async ({ body, event }) => {
    if (Buffer.byteLength(event.body ?? "", event.isBase64Encoded ? "base64" : "utf8") > MAX_BATCH_BYTES) {
      throw new HttpError(
        413,
        `The body is larger than ${MAX_BATCH_BYTES / 1_048_576} MB; send at most ${MAX_BATCH} records of bounded size per batch`,
      );
    }
    return { status: 202, body: await ingestUsage(usageDeps(), body.records) };
  },
});
