import type { Clock } from "../clock.js";
import { conflict, notFound } from "../errors.js";
import type { CloseoutDeps } from "./closeout-ports.js";
import type { AwardCloseout } from "./closeout-schema.js";
import type { Award, AwardStatus } from "./schema.js";

// The award's closeout record as the steps read and write it (not exported from the package).

export const CLOSED: AwardStatus[] = ["closed", "closed_noncompliant"];
/** Awards whose term runs: the timer closes them out, and an early closeout may. */
export const RUNNING: AwardStatus[] = ["active", "suspended"];

export const now = (deps: { clock: Clock }) => deps.clock.now().toISOString();

export const mustGet = async (deps: Pick<CloseoutDeps, "awards">, awardId: string) => {
  const award = await deps.awards.get(awardId);
  if (!award) throw notFound(`Award ${awardId}`);
  return award;
};

export const mustBeClosing = (award: Award): AwardCloseout => {
  if (!award.closeout)
    throw conflict(`Award ${award.awardId} is ${award.status}; its closeout has not begun`);
  return award.closeout;
};

export const withCloseout = (award: Award, closeout: AwardCloseout): Award => ({
  ...award,
  closeout,
  revision: award.revision + 1,
});
