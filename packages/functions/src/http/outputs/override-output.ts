import { OverrideRequest, overrideOutput } from "@allot/core/output";
import { z } from "zod";
import { outputDeps } from "../../lib/deps-outputs.js";
import { httpHandler } from "../../lib/http.js";
import { OutputView } from "../../responses/outputs.js";

export const handler = httpHandler({
  responses: { 200: OutputView },
  body: z.unknown(),
  bodyValidatedInCore: OverrideRequest,
  handle: async ({ actor, body, path }) => ({
    body: await overrideOutput(outputDeps(), actor, path.awardId ?? "", path.outputId ?? "", body),
  }),
});
