import { type Actor, DomainError } from "@allot/core";
import {
  addReviewersToPool,
  type CallDeps,
  type CallInput,
  createCall,
  getCall,
  listCalls,
} from "@allot/core/call";
import { createProgram, getProgram, listPrograms, type ProgramInput } from "@allot/core/program";
import { putReviewerProfile } from "@allot/core/review";
import { addModelPartnerInstitutions, loadModelProgram, seedModelProgram } from "@allot/local/seed";
import { mainTable } from "@allot/stacks";
import { OUTBOX_PREFIX } from "@allot/stacks/streams";
import { DeleteCommand, GetCommand, ScanCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { ensureTable } from "aws-local";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestDynamo, type TestDynamo } from "../../aws-local/test/support/dynamo.js";
import { dynamoCallRepository, dynamoProgramRepository, dynamoReviewerRepository } from "../src/index.js";

const table = mainTable.name;
const now = new Date("2026-11-28T10:00:00Z");
const clock = { now: () => now };
const staff: Actor = { userId: "sam", role: "staff" };
const alice: Actor = { userId: "alice", role: "applicant" };

const program: ProgramInput = {
  programId: "test-program",
  name: "Test program",
  pools: { cashCents: 1_000_000_000, creditsCents: 1_000_000_000 },
  caps: {
    maxGrantCashCents: 50_000_000,
    maxGrantCreditsCents: 50_000_000,
    maxPartnerCreditsCents: 500_000_000,
  },
  cluster: { chips: 1_000 },
  creditRate: { centsPerChipHour: 200 },
};

const call = (callId: string, opensAt: string, closesAt: string, reviewerPool: string[] = []): CallInput => ({
  callId,
  title: `Call ${callId}`,
  opensAt,
  closesAt,
  review: {
    rubric: { criteria: [{ id: "impact", name: "Impact", weight: 1 }], scale: { min: 1, max: 5 } },
    minReviewers: 1,
    reviewPeriod: "P21D",
  },
  reviewerPool,
});

const profile = (name: string) => ({
  name,
  email: `${name}@uni.example`,
  institution: "Uni",
  keywords: ["ml"],
});

const kindOf = async (p: Promise<unknown>) => {
  const error = await p.catch((e) => e);
  return error instanceof DomainError ? error.kind : "no error";
};

let dynamo: TestDynamo;
let deps: CallDeps;

const outbox = async (eventId: string) =>
  (
    await dynamo.doc.send(
      new GetCommand({ TableName: table, Key: { pk: `${OUTBOX_PREFIX}${eventId}`, sk: "OUTBOX" } }),
    )
  ).Item;

beforeAll(async () => {
  dynamo = await startTestDynamo();
  await ensureTable(dynamo.client, mainTable);
  deps = {
    programs: dynamoProgramRepository(dynamo.doc, table),
    calls: dynamoCallRepository(dynamo.doc, table),
    reviewers: dynamoReviewerRepository(dynamo.doc, table),
    clock,
  };
});

afterAll(async () => {
  await dynamo?.stop();
});

