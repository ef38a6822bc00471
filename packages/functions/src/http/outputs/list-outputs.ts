import { listOutputs } from "@allot/core/output";
import { z } from "zod";
import { outputDeps } from "../../lib/deps-outputs.js";
import { httpHandler } from "../../lib/http.js";
import { OutputView } from "../../responses/outputs.js";

export const handler = httpHandler({
  responses: { 200: z.object({ outputs: z.array(OutputView) }) },
  handle: async ({ actor, path }) => ({
    body: { outputs: await listOutputs(outputDeps(), actor, path.awardId ?? "") },
  }),
});
