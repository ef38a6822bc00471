import { notFound } from "../errors.js";
import type { AwardDeps } from "./moves.js";

/**
 * Event consumer task: brings the provider's project in line with the award after a top-up or an
 * extension (staff's own or an approved change request). It runs out of the HTTP request, so a
 * provider outage retries and dead-letters here instead of failing the approval, and it sends
 * the award's current totals, so a redelivered or reordered event sets the same allocation.
 */
export const modifyProviderProject = async (
  deps: Pick<AwardDeps, "awards" | "programs" | "provider">,
  awardId: string,
) => {
  const award = await deps.awards.get(awardId);
  if (!award) throw notFound(`Award ${awardId}`);
  // Before the project exists its request carries the award as it is then; after the award
  // closed or was revoked there is no allocation left to change.
  if (!award.provider || !award.endsAt || !["active", "suspended"].includes(award.status))
    return { modified: false };
  const program = await deps.programs.get(award.programId);
  const rate = program?.creditRate.centsPerChipHour || 1;
  await deps.provider.modifyProject(awardId, {
    creditsCents: award.creditsCents,
    chipHours: Math.floor(award.creditsCents / rate),
    endsAt: award.endsAt,
  });
  return { modified: true };
};
