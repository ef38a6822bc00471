import { readUsage } from "@allot/core/usage";
import { usageDeps } from "../../lib/deps-usage.js";
import { httpHandler } from "../../lib/http.js";

export const handler = httpHandler({
  handle: async ({ actor, path }) => ({ body: await readUsage(usageDeps(), actor, path.awardId ?? "") }),
});
