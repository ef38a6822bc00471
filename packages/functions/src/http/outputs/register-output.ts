import { OutputRegistration, registerOutput } from "@allot/core/output";
import { z } from "zod";
import { outputDeps } from "../../lib/deps-outputs.js";
import { httpHandler } from "../../lib/http.js";
import { OutputView } from "../../responses/outputs.js";

// 201 registered (verification follows asynchronously); 200 the same work registered before on
// this award (a retry, or another spelling of it); 409 an award not accepted.
export const handler = httpHandler({
  responses: { 201: OutputView, 200: OutputView },
  body: z.unknown(),
  bodyValidatedInCore: OutputRegistration,
  handle: async ({ actor, body, path }) => {
    const awardId = path.awardId ?? "";
    const { status, output } = await registerOutput(outputDeps(), actor, awardId, body);
    return {
      status,
      body: output,
      headers: { location: `/awards/${awardId}/outputs/${output.outputId}` },
    };
  },
});
