import { beforeEach, describe, expect, it } from "vitest";
import type { Actor } from "../src/actor.js";
import type { CloseoutRun } from "../src/award/index.js";
import {
  type Award,
  awaitFinalReport,
  beginCloseout,
  type CloseoutDeps,
  checkAwardTerm,
  closeAward,
  decideCashSpent,
  entriesFor,
  reportCloseoutFailure,
  resumeCloseout,
  returnUnspentCash,
  returnUnusedCredits,
  reviseClosedCompliance,
  startAwardTerm,
  submitFinalReport,
  TERM_ENDED,
} from "../src/award/index.js";
import { DomainError } from "../src/errors.js";
import type { ObligationState, Output, OutputKind } from "../src/output/index.js";
import { memoryAwards, memoryLedger, memoryPrograms } from "./fakes.js";
import { program } from "./fixtures.js";

// The closeout's steps one at a time, on the in-memory repositories: each does its one thing,
// marks the award, and does nothing a second time.

const T0 = "2027-06-01T12:00:00.000Z";
const AWARD = "awd_01jcloseout000000000000000";
const grantee: Actor = { userId: "gina", role: "applicant" } as Actor;
const stranger: Actor = { userId: "mallory", role: "applicant" } as Actor;

const award = (over: Partial<Award> = {}): Award => ({
  awardId: AWARD,
  proposalId: "prp_01jcloseout000000000000000",
  programId: program.programId,
  callId: "c1",
  applicantId: "gina",
  institution: "Inst",
  strategicPartner: false,
  cashCents: 100_000,
  creditsCents: 500_000,
  periodMonths: 12,
  status: "active",
  offeredAt: "2026-05-01T00:00:00.000Z",
  offerExpiresAt: "2026-06-01T00:00:00.000Z",
  startsAt: "2026-06-01T12:00:00.000Z",
  endsAt: T0,
  history: [
    { at: "2026-06-01T12:00:00.000Z", status: "active", actor: "allot", reason: "credits provisioned" },
  ],
  revision: 3,
  ...over,
});

const report = {
  summary: "We trained and released the models the proposal described.",
  outcomes: ["A paper at a workshop", "An open model"],
  cashSpentCents: 60_000,
  outputIds: ["out_01jcloseout000000000000000"],
};

let now: Date;
let awards: ReturnType<typeof memoryAwards>;
let ledger: ReturnType<typeof memoryLedger>;
let deps: CloseoutDeps;
const completed: Array<[string, unknown]> = [];
const started: unknown[] = [];
const workflow = {
  async start(input: unknown) {
    started.push(input);
  },
  async complete(token: string, output: unknown) {
    completed.push([token, output]);
  },
};

// The award's registered outputs, as the report may name them.
const outputs = {
  listForAward: async () => [{ outputId: "out_01jcloseout000000000000000" }] as unknown as Output[],
};

beforeEach(async () => {
  now = new Date(T0);
  completed.length = 0;
  started.length = 0;
  awards = memoryAwards();
  ledger = memoryLedger(awards.items);
  const programs = memoryPrograms();
  programs.items.set(program.programId, {
    ...program,
    closeout: { gracePeriod: "PT3S", finalReportPeriod: "PT1H" },
  });
  deps = { awards: awards.repo, programs: programs.repo, ledger: ledger.repo, clock: { now: () => now } };
  await ledger.repo.openPools(program.programId, program.pools, program.caps.maxPartnerCreditsCents);
  const a = award();
  await ledger.repo.move({
    requestToken: `${AWARD}:commit`,
    entries: entriesFor(a, "commit", a, 1, "sam", "approval", T0, "commit"),
    award: { item: a as unknown as Record<string, unknown>, expectedRevision: null },
    events: [],
  });
});

