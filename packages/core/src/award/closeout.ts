import { conflict } from "../errors.js";
import { createEvent } from "../events/define.js";
import {
  AwardClosed,
  AwardClosing,
  AwardComplianceRevised,
  CloseoutCashSettled,
  CloseoutSettled,
} from "./closeout-events.js";
import type { CloseoutCompliance, CloseoutDeps, CloseoutSettlement } from "./closeout-ports.js";
import { CLOSED, mustBeClosing, mustGet, now, RUNNING, withCloseout } from "./closeout-record.js";
import { closeoutPeriodsOf } from "./closeout-schema.js";
import { entriesFor, heldBy, ids, SYSTEM, transition } from "./moves.js";
import type { Award, AwardStatus } from "./schema.js";

// The end of an award's life, in steps the award-closeout workflow runs one at a time. Each step
// reads the award, does one thing, and leaves its mark on the award's `closeout` record, so a
// retried or resumed step finds it done and does nothing twice. The term timer (term-timer.ts)
// or an approved early closeout starts it; the final report has its own file.

/**
 * Closeout step a: the award becomes `closing` (no new reservations, no top-up or extension;
 * usage still counted), with the grace period for late records fixed from its program. An award
 * that is not running (revoked meanwhile) is not closed out: `proceed` is false.
 */
export const beginCloseout = async (
  deps: CloseoutDeps,
  awardId: string,
  reason: string,
  early: boolean,
): Promise<{ proceed: boolean; graceEndsAt: string; finalReportSeconds: number }> => {
  const award = await mustGet(deps, awardId);
  if (award.closeout) {
    const { graceEndsAt, finalReportSeconds } = award.closeout;
    return { proceed: true, graceEndsAt, finalReportSeconds };
  }
  if (!RUNNING.includes(award.status))
    return { proceed: false, graceEndsAt: now(deps), finalReportSeconds: 1 };
  const program = await deps.programs.get(award.programId);
  const { graceSeconds, finalReportSeconds } = closeoutPeriodsOf(program ?? {});
  const when = now(deps);
  const graceEndsAt = new Date(Date.parse(when) + graceSeconds * 1000).toISOString();
  // An early closeout ends the term now: the obligations due at (or after) the end fall due
  // from the real end, not from the date the award would have run to.
  const endsEarly = early && award.endsAt !== undefined && award.endsAt > when;
  const after: Award = {
    ...transition(award, "closing", SYSTEM, `closeout: ${reason}`, when),
    ...(endsEarly ? { endsAt: when } : {}),
    closeout: { reason, startedAt: when, graceEndsAt, finalReportSeconds },
  };
  await deps.awards.update(after, [
    createEvent(AwardClosing, `${awardId}:closing`, when, { ...ids(award), graceEndsAt, early }),
  ]);
  return { proceed: true, graceEndsAt, finalReportSeconds };
};

/**
 * Closeout step b, after the grace period: the ledger's consumption of the award brought up to
 * its counted usage (late records included), capped at what the award holds.
 */
export const settleCloseoutUsage = async (
  deps: CloseoutDeps & { settlement: CloseoutSettlement },
  awardId: string,
) => {
  const award = await mustGet(deps, awardId);
  const closeout = mustBeClosing(award);
  if (closeout.credits) return { consumedCents: closeout.credits.consumedCents };
  const { consumedCents } = await deps.settlement.settleConsumption(awardId, `${awardId}:closeout`);
  return { consumedCents };
};

/** Closeout step c: the project on the compute provider takes no more jobs (AMIE project inactivate). */
export const inactivateClosedProject = async (
  deps: CloseoutDeps & { provider: { inactivate(awardId: string, reason: string): Promise<void> } },
  awardId: string,
) => {
  const award = await mustGet(deps, awardId);
  mustBeClosing(award);
  await deps.provider.inactivate(awardId, "closeout");
  return { inactivated: true };
};

/**
 * Closeout step c, after the usage was settled: what the award holds in credits beyond its
 * consumption goes back to the credits pool, in one ledger movement with the award's record and
 * the `Closeout Settled` event.
 */
