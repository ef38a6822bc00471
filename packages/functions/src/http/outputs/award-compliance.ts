import { awardCompliance } from "@allot/core/output";
import { outputDeps } from "../../lib/deps-outputs.js";
import { httpHandler } from "../../lib/http.js";
import { ComplianceView } from "../../responses/outputs.js";

export const handler = httpHandler({
  responses: { 200: ComplianceView },
  handle: async ({ actor, path }) => ({
    body: await awardCompliance(outputDeps(), actor, path.awardId ?? ""),
  }),
});