const met = (kind: OutputKind): ObligationState => ({
  kind,
  dueAt: T0,
  met: true,
  status: "met",
  outputIds: ["out_01jcloseout000000000000000"],
  reason: "met",
});
const unmet = (kind: OutputKind, reason: string): ObligationState => ({
  kind,
  dueAt: T0,
  met: false,
  status: "overdue",
  outputIds: [],
  reason,
});
const complianceOf = (...obligations: ObligationState[]) => ({ evaluate: async () => ({ obligations }) });

const stored = () => awards.items.get(AWARD) as Award;
const eventTypes = () => [...awards.events, ...ledger.events].map((e) => e.detailType);
const later = (ms: number) => {
  now = new Date(now.getTime() + ms);
};

describe("the term timer", () => {
  it("starts once the award is active, with its end", async () => {
    const timers: unknown[] = [];
    const termTimer = { start: async (input: unknown) => void timers.push(input) };
    expect(await startAwardTerm({ ...deps, termTimer }, AWARD)).toEqual({ started: true });
    expect(timers).toEqual([{ awardId: AWARD, endsAt: T0 }]);
    awards.items.set(AWARD, award({ status: "revoked" }));
    expect(await startAwardTerm({ ...deps, termTimer }, AWARD)).toEqual({ started: false });
  });

  it("waits again when an extension moved the end, and starts the closeout at the end", async () => {
    const extended = "2027-12-01T12:00:00.000Z";
    awards.items.set(AWARD, award({ endsAt: extended }));
    expect(await checkAwardTerm({ ...deps, closeout: workflow }, AWARD)).toEqual({
      next: "wait",
      endsAt: extended,
    });
    expect(started).toEqual([]);
    now = new Date(extended);
    expect(await checkAwardTerm({ ...deps, closeout: workflow }, AWARD)).toEqual({
      next: "closeout",
      endsAt: extended,
    });
    expect(started).toEqual([{ awardId: AWARD, reason: TERM_ENDED, early: false }]);
  });

  it("ends on an award that is revoked, or closing through an early closeout", async () => {
    for (const status of ["revoked", "closing", "closed"] as const) {
      awards.items.set(AWARD, award({ status }));
      expect((await checkAwardTerm({ ...deps, closeout: workflow }, AWARD)).next).toBe("end");
    }
    expect(started).toEqual([]);
  });

  it("closes out a suspended award at its end too", async () => {
    awards.items.set(AWARD, award({ status: "suspended" }));
    expect((await checkAwardTerm({ ...deps, closeout: workflow }, AWARD)).next).toBe("closeout");
  });
});

