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

// Reservations of the research cluster on the real local stack: granted or queued at once,
// granted from the queue when chips free up, suspended by exhaustion and resumed by a top-up.

let runtime: RuntimeProcess;
const PROGRAM = "e2e-reservations";
const CALL = "e2e-reservations-call";

beforeAll(async () => {
  runtime = await startRuntimeProcess();
  const staff = await actAs(runtime, "sam", "staff");
  await ok(
    staff.POST("/programs", {
      body: {
        programId: PROGRAM,
        name: "Reservations test program",
        pools: { cashCents: 30_000_000, creditsCents: 100_000_000 },
        caps: {
          maxGrantCashCents: 20_000_000,
          maxGrantCreditsCents: 40_000_000,
          maxPartnerCreditsCents: 90_000_000,
        },
        cluster: { chips: 100 },
        creditRate: { centsPerChipHour: 200 },
      },
    }),
  );
  await openCall(staff, {
    programId: PROGRAM,
    callId: CALL,
    title: "Reservations e2e call",
    reviewerPool: ["rev-ada", "rev-dana"],
  });
}, 120_000);
afterAll(async () => {
  await runtime?.stop();
});

/** The award flow of usage.test.ts, up to an active award with credits. */
const activeAward = (applicant: string, creditsCents: number, callId = CALL) =>
  activeAwardOf(runtime, callId, applicant, creditsCents);

const HOUR = 3_600_000;
/** A window of whole hours starting `offset` hours after the next hour tomorrow. */
const window = (offset: number, hours: number) => {
  const start = Math.ceil(Date.now() / HOUR) * HOUR + (24 + offset) * HOUR;
  return { startsAt: new Date(start).toISOString(), endsAt: new Date(start + hours * HOUR).toISOString() };
};

const reservationStatus = async (
  caller: Awaited<ReturnType<typeof actAs>>,
  awardId: string,
  reservationId: string,
) => {
  const { reservations } = await ok(
    caller.GET("/awards/{awardId}/reservations", { params: { path: { awardId } } }),
  );
  return reservations.find((r: { reservationId: string }) => r.reservationId === reservationId)?.status;
};
const statusToBe = (
  caller: Awaited<ReturnType<typeof actAs>>,
  awardId: string,
  reservationId: string,
  status: string,
) =>
  until(
    async () => ((await reservationStatus(caller, awardId, reservationId)) === status ? true : undefined),
    `reservation ${reservationId} to be ${status}`,
    60_000,
  );

