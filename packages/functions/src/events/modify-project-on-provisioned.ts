import { alignProvisionedProject, CreditsProvisioned } from "@allot/core/award";
import { awardDeps } from "../lib/deps-awards.js";
import { onEvent } from "../lib/event.js";

export const handler = onEvent(CreditsProvisioned, async ({ awardId }) => {
  await alignProvisionedProject(awardDeps(), awardId);
});
