import type { Actor } from "../actor.js";
import { sameContent } from "../canonical.js";
import type { Clock } from "../clock.js";
import { conflict, fieldIssuesOf, notFound, validationError } from "../errors.js";
import { createEvent } from "../events/define.js";
import type { Compliance } from "../output/compliance.js";
import type { ProgramReader } from "../proposal/ports.js";
import {
  AwardClosed,
  AwardClosing,
  CloseoutCashSettled,
  CloseoutSettled,
  FinalReportRequested,
  FinalReportSubmitted,
} from "./closeout-events.js";
import { type AwardCloseout, closeoutPeriodsOf, FinalReport } from "./closeout-schema.js";
import type { LedgerRepository } from "./ledger.js";
import { entriesFor, heldBy, ids, SYSTEM, transition } from "./moves.js";
import type { AwardRepository } from "./ports.js";
import type { Award, AwardStatus } from "./schema.js";

// The end of an award's life, in steps a workflow runs one at a time (stacks/ award-term and
// award-closeout). Each step reads the award, does one thing, and leaves its mark on the award's
// `closeout` record, so a retried or resumed step finds it done and does nothing twice.

/** Starts the closeout workflow of an award; one execution per award, a second start is none. */
export interface CloseoutWorkflow {
  start(input: { awardId: string; reason: string; early: boolean }): Promise<void>;
  /** Completes the final report's callback; a callback already completed is not an error. */
  complete(taskToken: string, output: Record<string, unknown>): Promise<void>;
}

/** A durable timer per award that ends in `checkAwardTerm`; starting it twice is one timer. */
export interface AwardTermTimer {
  start(input: { awardId: string; endsAt: string }): Promise<void>;
}

/**
 * The ledger's settlement at closeout (`settleConsumption`, `settleCash` of the ledger's
 * consumption), bound to their dependencies where the functions are composed.
 */
export interface CloseoutSettlement {
  settleConsumption(
    awardId: string,
    cause: string,
  ): Promise<{ consumedCents: number; settledCents: number; overageCents: number }>;
  settleCash(awardId: string, spentCents: number, cause: string): Promise<unknown>;
}

/** Compliance at closing: `evaluateCompliance` of the outputs, bound where functions are composed. */
export interface CloseoutCompliance {
  evaluate(awardId: string, asOf: string): Promise<Pick<Compliance, "obligations">>;
}

export interface CloseoutDeps {
  awards: AwardRepository;
  programs: ProgramReader;
  ledger: LedgerRepository;
  clock: Clock;
}

export const TERM_ENDED = "the award's term ended";
const CLOSED: AwardStatus[] = ["closed", "closed_noncompliant"];
const RUNNING: AwardStatus[] = ["active", "suspended"];

const now = (deps: { clock: Clock }) => deps.clock.now().toISOString();

const mustGet = async (deps: Pick<CloseoutDeps, "awards">, awardId: string) => {
  const award = await deps.awards.get(awardId);
  if (!award) throw notFound(`Award ${awardId}`);
  return award;
};

const mustBeClosing = (award: Award): AwardCloseout => {
  if (!award.closeout)
    throw conflict(`Award ${award.awardId} is ${award.status}; its closeout has not begun`);
  return award.closeout;
};

const withCloseout = (award: Award, closeout: AwardCloseout): Award => ({
  ...award,
  closeout,
  revision: award.revision + 1,
});

/** Event consumer on an award's activation: arms its term timer (idempotent by award). */
export const startAwardTerm = async (
  deps: Pick<CloseoutDeps, "awards"> & { termTimer: AwardTermTimer },
  awardId: string,
) => {
  const award = await deps.awards.get(awardId);
  if (!award?.endsAt || !RUNNING.includes(award.status)) return { started: false };
  await deps.termTimer.start({ awardId, endsAt: award.endsAt });
  return { started: true };
};

/**
 * The term timer woke at what it knew as the award's end. An extension moved the end: wait again
 * until the new one. A running award whose end has come: start its closeout. Anything else
 * (revoked, closing already through an early closeout): the timer ends.
 */
