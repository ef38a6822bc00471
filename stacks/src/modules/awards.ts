import { AwardOffered } from "@allot/core/award";
import { patternFor } from "@allot/core/events";
import { awardWorkflow, fn, tableRead, tableReadWrite } from "../links.js";
import { bus } from "../table.js";
import type { Link } from "../topology.js";
import { defaultRetry, type StackModule } from "./module.js";

const provider: Link = { kind: "provider" };

const task = (name: string, description: string, links: Link[] = [tableReadWrite]) =>
  fn(name, `tasks/${name}.ts`, description, links, { timeoutSeconds: 30 });
const http = (name: string, description: string, links: Link[]) =>
  fn(name, `http/awards/${name}.ts`, description, links);

export const awards: StackModule = {
  functions: [
    task("commit-award", "Commits an approved award's budget under the pools and caps, and offers it"),
    task("await-acceptance", "Parks the offer's callback on the award", [
      tableReadWrite,
      awardWorkflow("callback"),
    ]),
    task("lapse-offer", "Releases the budget of an offer not accepted by its deadline"),
    task("request-provisioning", "Asks the compute provider for the project (request_project_create)", [
      tableReadWrite,
      provider,
    ]),
    task("await-provisioned", "Parks the callback the provider's answer completes", [
      tableReadWrite,
      awardWorkflow("callback"),
    ]),
    task("complete-provisioning", "Completes the provider transaction and activates the award", [
      tableReadWrite,
      provider,
    ]),
    task("deprovision-award", "Compensation: removes what the provider created", [tableRead, provider]),
    task("fail-provisioning", "Compensation: releases the budget and marks the award failed"),
    http("accept-offer", "The grantee accepts the award", [tableReadWrite, awardWorkflow("callback")]),
    http("decline-offer", "The grantee declines the award; its budget is released", [
      tableReadWrite,
      awardWorkflow("callback"),
    ]),
    http("get-award", "Read an award: staff, or its grantee", [tableRead]),
    http("list-awards", "Grantees list theirs; staff list a program's", [tableRead]),
    http("top-up-award", "Staff add cash or credits within the caps", [tableReadWrite]),
    http("extend-award", "Staff extend an award's period", [tableReadWrite]),
    http("suspend-award", "Staff suspend an award's cluster access", [tableReadWrite, provider]),
    http("resume-award", "Staff resume a suspended award", [tableReadWrite, provider]),
    http("revoke-award", "Staff revoke an award: what it holds is released, the project removed", [
      tableReadWrite,
      provider,
    ]),
    http("redrive-provisioning", "Staff re-drive a failed provisioning", [
      tableReadWrite,
      awardWorkflow("start"),
    ]),
    http("budget-report", "Staff read a program's pools, partner institutions and awards by state", [
      tableRead,
    ]),
    fn(
      "start-award-workflow",
      "events/start-award-workflow.ts",
      "Starts the award workflow (acceptance, provisioning) of an offered award",
      [awardWorkflow("start")],
    ),
    fn(
      "provider-notification",
      "http/provider-notification.ts",
      "The provider's signed answers (notify_project_create)",
      [tableReadWrite, awardWorkflow("callback"), provider],
    ),
  ],
  routes: [
    { method: "GET", path: "/awards", function: "list-awards", roles: ["staff", "applicant"] },
    { method: "GET", path: "/awards/{awardId}", function: "get-award", roles: ["staff", "applicant"] },
    { method: "POST", path: "/awards/{awardId}/accept", function: "accept-offer", roles: ["applicant"] },
    { method: "POST", path: "/awards/{awardId}/decline", function: "decline-offer", roles: ["applicant"] },
    {
      method: "POST",
      path: "/awards/{awardId}/top-up",
      function: "top-up-award",
      roles: ["staff"],
      idempotencyKey: "required",
    },
    {
      method: "POST",
      path: "/awards/{awardId}/extend",
      function: "extend-award",
      roles: ["staff"],
      idempotencyKey: "required",
    },
    {
      method: "POST",
      path: "/awards/{awardId}/suspend",
      function: "suspend-award",
      roles: ["staff"],
      idempotencyKey: "required",
    },
    {
      method: "POST",
      path: "/awards/{awardId}/resume",
      function: "resume-award",
      roles: ["staff"],
      idempotencyKey: "required",
    },
    {
      method: "POST",
      path: "/awards/{awardId}/revoke",
      function: "revoke-award",
      roles: ["staff"],
      idempotencyKey: "required",
    },
    {
      method: "POST",
      path: "/awards/{awardId}/redrive",
      function: "redrive-provisioning",
      roles: ["staff"],
      idempotencyKey: "required",
    },
    { method: "GET", path: "/programs/{programId}/budget", function: "budget-report", roles: ["staff"] },
    // No bearer token: the provider signs each request with the shared secret, checked by the handler.
    {
      method: "POST",
      path: "/provider/notifications",
      function: "provider-notification",
      roles: [],
      public: true,
    },
  ],
  rules: [
    {
      name: "start-award-on-offer",
      bus: bus.name,
      description: "An offered award starts its award workflow; the review workflow ended with the offer",
      pattern: patternFor(AwardOffered),
      targets: [{ kind: "function", function: "start-award-workflow", retry: defaultRetry }],
    },
  ],
};
