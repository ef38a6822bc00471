import { ProjectInactivated, syncProjectActivation } from "@allot/core/award";
import { awardDeps } from "../lib/deps-awards.js";
import { onEvent } from "../lib/event.js";

// Reads the award's current wish (see core/award/activation.ts), so a late event changes nothing.
export const handler = onEvent(ProjectInactivated, async (data) => {
  await syncProjectActivation(awardDeps(), data.awardId);
});