describe("the closeout", () => {
  it("moves the award to closing once, with the program's grace period, and one event", async () => {
    const first = await beginCloseout(deps, AWARD, TERM_ENDED, false);
    expect(first).toEqual({
      proceed: true,
      graceEndsAt: "2027-06-01T12:00:03.000Z",
      finalReportSeconds: 3600,
    });
    later(10_000);
    expect(await beginCloseout(deps, AWARD, "early closeout: again", true)).toEqual(first);
    expect(stored().status).toBe("closing");
    expect(stored().closeout?.reason).toBe(TERM_ENDED);
    expect(eventTypes().filter((t) => t === "Award Closing")).toHaveLength(1);
  });

  it("ends the term at an early closeout, so obligations fall due from the real end", async () => {
    const endsAt = "2028-06-01T12:00:00.000Z";
    awards.items.set(AWARD, award({ endsAt }));
    await beginCloseout(deps, AWARD, "early closeout: work finished", true);
    expect(stored().endsAt).toBe(now.toISOString());
    expect(Date.parse(stored().endsAt as string)).toBeLessThan(Date.parse(endsAt));
  });

  it("does not close out an award that is not running (revoked meanwhile)", async () => {
    awards.items.set(AWARD, award({ status: "revoked" }));
    expect((await beginCloseout(deps, AWARD, TERM_ENDED, false)).proceed).toBe(false);
    expect(stored().status).toBe("revoked");
  });

  it("uses a month for late usage and for the report when the program sets nothing", async () => {
    const programs = memoryPrograms();
    programs.items.set(program.programId, program);
    const plan = await beginCloseout({ ...deps, programs: programs.repo }, AWARD, TERM_ENDED, false);
    expect(plan.graceEndsAt).toBe("2027-07-01T12:00:00.000Z");
    expect(plan.finalReportSeconds).toBe(30 * 86_400);
  });

  it("returns the unused credits once, in one ledger movement with its event", async () => {
    await beginCloseout(deps, AWARD, TERM_ENDED, false);
    const first = await returnUnusedCredits(deps, AWARD, 0);
    expect(first.returnedCents).toBe(500_000);
    expect(await returnUnusedCredits(deps, AWARD, 0)).toEqual(first);
    const credits = (await ledger.repo.entriesForAward(AWARD)).filter((e) => e.pool === "credits");
    expect(credits.reduce((s, e) => s + e.amountCents, 0)).toBe(0);
    expect(eventTypes().filter((t) => t === "Closeout Settled")).toHaveLength(1);
  });

  it("asks for the final report once, and a submitted report completes the callback", async () => {
    await beginCloseout(deps, AWARD, TERM_ENDED, false);
    await awaitFinalReport({ ...deps, workflow }, AWARD, "token-1");
    await awaitFinalReport({ ...deps, workflow }, AWARD, "token-1");
    expect(stored().closeout?.finalReportDueAt).toBe("2027-06-01T13:00:00.000Z");
    expect(eventTypes().filter((t) => t === "Final Report Requested")).toHaveLength(1);

    const first = await submitFinalReport({ ...deps, workflow, outputs }, grantee, AWARD, report);
    expect(first.status).toBe(201);
    expect(completed).toEqual([["token-1", { submitted: true }]]);
    // The same report again (a retry) answers 200 with the stored one; another one is a conflict.
    const again = await submitFinalReport({ ...deps, workflow, outputs }, grantee, AWARD, report);
    expect(again).toEqual({ status: 200, report: first.report });
    await expect(
      submitFinalReport({ ...deps, workflow, outputs }, grantee, AWARD, { ...report, cashSpentCents: 1 }),
    ).rejects.toMatchObject({ kind: "conflict" });
    expect(eventTypes().filter((t) => t === "Final Report Submitted")).toHaveLength(1);
  });

  it("refuses a report from anyone but the grantee, one over the cash or naming an unregistered output, or before the closeout", async () => {
    await expect(
      submitFinalReport({ ...deps, workflow, outputs }, grantee, AWARD, report),
    ).rejects.toMatchObject({
      kind: "conflict",
    });
    await beginCloseout(deps, AWARD, TERM_ENDED, false);
    await expect(
      submitFinalReport({ ...deps, workflow, outputs }, stranger, AWARD, report),
    ).rejects.toMatchObject({
      kind: "not_found",
    });
    const over = submitFinalReport({ ...deps, workflow, outputs }, grantee, AWARD, {
      ...report,
      cashSpentCents: 100_001,
    });
    await expect(over).rejects.toMatchObject({
      kind: "validation",
      issues: [{ field: "cashSpentCents", message: "the award's cash is 100000 cents" }],
    });
    const unknownOutput = submitFinalReport({ ...deps, workflow, outputs }, grantee, AWARD, {
      ...report,
      outputIds: ["out_01jcloseout000000000000000", "out_01jnotregistered0000000000"],
    });
    await expect(unknownOutput).rejects.toMatchObject({
      kind: "validation",
      issues: [
        {
          field: "outputIds.1",
          message: "out_01jnotregistered0000000000 is not an output of this award; register it first",
        },
      ],
    });
    const empty = submitFinalReport({ ...deps, workflow, outputs }, grantee, AWARD, { summary: "short" });
    const error = (await empty.catch((e) => e)) as DomainError;
    expect(error.kind).toBe("validation");
    expect(error.issues.map((i) => i.field).sort()).toEqual(["cashSpentCents", "outcomes", "summary"]);
  });

  it("settles the cash from the report: the unspent rest goes back, once", async () => {
    await beginCloseout(deps, AWARD, TERM_ENDED, false);
    await submitFinalReport({ ...deps, workflow, outputs }, grantee, AWARD, report);
    expect(await decideCashSpent(deps, AWARD)).toEqual({ spentCents: 60_000 });
    // The cash step ran: the cash can no longer change, a different report neither.
    await expect(
      submitFinalReport({ ...deps, workflow, outputs }, grantee, AWARD, {
        ...report,
        summary: `${report.summary}!`,
      }),
    ).rejects.toMatchObject({ kind: "conflict" });
    expect(await decideCashSpent(deps, AWARD)).toEqual({ spentCents: 60_000 });
  });

  it("takes the whole cash as spent without a report, refuses a late one, and closes non-compliant", async () => {
    await beginCloseout(deps, AWARD, TERM_ENDED, false);
    await awaitFinalReport({ ...deps, workflow }, AWARD, "token-1");
    later(3_600_000);
    expect(await decideCashSpent(deps, AWARD)).toEqual({ spentCents: 100_000 });
    expect(stored().finalReportTaskToken).toBeUndefined();
    await expect(
      submitFinalReport({ ...deps, workflow, outputs }, grantee, AWARD, report),
    ).rejects.toMatchObject({
      kind: "conflict",
      message: expect.stringMatching(/was due at 2027-06-01T13:00:00.000Z/),
    });
    expect(
      await closeAward({ ...deps, compliance: complianceOf(met("paper"), met("repository")) }, AWARD),
    ).toEqual({
      status: "closed_noncompliant",
    });
    expect(stored().closeout?.compliance?.reasons).toEqual(["no final report was submitted by its deadline"]);
  });

  it("returns what the award holds in cash beyond the spent part, with one event", async () => {
    await beginCloseout(deps, AWARD, TERM_ENDED, false);
    await submitFinalReport({ ...deps, workflow, outputs }, grantee, AWARD, report);
    await decideCashSpent(deps, AWARD);
    await expect(returnUnspentCash(deps, AWARD)).resolves.toMatchObject({ spentCents: 60_000 });
    await returnUnspentCash(deps, AWARD);
    expect(eventTypes().filter((t) => t === "Closeout Cash Settled")).toHaveLength(1);
    expect(stored().history.filter((h) => h.operationId === `${AWARD}:closeout-cash`)).toHaveLength(1);
  });

  it("closes compliant or not from the compliance evaluation, with the reasons, once", async () => {
    await beginCloseout(deps, AWARD, TERM_ENDED, false);
    await submitFinalReport({ ...deps, workflow, outputs }, grantee, AWARD, report);
    await decideCashSpent(deps, AWARD);
    const compliance = complianceOf(
      met("paper"),
      unmet("repository", "no verified repository by 2027-06-01"),
    );
    expect(await closeAward({ ...deps, compliance }, AWARD)).toEqual({ status: "closed_noncompliant" });
    expect(await closeAward({ ...deps, compliance }, AWARD)).toEqual({ status: "closed_noncompliant" });
    const reasons = ["repository: no verified repository by 2027-06-01"];
    expect(stored().closeout?.compliance).toMatchObject({ compliant: false, reasons });
    expect(stored().history.at(-1)?.reason).toBe(`closed out non-compliant: ${reasons[0]}`);
    expect(awards.events.filter((e) => e.detailType === "Award Closed").map((e) => e.detail.data)).toEqual([
      expect.objectContaining({ awardId: AWARD, status: "closed_noncompliant" }),
    ]);
  });

  it("closes compliant when every obligation is met and the report came", async () => {
    await beginCloseout(deps, AWARD, TERM_ENDED, false);
    await submitFinalReport({ ...deps, workflow, outputs }, grantee, AWARD, report);
    await decideCashSpent(deps, AWARD);
    const compliance = complianceOf(met("paper"), met("repository"));
    expect(await closeAward({ ...deps, compliance }, AWARD)).toEqual({ status: "closed" });
  });

  it("closes compliant with an obligation not yet due, and follows it after closing", async () => {
    await beginCloseout(deps, AWARD, TERM_ENDED, false);
    await submitFinalReport({ ...deps, workflow, outputs }, grantee, AWARD, report);
    await decideCashSpent(deps, AWARD);
    const pending = {
      ...unmet("paper", "no verified paper yet; due 2027-11-28"),
      dueAt: "2027-11-28T00:00:00.000Z",
      status: "pending" as const,
    };
    expect(
      await closeAward({ ...deps, compliance: complianceOf(pending, met("repository")) }, AWARD),
    ).toEqual({
      status: "closed",
    });
    expect(stored().closeout?.compliance).toMatchObject({ compliant: true, reasons: [] });
    expect(stored().history.at(-1)?.reason).toBe(
      "closed out: every obligation due is met; paper due 2027-11-28T00:00:00.000Z still pending",
    );

    // The paper's due date passes unmet: the closed award becomes non-compliant, once.
    const overdue = complianceOf(unmet("paper", "no verified paper by 2027-11-28"), met("repository"));
    expect(await reviseClosedCompliance({ ...deps, compliance: overdue }, AWARD)).toEqual({
      status: "closed_noncompliant",
    });
    expect(await reviseClosedCompliance({ ...deps, compliance: overdue }, AWARD)).toEqual({
      status: "closed_noncompliant",
    });
    expect(stored().closeout?.compliance).toMatchObject({
      compliant: false,
      reasons: ["paper: no verified paper by 2027-11-28"],
    });

    // A paper verified late: closed again.
    const late = complianceOf(met("paper"), met("repository"));
    expect(await reviseClosedCompliance({ ...deps, compliance: late }, AWARD)).toEqual({ status: "closed" });
    const revised = awards.events.filter((e) => e.detailType === "Award Compliance Revised");
    expect(revised.map((e) => (e.detail.data as { status: string }).status)).toEqual([
      "closed_noncompliant",
      "closed",
    ]);
  });

  it("never revises an award that is not closed out, nor forgives a missing final report", async () => {
    const compliance = complianceOf(met("paper"), met("repository"));
    expect(await reviseClosedCompliance({ ...deps, compliance }, AWARD)).toEqual({ status: "active" });
    await beginCloseout(deps, AWARD, TERM_ENDED, false);
    await awaitFinalReport({ ...deps, workflow }, AWARD, "token-1");
    later(3_600_000);
    await decideCashSpent(deps, AWARD);
    expect(await closeAward({ ...deps, compliance }, AWARD)).toEqual({ status: "closed_noncompliant" });
    expect(await reviseClosedCompliance({ ...deps, compliance }, AWARD)).toEqual({
      status: "closed_noncompliant",
    });
    expect(awards.events.filter((e) => e.detailType === "Award Compliance Revised")).toEqual([]);
  });

  it("refuses the money steps before the closeout began", async () => {
    await expect(returnUnusedCredits(deps, AWARD, 0)).rejects.toBeInstanceOf(DomainError);
    await expect(decideCashSpent(deps, AWARD)).rejects.toMatchObject({ kind: "conflict" });
    await beginCloseout(deps, AWARD, TERM_ENDED, false);
    await expect(returnUnspentCash(deps, AWARD)).rejects.toMatchObject({
      kind: "conflict",
      message: `Award ${AWARD}: the cash spent is not decided yet`,
    });
  });
});

