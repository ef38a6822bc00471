import { choice, definition, equals, invoke, pass, succeed, waitUntil } from "../asl/states.js";

const ids = { awardId: "$.awardId", obligation: "$.obligation" };

export const obligationTimer = definition(
  "The timer of one obligation of one award (paper or repository), from activation: plan the next step (a reminder ahead of the due date while unmet, then the due date), wait for it durably, act, plan again. Each step re-reads the award, so an extension that moved the due date drops the stale step and the next plan waits for the new date. Named by award and obligation.",
  "Plan",
  {
    Plan: invoke("plan-obligation", {
      payload: { ...ids, after: "$.after" },
      select: ["step", "at"],
      resultPath: "$.plan",
      next: "WhatNext",
    }),
    WhatNext: choice(
      [equals("$.plan.step", "remind", "UntilReminder"), equals("$.plan.step", "overdue", "UntilDue")],
      "Done",
    ),
    UntilReminder: waitUntil("$.plan.at", { next: "Remind" }),
    Remind: invoke("remind-obligation", {
      payload: { ...ids, at: "$.plan.at" },
      resultPath: null,
      next: "StepTaken",
    }),
    UntilDue: waitUntil("$.plan.at", { next: "RecordOverdue" }),
    RecordOverdue: invoke("record-obligation-overdue", {
      payload: { ...ids, at: "$.plan.at" },
      resultPath: null,
      next: "StepTaken",
    }),
    StepTaken: pass({ ...ids, after: "$.plan.at" }, { next: "Plan" }),
    Done: succeed(),
  },
);
