import { Console } from "node:console";
import { Writable } from "node:stream";
import middy from "@middy/core";
import type { Context } from "aws-lambda";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createLogger, REDACTED } from "../src/lib/logger.js";
import { businessMetric, metricsLine, publishMetrics } from "../src/lib/metrics.js";

// The Logger's redaction of personal fields, and the business metrics' EMF lines.

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

  it("publish one EMF line per invocation in the stage's namespace, also when it fails", async () => {
    vi.stubEnv("POWERTOOLS_METRICS_NAMESPACE", "allot/production");
    vi.stubEnv("POWERTOOLS_SERVICE_NAME", "submit-proposal");
    const written: string[] = [];
    vi.spyOn(process.stdout, "write").mockImplementation((chunk) => {
      written.push(String(chunk));
      return true;
    });
    const handler = middy(async (fail: boolean) => {
      businessMetric("proposalSubmitted");
      businessMetric("usageAccepted", 40);
      businessMetric("usageAccepted", 2);
      businessMetric("usageRejected", 0);
      if (fail) throw new Error("to be retried");
      return "ok";
    }).use(publishMetrics());

    await handler(false, context);
    await expect(handler(true, context)).rejects.toThrow("to be retried");
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
      expect(emf).toMatchObject({
        service: "submit-proposal",
        ProposalsSubmitted: 1,
        UsageRecordsAccepted: 42,
      });
      expect(emf.UsageRecordsRejected).toBeUndefined();
      expect(typeof emf._aws.Timestamp).toBe("number");
    }
  });

  it("write nothing locally, where no namespace is set", async () => {
    vi.stubEnv("POWERTOOLS_METRICS_NAMESPACE", "");
    const write = vi.spyOn(process.stdout, "write").mockImplementation(() => true);
    const handler = middy(async () => businessMetric("awardCommitted")).use(publishMetrics());
    await handler(undefined, context);
    expect(write).not.toHaveBeenCalled();
    expect(metricsLine("any")).toBeUndefined();
  });

  it("refuse a value that is not a count", () => {
    vi.stubEnv("POWERTOOLS_METRICS_NAMESPACE", "allot/production");
    expect(() => businessMetric("usageRejected", -1)).toThrow(RangeError);
    expect(() => businessMetric("usageRejected", Number.NaN)).toThrow(RangeError);
  });
});
