import { programUtilization, UtilizationQuery, utilizationTable } from "@allot/core/report";
import { reportDeps } from "../../lib/deps-reports.js";
import { httpHandler } from "../../lib/http.js";
import { UtilizationReport } from "../../responses/reports.js";

export const handler = httpHandler({
  query: UtilizationQuery,
  responses: { 200: UtilizationReport },
  csv: utilizationTable,
  handle: async ({ actor, path, query }) => ({
    body: await programUtilization(reportDeps(), actor, path.programId ?? "", query),
  }),
});
