import { fn, tableRead, tableReadWrite } from "../links.js";
import type { StackModule } from "./module.js";

const everyone = ["staff", "applicant", "reviewer", "integration"] as const;

export const programs: StackModule = {
  functions: [
    fn(
      "create-program",
      "http/programs/create-program.ts",
      "Staff create a program with its pools and caps",
      [tableReadWrite],
    ),
    fn("get-program", "http/programs/get-program.ts", "Read one program", [tableRead]),
    fn("list-programs", "http/programs/list-programs.ts", "Staff list the programs", [tableRead]),
    fn(
      "put-partner-institution",
      "http/programs/put-partner-institution.ts",
      "Staff create or change a program's partner institution (name, aliases, credit cap)",
      [tableReadWrite],
    ),
    fn(
      "list-partner-institutions",
      "http/programs/list-partner-institutions.ts",
      "List a program's partner institutions, so applicants can name theirs by id",
      [tableRead],
    ),
    fn(
      "check-ledger",
      "http/programs/check-ledger.ts",
      "Staff recompute every balance of a program from its ledger entries and see each difference",
      [tableRead],
    ),
    fn("create-call", "http/calls/create-call.ts", "Staff open a call under a program", [tableReadWrite]),
    fn("get-call", "http/calls/get-call.ts", "Read one call; the reviewer pool is shown to staff only", [
      tableRead,
    ]),
    fn("list-calls", "http/calls/list-calls.ts", "List calls, optionally only those open now", [tableRead]),
    fn("add-reviewers", "http/calls/add-reviewers.ts", "Staff add reviewers to a call's pool", [
      tableReadWrite,
    ]),
    fn("put-reviewer", "http/reviewers/put-reviewer.ts", "Staff create or replace a reviewer profile", [
      tableReadWrite,
    ]),
    fn("get-reviewer", "http/reviewers/get-reviewer.ts", "Read a reviewer profile: staff, or the reviewer", [
      tableRead,
    ]),
    fn("list-reviewers", "http/reviewers/list-reviewers.ts", "Staff list reviewer profiles", [tableRead]),
  ],
  routes: [
    { method: "POST", path: "/programs", function: "create-program", roles: ["staff"] },
    { method: "GET", path: "/programs", function: "list-programs", roles: ["staff"] },
    {
      method: "GET",
      path: "/programs/{programId}",
      function: "get-program",
      roles: [...everyone],
      scopes: ["programs:read"],
    },
    { method: "GET", path: "/programs/{programId}/ledger", function: "check-ledger", roles: ["staff"] },
    { method: "POST", path: "/programs/{programId}/calls", function: "create-call", roles: ["staff"] },
    {
      method: "PUT",
      path: "/programs/{programId}/institutions/{institutionId}",
      function: "put-partner-institution",
      roles: ["staff"],
    },
    {
      method: "GET",
      path: "/programs/{programId}/institutions",
      function: "list-partner-institutions",
      roles: [...everyone],
      scopes: ["programs:read"],
    },
    {
      method: "GET",
      path: "/calls",
      function: "list-calls",
      roles: [...everyone],
      scopes: ["programs:read"],
    },
    {
      method: "GET",
      path: "/calls/{callId}",
      function: "get-call",
      roles: [...everyone],
      scopes: ["programs:read"],
    },
    { method: "POST", path: "/calls/{callId}/reviewers", function: "add-reviewers", roles: ["staff"] },
    { method: "PUT", path: "/reviewers/{reviewerId}", function: "put-reviewer", roles: ["staff"] },
    { method: "GET", path: "/reviewers", function: "list-reviewers", roles: ["staff"] },
    // A reviewer may read only their own profile; core enforces that.
    {
      method: "GET",
      path: "/reviewers/{reviewerId}",
      function: "get-reviewer",
      roles: ["staff", "reviewer"],
    },
  ],
  rules: [],
};
