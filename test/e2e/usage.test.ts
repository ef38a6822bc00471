import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  actAs,
  activeAward as activeAwardOf,
  asSent,
  newOperation,
  ok,
  openCall,
  reply,
} from "../support/allot.js";
import { type RuntimeProcess, startRuntimeProcess, until } from "../support/runtime.js";

// Usage metering on the real local stack: the API stores accepted records, the table's
// stream drives the counting, and the view reads the sharded totals back.

let runtime: RuntimeProcess;
const PROGRAM = "e2e-usage";
const CALL = "e2e-usage-call";

beforeAll(async () => {
  runtime = await startRuntimeProcess();
  const staff = await actAs(runtime, "sam", "staff");
  await ok(
    staff.POST("/programs", {
      body: {
        programId: PROGRAM,
        name: "Usage test program",
        pools: { cashCents: 30_000_000, creditsCents: 100_000_000 },
        caps: {
          maxGrantCashCents: 20_000_000,
          maxGrantCreditsCents: 40_000_000,
          maxPartnerCreditsCents: 90_000_000,
        },
        cluster: { chips: 1_000 },
        creditRate: { centsPerChipHour: 200 },
      },
    }),
  );
  await openCall(staff, {
    programId: PROGRAM,
    callId: CALL,
    title: "Usage e2e call",
    reviewerPool: ["rev-ada", "rev-dana"],
  });
}, 120_000);
afterAll(async () => {
  await runtime?.stop();
});

const activeAward = (applicant: string, creditsCents: number) =>
  activeAwardOf(runtime, CALL, applicant, creditsCents);

/** A record of usage that ran just now (awards here became active moments ago). */
const compute = (awardId: string, recordId: string, chargeCents: number, offsetMs = 0) => {
  const start = Date.now() - 1_000 + offsetMs;
  return {
    type: "compute" as const,
    recordId,
    awardId,
    chips: 8,
    startedAt: new Date(start).toISOString(),
    endedAt: new Date(start + 500).toISOString(),
    chargeCents,
  };
};

const shuffle = <T>(xs: T[]) => {
  const a = [...xs];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [a[i], a[j]] = [a[j] as T, a[i] as T];
  }
  return a;
};

type Integration = Awaited<ReturnType<typeof actAs>>;

/**
 * Sends a batch as an integration should: a 503 (the store could not take it all in time) is
 * answered by sending the same batch again. Any other status ends it; a 500 never comes.
 */
const send = async (integration: Integration, records: unknown[]) => {
  const answers: Array<Awaited<ReturnType<typeof reply>>> = [];
  for (;;) {
    const answer = await reply(integration.POST("/usage", { body: asSent({ records }) }));
    answers.push(answer);
    if (answer.status !== 503) return { ...answer, answers };
    expect(answer.body.message).toMatch(/send the same batch again/);
  }
};

const usageOf = async (awardId: string) =>
  ok(
    (await actAs(runtime, "sam", "staff")).GET("/awards/{awardId}/usage", { params: { path: { awardId } } }),
  );
const consumedToBe = (awardId: string, cents: number, timeoutMs = 60_000) =>
  until(
    async () => {
      const view = await usageOf(awardId);
      return view.consumedCents === cents ? view : undefined;
    },
    `award ${awardId} to have consumed ${cents}`,
    timeoutMs,
  );