describe("programs, calls and reviewer profiles on DynamoDB Local", () => {
  it("creates a program with its outbox event, answers a retry, refuses a different one, lists by id", async () => {
    // Act
    const first = await createProgram(deps, staff, program);
    const again = await createProgram(deps, staff, program);
    await createProgram(deps, staff, { ...program, programId: "another-program" });
    // Assess
    expect(first.created).toBe(true);
    expect(again).toEqual({ program: first.program, created: false });
    expect(await getProgram(deps, alice, "test-program")).toEqual(first.program);
    expect(await kindOf(createProgram(deps, staff, { ...program, name: "Renamed program" }))).toBe(
      "conflict",
    );
    expect((await listPrograms(deps, staff)).map((p) => p.programId)).toEqual([
      "another-program",
      "test-program",
    ]);
    expect(await outbox("program:test-program:created")).toMatchObject({
      source: "allot.programs",
      detailType: "Program Created",
    });
    expect(await kindOf(getProgram(deps, staff, "missing"))).toBe("not_found");
  });

  it("creates calls idempotently and lists them by program and by what is open now", async () => {
    await putReviewerProfile(deps, staff, "rev-1", profile("one"));
    await putReviewerProfile(deps, staff, "rev-2", profile("two"));
    const spring = call("call-open", "2026-11-01T00:00:00Z", "2027-06-30T23:59:59+02:00", ["rev-1"]);

    const first = await createCall(deps, staff, "test-program", spring);
    const again = await createCall(deps, staff, "test-program", spring);
    await createCall(
      deps,
      staff,
      "test-program",
      call("call-closed", "2026-01-01T00:00:00Z", "2026-06-01T00:00:00Z"),
    );
    await createCall(
      deps,
      staff,
      "test-program",
      call("call-later", "2027-01-01T00:00:00Z", "2027-03-01T00:00:00Z"),
    );
    // Closing exactly now counts as closed: the interval is [opensAt, closesAt).
    await createCall(
      deps,
      staff,
      "another-program",
      call("call-ends-now", "2026-11-01T00:00:00Z", now.toISOString()),
    );

    expect(first.created).toBe(true);
    expect(first.call.closesAt).toBe("2027-06-30T21:59:59.000Z");
    expect(again).toEqual({ call: first.call, created: false });
    expect(await getCall(deps, staff, "call-open")).toEqual(first.call);
    expect((await getCall(deps, alice, "call-open")).reviewerPool).toBeUndefined();
    expect((await listCalls(deps, staff, { programId: "test-program" })).map((c) => c.callId)).toEqual([
      "call-closed",
      "call-open",
      "call-later",
    ]);
    expect((await listCalls(deps, alice, { open: true })).map((c) => c.callId)).toEqual(["call-open"]);
    expect((await listCalls(deps, alice)).map((c) => c.callId)).toEqual([
      "call-closed",
      "call-ends-now",
      "call-later",
      "call-open",
    ]);
    expect(
      await kindOf(createCall(deps, staff, "test-program", { ...spring, title: "A different call" })),
    ).toBe("conflict");
    expect(await outbox("call:call-open:created")).toMatchObject({ detailType: "Call Created" });
  });

  it("extends a pool once per reviewer, and refuses a stale extension", async () => {
    const first = await addReviewersToPool(deps, staff, "call-open", ["rev-1", "rev-2"]);
    const again = await addReviewersToPool(deps, staff, "call-open", ["rev-2"]);

    expect(first.added).toEqual(["rev-2"]);
    expect(again.added).toEqual([]);
    expect((await getCall(deps, staff, "call-open")).reviewerPool).toEqual(["rev-1", "rev-2"]);
    const event = await outbox("call:call-open:pool-2");
    expect(JSON.parse(String(event?.detail)).data).toEqual({ callId: "call-open", reviewerIds: ["rev-2"] });
    expect(await kindOf(deps.calls.extendPool("call-open", 1, ["rev-3"], []))).toBe("conflict");
    expect(await kindOf(deps.calls.extendPool("missing", 0, ["rev-3"], []))).toBe("conflict");
    expect(await kindOf(addReviewersToPool(deps, staff, "call-open", ["rev-unknown"]))).toBe("validation");
  });

  it("keeps openAssignments across profile updates", async () => {
    const created = await putReviewerProfile(deps, staff, "rev-load", profile("load"));
    // What assignment does: a conditional increment that profile writes must never undo.
    await dynamo.doc.send(
      new UpdateCommand({
        TableName: table,
        Key: { pk: "REVIEWER#rev-load", sk: "PROFILE" },
        UpdateExpression: "ADD openAssignments :two",
        ExpressionAttributeValues: { ":two": 2 },
      }),
    );
    const replaced = await putReviewerProfile(deps, staff, "rev-load", { ...profile("load"), maxLoad: 3 });

    expect(created).toMatchObject({ created: true, profile: { openAssignments: 0 } });
    expect(replaced).toMatchObject({ created: false, profile: { openAssignments: 2, maxLoad: 3 } });
    expect(await deps.reviewers.get("rev-load")).toMatchObject({
      openAssignments: 2,
      maxLoad: 3,
      keywords: ["ml"],
    });
  });

  it("reads many profiles past one batch, skipping unknown and repeated ids", async () => {
    const ids = [...Array.from({ length: 120 }, (_, i) => `rev-none-${i}`), "rev-1", "rev-2", "rev-1"];
    const found = await deps.reviewers.getMany(ids);
    expect(found.map((r) => r.reviewerId).sort()).toEqual(["rev-1", "rev-2"]);
    expect((await deps.reviewers.list()).map((r) => r.reviewerId)).toEqual(["rev-1", "rev-2", "rev-load"]);
  });
});

