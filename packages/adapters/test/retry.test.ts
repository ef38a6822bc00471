import { describe, expect, it } from "vitest";
import { backoffMs, type RetryPolicy, TryAgain, transientReason, withRetries } from "../src/dynamo/retry.js";

// The policy is pure over the shape of the SDK's errors (name, CancellationReasons, $metadata),
// so it is tested on plain objects of that shape.
const awsError = (name: string, extra: Record<string, unknown> = {}) =>
  Object.assign(new Error(name), { name, $metadata: { httpStatusCode: 400 }, ...extra });
const cancelled = (...codes: string[]) =>
  awsError("TransactionCanceledException", { CancellationReasons: codes.map((Code) => ({ Code })) });

const fast: RetryPolicy = { maxAttempts: 4, baseDelayMs: 1, maxDelayMs: 2 };

describe("which DynamoDB failures are transient", () => {
  it.each([
    ["ThrottlingException"],
    ["ProvisionedThroughputExceededException"],
    ["RequestLimitExceeded"],
    ["InternalServerError"],
    ["ServiceUnavailable"],
    ["TransactionConflictException"],
    ["TransactionInProgressException"],
    ["TimeoutError"],
  ])("%s is transient", (name) => {
    expect(transientReason(awsError(name))).toBe(name);
  });

  it("a network reset is transient", () => {
    expect(transientReason(Object.assign(new Error("socket hang up"), { code: "ECONNRESET" }))).toBe(
      "ECONNRESET",
    );
  });

  it("any 5xx is transient (DynamoDB Local's 'This action timed out')", () => {
    expect(transientReason(awsError("UnknownError", { $metadata: { httpStatusCode: 500 } }))).toBe(
      "HTTP 500",
    );
  });

  it("a transaction cancelled by a conflict, throttling or capacity is transient", () => {
    expect(transientReason(cancelled("None", "TransactionConflict"))).toBe("TransactionConflict");
    expect(transientReason(cancelled("ThrottlingError"))).toBe("ThrottlingError");
    expect(transientReason(cancelled("None", "ProvisionedThroughputExceeded"))).toBe(
      "ProvisionedThroughputExceeded",
    );
  });

  it("a failed condition is a verdict, even beside a conflict", () => {
    expect(transientReason(cancelled("ConditionalCheckFailed"))).toBeUndefined();
    expect(transientReason(cancelled("TransactionConflict", "ConditionalCheckFailed"))).toBeUndefined();
    expect(transientReason(awsError("ConditionalCheckFailedException"))).toBeUndefined();
  });

  it("validation and anything else are final", () => {
    expect(transientReason(cancelled("ValidationError"))).toBeUndefined();
    expect(transientReason(awsError("ValidationException"))).toBeUndefined();
    expect(transientReason(new Error("boom"))).toBeUndefined();
    expect(transientReason(undefined)).toBeUndefined();
    expect(transientReason("ThrottlingException")).toBeUndefined();
  });
});

describe("bounded jittered backoff", () => {
  it("is uniform below base × 2^attempt, capped at the policy's largest delay", () => {
    const policy: RetryPolicy = { maxAttempts: 10, baseDelayMs: 10, maxDelayMs: 300 };
    expect(backoffMs(1, policy, () => 0.999_999)).toBeCloseTo(20, 3);
    expect(backoffMs(3, policy, () => 0.5)).toBe(40);
    expect(backoffMs(6, policy, () => 0.999_999)).toBeCloseTo(300, 3);
    expect(backoffMs(1_000, policy, () => 1)).toBe(300);
    expect(backoffMs(2, policy, () => 0)).toBe(0);
  });
});

describe("withRetries", () => {
  it("retries transient failures, telling each retry, until the operation succeeds", async () => {
    const told: Array<[number, string]> = [];
    let calls = 0;
    const result = await withRetries(
      async () => {
        calls++;
        if (calls < 3) throw cancelled("TransactionConflict");
        return "done";
      },
      { ...fast, onRetry: (attempt, reason) => told.push([attempt, reason]) },
    );
    expect(result).toBe("done");
    expect(calls).toBe(3);
    expect(told).toEqual([
      [1, "TransactionConflict"],
      [2, "TransactionConflict"],
    ]);
  });

  it("gives up after maxAttempts with the last AWS error as it is", async () => {
    let calls = 0;
    const error = awsError("ThrottlingException");
    await expect(
      withRetries(async () => {
        calls++;
        throw error;
      }, fast),
    ).rejects.toBe(error);
    expect(calls).toBe(4);
  });

  it("never retries a final failure", async () => {
    let calls = 0;
    const error = cancelled("ConditionalCheckFailed");
    await expect(
      withRetries(async () => {
        calls++;
        throw error;
      }, fast),
    ).rejects.toBe(error);
    expect(calls).toBe(1);
  });

  it("retries when the operation asks (TryAgain), and past the attempts throws what it wrapped", async () => {
    const underlying = cancelled("ConditionalCheckFailed");
    const reasons: string[] = [];
    let calls = 0;
    await expect(
      withRetries(
        async () => {
          calls++;
          throw new TryAgain("balance changed", underlying);
        },
        { ...fast, onRetry: (_, reason) => reasons.push(reason) },
      ),
    ).rejects.toBe(underlying);
    expect(calls).toBe(4);
    expect(reasons).toEqual(["balance changed", "balance changed", "balance changed"]);
  });
});
