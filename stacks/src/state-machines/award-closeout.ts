import { WorkflowErrors } from "@allot/core";
import {
  choice,
  definition,
  fail,
  invoke,
  isTrue,
  on,
  onAnyError,
  succeed,
  waitForToken,
  waitUntil,
} from "../asl/states.js";
import type { Retrier } from "../asl/types.js";

const award = { awardId: "$.awardId" };

const providerRetry: Retrier = {
  ErrorEquals: [WorkflowErrors.providerUnavailable],
  IntervalSeconds: 2,
  MaxAttempts: 10,
  BackoffRate: 2,
  MaxDelaySeconds: 300,
};

// Every step is a task with one side effect that marks the award's closeout record; a task run
// again (a retry, a resumed execution after a crash) finds its mark and does nothing twice. A
// step that fails for good is reported (the award's closeout shows it, staff are told) and the
// run fails, so staff can resume the closeout once the cause is fixed.
const reported = onAnyError("ReportFailure", "$.error");
export const awardCloseout = definition(
  "The closeout of one award: closing (no new reservations, the award's reservations cancelled), the program's grace period for late usage, the usage settled into the ledger, the provider's project inactivated, the unused credits returned, the final report awaited (or its deadline), the cash settled and the unspent cash returned, then compliance decides closed or closed_noncompliant. Started with { awardId, reason, early } by the term timer or an approved early closeout, and named by the award: one closeout per award; a step that fails for good is reported and fails the run, which staff resume as a new run named by its attempt.",
  "BeginCloseout",
  {
    BeginCloseout: invoke("begin-closeout", {
      payload: { ...award, reason: "$.reason", early: "$.early" },
      select: ["proceed", "graceEndsAt", "finalReportSeconds"],
      resultPath: "$.closeout",
      next: "Closing?",
    }),
    "Closing?": choice([isTrue("$.closeout.proceed", "CancelReservations")], "NotRunning"),
    NotRunning: succeed(),
    CancelReservations: invoke("cancel-closing-reservations", {
      payload: award,
      resultPath: null,
      catch: [reported],
      next: "UntilGraceEnds",
    }),
    UntilGraceEnds: waitUntil("$.closeout.graceEndsAt", { next: "SettleUsage" }),
    SettleUsage: invoke("settle-closeout-usage", {
      payload: award,
      select: ["consumedCents"],
      resultPath: "$.usage",
      catch: [reported],
      next: "InactivateProject",
    }),
    InactivateProject: invoke("inactivate-closed-project", {
      payload: award,
      retry: [providerRetry],
      resultPath: null,
      catch: [reported],
      next: "ReturnUnusedCredits",
    }),
    ReturnUnusedCredits: invoke("return-unused-credits", {
      payload: { ...award, consumedCents: "$.usage.consumedCents" },
      resultPath: null,
      catch: [reported],
      next: "AwaitFinalReport",
    }),
    AwaitFinalReport: waitForToken("await-final-report", {
      payload: award,
      timeoutSecondsPath: "$.closeout.finalReportSeconds",
      resultPath: null,
      // No report by its deadline: the cash step decides without it.
      catch: [on(WorkflowErrors.timeout, "SettleCash"), reported],
      next: "SettleCash",
    }),
    SettleCash: invoke("settle-closeout-cash", {
      payload: award,
      resultPath: null,
      catch: [reported],
      next: "ReturnUnspentCash",
    }),
    ReturnUnspentCash: invoke("return-unspent-cash", {
      payload: award,
      resultPath: null,
      catch: [reported],
      next: "CloseAward",
    }),
    CloseAward: invoke("close-award", {
      payload: award,
      resultPath: null,
      catch: [reported],
      next: "Closed",
    }),
    Closed: succeed(),
    ReportFailure: invoke("report-closeout-failure", {
      payload: { ...award, error: "$.error" },
      resultPath: null,
      next: "CloseoutFailed",
    }),
    CloseoutFailed: fail(
      WorkflowErrors.closeoutFailed,
      "A closeout step failed for good; the award stays closing and staff were notified. Resume with POST /awards/{awardId}/closeout/resume once the cause is fixed.",
    ),
  },
);
