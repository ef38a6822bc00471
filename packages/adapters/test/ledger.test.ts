import { Agent } from "node:http";
import { ConcurrentModification, DomainError } from "@allot/core";
import {
  type Award,
  BudgetExhausted,
  checkLedger,
  type LedgerEntry,
  type LedgerKind,
  type Pool,
  runLedgerCheck,
  settleConsumption,
} from "@allot/core/award";
import { createEvent, defineEvent } from "@allot/core/events";
import { mainTable } from "@allot/stacks";
import { OUTBOX_PREFIX } from "@allot/stacks/streams";
import { DynamoDBClient, TransactionCanceledException } from "@aws-sdk/client-dynamodb";
import {
  DynamoDBDocumentClient,
  GetCommand,
  ScanCommand,
  TransactWriteCommand,
  UpdateCommand,
} from "@aws-sdk/lib-dynamodb";
import { ensureTable } from "aws-local";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { startTestDynamo, type TestDynamo } from "../../aws-local/test/support/dynamo.js";
import {
  dynamoAwardRepository,
  dynamoLedgerRepository,
  dynamoProgramRepository,
  dynamoUsageRepository,
} from "../src/index.js";

const table = mainTable.name;
const at = "2026-11-28T10:00:00.000Z";
const Moved = defineEvent("allot.test", "Budget Moved", 1, z.object({ awardId: z.string() }), {
  description: "A test event.",
  example: { awardId: "awd_test" },
});

let dynamo: TestDynamo;
// The racing tests need more sockets than the SDK's default 50, or the HTTP agent would queue
// the approvals and they would no longer race at the table.
let wide: DynamoDBDocumentClient;
let wideClient: DynamoDBClient;
let retries: string[] = [];

const repo = () =>
  dynamoLedgerRepository(wide, table, {
    onRetry: (_attempt, reason) => {
      retries.push(reason);
    },
  });

/**
 * The table as DynamoDB answers under contention: DynamoDB Local runs transactions one at a
 * time and never cancels one for a conflict, so `conflicts(n)` refuses the n-th transaction
 * before it reaches the table, the way the service does when another transaction holds an item.
 */
const contended = (conflicts: (n: number) => boolean) => {
  let n = 0;
  return {
    send: (command: unknown) => {
      if (command instanceof TransactWriteCommand && conflicts(n++)) {
        const items = command.input.TransactItems ?? [];
        return Promise.reject(
          new TransactionCanceledException({
            message: "Transaction cancelled, please refer cancellation reasons for specific reasons",
            $metadata: {},
            CancellationReasons: items.map((item) => ({
              Code: String(item.Update?.Key?.sk).startsWith("POOL#") ? "TransactionConflict" : "None",
            })),
          }),
        );
      }
      return wide.send(command as never);
    },
  } as unknown as DynamoDBDocumentClient;
};

const awardOf = (programId: string, awardId: string, o: Partial<Award> = {}): Award => ({
  awardId,
  proposalId: `prp_${awardId}`,
  programId,
  callId: "call-1",
  applicantId: `app-${awardId}`,
  institution: "Eastlake University",
  strategicPartner: false,
  cashCents: 0,
  creditsCents: 0,
  periodMonths: 12,
  status: "offered",
  offeredAt: at,
  offerExpiresAt: "2026-12-28T10:00:00.000Z",
  history: [{ at, status: "offered", actor: "sam", reason: "approved" }],
  revision: 1,
  ...o,
});

const entry = (
  award: Award,
  pool: Pool,
  kind: LedgerKind,
  amountCents: number,
  tag: string,
  when = at,
): LedgerEntry => ({
  entryId: `${award.awardId}:${tag}:${pool}`,
  programId: award.programId,
  awardId: award.awardId,
  institution: award.institution,
  strategicPartner: award.strategicPartner,
  pool,
  kind,
  amountCents,
  actor: "sam",
  cause: `${kind} of ${award.awardId}`,
  at: when,
});

