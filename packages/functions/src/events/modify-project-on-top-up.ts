import { BudgetCommitted, modifyProviderProject } from "@allot/core/award";
import { awardDeps } from "../lib/deps-awards.js";
import { onEvent } from "../lib/event.js";

export const handler = onEvent(BudgetCommitted, async ({ awardId, kind }) => {
  if (kind === "topup") await modifyProviderProject(awardDeps(), awardId);
});
