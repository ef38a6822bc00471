import { CreditsProvisioned, startAwardTerm } from "@allot/core/award";
import { closeoutDeps, termTimer } from "../lib/deps-closeout.js";
import { onEvent } from "../lib/event.js";

export const handler = onEvent(CreditsProvisioned, async ({ awardId }) => {
  await startAwardTerm({ ...closeoutDeps(), termTimer: termTimer() }, awardId);
});