/** The commit of an approval: the award record, its entries and one event, as the workflow sends it. */
const commitOf = (award: Award, token = `${award.awardId}:commit`) => ({
  requestToken: token,
  entries: [
    ...(award.cashCents ? [entry(award, "cash", "commit", award.cashCents, "commit")] : []),
    ...(award.creditsCents ? [entry(award, "credits", "commit", award.creditsCents, "commit")] : []),
  ],
  award: { item: award as unknown as Record<string, unknown>, expectedRevision: null },
  events: [createEvent(Moved, `${award.awardId}:committed`, at, { awardId: award.awardId })],
});

const scanCount = async (prefix: string) => {
  let count = 0;
  let start: Record<string, unknown> | undefined;
  do {
    const page = await wide.send(
      new ScanCommand({
        TableName: table,
        FilterExpression: "begins_with(pk, :p)",
        ExpressionAttributeValues: { ":p": prefix },
        ExclusiveStartKey: start,
      }),
    );
    count += page.Count ?? 0;
    start = page.LastEvaluatedKey;
  } while (start);
  return count;
};

const errorOf = async (p: Promise<unknown>) => p.then(() => undefined).catch((e: unknown) => e);

beforeAll(async () => {
  dynamo = await startTestDynamo();
  await ensureTable(dynamo.client, mainTable);
  wideClient = new DynamoDBClient({
    ...dynamo.clientConfig,
    requestHandler: { httpAgent: new Agent({ keepAlive: true, maxSockets: 256 }) },
  });
  wide = DynamoDBDocumentClient.from(wideClient, { marshallOptions: { removeUndefinedValues: true } });
});

afterAll(async () => {
  wideClient?.destroy();
  await dynamo?.stop();
});