describe("usage", () => {
  it("counts duplicates and reordered records once, from concurrent senders", async () => {
    const { awardId, me } = await activeAward("uma", 30_000_000);
    const integration = await actAs(runtime, "provider-1", "integration");
    const distinct = Array.from({ length: 300 }, (_, i) => compute(awardId, `uma-${i}`, 1_000 + i, i));
    const expected = distinct.reduce((s, r) => s + r.chargeCents, 0);
    const all = shuffle([...distinct, ...shuffle(distinct).slice(0, 15)]);
    const answers = await Promise.all(
      [all.slice(0, 110), all.slice(110, 220), all.slice(220), all.slice(50, 150)].map((records) =>
        send(integration, records),
      ),
    );
    for (const a of answers) expect(a.status).toBe(202);
    expect(answers.every((a) => a.body.rejected.length === 0)).toBe(true);
    // Counted before the 202s: the balance is exact the moment the last one is answered.
    const view = await usageOf(awardId);
    expect(view.consumedCents).toBe(expected);
    expect(view.byDay.reduce((s: number, d: { records: number }) => s + d.records, 0)).toBe(300);
    expect(view.remainingCents).toBe(30_000_000 - expected);
    expect(view.forecast.burnRateCentsPerDay).toBeGreaterThan(0);
    // Sent once more: still counted once.
    await ok(integration.POST("/usage", { body: { records: distinct.slice(0, 100) } }));
    await new Promise((r) => setTimeout(r, 2_000));
    expect((await usageOf(awardId)).consumedCents).toBe(expected);
    // The grantee reads their own usage; another applicant does not see it.
    expect(
      (await ok(me.GET("/awards/{awardId}/usage", { params: { path: { awardId } } }))).consumedCents,
    ).toBe(expected);
    expect(
      (
        await reply(
          (
            await actAs(runtime, "zed", "applicant")
          ).GET("/awards/{awardId}/usage", { params: { path: { awardId } } }),
        )
      ).status,
    ).toBe(404);
  }, 180_000);

  it("raises each threshold once when one batch crosses several", async () => {
    const { awardId, me } = await activeAward("tom", 1_000_000);
    const integration = await actAs(runtime, "provider-1", "integration");
    // 96 % in one batch: 50, 80 and 95 at once.
    const first = Array.from({ length: 96 }, (_, i) => compute(awardId, `tom-${i}`, 10_000, i));
    await ok(integration.POST("/usage", { body: { records: first } }));
    await consumedToBe(awardId, 960_000);
    // The thresholds are checked right after the counting, in the same processor run.
    const view = await until(async () => {
      const v = await usageOf(awardId);
      return v.thresholdsCrossed.length === 3 ? v : undefined;
    }, "the thresholds of 96 %");
    expect(view.thresholdsCrossed).toEqual([50, 80, 95]);
    expect(view.percentUsed).toBe(96);
    // One notice for the three, not three.
    const notices = await until(async () => {
      const { items } = await ok(me.GET("/notifications"));
      const found = items.filter((n: { kind: string }) => n.kind === "credit-threshold");
      return found.length ? found : undefined;
    }, "the credit-threshold notice");
    await new Promise((r) => setTimeout(r, 1_000));
    const again = (await ok(me.GET("/notifications"))).items.filter(
      (n: { kind: string }) => n.kind === "credit-threshold",
    );
    expect(again).toHaveLength(1);
    expect(notices[0]?.text).toContain("the 50%, 80% and 95% thresholds");
    // A refund, a debit and the rest: 100 % and exhaustion.
    await ok(
      integration.POST("/usage", {
        body: {
          records: [
            {
              type: "adjustment",
              recordId: "tom-refund",
              awardId,
              kind: "refund",
              amountCents: 5_000,
              reason: "node failure",
            },
            {
              type: "adjustment",
              recordId: "tom-debit",
              awardId,
              kind: "debit",
              amountCents: 45_000,
              reason: "storage",
            },
            ...first.slice(0, 10),
          ],
        },
      }),
    );
    const full = await consumedToBe(awardId, 1_000_000);
    expect(full).toMatchObject({ remainingCents: 0, percentUsed: 100 });
    await until(
      async () => ((await usageOf(awardId)).thresholdsCrossed.length === 4 ? true : undefined),
      "the 100 % threshold",
    );
    expect((await usageOf(awardId)).thresholdsCrossed).toEqual([50, 80, 95, 100]);
  }, 180_000);

  it("rejects records for unknown and revoked awards, and malformed ones, with reasons", async () => {
    const { awardId } = await activeAward("rex", 500_000);
    const staff = await actAs(runtime, "sam", "staff");
    await ok(
      staff.POST("/awards/{awardId}/revoke", {
        params: { path: { awardId }, header: newOperation() },
        body: { reason: "misuse of credits" },
      }),
    );
    const integration = await actAs(runtime, "provider-1", "integration");
    const answer = await reply(
      integration.POST("/usage", {
        body: asSent({
          records: [
            compute(`awd_${"0".repeat(26)}`, "rex-1", 100),
            compute(awardId, "rex-2", 100),
            { type: "compute", recordId: "rex-3", awardId, chips: 0 },
          ],
        }),
      }),
    );
    expect(answer.status).toBe(202);
    expect(answer.body.accepted).toBe(0);
    expect(
      answer.body.rejected.map((r: { index: number; recordId: string }) => [r.index, r.recordId]),
    ).toEqual([
      [0, "rex-1"],
      [1, "rex-2"],
      [2, "rex-3"],
    ]);
    expect(answer.body.rejected[0].reasons.join()).toMatch(/unknown/);
    expect(answer.body.rejected[1].reasons.join()).toMatch(/revoked/);
    expect((await reply(integration.POST("/usage", { body: { records: [] } }))).status).toBe(400);
    expect((await reply(integration.POST("/usage", { body: asSent("nonsense") }))).status).toBe(400);
    const tooMany = Array.from({ length: 1_001 }, (_, i) => compute(awardId, `x-${i}`, 1));
    const refused = await reply(integration.POST("/usage", { body: { records: tooMany } }));
    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused.body)).toMatch(/at most 1000 records; split the batch/);
    // Only integrations send usage.
    expect(
      (await reply(staff.POST("/usage", { body: { records: [compute(awardId, "rex-4", 1)] } }))).status,
    ).toBe(403);
  }, 180_000);

  it("refuses a record id reused with other content, never overwriting what was stored", async () => {
    const a = await activeAward("ivy", 5_000_000);
    const b = await activeAward("ian", 5_000_000);
    const integration = await actAs(runtime, "provider-1", "integration");
    const first = compute(a.awardId, "ivy-r-1", 1_234);
    expect(await ok(integration.POST("/usage", { body: { records: [first] } }))).toEqual({
      accepted: 1,
      rejected: [],
    });
    const answer = await ok(
      integration.POST("/usage", {
        body: {
          records: [
            { ...first, awardId: b.awardId },
            { ...first, chargeCents: 9_999 },
            first,
            { ...first, startedAt: first.startedAt.replace("Z", "+00:00") },
          ],
        },
      }),
    );
    expect(answer.accepted).toBe(2);
    expect(answer.rejected.map((r: { index: number }) => r.index)).toEqual([0, 1]);
    expect(answer.rejected[0]?.reasons.join()).toMatch(
      /ivy-r-1 was already received with a different awardId/,
    );
    expect(answer.rejected[1]?.reasons.join()).toMatch(
      /ivy-r-1 was already received with a different chargeCents/,
    );
    await consumedToBe(a.awardId, 1_234);
    await new Promise((r) => setTimeout(r, 2_000));
    expect((await usageOf(a.awardId)).consumedCents).toBe(1_234);
    expect((await usageOf(b.awardId)).consumedCents).toBe(0);
  }, 180_000);

  it("judges each of 1,000 records on its own: bounds and the award's life; a resend gets the same answer", async () => {
    const { awardId } = await activeAward("liv", 5_000_000);
    const integration = await actAs(runtime, "provider-1", "integration");
    const records: Array<Record<string, unknown>> = Array.from({ length: 1_000 }, (_, i) =>
      compute(awardId, `liv-${i}`, 100 + i, i),
    );
    records[3] = { ...records[3], awardId: `awd_${"x".repeat(2_100)}` };
    records[4] = { ...records[4], startedAt: "2020-01-01T00:00:00Z", endedAt: "2020-01-01T01:00:00Z" };
    records[5] = { ...records[5], startedAt: "2057-01-01T00:00:00Z", endedAt: "2057-01-01T01:00:00Z" };
    records[6] = { ...records[6], endedAt: "2020-01-01T00:00:00Z" };
    records[7] = { ...records[7], recordId: "r".repeat(2_100) };
    const refused = [3, 4, 5, 6, 7];
    const expected = records.reduce(
      (s, r, i) => (refused.includes(i) ? s : s + (r.chargeCents as number)),
      0,
    );
    const started = Date.now();
    const answer = await send(integration, records);
    const ms = Date.now() - started;
    expect(answer.status).toBe(202);
    expect(answer.body.accepted).toBe(995);
    expect(answer.body.rejected.map((r: { index: number }) => r.index)).toEqual(refused);
    const reasons = answer.body.rejected.map((r: { reasons: string[] }) => r.reasons.join(" "));
    expect(reasons[0]).toMatch(/awardId: must be a/);
    expect(reasons[1]).toMatch(/before award .* became active/);
    expect(reasons[2]).toMatch(/in the future/);
    expect(reasons[3]).toMatch(/endedAt: must be after startedAt/);
    expect(reasons[4]).toMatch(/recordId: must be at most 128 characters/);
    // The same batch again (a client that timed out): the same answer, nothing counted twice.
    const again = await reply(integration.POST("/usage", { body: asSent({ records }) }));
    expect(again.status).toBe(202);
    expect(again.body).toEqual(answer.body);
    await consumedToBe(awardId, expected, 120_000);
    console.log(
      `1,000 records: 202 after ${ms} ms and ${answer.answers.length} send(s) (${answer.answers.map((a) => a.status).join(", ")})`,
    );
    // A body far beyond any 1,000 valid records is refused whole, with a 4xx.
    const huge = await reply(
      integration.POST("/usage", {
        body: {
          records: [
            {
              type: "adjustment",
              recordId: "liv-huge",
              awardId,
              kind: "debit",
              amountCents: 1,
              reason: "z".repeat(5_000_000),
            },
          ],
        },
      }),
    );
    expect(huge.status).toBe(413);
    expect(huge.body.message).toMatch(/larger than 4 MB/);
    expect((await usageOf(awardId)).consumedCents).toBe(expected);
  }, 240_000);

  it("ends with exact balances after a kill -9 during ingestion", async () => {
    const { awardId } = await activeAward("kim", 40_000_000);
    const integration = await actAs(runtime, "provider-1", "integration");
    const batches = Array.from({ length: 6 }, (_, b) =>
      Array.from({ length: 500 }, (_, i) => compute(awardId, `kim-${b}-${i}`, 100 + ((b * 500 + i) % 97), i)),
    );
    const expected = batches.flat().reduce((s, r) => s + r.chargeCents, 0);
    const sending = batches.map((records) =>
      reply(integration.POST("/usage", { body: { records } })).catch(() => undefined),
    );
    await new Promise((r) => setTimeout(r, 1_500));
    await runtime.kill("SIGKILL");
    await Promise.all(sending);
    await runtime.restart();
    // The sender retries everything it could not be sure of: here, all of it.
    const again = await actAs(runtime, "provider-1", "integration");
    for (const records of shuffle(batches)) {
      // As an integration would: a 5xx (the restarted stack still catching up) is sent again.
      await until(
        async () => {
          const res = await reply(again.POST("/usage", { body: { records } }));
          return res.status === 202 ? res : undefined;
        },
        "the batch to be accepted",
        60_000,
      );
    }
    const view = await consumedToBe(awardId, expected, 120_000);
    expect(view.byDay.reduce((s: number, d: { records: number }) => s + d.records, 0)).toBe(3_000);
    await new Promise((r) => setTimeout(r, 2_000));
    expect((await usageOf(awardId)).consumedCents).toBe(expected);
  }, 300_000);
});
