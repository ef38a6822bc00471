import { ingestUsage, UsageBatch, UsageBatchEnvelope } from "@allot/core/usage";
import { usageDeps } from "../../lib/deps-usage.js";
import { httpHandler } from "../../lib/http.js";

// The envelope (an object with 1 to 1,000 records) is a 400 if wrong; each record is then
// judged on its own, and the answer lists every refusal. Counting happens asynchronously.
export const handler = httpHandler({
  body: UsageBatchEnvelope,
  bodyValidatedInCore: UsageBatch,
  handle: async ({ body }) => ({ status: 202, body: await ingestUsage(usageDeps(), body.records) }),
});
