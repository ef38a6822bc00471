import { fn, tableRead } from "../links.js";
import type { StackModule } from "./module.js";

// Staff reports, read-only: each answers JSON, or CSV for `format=csv` / `Accept: text/csv`.
export const reports: StackModule = {
  functions: [
    fn(
      "call-funnel-report",
      "http/reports/call-funnel.ts",
      "Staff read a call's proposal funnel: submitted, screened out, reviewed, approved, awarded, declined",
      [tableRead],
    ),
    fn(
      "budget-over-time-report",
      "http/reports/budget-over-time.ts",
      "Staff read a program's budget over time from its ledger: committed, consumed, released per day or month and pool",
      [tableRead],
    ),
    fn(
      "utilization-report",
      "http/reports/utilization.ts",
      "Staff read the program cluster's utilization per day: reserved and used chip-hours against capacity",
      [tableRead],
    ),
    fn(
      "outputs-report",
      "http/reports/outputs.ts",
      "Staff read a program's outputs: papers, repositories, licenses (SPDX) and the compliance rate",
      [tableRead],
    ),
  ],
  rules: [],
  routes: [
    {
      method: "GET",
      path: "/calls/{callId}/reports/funnel",
      function: "call-funnel-report",
      roles: ["staff"],
    },
    {
      method: "GET",
      path: "/programs/{programId}/reports/budget",
      function: "budget-over-time-report",
      roles: ["staff"],
    },
    {
      method: "GET",
      path: "/programs/{programId}/reports/utilization",
      function: "utilization-report",
      roles: ["staff"],
    },
    {
      method: "GET",
      path: "/programs/{programId}/reports/outputs",
      function: "outputs-report",
      roles: ["staff"],
    },
  ],
};