describe("the budget ledger on DynamoDB Local", () => {
  it("commits, tops up and releases an award with balances, entries and events in step", async () => {
    // Prepare
    const ledger = repo();
    await ledger.openPools("round-trip", { cashCents: 1_000_000, creditsCents: 2_000_000 }, 500_000);
    await ledger.openPools("round-trip", { cashCents: 1_000_000, creditsCents: 2_000_000 }, 500_000);
    const award = awardOf("round-trip", "awd_round", {
      institution: "Northfield  Institute of Technology ",
      strategicPartner: true,
      cashCents: 300_000,
      creditsCents: 200_000,
    });
    // Act: commit
    await ledger.move(commitOf(award));
    // Assess
    expect(await ledger.pools("round-trip")).toEqual([
      {
        programId: "round-trip",
        pool: "cash",
        totalCents: 1_000_000,
        committedCents: 300_000,
        consumedCents: 0,
        availableCents: 700_000,
      },
      {
        programId: "round-trip",
        pool: "credits",
        totalCents: 2_000_000,
        committedCents: 200_000,
        consumedCents: 0,
        availableCents: 1_800_000,
      },
    ]);
    expect(await ledger.partnerBalance("round-trip", "northfield institute of technology")).toEqual({
      heldCents: 200_000,
      capCents: 500_000,
    });
    expect(await ledger.partnerBalance("round-trip", "Eastlake University")).toEqual({
      heldCents: 0,
      capCents: 500_000,
    });
    const stored = await wide.send(
      new GetCommand({ TableName: table, Key: { pk: "AWARD#awd_round", sk: "AWARD" } }),
    );
    expect(stored.Item).toMatchObject({
      awardId: "awd_round",
      revision: 1,
      gsi1pk: "PROGRAM#round-trip#AWARDS",
      gsi1sk: "offered#awd_round",
      gsi2pk: "APPLICANT#app-awd_round",
      gsi2sk: "AWARD#awd_round",
    });
    const outbox = await wide.send(
      new GetCommand({ TableName: table, Key: { pk: `${OUTBOX_PREFIX}awd_round:committed`, sk: "OUTBOX" } }),
    );
    expect(outbox.Item).toMatchObject({ detailType: "Budget Moved" });

    // Act: a top-up of credits, then the release of everything held
    const toppedUp = { ...award, creditsCents: 250_000, revision: 2 };
    await ledger.move({
      requestToken: "awd_round:topup-1",
      entries: [entry(toppedUp, "credits", "topup", 50_000, "topup-1", "2026-11-29T10:00:00.000Z")],
      award: { item: toppedUp as unknown as Record<string, unknown>, expectedRevision: 1 },
      events: [],
    });
    const released = { ...toppedUp, status: "declined" as const, revision: 3 };
    await ledger.move({
      requestToken: "awd_round:declined",
      entries: [
        entry(released, "cash", "release", -300_000, "declined", "2026-11-30T10:00:00.000Z"),
        entry(released, "credits", "release", -250_000, "declined", "2026-11-30T10:00:00.000Z"),
      ],
      award: { item: released as unknown as Record<string, unknown>, expectedRevision: 2 },
      events: [],
    });
    // Assess
    const pools = await ledger.pools("round-trip");
    expect(pools.map((p) => [p.pool, p.committedCents, p.availableCents])).toEqual([
      ["cash", 0, 1_000_000],
      ["credits", 0, 2_000_000],
    ]);
    const entries = await ledger.entriesForAward("awd_round");
    expect(entries.map((e) => [e.kind, e.pool, e.amountCents])).toEqual([
      ["commit", "cash", 300_000],
      ["commit", "credits", 200_000],
      ["topup", "credits", 50_000],
      ["release", "cash", -300_000],
      ["release", "credits", -250_000],
    ]);
    expect(await ledger.entriesForProgram("round-trip")).toEqual(entries);
    const partners = await ledger.partners("round-trip");
    expect(partners).toEqual([
      {
        programId: "round-trip",
        institution: "Northfield  Institute of Technology ",
        institutionKey: "northfield institute of technology",
        capCents: 500_000,
        heldCents: 0,
        remainingCents: 500_000,
      },
    ]);
    expect(checkLedger(entries, pools, partners)).toEqual([]);

    // A stale revision, a release of more than is held, a different opening: refused, nothing moves.
    const stale = await errorOf(
      ledger.move({
        requestToken: "awd_round:stale",
        entries: [entry(released, "cash", "adjustment", 1_000, "stale")],
        award: { item: released as unknown as Record<string, unknown>, expectedRevision: 1 },
        events: [],
      }),
    );
    expect(stale).toBeInstanceOf(DomainError);
    expect((stale as DomainError).kind).toBe("conflict");
    const overRelease = await errorOf(
      ledger.move({
        requestToken: "awd_round:over",
        entries: [entry(released, "cash", "adjustment", -1_000, "over")],
        award: { item: { ...released, revision: 4 }, expectedRevision: 3 },
        events: [],
      }),
    );
    expect((overRelease as DomainError).kind).toBe("conflict");
    const reopened = await errorOf(ledger.openPools("round-trip", { cashCents: 5, creditsCents: 5 }, 5));
    expect((reopened as DomainError).kind).toBe("conflict");
    expect((await runLedgerCheck(ledger, "round-trip")).differences).toEqual([]);
  });

  it("writes a movement once, whether its request token or its entries come twice", async () => {
    // Prepare
    const ledger = repo();
    await ledger.openPools("idempotent", { cashCents: 1_000_000, creditsCents: 1_000_000 }, 1_000_000);
    const award = awardOf("idempotent", "awd_twice", { cashCents: 100_000 });
    const move = commitOf(award);
    // Act: the same call twice, at once and then again; the same entries under another token;
    // the same token with entry ids made anew (a caller that regenerated them)
    await Promise.all([ledger.move(move), ledger.move(move)]);
    await ledger.move(move);
    await ledger.move({ ...move, requestToken: "another-token" });
    await ledger.move({
      ...move,
      entries: move.entries.map((e) => ({ ...e, entryId: `${e.entryId}:regenerated` })),
    });
    // Assess
    expect(await ledger.entriesForAward("awd_twice")).toHaveLength(1);
    const [cash] = await ledger.pools("idempotent");
    expect(cash).toMatchObject({ committedCents: 100_000, availableCents: 900_000 });
    expect((await runLedgerCheck(ledger, "idempotent")).differences).toEqual([]);
  });

  it("commits a refused movement once the budget is there, under the same request token", async () => {
    // Prepare: 100,000 cents, 80,000 held by one award
    const ledger = repo();
    await ledger.openPools("retry-later", { cashCents: 100_000, creditsCents: 0 }, 0);
    const first = awardOf("retry-later", "awd_first", { cashCents: 80_000 });
    await ledger.move(commitOf(first));
    const second = commitOf(awardOf("retry-later", "awd_second", { cashCents: 50_000 }));
    const refused = await errorOf(ledger.move(second));
    const revised = commitOf(awardOf("retry-later", "awd_second", { cashCents: 20_000 }));
    // Act: the revised decision under the same token; a third refused, then sent again as it
    // was once a release made room
    await ledger.move(revised);
    const third = commitOf(awardOf("retry-later", "awd_third", { cashCents: 70_000 }));
    const refusedThird = await errorOf(ledger.move(third));
    const releasedFirst = { ...first, status: "declined" as const, revision: 2 };
    await ledger.move({
      requestToken: "awd_first:declined",
      entries: [entry(releasedFirst, "cash", "release", -80_000, "declined")],
      award: { item: releasedFirst as unknown as Record<string, unknown>, expectedRevision: 1 },
      events: [],
    });
    await ledger.move(third);
    // Assess
    expect(refused).toBeInstanceOf(BudgetExhausted);
    expect((refused as BudgetExhausted).shortfalls).toEqual([
      { kind: "pool", pool: "cash", requestedCents: 50_000, availableCents: 20_000 },
    ]);
    expect((refusedThird as BudgetExhausted).shortfalls).toEqual([
      { kind: "pool", pool: "cash", requestedCents: 70_000, availableCents: 0 },
    ]);
    expect((await ledger.entriesForAward("awd_second")).map((e) => e.amountCents)).toEqual([20_000]);
    const [cash] = await ledger.pools("retry-later");
    expect(cash).toMatchObject({ committedCents: 90_000, availableCents: 10_000 });
    expect((await runLedgerCheck(ledger, "retry-later")).differences).toEqual([]);
  });

  it("refuses a movement that needs more than DynamoDB's 100 items in one transaction", async () => {
    const ledger = repo();
    const award = awardOf("idempotent", "awd_huge");
    const entries = Array.from({ length: 50 }, (_, i) => entry(award, "cash", "commit", 1, `part-${i}`));
    const error = await errorOf(
      ledger.move({
        requestToken: "huge",
        entries,
        award: { item: award as unknown as Record<string, unknown>, expectedRevision: null },
        events: [],
      }),
    );
    expect((error as DomainError).kind).toBe("validation");
    expect((error as Error).message).toMatch(/103 transaction items.*at most 100/);
  });

  it("never over-commits a pool under 200 concurrent approvals, and names every refusal's numbers", async () => {
    // Prepare: 10M cents of cash, 200 approvals of 80,000–150,000 cents (~23M in all)
    const ledger = repo();
    const total = 10_000_000;
    await ledger.openPools("race", { cashCents: total, creditsCents: 0 }, 0);
    const awards = Array.from({ length: 200 }, (_, i) =>
      awardOf("race", `awd_race_${String(i).padStart(3, "0")}`, {
        cashCents: 80_000 + ((i * 7_919) % 70_001),
      }),
    );
    retries = [];
    const started = Date.now();
    // Act: all at once, no bound on concurrency
    const results = await Promise.allSettled(awards.map((a) => ledger.move(commitOf(a))));
    const elapsed = Date.now() - started;
    // Assess
    const committed = awards.filter((_, i) => results[i]?.status === "fulfilled");
    const refused = awards.flatMap((a, i) => {
      const r = results[i];
      return r?.status === "rejected" ? [{ award: a, reason: r.reason as unknown }] : [];
    });
    const committedSum = committed.reduce((s, a) => s + a.cashCents, 0);
    const [cash] = await ledger.pools("race");
    expect(cash).toEqual({
      programId: "race",
      pool: "cash",
      totalCents: total,
      committedCents: committedSum,
      consumedCents: 0,
      availableCents: total - committedSum,
    });
    expect(committedSum).toBeLessThanOrEqual(total);
    expect(cash?.availableCents).toBeGreaterThanOrEqual(0);
    expect(committed.length + refused.length).toBe(200);
    expect(committed.length).toBeGreaterThan(0);
    expect(refused.length).toBeGreaterThan(0);
    for (const { award, reason } of refused) {
      expect(reason).toBeInstanceOf(BudgetExhausted);
      const [shortfall, ...more] = (reason as BudgetExhausted).shortfalls;
      expect(more).toEqual([]);
      expect(shortfall).toMatchObject({ kind: "pool", pool: "cash", requestedCents: award.cashCents });
      expect(shortfall?.availableCents).toBeLessThan(award.cashCents);
      expect(shortfall?.availableCents).toBeGreaterThanOrEqual(0);
      expect((reason as Error).message).toContain(`${award.cashCents} requested`);
    }
    // The pool only shrinks here, so nothing was refused that would fit what is left now.
    expect(Math.min(...refused.map((r) => r.award.cashCents))).toBeGreaterThan(cash?.availableCents ?? 0);
    const entries = await ledger.entriesForProgram("race");
    expect(entries).toHaveLength(committed.length);
    expect(new Set(entries.map((e) => e.awardId))).toEqual(new Set(committed.map((a) => a.awardId)));
    expect(await scanCount("LEDGERENTRY#awd_race_")).toBe(committed.length);
    expect(await scanCount(`${OUTBOX_PREFIX}awd_race_`)).toBe(committed.length);
    expect(await scanCount("AWARD#awd_race_")).toBe(committed.length * 2);
    const check = await runLedgerCheck(ledger, "race");
    expect(check.differences).toEqual([]);
    console.info(
      `200 approvals in ${elapsed} ms: ${committed.length} committed (${committedSum} cents), ${refused.length} refused, ` +
        `${retries.length} retries (${[...new Set(retries)].join(", ") || "none"})`,
    );
  });

  it("keeps a strategic partner's credits within its cap across concurrent awards", async () => {
    // Prepare: a cap of 1M credit cents; 30 awards of 100,000–150,000 to one partner, spelled
    // three ways, racing 10 awards of a non-partner institution on the same pool; one
    // transaction in four is cancelled for a conflict, as the service does under contention
    retries = [];
    const ledger = dynamoLedgerRepository(
      contended((n) => n % 4 === 0),
      table,
      { onRetry: (_attempt, reason) => void retries.push(reason) },
    );
    await ledger.openPools("partners", { cashCents: 0, creditsCents: 100_000_000 }, 1_000_000);
    const spellings = ["Atlantica University", "  atlantica   university", "ATLANTICA UNIVERSITY "];
    const partnerAwards = Array.from({ length: 30 }, (_, i) =>
      awardOf("partners", `awd_partner_${i}`, {
        institution: spellings[i % 3],
        strategicPartner: true,
        creditsCents: 100_000 + ((i * 3_571) % 50_001),
      }),
    );
    const others = Array.from({ length: 10 }, (_, i) =>
      awardOf("partners", `awd_other_${i}`, { institution: "Eastlake University", creditsCents: 200_000 }),
    );
    // Act
    const results = await Promise.allSettled(
      [...partnerAwards, ...others].map((a) => ledger.move(commitOf(a))),
    );
    const tooBig = await errorOf(
      ledger.move(
        commitOf(
          awardOf("partners", "awd_partner_new", {
            institution: "Southgate College",
            strategicPartner: true,
            creditsCents: 1_000_001,
          }),
        ),
      ),
    );
    // Assess
    const held = partnerAwards
      .filter((_, i) => results[i]?.status === "fulfilled")
      .reduce((s, a) => s + a.creditsCents, 0);
    const partner = await ledger.partnerBalance("partners", "atlantica university");
    expect(partner).toEqual({ heldCents: held, capCents: 1_000_000 });
    expect(held).toBeLessThanOrEqual(1_000_000);
    expect(held).toBeGreaterThan(1_000_000 - 150_000);
    expect(results.slice(30).map((r) => r.status)).toEqual(Array(10).fill("fulfilled"));
    partnerAwards.forEach((a, i) => {
      const r = results[i];
      if (r?.status !== "rejected") return;
      expect(r.reason).toBeInstanceOf(BudgetExhausted);
      expect((r.reason as BudgetExhausted).shortfalls).toEqual([
        {
          kind: "partner-cap",
          pool: "credits",
          institution: a.institution,
          requestedCents: a.creditsCents,
          availableCents: expect.any(Number),
        },
      ]);
    });
    expect((tooBig as BudgetExhausted).shortfalls).toEqual([
      {
        kind: "partner-cap",
        pool: "credits",
        institution: "Southgate College",
        requestedCents: 1_000_001,
        availableCents: 1_000_000,
      },
    ]);
    expect(await ledger.partnerBalance("partners", "Southgate College")).toEqual({
      heldCents: 0,
      capCents: 1_000_000,
    });
    expect(await ledger.partners("partners")).toHaveLength(1);
    expect(retries.filter((r) => r === "TransactionConflict").length).toBeGreaterThanOrEqual(10);
    console.info(
      `partner cap: ${held} of 1000000 credit cents held by ${results.slice(0, 30).filter((r) => r.status === "fulfilled").length} of 30 awards, ${retries.length} conflict retries`,
    );
    expect((await runLedgerCheck(ledger, "partners")).differences).toEqual([]);
  });

  it("keeps a partner institution's credits within the cap staff set, keyed on its id however awards spell it", async () => {
    // Prepare: staff give "atlantica" a cap of 1M credit cents (the program's legacy partner cap
    // is larger); 30 awards name it by id under three spellings, racing 10 non-partner awards on
    // the same pool, one transaction in four cancelled for a conflict
    retries = [];
    const ledger = dynamoLedgerRepository(
      contended((n) => n % 4 === 0),
      table,
      { onRetry: (_attempt, reason) => void retries.push(reason) },
    );
    const programs = dynamoProgramRepository(wide, table);
    await ledger.openPools("by-id", { cashCents: 0, creditsCents: 100_000_000 }, 5_000_000);
    const atlantica = {
      programId: "by-id",
      institutionId: "atlantica",
      name: "Universidade Atlântica",
      aliases: ["Atlantica University"],
      creditCapCents: 1_000_000,
      updatedAt: at,
      updatedBy: "sam",
      revision: 1,
    };
    await programs.putInstitution(atlantica, null, []);
    const spellings = ["Universidade Atlântica", "Atlantica University", "U. Atlântica"];
    const partnerAwards = Array.from({ length: 30 }, (_, i) =>
      awardOf("by-id", `awd_byid_${i}`, {
        institution: spellings[i % 3] as string,
        institutionId: "atlantica",
        strategicPartner: true,
        creditsCents: 100_000 + ((i * 3_571) % 50_001),
      }),
    );
    const others = Array.from({ length: 10 }, (_, i) =>
      awardOf("by-id", `awd_byid_other_${i}`, { institution: "Eastlake University", creditsCents: 200_000 }),
    );
    const withId = (a: Award) => {
      const commit = commitOf(a);
      return { ...commit, entries: commit.entries.map((e) => ({ ...e, institutionId: a.institutionId })) };
    };
    // Act
    const results = await Promise.allSettled(
      [...partnerAwards, ...others].map((a) => ledger.move(a.institutionId ? withId(a) : commitOf(a))),
    );
    // Assess: one balance, within the cap staff set, however the awards spelled the name
    const held = partnerAwards
      .filter((_, i) => results[i]?.status === "fulfilled")
      .reduce((s, a) => s + a.creditsCents, 0);
    expect(held).toBeLessThanOrEqual(1_000_000);
    expect(held).toBeGreaterThan(1_000_000 - 150_000);
    expect(await ledger.partnerBalance("by-id", "atlantica")).toEqual({
      heldCents: held,
      capCents: 1_000_000,
    });
    expect(await ledger.partners("by-id")).toEqual([
      {
        programId: "by-id",
        institution: "Universidade Atlântica",
        institutionKey: "atlantica",
        capCents: 1_000_000,
        heldCents: held,
        remainingCents: 1_000_000 - held,
      },
    ]);
    expect(results.slice(30).map((r) => r.status)).toEqual(Array(10).fill("fulfilled"));
    for (const r of results.slice(0, 30)) {
      if (r.status === "rejected")
        expect((r.reason as BudgetExhausted).shortfalls?.[0]).toMatchObject({ kind: "partner-cap" });
    }
    expect((await runLedgerCheck(ledger, "by-id")).differences).toEqual([]);

    // Act: staff lower the cap below what is held, then raise it; a stale revision
    const lower = await errorOf(
      programs.putInstitution({ ...atlantica, creditCapCents: held - 1, revision: 2 }, 1, []),
    );
    const raised = { ...atlantica, creditCapCents: 2_000_000, revision: 2 };
    await programs.putInstitution(raised, 1, []);
    const stale = await errorOf(programs.putInstitution({ ...atlantica, revision: 2 }, 1, []));
    const more = await errorOf(
      ledger.move(
        withId(awardOf("by-id", "awd_byid_more", { ...partnerAwards[0], awardId: "awd_byid_more" })),
      ),
    );
    // Assess: the lower cap was refused whole, the raised one holds at once
    expect(lower).toBeInstanceOf(DomainError);
    expect((lower as DomainError).kind).toBe("conflict");
    expect((lower as Error).message).toContain(`already holds ${held} credit cents`);
    expect(stale).toBeInstanceOf(ConcurrentModification);
    expect(more).toBeUndefined();
    expect(await programs.getInstitution("by-id", "atlantica")).toEqual(raised);
    const extra = (partnerAwards[0] as Award).creditsCents;
    expect(await ledger.partnerBalance("by-id", "atlantica")).toEqual({
      heldCents: held + extra,
      capCents: 2_000_000,
    });
    expect((await runLedgerCheck(ledger, "by-id")).differences).toEqual([]);
  });

  it("releases an award older than partner institutions to the name-keyed balance it was taken from", async () => {
    // Prepare: an award committed before partner institutions (self-declared, no id) and the
    // institution staff then created under its id
    const ledger = repo();
    const programs = dynamoProgramRepository(wide, table);
    await ledger.openPools("legacy", { cashCents: 0, creditsCents: 10_000_000 }, 500_000);
    const old = awardOf("legacy", "awd_legacy", {
      institution: "Atlantica University",
      strategicPartner: true,
      creditsCents: 300_000,
    });
    await ledger.move(commitOf(old));
    await programs.putInstitution(
      {
        programId: "legacy",
        institutionId: "atlantica",
        name: "Universidade Atlântica",
        aliases: ["Atlantica University"],
        creditCapCents: 400_000,
        updatedAt: at,
        updatedBy: "sam",
        revision: 1,
      },
      null,
      [],
    );
    // Act: the old award is released
    const released = { ...old, status: "declined" as const, revision: 2 };
    await ledger.move({
      requestToken: "awd_legacy:declined",
      entries: [entry(released, "credits", "release", -300_000, "declined", "2026-11-30T10:00:00.000Z")],
      award: { item: released as unknown as Record<string, unknown>, expectedRevision: 1 },
      events: [],
    });
    // Assess: back where it came from; the institution's own balance untouched
    const partners = await ledger.partners("legacy");
    expect(partners.map((p) => [p.institutionKey, p.capCents, p.heldCents, p.remainingCents])).toEqual([
      ["atlantica", 400_000, 0, 400_000],
      ["atlantica university", 500_000, 0, 500_000],
    ]);
    expect((await runLedgerCheck(ledger, "legacy")).differences).toEqual([]);
  });

  it("gives up on a conflict that never clears with the conflict itself, never as a refusal", async () => {
    const ledger = dynamoLedgerRepository(
      contended(() => true),
      table,
      { maxAttempts: 3, baseDelayMs: 1 },
    );
    await ledger.openPools("busy", { cashCents: 1_000_000, creditsCents: 0 }, 0);
    const error = await errorOf(ledger.move(commitOf(awardOf("busy", "awd_busy", { cashCents: 1_000 }))));
    expect(error).toBeInstanceOf(TransactionCanceledException);
    expect(error).not.toBeInstanceOf(BudgetExhausted);
    expect(await ledger.entriesForAward("awd_busy")).toEqual([]);
  });

  it("settles consumption once when settlements race, on a pool opened before consumption was counted", async () => {
    // Prepare: a pool item as older deployments wrote it, without consumedCents
    const ledger = repo();
    await ledger.openPools("racing", { cashCents: 1_000_000, creditsCents: 1_000_000 }, 0);
    await wide.send(
      new UpdateCommand({
        TableName: table,
        Key: { pk: "PROGRAM#racing", sk: "POOL#credits" },
        UpdateExpression: "REMOVE consumedCents",
      }),
    );
    const award = awardOf("racing", "awd_racing", { creditsCents: 50_000, status: "active" });
    await ledger.move(commitOf(award));
    const usage = dynamoUsageRepository(wide, table);
    await usage.store([
      {
        record: {
          type: "compute",
          recordId: "racing-1",
          awardId: "awd_racing",
          chips: 4,
          startedAt: "2026-11-28T08:00:00.000Z",
          endedAt: "2026-11-28T09:00:00.000Z",
          chargeCents: 61_000,
        },
        receivedAt: at,
      },
    ]);
    const deps = {
      awards: dynamoAwardRepository(wide, table),
      ledger,
      usage,
      clock: { now: () => new Date(at) },
    };
    // Act: eight settlements at once
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) => settleConsumption(deps, "awd_racing", `race ${i}`)),
    );
    // Assess: one consumption entry, capped at the award's credits; the rest is overage
    expect(new Set(results.map((r) => JSON.stringify([r.consumedCents, r.overageCents])))).toEqual(
      new Set([JSON.stringify([50_000, 11_000])]),
    );
    const consumed = (await ledger.entriesForAward("awd_racing")).filter((e) => e.kind === "consume");
    expect(consumed.map((e) => [e.pool, e.amountCents])).toEqual([["credits", -50_000]]);
    expect((await ledger.pools("racing")).find((p) => p.pool === "credits")).toMatchObject({
      committedCents: 50_000,
      consumedCents: 50_000,
      availableCents: 950_000,
    });
    expect((await runLedgerCheck(ledger, "racing")).differences).toEqual([]);
    const stored = await deps.awards.get("awd_racing");
    expect(stored?.consumption).toMatchObject({ creditsCents: 50_000, overageCents: 11_000 });
    expect(stored?.inactivatedAt).toBe(at);

    // A consumed balance written by hand is found by the check.
    await wide.send(
      new UpdateCommand({
        TableName: table,
        Key: { pk: "PROGRAM#racing", sk: "POOL#credits" },
        UpdateExpression: "SET consumedCents = :wrong",
        ExpressionAttributeValues: { ":wrong": 10_000 },
      }),
    );
    expect((await runLedgerCheck(ledger, "racing")).differences).toEqual([
      expect.objectContaining({
        scope: "pool",
        subject: "racing/credits",
        field: "consumedCents",
        expected: 50_000,
        actual: 10_000,
      }),
    ]);
  });

  it("finds a balance that no longer matches its entries", async () => {
    // Prepare
    const ledger = repo();
    await ledger.openPools("tampered", { cashCents: 1_000_000, creditsCents: 1_000_000 }, 1_000_000);
    await ledger.move(commitOf(awardOf("tampered", "awd_tampered", { cashCents: 250_000 })));
    expect((await runLedgerCheck(ledger, "tampered")).differences).toEqual([]);
    // Act: someone writes the balance by hand
    await wide.send(
      new UpdateCommand({
        TableName: table,
        Key: { pk: "PROGRAM#tampered", sk: "POOL#cash" },
        UpdateExpression: "SET availableCents = :wrong",
        ExpressionAttributeValues: { ":wrong": 800_000 },
      }),
    );
    // Assess
    const { differences } = await runLedgerCheck(ledger, "tampered");
    expect(differences).toEqual([
      expect.objectContaining({
        scope: "pool",
        subject: "tampered/cash",
        field: "availableCents",
        expected: 750_000,
        actual: 800_000,
      }),
    ]);
  });
});
