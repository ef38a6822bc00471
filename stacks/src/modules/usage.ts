import { UsageBatchSource } from "@allot/core/usage";
import { fn, tableRead, tableReadWrite } from "../links.js";
import { bus } from "../table.js";
import { defaultRetry, type StackModule } from "./module.js";

// Usage metering: the API and the bus both feed one ingestion, which validates and stores the
// records; the table's stream (stacks/src/streams.ts, "usage") drives the counting.
export const usage: StackModule = {
  functions: [
    fn(
      "ingest-usage",
      "http/usage/ingest-usage.ts",
      "Integrations send usage batches (up to 1,000 records)",
      [tableReadWrite],
      // Under API Gateway's 30 s integration limit; the handler stops starting writes at 60 % of
      // it and answers 503 "send it again" rather than run into it (lib/usage-budget.ts).
      { timeoutSeconds: 25 },
    ),
    fn("get-award-usage", "http/usage/get-award-usage.ts", "An award's burn-down: totals, by day, forecast", [
      tableRead,
    ]),
    fn(
      "usage-processor",
      "streams/usage-processor.ts",
      "Counts stored usage records exactly once and raises the credit thresholds",
      [tableReadWrite],
      { timeoutSeconds: 60 },
    ),
    fn(
      "ingest-usage-batch",
      "events/ingest-usage-batch.ts",
      "Usage batches from the bus, through the same ingestion",
      [tableReadWrite],
      { timeoutSeconds: 30 },
    ),
  ],
  routes: [
    {
      method: "POST",
      path: "/usage",
      function: "ingest-usage",
      roles: ["integration"],
      scopes: ["usage:write"],
    },
    {
      method: "GET",
      path: "/awards/{awardId}/usage",
      function: "get-award-usage",
      roles: ["staff", "applicant"],
    },
  ],
  rules: [
    {
      name: "ingest-usage-batch",
      bus: bus.name,
      description: "Usage batches integrations put on the bus",
      pattern: { source: [UsageBatchSource.source], "detail-type": [UsageBatchSource.detailType] },
      targets: [{ kind: "function", function: "ingest-usage-batch", retry: defaultRetry }],
    },
  ],
};