describe("the model program seed", () => {
  it("validates and keeps the model program's numbers", () => {
    const seed = loadModelProgram();
    expect(seed.program).toMatchObject({
      programId: "model-program",
      pools: { cashCents: 6_000_000_000, creditsCents: 5_000_000_000 },
      caps: { maxGrantCashCents: 50_000_000, maxPartnerCreditsCents: 1_100_000_000 },
      cluster: { chips: 40_000 },
    });
    expect(seed.program.pools.cashCents + seed.program.pools.creditsCents).toBe(11_000_000_000);
    expect(seed.reviewers).toHaveLength(6);
    // The partner universities, each capped at the program's $11M.
    expect(seed.institutions.map((i) => [i.institutionId, i.creditCapCents])).toEqual([
      ["northfield", 1_100_000_000],
      ["atlantica", 1_100_000_000],
      ["eastlake", 1_100_000_000],
      ["coast", 1_100_000_000],
    ]);
    expect(seed.calls.map((c) => [c.callId, c.review.blind])).toEqual([
      ["call-2027-spring", false],
      ["call-2027-blind", true],
    ]);
    const spring = seed.calls[0];
    expect(spring?.review.rubric.criteria.map((c) => c.id)).toEqual([
      "impact",
      "feasibility",
      "openness",
      "team",
    ]);
    expect(spring?.review.rubric.scale).toEqual({ min: 1, max: 5 });
    expect(spring?.review.minReviewers).toBe(2);
  });

  it("seeds through the core commands, and a second run changes nothing", async () => {
    const scan = async () =>
      ((await dynamo.doc.send(new ScanCommand({ TableName: table, ConsistentRead: true }))).Items ?? []).sort(
        (a, b) => (`${a.pk}${a.sk}` < `${b.pk}${b.sk}` ? -1 : 1),
      );
    const first = await seedModelProgram(dynamo.doc, table, clock);
    const afterFirst = await scan();
    const second = await seedModelProgram(dynamo.doc, table, { now: () => new Date("2026-12-01T00:00:00Z") });

    expect(first).toEqual({
      programId: "model-program",
      programCreated: true,
      institutionsCreated: ["northfield", "atlantica", "eastlake", "coast"],
      reviewersCreated: ["rev-ada", "rev-bruno", "rev-chen", "rev-dana", "rev-emeka", "rev-freya"],
      callsCreated: ["call-2027-spring", "call-2027-blind"],
    });
    expect(second).toEqual({
      programId: "model-program",
      programCreated: false,
      institutionsCreated: [],
      reviewersCreated: [],
      callsCreated: [],
    });
    expect(await scan()).toEqual(afterFirst);
    // Both open on the same day; a program's calls sort by opening time, then id.
    expect(
      (await listCalls(deps, alice, { open: true, programId: "model-program" })).map((c) => c.callId),
    ).toEqual(["call-2027-blind", "call-2027-spring"]);
  });

  it("gives a data folder seeded before partner institutions the model program's, once", async () => {
    // Prepare: the folder as an older version left it, without institutions
    const seeded = await deps.programs.listInstitutions("model-program");
    expect(seeded).toHaveLength(4);
    for (const i of seeded) {
      await dynamo.doc.send(
        new DeleteCommand({
          TableName: table,
          Key: { pk: "PROGRAM#model-program", sk: `INSTITUTION#${i.institutionId}` },
        }),
      );
      await dynamo.doc.send(
        new DeleteCommand({
          TableName: table,
          Key: { pk: "PROGRAM#model-program", sk: `PARTNER#${i.institutionId}` },
        }),
      );
    }
    // Act
    const added = await addModelPartnerInstitutions(dynamo.doc, table, clock);
    const again = await addModelPartnerInstitutions(dynamo.doc, table, clock);
    // Assess
    expect(added).toEqual(["northfield", "atlantica", "eastlake", "coast"]);
    expect(again).toEqual([]);
    expect(await deps.programs.getInstitution("model-program", "atlantica")).toMatchObject({
      name: "Universidade Atlântica",
      creditCapCents: 1_100_000_000,
    });
  });

  it("leaves a seeded profile that staff edited alone, and still matches after the pool grew", async () => {
    await putReviewerProfile(deps, staff, "rev-ada", { ...profile("ada"), maxLoad: 2 });
    await addReviewersToPool(deps, staff, "call-2027-blind", ["rev-ada"]);

    const again = await seedModelProgram(dynamo.doc, table, clock);

    expect(again.reviewersCreated).toEqual([]);
    expect(again.callsCreated).toEqual([]);
    expect((await deps.reviewers.get("rev-ada"))?.maxLoad).toBe(2);
  });
});
