import { readUsage } from "@allot/core/usage";
import { usageDeps } from "../../lib/deps-usage.js";
import { httpHandler } from "../../lib/http.js";
import { UsageView } from "../../responses/usage.js";

export const handler = httpHandler({
  responses: { 200: UsageView },
  handle: async ({ actor, path }) => ({ body: await readUsage(usageDeps(), actor, path.awardId ?? "") }),
});
