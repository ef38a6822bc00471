import { fn, tableRead } from "../links.js";
import type { Link } from "../topology.js";
import type { StackModule } from "./module.js";

/** For functions that send notifications: SES on AWS, the outbox folder locally. */
export const mailSend: Link = { kind: "mail" };

export const notifications: StackModule = {
  functions: [
    fn(
      "list-notifications",
      "http/notifications/list-notifications.ts",
      "List notifications: staff read all (or one proposal's), everyone else their own",
      [tableRead],
    ),
  ],
  routes: [
    {
      method: "GET",
      path: "/notifications",
      function: "list-notifications",
      roles: ["staff", "reviewer", "applicant", "integration"],
    },
  ],
  rules: [],
};
