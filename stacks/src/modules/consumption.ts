import { BudgetCommitted, ProjectInactivated, ProjectReactivated } from "@allot/core/award";
import { patternFor } from "@allot/core/events";
import { fn, tableReadWrite } from "../links.js";
import { bus } from "../table.js";
import type { Link, RuleSpec } from "../topology.js";
import { defaultRetry, type StackModule } from "./module.js";
import { mailSend } from "./notifications.js";

// Consumption in the ledger: counted usage settles into the award's ledger daily, on demand, on
// a top-up and when it reaches the credits (the usage processor); the award's project follows
// (inactivated at 100 %, reactivated when credits come back), and the grantee is told.

const provider: Link = { kind: "provider" };

const consumers: Array<[string, Parameters<typeof patternFor>[0], string, Link[], Record<string, unknown>?]> =
  [
    [
      "settle-after-top-up",
      BudgetCommitted,
      "Settles an award after a top-up: overage taken into the new credits, the project reactivated",
      [tableReadWrite],
      { kind: ["topup"] },
    ],
    [
      "inactivate-project",
      ProjectInactivated,
      "Tells the provider the award's credits are used up (request_project_inactivate)",
      [tableReadWrite, provider],
    ],
    [
      "reactivate-project",
      ProjectReactivated,
      "Tells the provider the award holds credits again (request_project_reactivate)",
      [tableReadWrite, provider],
    ],
    [
      "notify-project-inactivated",
      ProjectInactivated,
      "Tells the grantee the project is inactivated, its credits used up",
      [tableReadWrite, mailSend],
    ],
    [
      "notify-project-reactivated",
      ProjectReactivated,
      "Tells the grantee the project is active again",
      [tableReadWrite, mailSend],
    ],
  ];

const patternOf = (event: Parameters<typeof patternFor>[0], data?: Record<string, unknown>) => {
  const pattern = patternFor(event);
  return data ? { ...pattern, detail: { ...(pattern.detail as object), data } } : pattern;
};

export const consumption: StackModule = {
  functions: [
    fn(
      "settle-award",
      "http/awards/settle-award.ts",
      "Staff settle an award's consumption into the ledger now",
      [tableReadWrite],
    ),
    fn(
      "settle-consumption",
      "schedules/settle-consumption.ts",
      "Daily: settles every running award's counted usage into the ledger",
      [tableReadWrite],
      { timeoutSeconds: 300 },
    ),
    ...consumers.map(([name, , description, links]) => fn(name, `events/${name}.ts`, description, links)),
  ],
  routes: [{ method: "POST", path: "/awards/{awardId}/settle", function: "settle-award", roles: ["staff"] }],
  rules: consumers.map(
    ([name, event, description, , data]): RuleSpec => ({
      name,
      bus: bus.name,
      description,
      pattern: patternOf(event, data),
      targets: [{ kind: "function", function: name, retry: defaultRetry }],
    }),
  ),
  schedules: [
    {
      name: "settle-consumption",
      description: "Counted usage enters the ledger at least daily, whatever else settles it",
      expression: "cron(0 2 * * ? *)",
      function: "settle-consumption",
      retry: { maximumRetryAttempts: 2, maximumEventAgeSeconds: 3_600 },
    },
  ],
};
