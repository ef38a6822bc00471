import type { Reservation } from "@allot/core/reservation";
import type { StoredUsage } from "@allot/core/usage";
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
import {
  dynamoReservationRepository,
  dynamoUsageRepository,
  dynamoUtilizationRepository,
} from "../src/index.js";

// The utilization report's two sources, written by the reservation and usage repositories in
// the transactions that cause them, read back through the utilization repository.

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

const compute = (
  awardId: string,
  i: number,
  startedAt: string,
  endedAt: string,
  chips: number,
): StoredUsage => ({
  record: {
    type: "compute",
    recordId: `${awardId}-u-${i}`,
    awardId,
    chips,
    startedAt,
    endedAt,
    chargeCents: 10,
  },
  receivedAt: "2026-06-10T00:00:00.000Z",
});

describe("used chip-seconds per program and day", () => {
  it("adds compute records split over the days they span, exactly once under redelivery and races", async () => {
    const usage = dynamoUsageRepository(wide, table);
    const utilization = dynamoUtilizationRepository(wide, table);
    const records = [
      // 2 h on June 1 and 1.5 h on June 2, 8 chips
      compute("awd_ua", 1, "2026-06-01T22:00:00Z", "2026-06-02T01:30:00Z", 8),
      ...Array.from({ length: 40 }, (_, i) =>
        compute("awd_ua", 10 + i, "2026-06-02T10:00:00Z", "2026-06-02T10:30:00Z", 2),
      ),
      compute("awd_ub", 1, "2026-06-03T00:00:00Z", "2026-06-03T00:00:01Z", 1000),
    ];
    const adjustment: StoredUsage = {
      record: {
        type: "adjustment",
        recordId: "awd_ua-adj",
        awardId: "awd_ua",
        kind: "debit",
        amountCents: 5,
        reason: "fix",
      },
      receivedAt: "2026-06-02T00:00:00.000Z",
    };
    const a = [...records.filter((r) => r.record.awardId === "awd_ua"), adjustment];
    const b = records.filter((r) => r.record.awardId === "awd_ub");
    await Promise.all([
      usage.store(a, { programOf: () => "prog-u" }),
      usage.store(a, { programOf: () => "prog-u" }),
      usage.store(b, { programOf: () => "prog-u" }),
      // Another program's usage stays out.
      usage.store([compute("awd_uc", 1, "2026-06-02T00:00:00Z", "2026-06-02T01:00:00Z", 5)], {
        programOf: () => "prog-other",
      }),
    ]);
    await usage.store(a.slice(0, 3), { programOf: () => "prog-u" });

    const used = await utilization.usedChipSeconds("prog-u", "2026-06-01", "2026-06-03");
    expect(Object.fromEntries(used)).toEqual({
      "2026-06-01": 8 * 7_200,
      "2026-06-02": 8 * 5_400 + 40 * 2 * 1_800,
      "2026-06-03": 1_000,
    });
    const narrowed = await utilization.usedChipSeconds("prog-u", "2026-06-02", "2026-06-02");
    expect([...narrowed.keys()]).toEqual(["2026-06-02"]);
    // The award's own counter is unchanged by it: 42 compute records of 10 cents and the debit.
    expect((await usage.totals("awd_ua")).consumedCents).toBe(41 * 10 + 5);
  });

  it("counts nothing for the program when the award's program is unknown", async () => {
    const usage = dynamoUsageRepository(wide, table);
    await usage.store([compute("awd_ud", 1, "2026-07-01T00:00:00Z", "2026-07-01T01:00:00Z", 3)]);
    expect((await usage.totals("awd_ud")).consumedCents).toBe(10);
  });
});

describe("booked chips per hour", () => {
  const reservation = (id: string, chips: number, startsAt: string, endsAt: string): Reservation => ({
    reservationId: `rsv_${id}`,
    awardId: `awd_${id}`,
    programId: "prog-r",
    applicantId: "user-1",
    chips,
    startsAt,
    endsAt,
    holdCents: 0,
    status: "granted",
    requestedAt: "2026-08-01T00:00:00.000Z",
    grantedAt: "2026-08-01T00:00:00.000Z",
    history: [{ at: "2026-08-01T00:00:00.000Z", status: "granted", actor: "u", reason: "granted" }],
    revision: 1,
  });

  it("keeps the hours that began while granted, gives back the hours a release came before", async () => {
    const reservations = dynamoReservationRepository(wide, table);
    const utilization = dynamoUtilizationRepository(wide, table);
    const r1 = reservation("r1", 10, "2026-08-02T00:00:00.000Z", "2026-08-02T04:00:00.000Z");
    const r2 = reservation("r2", 5, "2026-08-02T02:00:00.000Z", "2026-08-02T03:00:00.000Z");
    for (const r of [r1, r2])
      expect(
        await reservations.grant({
          reservation: r,
          previous: null,
          capacity: 100,
          creditsCents: 0,
          events: [],
        }),
      ).toEqual({
        granted: true,
      });
    // Released (unused) at 02:30: hours 00, 01 and 02 began while it was held; 03 had not.
    const released: Reservation = {
      ...r1,
      status: "released",
      revision: 2,
      history: [
        ...r1.history,
        { at: "2026-08-02T02:30:00.000Z", status: "released", actor: "system", reason: "unused" },
      ],
    };
    await reservations.release(released, "granted", []);
    // Cancelled before it began: none of its hours count.
    const cancelled: Reservation = {
      ...r2,
      status: "cancelled",
      revision: 2,
      history: [
        ...r2.history,
        { at: "2026-08-01T12:00:00.000Z", status: "cancelled", actor: "u", reason: "cancelled" },
      ],
    };
    await reservations.release(cancelled, "granted", []);

    const hours = ["00", "01", "02", "03", "04"].map((h) => `2026-08-02T${h}:00:00.000Z`);
    const booked = await utilization.bookedChips("prog-r", hours);
    expect(Object.fromEntries(booked)).toEqual({
      "2026-08-02T00:00:00.000Z": 10,
      "2026-08-02T01:00:00.000Z": 10,
      "2026-08-02T02:00:00.000Z": 10,
      "2026-08-02T03:00:00.000Z": 0,
    });
    // The cluster's availability is given back whole, as before.
    expect([...(await reservations.freeChips("prog-r", hours)).values()]).toEqual([100, 100, 100, 100]);
  });
});