export const returnUnusedCredits = async (deps: CloseoutDeps, awardId: string, consumedCents: number) => {
  const award = await mustGet(deps, awardId);
  const closeout = mustBeClosing(award);
  if (closeout.credits) return closeout.credits;
  const when = now(deps);
  const returnedCents = Math.max(0, heldBy(await deps.ledger.entriesForAward(awardId)).creditsCents);
  const credits = { consumedCents, returnedCents, settledAt: when };
  const after = withCloseout(award, { ...closeout, credits });
  const cause = "closeout: credits not consumed";
  await deps.ledger.move({
    requestToken: `${awardId}:closeout-credits`,
    entries: entriesFor(
      award,
      "release",
      { cashCents: 0, creditsCents: returnedCents },
      -1,
      SYSTEM,
      cause,
      when,
      "closeout-credits",
    ),
    award: { item: after as unknown as Record<string, unknown>, expectedRevision: award.revision },
    events: [
      createEvent(CloseoutSettled, `${awardId}:closeout-settled`, when, {
        ...ids(award),
        consumedCents,
        returnedCents,
      }),
    ],
  });
  return credits;
};

/**
 * Closeout step d, after the report or its deadline: the cash spent is fixed once on the award,
 * from the report, or with no report the whole cash (it was paid out; without a report nothing
 * says what is left, so nothing comes back and staff follow up; the award closes non-compliant).
 * A report arriving after this is refused.
 */
export const decideCashSpent = async (deps: CloseoutDeps, awardId: string) => {
  const award = await mustGet(deps, awardId);
  const closeout = mustBeClosing(award);
  if (closeout.cash) return { spentCents: closeout.cash.spentCents };
  const report = closeout.finalReport;
  const spentCents = report ? Math.min(report.cashSpentCents, award.cashCents) : award.cashCents;
  const cash = { spentCents, returnedCents: 0, reportMissing: !report, settledAt: now(deps) };
  const { finalReportTaskToken: _t, ...rest } = award;
  await deps.awards.update(withCloseout(rest, { ...closeout, cash }), []);
  return { spentCents };
};

/** Closeout step d: the cash spent is decided (once) and declared to the ledger's consumption. */
export const settleCloseoutCash = async (
  deps: CloseoutDeps & { settlement: CloseoutSettlement },
  awardId: string,
) => {
  const { spentCents } = await decideCashSpent(deps, awardId);
  await deps.settlement.settleCash(awardId, spentCents, `${awardId}:closeout`);
  return { spentCents };
};

/** Closeout step d, after the ledger recorded the cash spent: the rest of the cash goes back. */
export const returnUnspentCash = async (deps: CloseoutDeps, awardId: string) => {
  const award = await mustGet(deps, awardId);
  const closeout = mustBeClosing(award);
  const cash = closeout.cash;
  if (!cash) throw conflict(`Award ${awardId}: the cash spent is not decided yet`);
  const requestToken = `${awardId}:closeout-cash`;
  if (award.history.some((h) => h.operationId === requestToken)) return cash;
  const when = now(deps);
  const returnedCents = Math.max(0, heldBy(await deps.ledger.entriesForAward(awardId)).cashCents);
  const after: Award = {
    ...withCloseout(award, { ...closeout, cash: { ...cash, returnedCents } }),
    history: [
      ...award.history,
      {
        at: when,
        status: award.status,
        actor: SYSTEM,
        reason: cash.reportMissing
          ? "cash taken as spent: no final report by its deadline"
          : `cash settled from the final report: ${cash.spentCents} cents spent, ${returnedCents} returned`,
        operationId: requestToken,
      },
    ],
  };
  await deps.ledger.move({
    requestToken,
    entries: entriesFor(
      award,
      "release",
      { cashCents: returnedCents, creditsCents: 0 },
      -1,
      SYSTEM,
      "closeout: cash not spent",
      when,
      "closeout-cash",
    ),
    award: { item: after as unknown as Record<string, unknown>, expectedRevision: award.revision },
    events: [
      createEvent(CloseoutCashSettled, `${awardId}:closeout-cash-settled`, when, {
        ...ids(award),
        spentCents: cash.spentCents,
        returnedCents,
        reportMissing: cash.reportMissing,
      }),
    ],
  });
  return { ...cash, returnedCents };
};

