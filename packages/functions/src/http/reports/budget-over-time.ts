import { BudgetQuery, budgetTable, programBudget } from "@allot/core/report";
import { reportDeps } from "../../lib/deps-reports.js";
import { httpHandler } from "../../lib/http.js";
import { BudgetOverTimeReport } from "../../responses/reports.js";

export const handler = httpHandler({
  query: BudgetQuery,
  responses: { 200: BudgetOverTimeReport },
  csv: budgetTable,
  handle: async ({ actor, path, query }) => ({
    body: await programBudget(reportDeps(), actor, path.programId ?? "", query),
  }),
});