export const checkAwardTerm = async (
  deps: Pick<CloseoutDeps, "awards" | "clock"> & { closeout: Pick<CloseoutWorkflow, "start"> },
  awardId: string,
): Promise<{ next: "wait" | "closeout" | "end"; endsAt: string }> => {
  const award = await deps.awards.get(awardId);
  const endsAt = award?.endsAt ?? now(deps);
  if (!award?.endsAt || !RUNNING.includes(award.status)) return { next: "end", endsAt };
  if (Date.parse(award.endsAt) > deps.clock.now().getTime()) return { next: "wait", endsAt };
  await deps.closeout.start({ awardId, reason: TERM_ENDED, early: false });
  return { next: "closeout", endsAt };
};

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
  const after: Award = {
    ...transition(award, "closing", SYSTEM, `closeout: ${reason}`, when),
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
 * Closeout step d: parks the final report's callback on the award and asks the grantee for it
 * (once: a retried task keeps the first request and due date). A report submitted already
 * completes the callback at once.
 */
export const awaitFinalReport = async (
  deps: CloseoutDeps & { workflow: Pick<CloseoutWorkflow, "complete"> },
  awardId: string,
  taskToken: string,
) => {
  const award = await mustGet(deps, awardId);
  const closeout = mustBeClosing(award);
  if (closeout.finalReport || closeout.cash) {
    await deps.workflow.complete(taskToken, { submitted: Boolean(closeout.finalReport) });
    return;
  }
  if (award.finalReportTaskToken === taskToken) return;
  const when = now(deps);
  const requested = closeout.finalReportRequestedAt !== undefined;
  const dueAt =
    closeout.finalReportDueAt ??
    new Date(Date.parse(when) + closeout.finalReportSeconds * 1000).toISOString();
  const after: Award = {
    ...withCloseout(award, {
      ...closeout,
      finalReportRequestedAt: closeout.finalReportRequestedAt ?? when,
      finalReportDueAt: dueAt,
    }),
    finalReportTaskToken: taskToken,
  };
  await deps.awards.update(
    after,
    requested
      ? []
      : [
          createEvent(FinalReportRequested, `${awardId}:final-report-requested`, when, {
            ...ids(award),
            dueAt,
          }),
        ],
  );
};

/**
 * The grantee's final report (`PUT /awards/{awardId}/final-report`), accepted while the award
 * is closing and its cash not yet settled. The same report again answers 200 with it; another
 * one after submission is a conflict. It completes the workflow's callback when one waits.
 */
export const submitFinalReport = async (
  deps: CloseoutDeps & { workflow: Pick<CloseoutWorkflow, "complete"> },
  actor: Actor,
  awardId: string,
  input: unknown,
) => {
  const award = await deps.awards.get(awardId);
  if (!award || actor.role !== "applicant" || award.applicantId !== actor.userId)
    throw notFound(`Award ${awardId}`);
  const parsed = FinalReport.safeParse(input);
  if (!parsed.success) throw validationError("The final report is invalid", fieldIssuesOf(parsed.error));
  const report = parsed.data;
  const stored = award.closeout?.finalReport;
  if (stored) {
    const { submittedAt: _a, submittedBy: _b, ...content } = stored;
    if (!sameContent(content, report))
      throw conflict(
        `The final report of ${awardId} was submitted at ${stored.submittedAt}; it cannot be changed`,
      );
    if (award.finalReportTaskToken)
      await deps.workflow.complete(award.finalReportTaskToken, { submitted: true });
    return { status: 200 as const, report: stored };
  }
  if (award.status !== "closing" || !award.closeout)
    throw conflict(`Award ${awardId} is ${award.status}; a final report is taken while it is closing`);
  if (award.closeout.cash)
    throw conflict(
      `The final report of ${awardId} was due at ${award.closeout.finalReportDueAt ?? award.closeout.cash.settledAt}; the award's cash is settled without it`,
    );
  if (report.cashSpentCents > award.cashCents) {
    throw validationError("The final report is invalid", [
      { field: "cashSpentCents", message: `the award's cash is ${award.cashCents} cents` },
    ]);
  }
  const when = now(deps);
  const finalReport = { ...report, submittedAt: when, submittedBy: actor.userId };
  await deps.awards.update(withCloseout(award, { ...award.closeout, finalReport }), [
    createEvent(FinalReportSubmitted, `${awardId}:final-report-submitted`, when, ids(award)),
  ]);
  if (award.finalReportTaskToken)
    await deps.workflow.complete(award.finalReportTaskToken, { submitted: true });
  return { status: 201 as const, report: finalReport };
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

/**
 * Closeout step e: compliance as it stands decides `closed` (every obligation met and the final
 * report in) or `closed_noncompliant`, with the reasons on the award.
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
  // Closed means every obligation met (the status's meaning): one still pending at closeout,
  // not yet due, counts as unmet too; staff may record it later.
  const reasons = [
    ...(closeout.cash?.reportMissing ? ["no final report was submitted by its deadline"] : []),
    ...obligations.filter((o) => !o.met).map((o) => `${o.kind}: ${o.reason}`),
  ];
  const compliant = reasons.length === 0;
  const status: AwardStatus = compliant ? "closed" : "closed_noncompliant";
  const closed = transition(
    award,
    status,
    SYSTEM,
    compliant ? "closed out: every obligation met" : `closed out non-compliant: ${reasons.join("; ")}`,
    when,
  );
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