type Obligations = Awaited<ReturnType<CloseoutCompliance["evaluate"]>>["obligations"];

/**
 * What a closed-out award's status says: `closed` while the final report came in and no
 * obligation is overdue or failed; `closed_noncompliant` otherwise. An obligation not yet due (a
 * paper due months after the end) is no breach at closeout: its timer keeps running after the
 * award closes, and `reviseClosedCompliance` follows it when it is met or falls overdue.
 */
const judgeClosed = (reportMissing: boolean, obligations: Obligations) => {
  const reasons = [
    ...(reportMissing ? ["no final report was submitted by its deadline"] : []),
    ...obligations.filter((o) => !o.met && o.status === "overdue").map((o) => `${o.kind}: ${o.reason}`),
  ];
  const pending = obligations
    .filter((o) => !o.met && o.status !== "overdue")
    .map((o) => `${o.kind} due ${o.dueAt ?? "later"} still pending`);
  const status: AwardStatus = reasons.length === 0 ? "closed" : "closed_noncompliant";
  return { status, compliant: reasons.length === 0, reasons, pending };
};

const closedReason = ({ compliant, reasons, pending }: ReturnType<typeof judgeClosed>, prefix: string) =>
  compliant
    ? `${prefix}: every obligation due is met${pending.length ? `; ${pending.join("; ")}` : ""}`
    : `${prefix} non-compliant: ${reasons.join("; ")}`;

/**
 * Closeout step e: compliance as it stands decides `closed` or `closed_noncompliant` (see
 * judgeClosed), with the reasons on the award.
 */
export const closeAward = async (
  deps: CloseoutDeps & { compliance: CloseoutCompliance },
  awardId: string,
) => {
  const award = await mustGet(deps, awardId);
  if (CLOSED.includes(award.status)) return { status: award.status };
  const closeout = mustBeClosing(award);
  const when = now(deps);
  const { obligations } = await deps.compliance.evaluate(awardId, when);
  const judged = judgeClosed(closeout.cash?.reportMissing ?? false, obligations);
  const { status, compliant, reasons } = judged;
  const closed = transition(award, status, SYSTEM, closedReason(judged, "closed out"), when);
  const after: Award = {
    ...closed,
    closeout: { ...closeout, compliance: { compliant, reasons, evaluatedAt: when }, closedAt: when },
  };
  await deps.awards.update(after, [
    createEvent(AwardClosed, `${awardId}:closed`, when, {
      ...ids(award),
      status: compliant ? "closed" : "closed_noncompliant",
    }),
  ]);
  return { status };
};

/**
 * After closeout, an obligation that is met late or falls overdue moves the closed award between
 * `closed` and `closed_noncompliant` (on ObligationOverdue and ComplianceChanged). A missing
 * final report stays a breach. Redelivered events find the status already right and do nothing.
 */
export const reviseClosedCompliance = async (
  deps: CloseoutDeps & { compliance: CloseoutCompliance },
  awardId: string,
) => {
  const award = await deps.awards.get(awardId);
  if (!award || !CLOSED.includes(award.status) || !award.closeout?.compliance)
    return { status: award?.status };
  const when = now(deps);
  const { obligations } = await deps.compliance.evaluate(awardId, when);
  const judged = judgeClosed(award.closeout.cash?.reportMissing ?? false, obligations);
  if (judged.status === award.status) return { status: award.status };
  const { status, compliant, reasons } = judged;
  const after: Award = {
    ...transition(award, status, SYSTEM, closedReason(judged, "compliance revised after closeout"), when),
    closeout: { ...award.closeout, compliance: { compliant, reasons, evaluatedAt: when } },
  };
  await deps.awards.update(after, [
    createEvent(AwardComplianceRevised, `${awardId}:compliance-revised:${award.revision}`, when, {
      ...ids(award),
      status: compliant ? "closed" : "closed_noncompliant",
    }),
  ]);
  return { status };
};
