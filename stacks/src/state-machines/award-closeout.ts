import { WorkflowErrors } from "@allot/core";
import { choice, definition, invoke, isTrue, on, succeed, waitForToken, waitUntil } from "../asl/states.js";
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
// again (a retry, a resumed execution after a crash) finds its mark and does nothing twice.
export const awardCloseout = definition(
  "The closeout of one award: closing (no new reservations, the award's reservations cancelled), the program's grace period for late usage, the usage settled into the ledger, the provider's project inactivated, the unused credits returned, the final report awaited (or its deadline), the cash settled and the unspent cash returned, then compliance decides closed or closed_noncompliant. Started with { awardId, reason, early } by the term timer or an approved early closeout, and named by the award: one closeout per award.",
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
      next: "UntilGraceEnds",
    }),
    UntilGraceEnds: waitUntil("$.closeout.graceEndsAt", { next: "SettleUsage" }),
    SettleUsage: invoke("settle-closeout-usage", {
      payload: award,
      select: ["consumedCents"],
      resultPath: "$.usage",
      next: "InactivateProject",
    }),
    InactivateProject: invoke("inactivate-closed-project", {
      payload: award,
      retry: [providerRetry],
      resultPath: null,
      next: "ReturnUnusedCredits",
    }),
    ReturnUnusedCredits: invoke("return-unused-credits", {
      payload: { ...award, consumedCents: "$.usage.consumedCents" },
      resultPath: null,
      next: "AwaitFinalReport",
    }),
    AwaitFinalReport: waitForToken("await-final-report", {
      payload: award,
      timeoutSecondsPath: "$.closeout.finalReportSeconds",
      resultPath: null,
      // No report by its deadline: the cash step decides without it.
      catch: [on(WorkflowErrors.timeout, "SettleCash")],
      next: "SettleCash",
    }),
    SettleCash: invoke("settle-closeout-cash", {
      payload: award,
      resultPath: null,
      next: "ReturnUnspentCash",
    }),
    ReturnUnspentCash: invoke("return-unspent-cash", {
      payload: award,
      resultPath: null,
      next: "CloseAward",
    }),
    CloseAward: invoke("close-award", { payload: award, resultPath: null, next: "Closed" }),
    Closed: succeed(),
  },
);
