import {
  AwardClosed,
  AwardCloseoutRequested,
  AwardClosing,
  CloseoutFailed,
  CreditsProvisioned,
  FinalReportRequested,
} from "@allot/core/award";
import { patternFor } from "@allot/core/events";
import { ComplianceChanged, ObligationOverdue } from "@allot/core/output";
import { closeoutMachine, fn, tableRead, tableReadWrite, termTimerMachine } from "../links.js";
import { bus } from "../table.js";
import type { Link } from "../topology.js";
import { defaultRetry, type StackModule } from "./module.js";
import { mailSend } from "./notifications.js";

// The end of an award's life: the term timer (one per award, from its activation) and the
// closeout workflow it or an approved early closeout starts; each step a task, each step an event.
const provider: Link = { kind: "provider" };
const task = (name: string, description: string, links: Link[] = [tableReadWrite]) =>
  fn(name, `tasks/${name}.ts`, description, links, { timeoutSeconds: 60 });
const consumer = (name: string, description: string, links: Link[]) =>
  fn(name, `events/${name}.ts`, description, links);

// A closed-out award's status follows its obligations after closing (a paper due months later).
const revisions = [
  [
    "revise-closeout-on-overdue",
    ObligationOverdue,
    "A closed award whose obligation fell overdue becomes closed_noncompliant",
  ],
  [
    "revise-closeout-on-compliance",
    ComplianceChanged,
    "A closed award whose obligations are met again (or lost) is closed or closed_noncompliant",
  ],
] as const;

const notices = [
  ["notify-closeout-started", AwardClosing, "Tells the grantee and staff an award's closeout started"],
  ["notify-final-report-requested", FinalReportRequested, "Asks the grantee for the final report"],
  ["notify-award-closed", AwardClosed, "Tells the grantee and staff an award is closed, and how"],
  ["notify-closeout-failed", CloseoutFailed, "Tells staff a closeout failed and how to resume it"],
] as const;

export const closeout: StackModule = {
  functions: [
    consumer("start-award-term", "Starts the term timer of an award that became active", [
      tableRead,
      termTimerMachine("start"),
    ]),
    consumer("start-award-closeout", "Starts the closeout of an award whose early closeout was approved", [
      closeoutMachine("start"),
    ]),
    task("check-award-term", "At the term's end: wait again after an extension, or start the closeout", [
      tableRead,
      closeoutMachine("start"),
    ]),
    task("begin-closeout", "The award becomes closing, with the program's grace period for late usage"),
    task("cancel-closing-reservations", "Cancels a closing award's queued and granted reservations"),
    task("settle-closeout-usage", "Settles the award's counted usage into the ledger's consumption"),
    task("inactivate-closed-project", "Inactivates the award's project on the compute provider", [
      tableReadWrite,
      provider,
    ]),
    task("return-unused-credits", "Returns the credits the award did not consume to the pool"),
    task("await-final-report", "Parks the final report's callback and asks the grantee for it", [
      tableReadWrite,
      closeoutMachine("callback"),
    ]),
    task("settle-closeout-cash", "Fixes the cash spent (the report's, or all without one) in the ledger"),
    task("return-unspent-cash", "Returns the cash the award did not spend to the pool"),
    task("close-award", "Evaluates compliance and closes the award, closed or closed_noncompliant"),
    task("report-closeout-failure", "Marks a failed closeout run on the award and publishes Closeout Failed"),
    fn(
      "resume-award-closeout",
      "http/awards/resume-closeout.ts",
      "Staff resume an award's closeout whose workflow failed, once its cause is fixed",
      [tableReadWrite, closeoutMachine("start", "read")],
    ),
    fn(
      "submit-final-report",
      "http/awards/submit-final-report.ts",
      "The grantee submits the final report of a closing award",
      [tableReadWrite, closeoutMachine("callback")],
    ),
    ...notices.map(([name, , description]) =>
      fn(name, `events/${name}.ts`, description, [tableReadWrite, mailSend]),
    ),
    ...revisions.map(([name, , description]) => consumer(name, description, [tableReadWrite])),
  ],
  routes: [
    {
      method: "PUT",
      path: "/awards/{awardId}/final-report",
      function: "submit-final-report",
      roles: ["applicant"],
    },
    {
      method: "POST",
      path: "/awards/{awardId}/closeout/resume",
      function: "resume-award-closeout",
      roles: ["staff"],
      idempotencyKey: "required",
    },
  ],
  rules: [
    {
      name: "start-award-term",
      bus: bus.name,
      description: "Every award that becomes active gets its term timer",
      pattern: patternFor(CreditsProvisioned),
      targets: [{ kind: "function", function: "start-award-term", retry: defaultRetry }],
    },
    {
      name: "start-award-closeout",
      bus: bus.name,
      description: "An approved early closeout starts the award's closeout",
      pattern: patternFor(AwardCloseoutRequested),
      targets: [{ kind: "function", function: "start-award-closeout", retry: defaultRetry }],
    },
    ...[...notices, ...revisions].map(([name, event, description]) => ({
      name,
      bus: bus.name,
      description,
      pattern: patternFor(event),
      targets: [{ kind: "function" as const, function: name, retry: defaultRetry }],
    })),
  ],
};
