import { callFunnel, FunnelQuery, funnelTable } from "@allot/core/report";
import { reportDeps } from "../../lib/deps-reports.js";
import { httpHandler } from "../../lib/http.js";
import { CallFunnelReport } from "../../responses/reports.js";

export const handler = httpHandler({
  query: FunnelQuery,
  responses: { 200: CallFunnelReport },
  csv: funnelTable,
  handle: async ({ actor, path }) => ({ body: await callFunnel(reportDeps(), actor, path.callId ?? "") }),
});
