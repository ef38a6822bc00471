import {
  AwardExtended,
  AwardResumed,
  AwardRevoked,
  AwardSuspended,
  BudgetCommitted,
  ChangeDecided,
  ChangeRequested,
  CreditsProvisioned,
} from "@allot/core/award";
import { patternFor } from "@allot/core/events";
import { fn, tableRead, tableReadWrite } from "../links.js";
import { bus } from "../table.js";
import type { Link, RuleSpec } from "../topology.js";
import { defaultRetry, type StackModule } from "./module.js";
import { mailSend } from "./notifications.js";

// Changes during the award: the grantee's requests and staff's decisions over HTTP; what an
// approval (or staff's own top-up or extension) means for the provider's project and for the
// grantee follows from the events, each consumer retried and dead-lettered on its own.

const provider: Link = { kind: "provider" };

const http = (name: string, description: string, links: Link[]) =>
  fn(name, `http/changes/${name}.ts`, description, links);

/** Consumers that take only some of their event's occurrences: the rule filters, not the function. */
const narrowed = (event: Parameters<typeof patternFor>[0], data: Record<string, unknown[]>) => {
  const pattern = patternFor(event);
  return { ...pattern, detail: { ...(pattern.detail as object), data } };
};
const topUps = narrowed(BudgetCommitted, { kind: ["topup"] });
// An approved change's top-up or extension is told by the change's decision, not a second notice.
const staffTopUps = narrowed(BudgetCommitted, { kind: ["topup"], changeId: [{ exists: false }] });
const staffExtensions = narrowed(AwardExtended, { changeId: [{ exists: false }] });

const consumers: Array<[name: string, pattern: Record<string, unknown>, description: string, links: Link[]]> =
  [
    [
      "modify-project-on-top-up",
      topUps,
      "Sets the provider project's allocation after a top-up (modify_project)",
      [tableRead, provider],
    ],
    [
      "modify-project-on-extension",
      patternFor(AwardExtended),
      "Sets the provider project's end after an extension (modify_project)",
      [tableRead, provider],
    ],
    [
      "modify-project-on-provisioned",
      patternFor(CreditsProvisioned),
      "Brings a new project in line with a top-up or extension made while it was being created",
      [tableRead, provider],
    ],
    [
      "notify-change-requested",
      patternFor(ChangeRequested),
      "Tells staff a grantee asks for a change",
      [tableReadWrite, mailSend],
    ],
    [
      "notify-change-decided",
      patternFor(ChangeDecided),
      "Tells the grantee the decision on their change request, with the rationale",
      [tableReadWrite, mailSend],
    ],
    [
      "notify-award-topped-up",
      staffTopUps,
      "Tells the grantee staff topped up their award",
      [tableReadWrite, mailSend],
    ],
    [
      "notify-award-extended",
      staffExtensions,
      "Tells the grantee staff extended their award",
      [tableReadWrite, mailSend],
    ],
    [
      "notify-award-suspended",
      patternFor(AwardSuspended),
      "Tells the grantee their award is suspended",
      [tableReadWrite, mailSend],
    ],
    [
      "notify-award-resumed",
      patternFor(AwardResumed),
      "Tells the grantee their award resumed",
      [tableReadWrite, mailSend],
    ],
    [
      "notify-award-revoked",
      patternFor(AwardRevoked),
      "Tells the grantee their award was revoked",
      [tableReadWrite, mailSend],
    ],
  ];

export const changes: StackModule = {
  functions: [
    http("request-change", "The grantee asks for a supplement, a no-cost extension or an early closeout", [
      tableReadWrite,
    ]),
    http("list-award-changes", "An award's change requests: its grantee or staff", [tableRead]),
    http("list-changes", "Staff list change requests by status, oldest first", [tableRead]),
    http("approve-change", "Staff approve a change request (at most what was asked) with a rationale", [
      tableReadWrite,
    ]),
    http("deny-change", "Staff deny a change request with a rationale", [tableReadWrite]),
    ...consumers.map(([name, , description, links]) => fn(name, `events/${name}.ts`, description, links)),
  ],
  routes: [
    {
      method: "POST",
      path: "/awards/{awardId}/changes",
      function: "request-change",
      // Only the grantee asks; staff change an award directly (top-up, extend) with a reason.
      roles: ["applicant"],
      idempotencyKey: "required",
    },
    {
      method: "GET",
      path: "/awards/{awardId}/changes",
      function: "list-award-changes",
      roles: ["applicant", "staff"],
    },
    { method: "GET", path: "/changes", function: "list-changes", roles: ["staff"] },
    {
      method: "POST",
      path: "/awards/{awardId}/changes/{changeId}/approve",
      function: "approve-change",
      roles: ["staff"],
    },
    {
      method: "POST",
      path: "/awards/{awardId}/changes/{changeId}/deny",
      function: "deny-change",
      roles: ["staff"],
    },
  ],
  rules: consumers.map(
    ([name, pattern, description]): RuleSpec => ({
      name,
      bus: bus.name,
      description,
      pattern,
      targets: [{ kind: "function", function: name, retry: defaultRetry }],
    }),
  ),
};
