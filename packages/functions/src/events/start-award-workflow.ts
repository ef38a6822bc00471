import { systemClock } from "@allot/core";
import { AwardOffered, startAwardWorkflow } from "@allot/core/award";
import { reviewWorkflow } from "../lib/deps.js";
import { onEvent } from "../lib/event.js";

export const handler = onEvent(AwardOffered, (offer) =>
  startAwardWorkflow({ workflow: reviewWorkflow(), clock: systemClock }, offer),
);
