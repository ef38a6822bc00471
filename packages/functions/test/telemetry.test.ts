import { Console } from "node:console";
import { Writable } from "node:stream";
import middy from "@middy/core";
import type { Context } from "aws-lambda";
import { afterEach, describe, expect, it, vi } from "vitest";
import { LOCAL_TELEMETRY_ENV } from "../../local/src/local-telemetry.js";
import { createLogger, REDACTED } from "../src/lib/logger.js";

// The Logger's redaction of personal fields, and the business metrics' EMF lines (Powertools Metrics).

const capture = () => {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...String(chunk).split("\n").filter(Boolean));
      done();
    },
  });
  return { lines, console: new Console({ stdout: sink, stderr: sink }) };
};

afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

describe("the functions' logger", () => {
  it("redacts known personal fields at any depth and keeps ids, counts and errors' names", () => {
    const logger = createLogger("allot-test");
    const out = capture();
    // Where Powertools writes (its own Console, not the runtime's console.log).
    (logger as unknown as { console: Console }).console = out.console;
    const error = new TypeError("the reviewer's address did not parse");
    logger.info("notification prepared", {
      proposalId: "prp_123",
      recipient: "ada@example.org",
      applicant: {
        applicantId: "usr_1",
        email: "ada@example.org",
        name: "Ada Lovelace",
        institution: "inst_9",
      },
      pi: { fullName: "Ada Lovelace", orcid: "0000-0002-1825-0097" },
      reviewers: [{ reviewerId: "usr_2", reviewerName: "Grace Hopper", Email: "grace@example.org" }],
      count: 3,
      error,
    });
    expect(out.lines).toHaveLength(1);
    const line = out.lines[0] ?? "";
    for (const secret of [
      "ada@example.org",
      "Ada Lovelace",
      "Grace Hopper",
      "grace@example.org",
      "0000-0002",
    ])
      expect(line).not.toContain(secret);
    const logged = JSON.parse(line);
    expect(logged).toMatchObject({
      message: "notification prepared",
      proposalId: "prp_123",
      recipient: REDACTED,
      applicant: { applicantId: "usr_1", email: REDACTED, name: REDACTED, institution: "inst_9" },
      pi: REDACTED,
      reviewers: [{ reviewerId: "usr_2", reviewerName: REDACTED, Email: REDACTED }],
      count: 3,
      error: { name: "TypeError", message: "the reviewer's address did not parse" },
    });
  });
});

describe("business metrics", () => {
  const context = { functionName: "allot-production-submit-proposal" } as Context;
  // Powertools reads its variables when the one Metrics object is built, at the module's load (a
  // Lambda container's init): each test loads the module afresh under its own variables.
  const loadMetrics = async (env: Record<string, string>) => {
    for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
    vi.resetModules();
    return import("../src/lib/metrics.js");
  };
  /** Every line written to stdout or stderr, and every console warning or error, while `work` runs. */
  const output = async (work: () => Promise<unknown>) => {
    const written: string[] = [];
    const record = (chunk: unknown) => {
      written.push(String(chunk));
      return true;
    };
    vi.spyOn(process.stdout, "write").mockImplementation(record);
    vi.spyOn(process.stderr, "write").mockImplementation(record);
    vi.spyOn(console, "warn").mockImplementation((...content) => record(content.join(" ")));
    vi.spyOn(console, "error").mockImplementation((...content) => record(content.join(" ")));
    await work();
    vi.restoreAllMocks();
    return written;
  };
  const onAws = {
    POWERTOOLS_METRICS_DISABLED: "false",
    POWERTOOLS_METRICS_NAMESPACE: "allot/production",
    POWERTOOLS_SERVICE_NAME: "submit-proposal",
  };
  const total = (value: unknown) => [value].flat().reduce((sum: number, n) => sum + Number(n), 0);

  it("publish one EMF line per invocation in the stage's namespace, also when it fails", async () => {
    const { businessMetric, publishMetrics } = await loadMetrics(onAws);
    const handler = middy(async (fail: boolean) => {
      businessMetric("proposalSubmitted");
      businessMetric("usageAccepted", 40);
      businessMetric("usageAccepted", 2);
      businessMetric("usageRejected", 0);
      if (fail) throw new Error("to be retried");
      return "ok";
    }).use(publishMetrics());

    const written = await output(async () => {
      await handler(false, context);
      await expect(handler(true, context)).rejects.toThrow("to be retried");
    });
    expect(written).toHaveLength(2);
    for (const line of written) {
      expect(line.endsWith("\n")).toBe(true);
      const emf = JSON.parse(line);
      expect(emf._aws.CloudWatchMetrics).toEqual([
        {
          Namespace: "allot/production",
          Dimensions: [["service"]],
          Metrics: [
            { Name: "ProposalsSubmitted", Unit: "Count" },
            { Name: "UsageRecordsAccepted", Unit: "Count" },
          ],
        },
      ]);
      expect(emf.service).toBe("submit-proposal");
      expect(total(emf.ProposalsSubmitted)).toBe(1);
      // Two counts of one metric are two values, which CloudWatch adds up.
      expect(total(emf.UsageRecordsAccepted)).toBe(42);
      expect(emf.UsageRecordsRejected).toBeUndefined();
      expect(typeof emf._aws.Timestamp).toBe("number");
    }
  });

  it("write nothing for an invocation that counted nothing, not even Powertools' warning", async () => {
    const { publishMetrics } = await loadMetrics(onAws);
    const handler = middy(async () => "ok").use(publishMetrics());
    expect(await output(() => handler(undefined, context))).toEqual([]);
  });

  it("write nothing locally, where the local runtime turns them off", async () => {
    const { businessMetric, publishMetrics } = await loadMetrics({
      ...LOCAL_TELEMETRY_ENV,
      POWERTOOLS_METRICS_NAMESPACE: "",
    });
    const counting = middy(async () => businessMetric("awardCommitted")).use(publishMetrics());
    const idle = middy(async () => "ok").use(publishMetrics());
    expect(
      await output(async () => {
        await counting(undefined, context);
        await idle(undefined, context);
      }),
    ).toEqual([]);
  });

  it("refuse a value that is not a count", async () => {
    const { businessMetric } = await loadMetrics(onAws);
    expect(() => businessMetric("usageRejected", -1)).toThrow(RangeError);
    expect(() => businessMetric("usageRejected", Number.NaN)).toThrow(RangeError);
  });
});
