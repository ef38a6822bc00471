import { readProgramCompliance } from "@allot/core/output";
import { outputDeps } from "../../lib/deps-outputs.js";
import { httpHandler } from "../../lib/http.js";
import { ProgramComplianceView } from "../../responses/outputs.js";

export const handler = httpHandler({
  responses: { 200: ProgramComplianceView },
  handle: async ({ path }) => ({ body: await readProgramCompliance(outputDeps(), path.programId ?? "") }),
});
