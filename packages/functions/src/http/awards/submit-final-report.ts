import { FinalReport, submitFinalReport } from "@allot/core/award";
import { z } from "zod";
import { closeoutDeps, closeoutOutputs, closeoutWorkflow } from "../../lib/deps-closeout.js";
import { httpHandler } from "../../lib/http.js";
import { FinalReportView } from "../../responses/closeout.js";

// 201 submitted; 200 the same report again (a retry); 400 for cash beyond the award's or an output
// not registered on it; 409 another report after the first, or the award not closing (or its cash
// settled without a report, past the deadline).
export const handler = httpHandler({
  responses: { 201: FinalReportView, 200: FinalReportView },
  body: z.unknown(),
  bodyValidatedInCore: FinalReport,
  handle: async ({ actor, body, path }) => {
    const { status, report } = await submitFinalReport(
      { ...closeoutDeps(), workflow: closeoutWorkflow(), outputs: closeoutOutputs() },
      actor,
      path.awardId ?? "",
      body,
    );
    return { status, body: report };
  },
});
