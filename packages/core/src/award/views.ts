import type { Actor } from "../actor.js";
import { notFound, validationError } from "../errors.js";
import type { LedgerEntry } from "./ledger.js";
import { type AwardDeps, heldBy, staffOnly } from "./moves.js";
import type { Award, AwardStatus } from "./schema.js";

/** An award as its caller may see it: staff, or the grantee; never the workflow's tokens. */
export const readAward = async (
  deps: Pick<AwardDeps, "awards" | "ledger">,
  actor: Actor,
  awardId: string,
) => {
  const award = await deps.awards.get(awardId);
  if (
    !award ||
    (actor.role !== "staff" && !(actor.role === "applicant" && award.applicantId === actor.userId))
  ) {
    throw notFound(`Award ${awardId}`);
  }
  const { offerTaskToken: _o, provisioningTaskToken: _p, revision: _r, ...view } = award;
  const held = heldBy(await deps.ledger.entriesForAward(awardId));
  return { ...view, held };
};

/** Staff report: the pools, and awards by state. */
export const budgetReport = async (
  deps: Pick<AwardDeps, "awards" | "ledger">,
  actor: Actor,
  programId: string,
) => {
  staffOnly(actor);
  const pools = await deps.ledger.pools(programId);
  const entries = await deps.ledger.entriesForProgram(programId);
  const sum = (filter: (e: LedgerEntry) => boolean) =>
    entries.filter(filter).reduce((s, e) => s + e.amountCents, 0);
  const institutions = [...new Set(entries.map((e) => e.institution))].sort().map((institution) => ({
    institution,
    committedCents: sum((e) => e.institution === institution && e.amountCents > 0),
    releasedCents: -sum((e) => e.institution === institution && e.amountCents < 0),
    heldCents: sum((e) => e.institution === institution),
  }));
  const awards = await deps.awards.listByProgram(programId);
  const byState: Record<string, number> = {};
  for (const a of awards) byState[a.status] = (byState[a.status] ?? 0) + 1;
  return {
    programId,
    pools: pools.map((p) => ({
      ...p,
      releasedCents: -sum((e) => e.pool === p.pool && e.amountCents < 0),
      grossCommittedCents: sum((e) => e.pool === p.pool && e.amountCents > 0),
    })),
    institutions,
    awardsByState: byState,
  };
};

/** Grantees list their own awards; staff list a program's (they must name it). */
export const listAwards = async (
  deps: Pick<AwardDeps, "awards" | "ledger">,
  actor: Actor,
  query: { programId?: string; status?: AwardStatus },
) => {
  let awards: Award[];
  if (actor.role === "staff") {
    if (!query.programId) {
      throw validationError("Name the program", [{ field: "programId", message: "is required for staff" }]);
    }
    awards = await deps.awards.listByProgram(query.programId, query.status);
  } else {
    awards = (await deps.awards.listByApplicant(actor.userId)).filter(
      (a) => !query.status || a.status === query.status,
    );
  }
  return Promise.all(awards.map((a) => readAward(deps, actor, a.awardId)));
};
