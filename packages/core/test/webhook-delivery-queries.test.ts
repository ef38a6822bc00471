import { describe, expect, it } from "vitest";
import { DomainError } from "../src/errors.js";
import { type ReplayDeps, replaySubscription, type Subscription } from "../src/webhook/index.js";

const subscriptionId = "sub_01jd3q0c5y8w2t6r4p9m7k1h3f";
const now = new Date("2026-12-01T12:00:00.000Z");

const setup = (status: Subscription["status"] = "active") => {
  const started: Array<{ replayName: string; ruleName: string; from: Date; to: Date }> = [];
  const subscription = {
    subscriptionId,
    ownerId: "cli_billing",
    ruleName: `allot-webhook-${subscriptionId}`,
    status,
  };
  const deps = {
    subscriptions: { get: async (id: string) => (id === subscriptionId ? subscription : undefined) },
    deliveries: {},
    replayer: {
      async start(input: (typeof started)[number]) {
        started.push(input);
        return { replayName: input.replayName };
      },
    },
    clock: { now: () => now },
    archiveRetentionDays: 365,
  } as unknown as ReplayDeps;
  return { deps, started };
};
const owner = { userId: "cli_billing", role: "integration" as const };
const range = { from: "2026-11-30T00:00:00Z", to: "2026-12-01T00:00:00Z" };
const code = async (p: Promise<unknown>) => {
  try {
    await p;
    return "ok";
  } catch (error) {
    return error instanceof DomainError ? error.kind : String(error);
  }
};

describe("replaying a subscription's range", () => {
  it("starts one replay to the subscription's rule, named from the operation (≤ 64 chars, AWS's alphabet)", async () => {
    const { deps, started } = setup();
    const first = await replaySubscription(deps, owner, subscriptionId, range, "op-1");
    const again = await replaySubscription(deps, owner, subscriptionId, range, "op-1");
    const other = await replaySubscription(deps, owner, subscriptionId, range, "op-2");
    expect(first).toEqual({ ...again, from: "2026-11-30T00:00:00.000Z", to: "2026-12-01T00:00:00.000Z" });
    expect(other.replayName).not.toBe(first.replayName);
    expect(first.replayName).toMatch(/^[.\-_A-Za-z0-9]{1,64}$/);
    expect(started[0]).toMatchObject({
      ruleName: `allot-webhook-${subscriptionId}`,
      replayName: first.replayName,
    });
  });

  it("refuses a range that is empty, in the future or older than the archive keeps; another owner's is not found", async () => {
    const { deps, started } = setup();
    const run = (r: typeof range, actor: typeof owner = owner) =>
      code(replaySubscription(deps, actor, subscriptionId, r, "op"));
    expect(await run({ from: range.to, to: range.from })).toBe("validation");
    expect(await run({ from: range.from, to: range.from })).toBe("validation");
    expect(await run({ from: range.from, to: "2026-12-01T12:00:01Z" })).toBe("validation");
    expect(await run({ from: "2025-11-30T11:59:59Z", to: range.to })).toBe("validation");
    expect(await run(range, { userId: "cli_other", role: "integration" })).toBe("not_found");
    expect(started).toHaveLength(0);
    expect(await code(replaySubscription(setup("deleted").deps, owner, subscriptionId, range, "op"))).toBe(
      "conflict",
    );
  });
});