describe("reservations", () => {
  it("grants, queues, grants from the queue, suspends on exhaustion and resumes on a top-up", async () => {
    const ann = await activeAward("rana", 1_000_000);
    const bob = await activeAward("rbob", 1_000_000);
    const staff = await actAs(runtime, "sam", "staff");
    const w = window(0, 2);

    const firstBody = { requestId: "rana-1", chips: 80, ...w };
    const first = await reply(
      ann.me.POST("/awards/{awardId}/reservations", {
        params: { path: { awardId: ann.awardId } },
        body: firstBody,
      }),
    );
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ status: "granted", holdCents: 80 * 2 * 200 });
    // A client retry lands on the same reservation; the same requestId with other content is refused.
    const retry = await reply(
      ann.me.POST("/awards/{awardId}/reservations", {
        params: { path: { awardId: ann.awardId } },
        body: firstBody,
      }),
    );
    expect(retry.status).toBe(200);
    expect(retry.body).toEqual(first.body);
    const reused = await reply(
      ann.me.POST("/awards/{awardId}/reservations", {
        params: { path: { awardId: ann.awardId } },
        body: {
          ...firstBody,
          chips: 81,
        },
      }),
    );
    expect(reused.status).toBe(409);
    expect(reused.body.issues).toEqual([expect.objectContaining({ field: "chips" })]);
    const second = await reply(
      bob.me.POST("/awards/{awardId}/reservations", {
        params: { path: { awardId: bob.awardId } },
        body: {
          requestId: "rbob-1",
          chips: 40,
          ...w,
        },
      }),
    );
    expect(second.status).toBe(202);
    expect(second.body.status).toBe("queued");
    const secondRetry = await reply(
      bob.me.POST("/awards/{awardId}/reservations", {
        params: { path: { awardId: bob.awardId } },
        body: {
          requestId: "rbob-1",
          chips: 40,
          ...w,
        },
      }),
    );
    expect(secondRetry.status).toBe(200);
    expect(secondRetry.body).toMatchObject({ reservationId: second.body.reservationId, status: "queued" });
    // Without a requestId the request is invalid.
    const anonymous = await reply(
      bob.me.POST("/awards/{awardId}/reservations", {
        params: { path: { awardId: bob.awardId } },
        body: asSent({ chips: 1, ...w }),
      }),
    );
    expect(anonymous.status).toBe(400);
    expect(anonymous.body.issues).toEqual(
      expect.arrayContaining([expect.objectContaining({ field: "requestId" })]),
    );
    // Not on the hour; more credits than the award has.
    expect(
      (
        await reply(
          bob.me.POST("/awards/{awardId}/reservations", {
            params: { path: { awardId: bob.awardId } },
            body: {
              requestId: "rbob-bad-hour",
              chips: 1,
              startsAt: "2030-01-01T00:30:00Z",
              endsAt: "2030-01-01T02:00:00Z",
            },
          }),
        )
      ).status,
    ).toBe(400);
    const tooMuch = await reply(
      bob.me.POST("/awards/{awardId}/reservations", {
        params: { path: { awardId: bob.awardId } },
        body: {
          requestId: "rbob-too-much",
          chips: 100,
          ...window(10, 72),
        },
      }),
    );
    expect(tooMuch.status).toBe(409);
    expect(tooMuch.body.message).toMatch(/^not enough credits: 0 held, 1440000 requested/);
    // Another grantee does not see or cancel ann's reservations.
    expect(
      (
        await reply(
          bob.me.GET("/awards/{awardId}/reservations", { params: { path: { awardId: ann.awardId } } }),
        )
      ).status,
    ).toBe(404);

    const view = await ok(
      staff.GET("/programs/{programId}/cluster", {
        params: { path: { programId: PROGRAM }, query: { from: w.startsAt, to: w.endsAt } },
      }),
    );
    expect(view.hours.map((h: { reservedChips: number }) => h.reservedChips)).toEqual([80, 80]);

    await ok(
      ann.me.POST("/awards/{awardId}/reservations/{reservationId}/cancel", {
        params: { path: { awardId: ann.awardId, reservationId: first.body.reservationId } },
      }),
    );
    await statusToBe(bob.me, bob.awardId, second.body.reservationId, "granted");
    // Bob waited on a 202: he is told of the grant, once; ann, granted at once, is not.
    const notice = await until(async () => {
      const { items } = await ok(bob.me.GET("/notifications"));
      return items.find((n: { kind: string }) => n.kind === "reservation-granted");
    }, "the reservation-granted notice");
    expect(notice.related).toMatchObject({ awardId: bob.awardId });
    expect(notice.text).toContain(second.body.reservationId);
    expect(notice.text).toContain("Chips: 40");
    expect(notice.text).toContain("Credits held: $160.00");
    expect(notice.text).toMatch(/From: \w+day, .* UTC/);
    const annNotices = (await ok(ann.me.GET("/notifications"))).items;
    expect(annNotices.filter((n: { kind: string }) => n.kind === "reservation-granted")).toEqual([]);

    // Bob's credits run out: his reservation is suspended; a top-up resumes it.
    const integration = await actAs(runtime, "provider-1", "integration");
    await ok(
      integration.POST("/usage", {
        body: {
          records: [
            {
              type: "compute",
              recordId: "rbob-all",
              awardId: bob.awardId,
              chips: 8,
              // Usage counts only within the award's life, which began moments ago.
              startedAt: new Date(Date.now() - 60_000).toISOString(),
              endedAt: new Date().toISOString(),
              chargeCents: 1_000_000,
            },
          ],
        },
      }),
    );
    await statusToBe(bob.me, bob.awardId, second.body.reservationId, "suspended");
    await ok(
      staff.POST("/awards/{awardId}/top-up", {
        params: { path: { awardId: bob.awardId }, header: newOperation() },
        body: { cashCents: 0, creditsCents: 500_000, reason: "more compute" },
      }),
    );
    await statusToBe(bob.me, bob.awardId, second.body.reservationId, "granted");
  }, 300_000);

  it("gives back a granted reservation its award does not use within the grace period", async () => {
    const staff = await actAs(runtime, "sam", "staff");
    await ok(
      staff.POST("/programs", {
        body: {
          programId: "e2e-grace",
          name: "Grace period program",
          pools: { cashCents: 1_000_000, creditsCents: 100_000_000 },
          caps: {
            maxGrantCashCents: 500_000,
            maxGrantCreditsCents: 40_000_000,
            maxPartnerCreditsCents: 90_000_000,
          },
          cluster: { chips: 100 },
          creditRate: { centsPerChipHour: 200 },
          reservationGracePeriod: "PT1S",
        },
      }),
    );
    await openCall(staff, {
      programId: "e2e-grace",
      callId: "e2e-grace-call",
      title: "Grace e2e call",
      reviewerPool: ["rev-ada", "rev-dana"],
    });
    const { awardId, me } = await activeAward("gwen", 10_000_000, "e2e-grace-call");
    // A window that has already started: the grace period runs from the grant.
    const start = Math.floor(Date.now() / HOUR) * HOUR;
    const granted = await ok(
      me.POST("/awards/{awardId}/reservations", {
        params: { path: { awardId } },
        body: {
          requestId: "grace-1",
          chips: 40,
          startsAt: new Date(start).toISOString(),
          endsAt: new Date(start + 2 * HOUR).toISOString(),
        },
      }),
    );
    expect(granted.status).toBe("granted");
    await statusToBe(me, awardId, granted.reservationId, "released");
    const view = await ok(
      staff.GET("/programs/{programId}/cluster", {
        params: {
          path: { programId: "e2e-grace" },
          query: { from: new Date(start).toISOString(), to: new Date(start + 2 * HOUR).toISOString() },
        },
      }),
    );
    expect(view.hours.map((h: { reservedChips: number }) => h.reservedChips)).toEqual([0, 0]);
    const { reservations } = await ok(
      me.GET("/awards/{awardId}/reservations", { params: { path: { awardId } } }),
    );
    expect(reservations[0]?.history.at(-1)?.reason).toBe("not used within the grace period");
  }, 120_000);

  it("answers concurrent cancels at once with a queue waiting, grants the queue afterwards, and answers a repeat with 200", async () => {
    const { awardId, me } = await activeAward("rcancel", 1_000_000);
    const staff = await actAs(runtime, "sam", "staff");
    // One hour far from the other tests: five grants of 20 chips fill the 100-chip cluster, 18 wait.
    const w = window(200, 1);
    const reserve = (i: number) =>
      reply(
        me.POST("/awards/{awardId}/reservations", {
          params: { path: { awardId } },
          body: { requestId: `rcancel-${i}`, chips: 20, ...w },
        }),
      );
    const held = [];
    for (let i = 0; i < 5; i++) held.push(await reserve(i));
    expect(held.map((r) => r.status)).toEqual([201, 201, 201, 201, 201]);
    const waiting = [];
    for (let i = 5; i < 23; i++) waiting.push(await reserve(i));
    expect(new Set(waiting.map((r) => r.status))).toEqual(new Set([202]));

    const cancel = async (reservationId: string) => {
      const started = Date.now();
      const answer = await reply(
        me.POST("/awards/{awardId}/reservations/{reservationId}/cancel", {
          params: { path: { awardId, reservationId } },
        }),
      );
      return { ...answer, ms: Date.now() - started };
    };
    const cancels = await Promise.all(held.map((r) => cancel(r.body.reservationId)));
    console.info(`cancel latency with 18 queued, 5 at once (ms): ${cancels.map((c) => c.ms).join(", ")}`);
    expect(cancels.map((c) => [c.status, c.body.status])).toEqual(Array(5).fill([200, "cancelled"]));

    // The consumer of the cancellations grants what now fits: five of the waiting requests.
    const waitingIds = new Set(waiting.map((r) => r.body.reservationId));
    const grantedFromQueue = await until(async () => {
      const { reservations } = await ok(
        me.GET("/awards/{awardId}/reservations", { params: { path: { awardId } } }),
      );
      const granted = reservations.filter(
        (r: { reservationId: string; status: string }) =>
          waitingIds.has(r.reservationId) && r.status === "granted",
      );
      return granted.length === 5 ? granted : undefined;
    }, "five queued requests granted");
    expect(grantedFromQueue).toHaveLength(5);
    const { reservations } = await ok(
      me.GET("/awards/{awardId}/reservations", { params: { path: { awardId } } }),
    );
    const byStatus = (status: string) =>
      reservations.filter((r: { status: string }) => r.status === status).length;
    expect([byStatus("granted"), byStatus("queued"), byStatus("cancelled")]).toEqual([5, 13, 5]);
    const view = await ok(
      staff.GET("/programs/{programId}/cluster", {
        params: { path: { programId: PROGRAM }, query: { from: w.startsAt, to: w.endsAt } },
      }),
    );
    expect(view.hours.map((h: { reservedChips: number }) => h.reservedChips)).toEqual([100]);

    // A client that retries its cancel learns it worked: 200 with the cancelled reservation.
    const repeats = await Promise.all(held.map((r) => cancel(r.body.reservationId)));
    expect(repeats.map((c) => [c.status, c.body.reservationId, c.body.status])).toEqual(
      held.map((r) => [200, r.body.reservationId, "cancelled"]),
    );
    // Nothing moved: still five granted and 100 chips reserved.
    const reserved = async () =>
      (
        await ok(
          staff.GET("/programs/{programId}/cluster", {
            params: { path: { programId: PROGRAM }, query: { from: w.startsAt, to: w.endsAt } },
          }),
        )
      ).hours.map((h: { reservedChips: number }) => h.reservedChips);
    expect(await reserved()).toEqual([100]);

    // One cancel alone, 13 still waiting: answered before the queue takes the chips back.
    const alone = await cancel(grantedFromQueue[0]?.reservationId ?? "");
    console.info(`cancel latency with 13 queued, alone (ms): ${alone.ms}`);
    expect([alone.status, alone.body.status]).toEqual([200, "cancelled"]);
    await until(
      async () => ((await reserved())[0] === 100 ? true : undefined),
      "the queue to take the freed chips",
    );
  }, 300_000);

  it("never oversubscribes the cluster under many concurrent overlapping requests through the API", async () => {
    // Two grantees race 30 requests of 10–40 chips over overlapping windows of a 100-chip cluster.
    const a = await activeAward("rcon-a", 20_000_000);
    const b = await activeAward("rcon-b", 20_000_000);
    const staff = await actAs(runtime, "sam", "staff");
    const requests = Array.from({ length: 30 }, (_, i) => {
      const who = i % 2 ? a : b;
      const offset = 48 + (i % 5);
      return {
        who,
        body: { requestId: `race-${i}`, chips: 10 + ((i * 7) % 31), ...window(offset, 1 + (i % 4)) },
      };
    });
    const answers = await Promise.all(
      requests.map(({ who, body }) =>
        reply(
          who.me.POST("/awards/{awardId}/reservations", { params: { path: { awardId: who.awardId } }, body }),
        ),
      ),
    );
    expect(
      answers.filter((r) => r.status !== 201 && r.status !== 202).map((r) => [r.status, r.body]),
    ).toEqual([]);
    const granted = answers.filter((r) => r.body.status === "granted");
    expect(granted.length).toBeGreaterThan(0);
    expect(answers.length - granted.length).toBeGreaterThan(0);

    // Recompute each hour's chips from the granted reservations, and compare with the cluster view.
    const hours = new Map<string, number>();
    for (const r of granted) {
      for (let t = Date.parse(r.body.startsAt); t < Date.parse(r.body.endsAt); t += HOUR) {
        const hour = new Date(t).toISOString();
        hours.set(hour, (hours.get(hour) ?? 0) + r.body.chips);
      }
    }
    for (const chips of hours.values()) expect(chips).toBeLessThanOrEqual(100);
    const from = window(48, 1).startsAt;
    const to = window(56, 1).startsAt;
    const view = await ok(
      staff.GET("/programs/{programId}/cluster", {
        params: { path: { programId: PROGRAM }, query: { from: from, to: to } },
      }),
    );
    for (const h of view.hours as Array<{ hour: string; reservedChips: number }>) {
      expect(h.reservedChips).toBe(hours.get(h.hour) ?? 0);
      expect(h.reservedChips).toBeLessThanOrEqual(100);
    }
  }, 150_000);
});
