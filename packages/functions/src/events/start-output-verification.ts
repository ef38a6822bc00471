import { OutputRegistered } from "@allot/core/output";
import { verificationRuns } from "../lib/deps-outputs.js";
import { onEvent } from "../lib/event.js";

export const handler = onEvent(OutputRegistered, ({ awardId, outputId }) =>
  verificationRuns().start({ awardId, outputId, runName: `${outputId}-registered` }),
);
