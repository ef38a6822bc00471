import type { Award } from "@allot/core/award";
import type { ProgramRecord } from "@allot/core/program";
import {
  cancelReservation,
  grantQueued,
  hoursOf,
  type Reservation,
  type ReservationDeps,
  reserve,
} from "@allot/core/reservation";
import { mainTable } from "@allot/stacks";
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { ensureTable } from "aws-local";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  racingDocumentClient,
  startTestDynamo,
  type TestDynamo,
} from "../../aws-local/test/support/dynamo.js";
import { dynamoReservationRepository } from "../src/index.js";

const table = mainTable.name;
let dynamo: TestDynamo;
let wideClient: DynamoDBClient;
let wide: DynamoDBDocumentClient;

beforeAll(async () => {
  dynamo = await startTestDynamo();
  await ensureTable(dynamo.client, mainTable);
  ({ client: wideClient, doc: wide } = racingDocumentClient(dynamo));
}, 60_000);
afterAll(async () => {
  wideClient?.destroy();
  await dynamo?.stop();
});

const CAPACITY = 200;
const RATE = 5;

const program = (programId: string) =>
  ({
    programId,
    cluster: { chips: CAPACITY },
    creditRate: { centsPerChipHour: RATE },
  }) as ProgramRecord;

const awardOf = (awardId: string, programId: string, creditsCents: number) =>
  ({ awardId, programId, applicantId: `user-${awardId}`, creditsCents, status: "active" }) as Award;

const depsFor = (programId: string, awards: Award[]): ReservationDeps => {
  const byId = new Map(awards.map((a) => [a.awardId, a]));
  return {
    awards: { get: async (id) => byId.get(id) },
    programs: { get: async (id) => (id === programId ? program(programId) : undefined) },
    usage: { totals: async () => ({ consumedCents: 0, byDay: [] }) },
    reservations: dynamoReservationRepository(wide, table),
    clock: { now: () => new Date("2026-12-01T00:00:00Z") },
  };
};

const actorFor = (a: Award) => ({ userId: a.applicantId, role: "applicant" as const });

/** Granted chips per hour, recomputed from the granted reservations themselves. */
const grantedByHour = (list: Reservation[]) => {
  const byHour = new Map<string, number>();
  for (const r of list.filter((x) => x.status === "granted"))
    for (const h of hoursOf(r.startsAt, r.endsAt)) byHour.set(h, (byHour.get(h) ?? 0) + r.chips);
  return byHour;
};

const checkInvariants = async (deps: ReservationDeps, programId: string, awards: Award[]) => {
  const all = (await Promise.all(awards.map((a) => deps.reservations.listByAward(a.awardId)))).flat();
  const byHour = grantedByHour(all);
  for (const [hour, chips] of byHour) expect(chips, `chips granted at ${hour}`).toBeLessThanOrEqual(CAPACITY);
  // The slot counters agree with the reservations, hour by hour.
  const hours = [...byHour.keys()];
  const free = await deps.reservations.freeChips(programId, hours);
  for (const hour of hours) expect(free.get(hour) ?? CAPACITY).toBe(CAPACITY - (byHour.get(hour) ?? 0));
  // And each award's hold is the sum of its granted reservations' holds.
  for (const a of awards) {
    const held = all
      .filter((r) => r.awardId === a.awardId && r.status === "granted")
      .reduce((s, r) => s + r.holdCents, 0);
    expect((await deps.reservations.hold(a.awardId))?.heldCents ?? 0).toBe(held);
  }
  return all;
};

describe("reservations on DynamoDB Local", () => {
  it("never oversubscribes the cluster under many concurrent overlapping requests", async () => {
    const programId = "cluster-race";
    const awards = Array.from({ length: 6 }, (_, i) => awardOf(`awd_race${i}`, programId, 10_000_000));
    const deps = depsFor(programId, awards);
    // 60 requests of 10–40 chips, windows of 1–8 hours starting within a 12-hour span: heavy overlap.
    let seed = 7;
    const rand = (n: number) => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed % n;
    };
    const requests = Array.from({ length: 60 }, (_, i) => {
      const start = rand(12);
      const length = 1 + rand(8);
      const award = awards[i % awards.length] as Award;
      return {
        award,
        body: {
          requestId: `race-${i}`,
          chips: 10 + rand(31),
          startsAt: new Date(Date.UTC(2026, 11, 2, start)).toISOString(),
          endsAt: new Date(Date.UTC(2026, 11, 2, start + length)).toISOString(),
        },
      };
    });
    const answers = await Promise.all(
      requests.map(({ award, body }) => reserve(deps, actorFor(award), award.awardId, body)),
    );
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s === 201).length).toBeGreaterThan(0);
    expect(statuses.filter((s) => s === 202).length).toBeGreaterThan(0);

    let all = await checkInvariants(deps, programId, awards);
    expect(all).toHaveLength(60);
    // Every request that was not granted is waiting in the queue.
    for (const r of all) expect(["granted", "queued"]).toContain(r.status);
    expect((await deps.reservations.queued(programId)).length).toBe(
      all.filter((r) => r.status === "queued").length,
    );

    // Concurrent cancellations free chips; the queue takes them (as the consumer of each
    // cancellation event does, racing), still never past capacity.
    const granted = all.filter((r) => r.status === "granted");
    await Promise.all(
      granted
        .slice(0, 10)
        .map((r) => cancelReservation(deps, { userId: "staff", role: "staff" }, r.awardId, r.reservationId)),
    );
    await Promise.all(granted.slice(0, 10).map(() => grantQueued(deps, programId)));
    all = await checkInvariants(deps, programId, awards);
    expect(all.filter((r) => r.status === "cancelled")).toHaveLength(10);
    expect(
      all.filter(
        (r) => r.status === "granted" && r.history.some((h) => h.reason === "granted from the queue"),
      ).length,
    ).toBeGreaterThan(0);
  }, 240_000);

  it("never holds more than an award's credits under concurrency, and says why", async () => {
    const programId = "cluster-credits";
    // Exactly 5 holds of 10 chips × 2 h × 5 cents = 100 cents each.
    const award = awardOf("awd_credits", programId, 500);
    const deps = depsFor(programId, [award]);
    const results = await Promise.allSettled(
      Array.from({ length: 12 }, (_, i) =>
        reserve(deps, actorFor(award), award.awardId, {
          requestId: `credits-${i}`,
          chips: 10,
          startsAt: new Date(Date.UTC(2026, 11, 3, i)).toISOString(),
          endsAt: new Date(Date.UTC(2026, 11, 3, i + 2)).toISOString(),
        }),
      ),
    );
    const ok = results.filter((r) => r.status === "fulfilled");
    const refused = results.flatMap((r) => (r.status === "rejected" ? [r.reason as Error] : []));
    expect(ok).toHaveLength(5);
    expect(refused).toHaveLength(7);
    for (const e of refused) expect(e.message).toMatch(/^not enough credits: \d+ held, 100 requested/);
    expect(await deps.reservations.hold(award.awardId)).toMatchObject({ heldCents: 500, availableCents: 0 });
    await checkInvariants(deps, programId, [award]);
  }, 120_000);
});
