import { budgetReport } from "@allot/core/award";
import { awardReadDeps } from "../../lib/deps-awards.js";
import { httpHandler } from "../../lib/http.js";

export const handler = httpHandler({
  handle: async ({ actor, path }) => ({
    body: await budgetReport(awardReadDeps(), actor, path.programId ?? ""),
  }),
});
