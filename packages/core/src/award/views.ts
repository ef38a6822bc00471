import type { Actor } from "../actor.js";
import { notFound, validationError } from "../errors.js";
import { isConsumption, type LedgerEntry, partnerKeyOf } from "./ledger.js";
import { runLedgerCheck } from "./ledger-check.js";
import { type AwardDeps, heldBy, staffOnly } from "./moves.js";
import type { Award, AwardStatus } from "./schema.js";
import { awardPosition } from "./settlement.js";

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
  const {
    offerTaskToken: _o,
    provisioningTaskToken: _p,
    finalReportTaskToken: _f,
    revision: _r,
    ...view
  } = award;
  const entries = await deps.ledger.entriesForAward(awardId);
  return { ...view, held: heldBy(entries), ledger: awardPosition(entries) };
};

/**
 * Staff report: the pools, each institution's money (a partner's under its canonical id, however
 * its proposals spelled it), each partner's credits against its cap, and awards by state.
 */
export const budgetReport = async (
  deps: Pick<AwardDeps, "awards" | "ledger">,
  actor: Actor,
  programId: string,
) => {
  staffOnly(actor);
  const [pools, entries, partners] = await Promise.all([
    deps.ledger.pools(programId),
    deps.ledger.entriesForProgram(programId),
    deps.ledger.partners(programId),
  ]);
  const sum = (filter: (e: LedgerEntry) => boolean) =>
    0 + entries.filter(filter).reduce((s, e) => s + e.amountCents, 0);
  // Given to awards: commitments and top-ups (an adjustment counts where its sign puts it).
  const given = (e: LedgerEntry) =>
    e.kind === "commit" || e.kind === "topup" || (e.kind === "adjustment" && e.amountCents > 0);
  const returned = (e: LedgerEntry) => e.kind === "release" || (e.kind === "adjustment" && e.amountCents < 0);
  const groupOf = (e: LedgerEntry) => e.institutionId ?? e.institution;
  const names = new Map<string, string>();
  for (const e of entries)
    if (!names.has(groupOf(e)) || e.institutionId) names.set(groupOf(e), e.institution);
  const institutions = [...names]
    .sort(([, a], [, b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([group, institution]) => {
      const institutionId = entries.find((e) => groupOf(e) === group)?.institutionId;
      return {
        institution,
        ...(institutionId ? { institutionId } : {}),
        committedCents: sum((e) => groupOf(e) === group && given(e)),
        releasedCents: -sum((e) => groupOf(e) === group && returned(e)),
        consumedCents: -sum((e) => groupOf(e) === group && isConsumption(e)),
        heldCents: sum((e) => groupOf(e) === group),
      };
    });
  const awards = await deps.awards.listByProgram(programId);
  const byState: Record<string, number> = {};
  for (const a of awards) byState[a.status] = (byState[a.status] ?? 0) + 1;
  return {
    programId,
    // committedCents: given net of releases (consumed included); grossCommittedCents: given;
    // releasedCents: returned to the pool; consumedCents: used up; heldCents: still with awards.
    pools: pools.map((p) => ({
      ...p,
      releasedCents: -sum((e) => e.pool === p.pool && returned(e)),
      grossCommittedCents: sum((e) => e.pool === p.pool && given(e)),
      heldCents: p.committedCents - p.consumedCents,
    })),
    institutions,
    // Keyed by the canonical id (or, for awards older than partner institutions, the folded name).
    partners: partners.map(({ programId: _p, ...balance }) => ({
      ...balance,
      consumedCents: -sum(
        (e) =>
          e.strategicPartner &&
          e.pool === "credits" &&
          isConsumption(e) &&
          partnerKeyOf(e) === balance.institutionKey,
      ),
    })),
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

/** Staff check of a program's ledger: every balance recomputed from the entries, with each difference. */
export const programLedgerCheck = async (
  deps: Pick<AwardDeps, "ledger">,
  actor: Actor,
  programId: string,
) => {
  staffOnly(actor);
  const check = await runLedgerCheck(deps.ledger, programId);
  // A program's ledger opens with its pool balances; without them there is nothing to check.
  if (check.pools.length === 0) throw notFound(`The ledger of program ${programId}`);
  return check;
};
