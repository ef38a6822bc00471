import { CreditsProvisioned } from "@allot/core/award";
import { startObligationTimers } from "@allot/core/output";
import { obligationTimers } from "../lib/deps-outputs.js";
import { onEvent } from "../lib/event.js";

export const handler = onEvent(CreditsProvisioned, ({ awardId }) =>
  startObligationTimers({ timers: obligationTimers() }, awardId),
);
