import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { actAs, activeAward, asSent, newOperation, ok, openCall } from "../support/allot.js";
import { type RuntimeProcess, startRuntimeProcess, until } from "../support/runtime.js";

// Consumption in the ledger on the real local stack: usage counted by the stream processor is
// settled into the ledger (on demand, at 100 % by the processor, after a top-up), the provider
// stand-in's project follows the credits, and a revocation releases only what was not consumed.

let runtime: RuntimeProcess;
const PROGRAM = "e2e-consumption";
const CALL = "e2e-consumption-call";
const CREDITS_POOL = 50_000_000;

beforeAll(async () => {
  runtime = await startRuntimeProcess();
  const staff = await actAs(runtime, "sam", "staff");
  await ok(
    staff.POST("/programs", {
      body: {
        programId: PROGRAM,
        name: "Consumption test program",
        pools: { cashCents: 10_000_000, creditsCents: CREDITS_POOL },
        caps: {
          maxGrantCashCents: 5_000_000,
          maxGrantCreditsCents: 20_000_000,
          maxPartnerCreditsCents: 20_000_000,
        },
        cluster: { chips: 1_000 },
        creditRate: { centsPerChipHour: 200 },
      },
    }),
  );
  await openCall(staff, {
    programId: PROGRAM,
    callId: CALL,
    title: "Consumption e2e call",
    reviewerPool: ["rev-ada", "rev-dana"],
  });
}, 180_000);
afterAll(async () => {
  await runtime?.stop();
});

let n = 0;
const compute = (awardId: string, chargeCents: number) => {
  const start = Date.now() - 1_000;
  return {
    type: "compute" as const,
    recordId: `cons-${n++}-${start}`,
    awardId,
    chips: 8,
    startedAt: new Date(start).toISOString(),
    endedAt: new Date(start + 500).toISOString(),
    chargeCents,
  };
};

const staffClient = () => actAs(runtime, "sam", "staff");
const path = (awardId: string) => ({ params: { path: { awardId } } });
const awardOf = async (awardId: string) => ok((await staffClient()).GET("/awards/{awardId}", path(awardId)));
const usageOf = async (awardId: string) =>
  ok((await staffClient()).GET("/awards/{awardId}/usage", path(awardId)));
const ledgerCheck = async () =>
  ok((await staffClient()).GET("/programs/{programId}/ledger", { params: { path: { programId: PROGRAM } } }));
const project = async (awardId: string) =>
  (await fetch(`${runtime.provider}/amie/v1/projects/${awardId}`)).json() as Promise<{ state: string }>;

/** The grantee's notice of this kind about the award, once it is recorded. */
const noticeOf = (kind: string, awardId: string) =>
  until(
    async () => {
      const { items } = await ok((await actAs(runtime, "cora", "applicant")).GET("/notifications"));
      return items.find(
        (n: { kind: string; related?: { awardId?: string } }) =>
          n.kind === kind && n.related?.awardId === awardId,
      );
    },
    `the grantee's ${kind} notice`,
    60_000,
  );

const send = async (records: unknown[]) => {
  const integration = await actAs(runtime, "provider-1", "integration");
  const answer = await ok(integration.POST("/usage", { body: asSent({ records }) }));
  expect(answer.rejected).toEqual([]);
};
const counted = (awardId: string, cents: number) =>
  until(
    async () => ((await usageOf(awardId)).consumedCents === cents ? true : undefined),
    `award ${awardId} to have counted ${cents} cents of usage`,
    60_000,
  );

