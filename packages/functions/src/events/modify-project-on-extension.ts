import { AwardExtended, modifyProviderProject } from "@allot/core/award";
import { awardDeps } from "../lib/deps-awards.js";
import { onEvent } from "../lib/event.js";

export const handler = onEvent(AwardExtended, async ({ awardId }) => {
  await modifyProviderProject(awardDeps(), awardId);
});
