import { requestVerification } from "@allot/core/output";
import { outputDeps, verificationRuns } from "../../lib/deps-outputs.js";
import { httpHandler } from "../../lib/http.js";
import { OutputView } from "../../responses/outputs.js";

// 202: the check runs asynchronously; GET the outputs to see its outcome.
export const handler = httpHandler({
  responses: { 202: OutputView },
  handle: async ({ actor, path }) => ({
    status: 202,
    body: await requestVerification(
      { ...outputDeps(), runs: verificationRuns() },
      actor,
      path.awardId ?? "",
      path.outputId ?? "",
    ),
  }),
});
