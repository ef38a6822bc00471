import {
  dynamoAwardRepository,
  dynamoOutputRepository,
  dynamoProgramRepository,
  linked,
  stepFunctionsObligationTimers,
  stepFunctionsVerificationRuns,
} from "@allot/adapters";
import { systemClock } from "@allot/core";
import type { ObligationDeps, OutputDeps } from "@allot/core/output";
import { doc, once, sfn, tableName } from "./deps.js";
import { awardNotificationDeps } from "./deps-notifications.js";

export const outputDeps = once(
  (): OutputDeps => ({
    awards: dynamoAwardRepository(doc(), tableName()),
    programs: dynamoProgramRepository(doc(), tableName()),
    outputs: dynamoOutputRepository(doc(), tableName()),
    clock: systemClock,
  }),
);

export const verificationRuns = once(() =>
  stepFunctionsVerificationRuns(sfn(), () =>
    linked({ kind: "stateMachine", stateMachine: "output-verification", actions: ["start"] }),
  ),
);

export const obligationTimers = once(() =>
  stepFunctionsObligationTimers(sfn(), () =>
    linked({ kind: "stateMachine", stateMachine: "obligation-timer", actions: ["start"] }),
  ),
);

export const obligationDeps = once((): ObligationDeps => outputDeps());

/** Notifications about outputs read the output too. */
export const outputNotificationDeps = once(() => {
  const { programs, outputs } = outputDeps();
  return { ...awardNotificationDeps(), programs, outputs };
});
