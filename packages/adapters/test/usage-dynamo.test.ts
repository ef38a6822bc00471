import type { Award } from "@allot/core/award";
import { checkUsage, type StoredUsage, type UsageDeps } from "@allot/core/usage";
import { mainTable } from "@allot/stacks";
import { OUTBOX_PREFIX } from "@allot/stacks/streams";
import { type DynamoDBClient, TransactionCanceledException } from "@aws-sdk/client-dynamodb";
import {
  BatchWriteCommand,
  type DynamoDBDocumentClient,
  ScanCommand,
  TransactWriteCommand,
} from "@aws-sdk/lib-dynamodb";
import { ensureTable } from "aws-local";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  racingDocumentClient,
  startTestDynamo,
  type TestDynamo,
} from "../../aws-local/test/support/dynamo.js";
import {
  awardKeys,
  dynamoAwardRepository,
  dynamoUsageRepository,
  RECORDS_PER_TRANSACTION,
  usageWriteUnits,
} from "../src/index.js";

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

const shuffle = <T>(xs: T[]) => {
  const a = [...xs];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [a[i], a[j]] = [a[j] as T, a[i] as T];
  }
  return a;
};

const record = (awardId: string, i: number, chargeCents: number): StoredUsage => ({
  record: {
    type: "compute",
    recordId: `${awardId}-rec-${i}`,
    awardId,
    chips: 4,
    startedAt: `2026-06-${String(1 + (i % 5)).padStart(2, "0")}T10:00:00Z`,
    endedAt: `2026-06-${String(1 + (i % 5)).padStart(2, "0")}T11:00:00Z`,
    chargeCents,
  },
  receivedAt: "2026-06-10T00:00:00.000Z",
});

const outboxFor = async (awardId: string) => {
  const out = await wide.send(
    new ScanCommand({
      TableName: table,
      FilterExpression: "begins_with(pk, :p) AND contains(detail, :a)",
      ExpressionAttributeValues: { ":p": OUTBOX_PREFIX, ":a": awardId },
      ConsistentRead: true,
    }),
  );
  return (out.Items ?? []).map((i) => {
    const detail = JSON.parse(String(i.detail));
    return `${i.detailType}:${detail.data.threshold ?? ""}`;
  });
};

const depsFor = (credits: Record<string, number>, doc = wide): UsageDeps => {
  const award = (awardId: string) =>
    credits[awardId] === undefined
      ? undefined
      : ({ awardId, programId: "prog", creditsCents: credits[awardId], status: "active" } as Award);
  return {
    awards: {
      get: async (awardId) => award(awardId),
      getMany: async (awardIds) => awardIds.flatMap((id) => award(id) ?? []),
    },
    usage: dynamoUsageRepository(doc, table),
    clock: { now: () => new Date("2026-06-10T12:00:00Z") },
  };
};

