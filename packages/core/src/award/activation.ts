import type { AwardDeps } from "./moves.js";
import type { AwardStatus } from "./schema.js";

// Settlement decides whether the award's project should run (award.inactivatedAt, written with
// the ProjectInactivated / ProjectReactivated event that announces it); this tells the provider.
// One step for both events, reading the award's current wish rather than the event's: events
// may arrive out of order, and whichever runs last leaves the provider as the award says.

/** While the award is running; closeout and revocation tell the provider themselves. */
const RUNNING: AwardStatus[] = ["active", "suspended"];

export const INACTIVATION_REASON = "the award's credits are used up";

export const syncProjectActivation = async (
  deps: Pick<AwardDeps, "awards" | "provider">,
  awardId: string,
): Promise<"inactivated" | "reactivated" | "skipped"> => {
  const award = await deps.awards.get(awardId);
  if (!award || !RUNNING.includes(award.status) || !award.provider) return "skipped";
  if (award.inactivatedAt) {
    await deps.provider.inactivate(awardId, INACTIVATION_REASON);
    return "inactivated";
  }
  await deps.provider.reactivate(awardId);
  return "reactivated";
};
