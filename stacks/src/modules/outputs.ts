import { CreditsProvisioned } from "@allot/core/award";
import { patternFor } from "@allot/core/events";
import {
  ComplianceChanged,
  ObligationOverdue,
  OutputRegistered,
  OutputRejected,
  OutputVerified,
} from "@allot/core/output";
import { fn, registries, tableRead, tableReadWrite } from "../links.js";
import { bus } from "../table.js";
import type { Link } from "../topology.js";
import { defaultRetry, type StackModule } from "./module.js";
import { mailSend } from "./notifications.js";

// Outputs and obligations: grantees register papers and repositories, a durable run verifies
// each through the registries (and again daily, and on demand), staff override with a reason,
// and a durable timer per obligation reminds before its due date and records it overdue.
const verificationRuns: Link = {
  kind: "stateMachine",
  stateMachine: "output-verification",
  actions: ["start"],
};
const obligationTimers: Link = { kind: "stateMachine", stateMachine: "obligation-timer", actions: ["start"] };

const http = (name: string, description: string, links: Link[]) =>
  fn(name, `http/outputs/${name}.ts`, description, links);
const task = (name: string, description: string, links: Link[]) =>
  fn(name, `tasks/${name}.ts`, description, links, { timeoutSeconds: 60 });
const consumer = (name: string, description: string, links: Link[]) =>
  fn(name, `events/${name}.ts`, description, links, { timeoutSeconds: 60 });

const notifiers = [
  ["notify-output-verified", OutputVerified, "Tells the grantee an output is verified"],
  ["notify-output-rejected", OutputRejected, "Tells the grantee an output could not be verified, and why"],
  [
    "notify-compliance-changed",
    ComplianceChanged,
    "Tells staff (and the grantee, when lost) that an obligation became met or stopped being met",
  ],
  ["notify-obligation-overdue", ObligationOverdue, "Tells the grantee and staff an obligation is overdue"],
] as const;

export const outputs: StackModule = {
  functions: [
    http("register-output", "The grantee (or staff) registers a paper or a repository on an award", [
      tableReadWrite,
    ]),
    http("list-outputs", "An award's outputs with their checks and overrides: its grantee or staff", [
      tableRead,
    ]),
    http("request-output-verification", "Checks an output again now: its grantee or staff", [
      tableRead,
      verificationRuns,
    ]),
    http("override-output", "Staff accept or reject an output, with a reason on record", [tableReadWrite]),
    http("award-compliance", "An award's obligations, due dates and whether each is met", [tableRead]),
    http("program-compliance", "Staff read every bound award's compliance in a program, and the rate", [
      tableRead,
    ]),
    consumer("start-output-verification", "Verifies each output once registered", [
      tableRead,
      verificationRuns,
    ]),
    consumer("start-obligation-timers", "Starts an active award's obligation timers", [
      tableRead,
      obligationTimers,
    ]),
    ...notifiers.map(([name, , description]) => consumer(name, description, [tableReadWrite, mailSend])),
    task("verify-output", "One attempt to verify an output through the registries or the code host", [
      tableReadWrite,
      registries,
    ]),
    task("plan-obligation", "The next step of an obligation's timer, from the award as it is now", [
      tableRead,
    ]),
    task("remind-obligation", "Reminds the grantee of an obligation still unmet before its due date", [
      tableReadWrite,
      mailSend,
    ]),
    task("record-obligation-overdue", "Records an obligation unmet at its due date, with its event", [
      tableReadWrite,
    ]),
    fn(
      "recheck-outputs",
      "schedules/recheck-outputs.ts",
      "Daily: checks every verified repository and every unresolved output again",
      [tableRead, verificationRuns],
      { timeoutSeconds: 300 },
    ),
  ],
  routes: [
    {
      method: "POST",
      path: "/awards/{awardId}/outputs",
      function: "register-output",
      roles: ["staff", "applicant"],
    },
    {
      method: "GET",
      path: "/awards/{awardId}/outputs",
      function: "list-outputs",
      roles: ["staff", "applicant"],
    },
    {
      method: "POST",
      path: "/awards/{awardId}/outputs/{outputId}/verify",
      function: "request-output-verification",
      roles: ["staff", "applicant"],
    },
    {
      method: "POST",
      path: "/awards/{awardId}/outputs/{outputId}/override",
      function: "override-output",
      roles: ["staff"],
    },
    {
      method: "GET",
      path: "/awards/{awardId}/compliance",
      function: "award-compliance",
      roles: ["staff", "applicant"],
    },
    {
      method: "GET",
      path: "/programs/{programId}/compliance",
      function: "program-compliance",
      roles: ["staff"],
    },
  ],
  rules: [
    {
      name: "start-output-verification",
      bus: bus.name,
      description: "Every registered output is verified",
      pattern: patternFor(OutputRegistered),
      targets: [{ kind: "function", function: "start-output-verification", retry: defaultRetry }],
    },
    {
      name: "start-obligation-timers",
      bus: bus.name,
      description: "An award becomes active: its obligations' timers start",
      pattern: patternFor(CreditsProvisioned),
      targets: [{ kind: "function", function: "start-obligation-timers", retry: defaultRetry }],
    },
    ...notifiers.map(([name, event, description]) => ({
      name,
      bus: bus.name,
      description,
      pattern: patternFor(event),
      targets: [{ kind: "function" as const, function: name, retry: defaultRetry }],
    })),
  ],
  schedules: [
    {
      name: "recheck-outputs",
      description: "Licenses change and repositories vanish: verified outputs are checked again daily",
      expression: "cron(0 4 * * ? *)",
      function: "recheck-outputs",
      retry: { maximumRetryAttempts: 2, maximumEventAgeSeconds: 3_600 },
    },
  ],
};
