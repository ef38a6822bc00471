import { OutputsQuery, outputsTable, programOutputs } from "@allot/core/report";
import { reportDeps } from "../../lib/deps-reports.js";
import { httpHandler } from "../../lib/http.js";
import { OutputsReport } from "../../responses/reports.js";

export const handler = httpHandler({
  query: OutputsQuery,
  responses: { 200: OutputsReport },
  csv: outputsTable,
  handle: async ({ actor, path }) => ({
    body: await programOutputs(reportDeps(), actor, path.programId ?? ""),
  }),
});
