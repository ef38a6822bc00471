import { systemClock } from "@allot/core";
import { recheckOutputs } from "@allot/core/output";
import { outputDeps, verificationRuns } from "../lib/deps-outputs.js";
import { scheduleHandler } from "../lib/schedule.js";

export const handler = scheduleHandler("recheck-outputs", () =>
  recheckOutputs({ outputs: outputDeps().outputs, runs: verificationRuns(), clock: systemClock }),
);
