import { notFound } from "../errors.js";
import type { AwardDeps } from "./moves.js";
import type { Award } from "./schema.js";

// A few rounds settle any realistic burst of changes to one award; a longer one is left to the
// events the later changes emitted, each of which runs this again.
const MAX_ROUNDS = 5;

const allocationOf = (award: Award, centsPerChipHour: number) => ({
  creditsCents: award.creditsCents,
  chipHours: Math.floor(award.creditsCents / centsPerChipHour),
  endsAt: award.endsAt ?? "",
});

/**
 * Event consumer task: brings the provider's project in line with the award after a top-up or an
 * extension (staff's own or an approved change request). It runs out of the HTTP request, so a
 * provider outage retries and dead-letters here instead of failing the approval. It sends the
 * award's current totals, so a redelivered event sets the same allocation; and since two
 * consumers may read the award at different moments and reach the provider in the other order,
 * it reads the award again after sending and sends again if it moved meanwhile.
 */
export const modifyProviderProject = async (
  deps: Pick<AwardDeps, "awards" | "programs" | "provider">,
  awardId: string,
) => {
  const program = await deps.programs.get((await mustGet(deps, awardId)).programId);
  const rate = program?.creditRate.centsPerChipHour || 1;
  let sent: string | undefined;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const award = await mustGet(deps, awardId);
    // Before the project exists its request carries the award as it is then; after the award
    // closed or was revoked there is no allocation left to change.
    if (!award.provider || !award.endsAt || !["active", "suspended"].includes(award.status))
      return { modified: sent !== undefined };
    const allocation = allocationOf(award, rate);
    const key = JSON.stringify(allocation);
    if (key === sent) return { modified: true };
    await deps.provider.modifyProject(awardId, allocation);
    sent = key;
  }
  return { modified: true };
};

/**
 * Event consumer task on CreditsProvisioned: a top-up or extension made while the project was
 * being created found no project to modify, and the request had carried the award as it was
 * then. When the award changed (a staff operation) since provisioning began, the new project is
 * brought in line; otherwise nothing is sent.
 */
export const alignProvisionedProject = async (
  deps: Pick<AwardDeps, "awards" | "programs" | "provider">,
  awardId: string,
) => {
  const award = await mustGet(deps, awardId);
  // A staff operation keeps the status and names itself (operationId); the move to provisioning
  // (acceptance, or a re-drive) names none.
  const began = award.history.findLastIndex((h) => h.status === "provisioning" && !h.operationId);
  const changedSince = award.history.slice(began + 1).some((h) => h.operationId !== undefined);
  if (began < 0 || !changedSince) return { modified: false };
  return modifyProviderProject(deps, awardId);
};

const mustGet = async (deps: Pick<AwardDeps, "awards">, awardId: string) => {
  const award = await deps.awards.get(awardId);
  if (!award) throw notFound(`Award ${awardId}`);
  return award;
};
