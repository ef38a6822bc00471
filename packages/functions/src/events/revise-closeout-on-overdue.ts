import { reviseClosedCompliance } from "@allot/core/award";
import { ObligationOverdue } from "@allot/core/output";
import { closeoutCompliance, closeoutDeps } from "../lib/deps-closeout.js";
import { onEvent } from "../lib/event.js";

// A closed-out award's obligations keep their timers; the closed status follows what they find.
export const handler = onEvent(ObligationOverdue, ({ awardId }) =>
  reviseClosedCompliance({ ...closeoutDeps(), compliance: closeoutCompliance() }, awardId).then(
    () => undefined,
  ),
);
