import { budgetReport } from "@allot/core/award";
import { awardReadDeps } from "../../lib/deps-awards.js";
import { httpHandler } from "../../lib/http.js";
import { BudgetReport } from "../../responses/awards.js";

export const handler = httpHandler({
  responses: { 200: BudgetReport },
  handle: async ({ actor, path }) => ({
    body: await budgetReport(awardReadDeps(), actor, path.programId ?? ""),
  }),
});