describe("consumption in the ledger", () => {
  it("settles usage, inactivates at 100 %, reactivates on a top-up, and revokes only the remainder", async () => {
    const { awardId } = await activeAward(runtime, CALL, "cora", 1_000_000);
    const staff = await staffClient();

    // Usage counted, then settled on demand: the ledger consumes it, the pool keeps what it gave.
    await send([compute(awardId, 250_000), compute(awardId, 150_000)]);
    await counted(awardId, 400_000);
    const settled = await ok(staff.POST("/awards/{awardId}/settle", path(awardId)));
    expect(settled.ledger.credits).toEqual({
      committedCents: 1_000_000,
      releasedCents: 0,
      consumedCents: 400_000,
      heldCents: 600_000,
    });
    expect(settled.consumption).toMatchObject({ creditsCents: 400_000, overageCents: 0 });
    const first = await ledgerCheck();
    expect(first.differences).toEqual([]);
    expect(first.pools.find((p) => p.pool === "credits")).toMatchObject({
      committedCents: 1_000_000,
      consumedCents: 400_000,
      availableCents: CREDITS_POOL - 1_000_000,
    });
    // A retried settlement changes nothing.
    expect((await ok(staff.POST("/awards/{awardId}/settle", path(awardId)))).ledger).toEqual(settled.ledger);

    // Past 100 %: the processor settles at once, the project is inactivated, the rest is overage.
    await send([compute(awardId, 700_000)]);
    const inactivated = await until(
      async () => {
        const award = await awardOf(awardId);
        return award.inactivatedAt ? award : undefined;
      },
      "the award's project to be inactivated",
      60_000,
    );
    expect(inactivated.ledger.credits).toMatchObject({ consumedCents: 1_000_000, heldCents: 0 });
    expect(inactivated.consumption).toMatchObject({ creditsCents: 1_000_000, overageCents: 100_000 });
    expect(await usageOf(awardId)).toMatchObject({
      consumedCents: 1_100_000,
      settledCents: 1_000_000,
      overageCents: 100_000,
    });
    await until(
      async () => ((await project(awardId)).state === "inactive" ? true : undefined),
      "the provider's project to be inactive",
      60_000,
    );
    const notice = await noticeOf("project-inactivated", awardId);
    expect(notice.text).toContain("(recorded as overage): $1,000.00");
    expect((await ledgerCheck()).differences).toEqual([]);

    // A top-up beyond the overage: settled into the new credits, the project reactivated.
    await ok(
      staff.POST("/awards/{awardId}/top-up", {
        params: { path: { awardId }, header: newOperation() },
        body: { creditsCents: 300_000, reason: "more compute for the final experiments" },
      }),
    );
    const reactivated = await until(
      async () => {
        const award = await awardOf(awardId);
        return award.inactivatedAt === undefined && award.consumption?.overageCents === 0 ? award : undefined;
      },
      "the award to be reactivated",
      60_000,
    );
    expect(reactivated.ledger.credits).toEqual({
      committedCents: 1_300_000,
      releasedCents: 0,
      consumedCents: 1_100_000,
      heldCents: 200_000,
    });
    await until(
      async () => ((await project(awardId)).state === "complete" ? true : undefined),
      "the provider's project to run again",
      60_000,
    );
    expect((await noticeOf("project-reactivated", awardId)).text).toContain("Credits remaining: $2,000.00");

    // Revocation releases only the unconsumed remainder: committed = consumed + released.
    await send([compute(awardId, 50_000)]);
    await counted(awardId, 1_150_000);
    const revoked = await ok(
      staff.POST("/awards/{awardId}/revoke", {
        params: { path: { awardId }, header: newOperation() },
        body: { reason: "the project ended early" },
      }),
    );
    expect(revoked.status).toBe("revoked");
    expect(revoked.ledger.credits).toEqual({
      committedCents: 1_300_000,
      releasedCents: 150_000,
      consumedCents: 1_150_000,
      heldCents: 0,
    });
    expect(revoked.ledger.cash).toEqual({
      committedCents: 100_000,
      releasedCents: 100_000,
      consumedCents: 0,
      heldCents: 0,
    });
    for (const pool of [revoked.ledger.cash, revoked.ledger.credits])
      expect(pool.committedCents).toBe(pool.consumedCents + pool.releasedCents);
    const last = await ledgerCheck();
    expect(last.differences).toEqual([]);
    expect(last.pools.find((p) => p.pool === "credits")).toMatchObject({
      committedCents: 1_150_000,
      consumedCents: 1_150_000,
      availableCents: CREDITS_POOL - 1_150_000,
    });
    const budget = await ok(
      staff.GET("/programs/{programId}/budget", { params: { path: { programId: PROGRAM } } }),
    );
    expect(budget.pools.find((p) => p.pool === "credits")).toMatchObject({
      grossCommittedCents: 1_300_000,
      releasedCents: 150_000,
      consumedCents: 1_150_000,
      heldCents: 0,
    });
  });

  it("refuses the settle route to anyone but staff", async () => {
    const grantee = await actAs(runtime, "cora", "applicant");
    const { response } = await grantee.POST(
      "/awards/{awardId}/settle",
      path("awd_00000000000000000000000000"),
    );
    expect(response.status).toBe(403);
  });
});