describe("the DynamoDB usage repository", () => {
  it("counts 500 records with 5 % duplicates, shuffled, stored concurrently, exactly once", async () => {
    const repo = dynamoUsageRepository(wide, table);
    const distinct = Array.from({ length: 500 }, (_, i) => record("awd_many", i, 100 + ((i * 37) % 900)));
    const expected = distinct.reduce(
      (s, r) => s + (r.record.type === "compute" ? r.record.chargeCents : 0),
      0,
    );
    const dupes = shuffle(distinct).slice(0, 25);
    const all = shuffle([...distinct, ...dupes]);
    // Ten concurrent senders, plus a resend of the first slice racing them.
    const slices = Array.from({ length: 10 }, (_, k) => all.slice(k * 53, (k + 1) * 53));
    const answers = await Promise.all([...slices, slices[0] ?? []].map((s) => repo.store(s)));
    expect(new Set(answers.flatMap((held) => [...held.keys()])).size).toBe(500);
    const totals = await repo.totals("awd_many");
    expect(totals.consumedCents).toBe(expected);
    expect(totals.byDay.map((d) => d.day)).toEqual([
      "2026-06-01",
      "2026-06-02",
      "2026-06-03",
      "2026-06-04",
      "2026-06-05",
    ]);
    expect(totals.byDay.reduce((s, d) => s + d.records, 0)).toBe(500);
    expect(totals.byDay.reduce((s, d) => s + d.chargeCents, 0)).toBe(expected);
    // Everything again: nothing more is counted.
    expect((await repo.store(all)).size).toBe(500);
    expect((await repo.totals("awd_many")).consumedCents).toBe(expected);
  }, 120_000);

  it("retries the rest of a transaction cancelled by a conflict, counting nothing twice", async () => {
    let n = 0;
    const contended = {
      send: (command: unknown) => {
        if (command instanceof TransactWriteCommand && n++ < 3) {
          const items = command.input.TransactItems ?? [];
          return Promise.reject(
            new TransactionCanceledException({
              message: "Transaction cancelled",
              $metadata: {},
              CancellationReasons: items.map((item) => ({
                Code: String(item.Update?.Key?.pk).startsWith("CONSUMPTION#")
                  ? "TransactionConflict"
                  : "None",
              })),
            }),
          );
        }
        return wide.send(command as never);
      },
    } as unknown as DynamoDBDocumentClient;
    const repo = dynamoUsageRepository(contended, table);
    const records = Array.from({ length: 150 }, (_, i) => record("awd_conflict", i, 10));
    expect((await repo.store(records)).size).toBe(150);
    expect(n).toBeGreaterThan(3);
    expect((await repo.totals("awd_conflict")).consumedCents).toBe(1_500);
    expect(await storedRecords("awd_conflict")).toHaveLength(150);
  });

  it("writes what usageWriteUnits prices: per full chunk, its records and three counter items, each under 1 KB", async () => {
    // DynamoDB Local does not report transactional capacity (it counts about 2 units a
    // transaction), so the units are derived from what is written: every item of a transaction
    // costs 2 WCU per started KB.
    const written: Array<Record<string, unknown>> = [];
    const transactions: number[] = [];
    const watched = {
      send: async (command: unknown) => {
        if (command instanceof TransactWriteCommand) {
          const items = command.input.TransactItems ?? [];
          transactions.push(items.length);
          written.push(...items.map((i) => (i.Put?.Item ?? i.Update?.Key ?? {}) as Record<string, unknown>));
        }
        return wide.send(command as never);
      },
    } as unknown as DynamoDBDocumentClient;
    const repo = dynamoUsageRepository(watched, table);
    // One charge day, one usage day (records 10:00–11:00 on the 1st), a program: full chunks.
    const records = Array.from({ length: 5 * RECORDS_PER_TRANSACTION }, (_, i) =>
      record("awd_units", i * 5, 1),
    );
    await repo.store(shuffle(records), { programOf: () => "prog-units" });
    expect(transactions).toEqual([100, 100, 100, 100, 100]);
    for (const item of written) expect(JSON.stringify(item).length).toBeLessThan(1_024);
    const units = written.length * 2;
    expect(units / records.length).toBeCloseTo(usageWriteUnits(RECORDS_PER_TRANSACTION), 9);
    expect(usageWriteUnits(RECORDS_PER_TRANSACTION)).toBeLessThanOrEqual(2.1);
    // A resend of them all writes nothing.
    await repo.store(records, { programOf: () => "prog-units" });
    expect(transactions).toHaveLength(5);
    expect((await repo.totals("awd_units")).consumedCents).toBe(records.length);
  }, 60_000);

  it("packs a shuffled batch spanning 60 charge days by day: as few transactions as if it came in order", async () => {
    let transactions = 0;
    const counted = {
      send: (command: unknown) => {
        if (command instanceof TransactWriteCommand) transactions++;
        return wide.send(command as never);
      },
    } as unknown as DynamoDBDocumentClient;
    const records = Array.from({ length: 300 }, (_, i) => {
      const r = record("awd_days", i, 1);
      const day = `2026-04-${String(1 + (i % 30)).padStart(2, "0")}`;
      const month = i % 60 < 30 ? day : day.replace("-04-", "-05-");
      return {
        ...r,
        record: { ...r.record, startedAt: `${month}T10:00:00Z`, endedAt: `${month}T11:00:00Z` },
      };
    });
    await dynamoUsageRepository(counted, table).store(shuffle(records));
    // 300 records + a TOTAL per transaction + 60 DAY items over all: 4 transactions when each
    // holds consecutive days, 6 or more when each holds a shuffled mix of nearly every day.
    expect(transactions).toBe(4);
    expect((await dynamoUsageRepository(wide, table).totals("awd_days")).byDay).toHaveLength(60);
  });

  it("raises each threshold once, even when one batch crosses several and processors race", async () => {
    const deps = depsFor({ awd_thresholds: 10_000 });
    const repo = dynamoUsageRepository(wide, table);
    // One batch from 0 to 96 %: 50, 80 and 95 at once, by five racing processors.
    const batch = Array.from({ length: 96 }, (_, i) => record("awd_thresholds", i, 100));
    await repo.store(batch);
    await Promise.all(Array.from({ length: 5 }, () => checkUsage(deps, ["awd_thresholds"])));
    expect((await outboxFor("awd_thresholds")).sort()).toEqual([
      "Credit Threshold Crossed:50",
      "Credit Threshold Crossed:80",
      "Credit Threshold Crossed:95",
    ]);
    const rest = Array.from({ length: 10 }, (_, i) => record("awd_thresholds", 96 + i, 100));
    await Promise.all([repo.store(rest), repo.store(rest)]);
    await Promise.all([checkUsage(deps, ["awd_thresholds"]), checkUsage(deps, ["awd_thresholds"])]);
    expect((await outboxFor("awd_thresholds")).sort()).toEqual([
      "Credit Threshold Crossed:100",
      "Credit Threshold Crossed:50",
      "Credit Threshold Crossed:80",
      "Credit Threshold Crossed:95",
      "Credits Exhausted:",
    ]);
    expect((await repo.totals("awd_thresholds")).consumedCents).toBe(10_600);
    expect((await repo.thresholdsRaised("awd_thresholds", [50, 80, 95, 100])).sort((a, b) => a - b)).toEqual([
      50, 80, 95, 100,
    ]);
  }, 60_000);

  it("stores each record id once, never overwriting, and tells every racing sender what it holds", async () => {
    const repo = dynamoUsageRepository(wide, table);
    const records = Array.from({ length: 60 }, (_, i) => record("awd_store", i, 5));
    const heldFor = (held: Map<string, unknown>) => records.map((r) => held.get(r.record.recordId));
    expect(heldFor(await repo.store(records))).toEqual(records.map((r) => r.record));
    // Again, the first half with other charges: what was stored first is what is held.
    const changed = records.slice(0, 30).map((r) => ({ ...r, record: { ...r.record, chargeCents: 7 } }));
    const again = await repo.store([...changed, ...records.slice(30)]);
    expect(heldFor(again)).toEqual(records.map((r) => r.record));
    const stored = await storedRecords("awd_store");
    expect(stored).toHaveLength(60);
    expect(stored.every((r) => r.chargeCents === 5)).toBe(true);
    // Eight senders race with eight different charges for the same 40 ids: one wins each id,
    // and every sender is told the winner.
    const racing = Array.from({ length: 8 }, (_, k) =>
      Array.from({ length: 40 }, (_, i) => record("awd_race", i, 100 + k)),
    );
    const answers = await Promise.all(racing.map((rs) => repo.store(shuffle(rs))));
    const winners = await storedRecords("awd_race");
    expect(winners).toHaveLength(40);
    for (const answer of answers) {
      for (const w of winners) expect(answer.get(w.recordId)).toEqual(w);
    }
  }, 60_000);

  it("starts no write past its deadline, answering for the ids already stored; a later call stores the rest", async () => {
    const repo = dynamoUsageRepository(wide, table);
    const records = Array.from({ length: 50 }, (_, i) => record("awd_until", i, 3));
    await repo.store(records.slice(0, 20));
    const partial = await repo.store(records, { until: Date.now() - 1 });
    expect([...partial.keys()].sort()).toEqual(
      records
        .slice(0, 20)
        .map((r) => r.record.recordId)
        .sort(),
    );
    expect(await storedRecords("awd_until")).toHaveLength(20);
    expect((await repo.store(records)).size).toBe(50);
    expect(await storedRecords("awd_until")).toHaveLength(50);
  });

  it("reads the awards a batch names in a few requests, unknown ids left out", async () => {
    const ids = Array.from({ length: 230 }, (_, i) => `awd_${String(i).padStart(26, "0")}`);
    const stored = ids.slice(0, 205).map(
      (awardId) =>
        ({
          awardId,
          programId: "prog-many",
          applicantId: "ana",
          status: "active",
          creditsCents: 1,
        }) as Award,
    );
    for (let i = 0; i < stored.length; i += 25) {
      await wide.send(
        new BatchWriteCommand({
          RequestItems: {
            [table]: stored.slice(i, i + 25).map((a) => ({
              PutRequest: { Item: { ...awardKeys.key(a.awardId), ...awardKeys.indexes(a), ...a } },
            })),
          },
        }),
      );
    }
    const found = await dynamoAwardRepository(wide, table).getMany([...ids, ...ids.slice(0, 10)]);
    expect(found.map((a) => a.awardId).sort()).toEqual(ids.slice(0, 205));
    expect(found[0]).not.toHaveProperty("pk");
  });

  it("stores 1,000 records, and the same 1,000 again, holding each once", async () => {
    const repo = dynamoUsageRepository(wide, table);
    const records = Array.from({ length: 1_000 }, (_, i) => record("awd_thousand", i, 1));
    expect((await repo.store(records)).size).toBe(1_000);
    expect((await repo.store(shuffle(records))).size).toBe(1_000);
    expect(await storedRecords("awd_thousand")).toHaveLength(1_000);
  }, 60_000);
});

const storedRecords = async (awardId: string) => {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const out = await wide.send(
      new ScanCommand({
        TableName: table,
        FilterExpression: "begins_with(pk, :p) AND sk = :sk AND awardId = :a",
        ExpressionAttributeValues: { ":p": "USAGE#", ":sk": "RECORD", ":a": awardId },
        ConsistentRead: true,
        ExclusiveStartKey: start,
      }),
    );
    items.push(...(out.Items ?? []));
    start = out.LastEvaluatedKey;
  } while (start);
  return items.map((i) => i.record as StoredUsage["record"] & { chargeCents: number });
};