describe("resuming a failed closeout", () => {
  const staff: Actor = { userId: "sam", role: "staff" } as Actor;
  /** Where each attempt's run stands, as the workflow would report it. */
  let runs: Map<number, CloseoutRun>;
  let starts: Array<{ attempt?: number; reason: string }>;
  const resumeDeps = () => ({
    ...deps,
    workflow: {
      state: async (_awardId: string, attempt: number) => runs.get(attempt) ?? "absent",
      start: async (input: { awardId: string; reason: string; early: boolean; attempt?: number }) => {
        starts.push(input);
        runs.set(input.attempt ?? 1, "running");
      },
    },
  });
  const codeOf = (promise: Promise<unknown>) =>
    promise.then(
      () => "ok",
      (error: DomainError) => error.kind,
    );

  beforeEach(async () => {
    runs = new Map([[1, "running"]]);
    starts = [];
    await beginCloseout(deps, AWARD, TERM_ENDED, false);
  });

  it("starts the next attempt of a failed run once, marks the award, and refuses while it runs", async () => {
    runs.set(1, "failed");
    const resumed = await resumeCloseout(resumeDeps(), staff, AWARD, "the provider fixed the project");
    expect(resumed.closeout?.attempt).toBe(2);
    expect(starts).toEqual([{ awardId: AWARD, reason: TERM_ENDED, early: false, attempt: 2 }]);
    expect(stored().closeout?.attempt).toBe(2);
    expect(stored().status).toBe("closing");
    expect(stored().history.at(-1)).toMatchObject({
      actor: "sam",
      reason: "closeout resumed (attempt 2): the provider fixed the project",
    });
    // Attempt 2 runs: a repeat (a retry, a second staff member) starts nothing more.
    expect(await codeOf(resumeCloseout(resumeDeps(), staff, AWARD, "again"))).toBe("conflict");
    expect(starts).toHaveLength(1);
  });

  it("starts the attempt the award names when its start was lost, without counting another", async () => {
    runs.set(1, "failed");
    await resumeCloseout(resumeDeps(), staff, AWARD, "fixed");
    runs.delete(2); // the start after the award's update never happened
    starts = [];
    const again = await resumeCloseout(resumeDeps(), staff, AWARD, "fixed");
    expect(again.closeout?.attempt).toBe(2);
    expect(starts).toEqual([{ awardId: AWARD, reason: TERM_ENDED, early: false, attempt: 2 }]);
  });

  it("reports a failed run once on the award, with one event, and each attempt's failure apart", async () => {
    await reportCloseoutFailure(deps, AWARD, "Allot.ProvisioningRejected");
    await reportCloseoutFailure(deps, AWARD, "Allot.ProvisioningRejected");
    expect(stored().closeout?.failure).toEqual({ attempt: 1, error: "Allot.ProvisioningRejected", at: T0 });
    expect(eventTypes().filter((t) => t === "Closeout Failed")).toHaveLength(1);
    runs.set(1, "failed");
    await resumeCloseout(resumeDeps(), staff, AWARD, "fixed");
    await reportCloseoutFailure(deps, AWARD, "States.TaskFailed");
    expect(stored().closeout?.failure).toMatchObject({ attempt: 2, error: "States.TaskFailed" });
    expect(
      awards.events
        .filter((e) => e.detailType === "Closeout Failed")
        .map((e) => (e.detail as { eventId: string }).eventId),
    ).toEqual([`${AWARD}:closeout-failed:1`, `${AWARD}:closeout-failed:2`]);
  });

  it("reports nothing for a run that failed before the award was closing", async () => {
    awards.items.set(AWARD, { ...stored(), status: "active", closeout: undefined });
    await reportCloseoutFailure(deps, AWARD, "States.TaskFailed");
    expect(eventTypes()).not.toContain("Closeout Failed");
  });

  it("refuses a running or finished closeout, an award not closing, and anyone but staff", async () => {
    expect(await codeOf(resumeCloseout(resumeDeps(), staff, AWARD, "why"))).toBe("conflict");
    runs.set(1, "succeeded");
    expect(await codeOf(resumeCloseout(resumeDeps(), staff, AWARD, "why"))).toBe("conflict");
    runs.set(1, "failed");
    expect(await codeOf(resumeCloseout(resumeDeps(), grantee, AWARD, "why"))).toBe("forbidden");
    awards.items.set(AWARD, { ...stored(), status: "active", closeout: undefined });
    expect(await codeOf(resumeCloseout(resumeDeps(), staff, AWARD, "why"))).toBe("conflict");
    expect(starts).toEqual([]);
  });
});
