import { describe, expect, it } from "vitest";
import type { Actor } from "../src/actor.js";
import {
  addReviewersToPool,
  type CallInput,
  type CallRepository,
  createCall,
  getCall,
  isOpen,
  listCalls,
} from "../src/call/index.js";
import { DomainError } from "../src/errors.js";
import { createProgram } from "../src/program/index.js";
import { putReviewerProfile } from "../src/review/index.js";
import { memoryCalls, memoryPrograms, memoryReviewers } from "./fakes.js";

const now = new Date("2026-11-28T10:00:00Z");
const clock = { now: () => now };
const staff: Actor = { userId: "sam", role: "staff" };
const alice: Actor = { userId: "alice", role: "applicant" };

const spring: CallInput = {
  callId: "call-2027-spring",
  title: "Spring 2027 grants",
  opensAt: "2026-11-01T00:00:00Z",
  closesAt: "2027-06-30T23:59:59+00:00",
  eligibility: { maxCashCents: 50_000_000 },
  review: {
    rubric: {
      criteria: [
        { id: "impact", name: "Impact", weight: 40 },
        { id: "feasibility", name: "Feasibility", weight: 25 },
      ],
      scale: { min: 1, max: 5 },
    },
    minReviewers: 2,
    reviewPeriod: "P21D",
  },
  reviewerPool: ["rev-ada", "rev-bruno"],
};

/** A program with its caps and four reviewer profiles, behind in-memory fakes. */
const prepare = async () => {
  const programs = memoryPrograms();
  const calls = memoryCalls();
  const reviewers = memoryReviewers();
  const deps = { programs: programs.repo, calls: calls.repo, reviewers: reviewers.repo, clock };
  await createProgram(deps, staff, {
    programId: "model-program",
    name: "AI Research Grants",
    pools: { cashCents: 6_000_000_000, creditsCents: 5_000_000_000 },
    caps: {
      maxGrantCashCents: 50_000_000,
      maxGrantCreditsCents: 50_000_000,
      maxPartnerCreditsCents: 1_100_000_000,
    },
    cluster: { chips: 40_000 },
    creditRate: { centsPerChipHour: 200 },
  });
  for (const id of ["rev-ada", "rev-bruno", "rev-chen", "rev-dan"]) {
    await putReviewerProfile(deps, staff, id, { name: id, email: `${id}@uni.example`, institution: "Uni" });
  }
  return { deps, calls };
};

const errorOf = async (p: Promise<unknown>) => {
  const error = await p.catch((e) => e);
  return error instanceof DomainError ? error : undefined;
};

describe("call commands", () => {
  it("creates a call once, in UTC, and answers an identical retry with it", async () => {
    // Prepare
    const { deps, calls } = await prepare();
    // Act
    const first = await createCall(deps, staff, "model-program", spring);
    const again = await createCall(deps, staff, "model-program", spring);
    // Assess
    expect(first.created).toBe(true);
    expect(first.call).toMatchObject({
      callId: "call-2027-spring",
      programId: "model-program",
      opensAt: "2026-11-01T00:00:00.000Z",
      closesAt: "2027-06-30T23:59:59.000Z",
      createdBy: "sam",
    });
    expect(first.call.eligibility.maxDurationMonths).toBe(36);
    expect(again).toEqual({ call: first.call, created: false });
    expect(calls.events.map((e) => [e.detailType, e.detail.eventId, e.detail.data])).toEqual([
      [
        "Call Created",
        "call:call-2027-spring:created",
        { programId: "model-program", callId: "call-2027-spring" },
      ],
    ]);
  });

  it("conflicts with a different call under the same id, in this program or another", async () => {
    const { deps } = await prepare();
    await createCall(deps, staff, "model-program", spring);
    await createProgram(deps, staff, {
      programId: "other-program",
      name: "Other program",
      pools: { cashCents: 100, creditsCents: 100 },
      caps: { maxGrantCashCents: 100, maxGrantCreditsCents: 100, maxPartnerCreditsCents: 100 },
      cluster: { chips: 1 },
      creditRate: { centsPerChipHour: 1 },
    });
    expect(
      (await errorOf(createCall(deps, staff, "model-program", { ...spring, title: "Changed title" })))?.kind,
    ).toBe("conflict");
    expect(
      (
        await errorOf(
          createCall(deps, staff, "other-program", { ...spring, eligibility: {}, reviewerPool: [] }),
        )
      )?.kind,
    ).toBe("conflict");
  });

  it("names every problem at once: schema, the program's caps and reviewers without a profile", async () => {
    const { deps, calls } = await prepare();
    const error = await errorOf(
      createCall(deps, staff, "model-program", {
        ...spring,
        title: "",
        closesAt: "2026-10-01T00:00:00Z",
        eligibility: { maxCashCents: 50_000_001, maxCreditsCents: 60_000_000 },
        reviewerPool: ["rev-ada", "rev-nobody", "rev-ghost"],
      }),
    );
    expect(error?.kind).toBe("validation");
    expect(error?.issues).toEqual(
      expect.arrayContaining([
        {
          field: "eligibility.maxCashCents",
          message: "must not exceed the program's caps.maxGrantCashCents (50000000)",
        },
        {
          field: "eligibility.maxCreditsCents",
          message: "must not exceed the program's caps.maxGrantCreditsCents (50000000)",
        },
        { field: "reviewerPool.1", message: "rev-nobody has no reviewer profile; add one first" },
        { field: "reviewerPool.2", message: "rev-ghost has no reviewer profile; add one first" },
      ]),
    );
    expect(error?.issues.map((i) => i.field)).toContain("title");
    expect(calls.items.size).toBe(0);
  });

  it("refuses a call under a missing program, and from anyone but staff", async () => {
    const { deps } = await prepare();
    expect((await errorOf(createCall(deps, staff, "missing-program", spring)))?.kind).toBe("not_found");
    expect((await errorOf(createCall(deps, alice, "model-program", spring)))?.kind).toBe("forbidden");
  });

  it.each([
    ["2026-10-31T23:59:59.999Z", false],
    ["2026-11-01T00:00:00.000Z", true],
    ["2027-06-30T23:59:58.999Z", true],
    ["2027-06-30T23:59:59.000Z", false],
  ])("isOpen at %s is %s: opensAt counts, closesAt does not", (at, open) => {
    expect(
      isOpen({ opensAt: "2026-11-01T00:00:00.000Z", closesAt: "2027-06-30T23:59:59.000Z" }, new Date(at)),
    ).toBe(open);
  });

  it("lists calls, only the open ones on request, and shows the pool to staff only", async () => {
    const { deps } = await prepare();
    await createCall(deps, staff, "model-program", spring);
    await createCall(deps, staff, "model-program", {
      ...spring,
      callId: "call-2026-closed",
      opensAt: "2026-01-01T00:00:00Z",
      closesAt: "2026-06-30T00:00:00Z",
    });
    await createCall(deps, staff, "model-program", {
      ...spring,
      callId: "call-2027-later",
      opensAt: "2027-01-01T00:00:00Z",
      closesAt: "2027-12-31T00:00:00Z",
    });

    const open = await listCalls(deps, alice, { open: true });
    const all = await listCalls(deps, staff, { programId: "model-program" });
    const seen = await getCall(deps, alice, "call-2027-spring");

    expect(open.map((c) => c.callId)).toEqual(["call-2027-spring"]);
    expect(open[0]?.reviewerPool).toBeUndefined();
    expect(all.map((c) => c.callId).sort()).toEqual([
      "call-2026-closed",
      "call-2027-later",
      "call-2027-spring",
    ]);
    expect(all[0]?.reviewerPool).toEqual(["rev-ada", "rev-bruno"]);
    expect(seen.reviewerPool).toBeUndefined();
    expect((await getCall(deps, staff, "call-2027-spring")).reviewerPool).toEqual(["rev-ada", "rev-bruno"]);
    expect((await errorOf(getCall(deps, alice, "missing")))?.kind).toBe("not_found");
    expect(await listCalls(deps, alice, { programId: "other-program" })).toEqual([]);
  });

  it("extends the pool idempotently, announcing only the reviewers it added", async () => {
    const { deps, calls } = await prepare();
    await createCall(deps, staff, "model-program", spring);

    const first = await addReviewersToPool(deps, staff, "call-2027-spring", [
      "rev-bruno",
      "rev-chen",
      "rev-chen",
    ]);
    const again = await addReviewersToPool(deps, staff, "call-2027-spring", ["rev-chen"]);
    // The original create, retried after the pool grew, still matches.
    const retriedCreate = await createCall(deps, staff, "model-program", spring);

    expect(first.added).toEqual(["rev-chen"]);
    expect(first.call.reviewerPool).toEqual(["rev-ada", "rev-bruno", "rev-chen"]);
    expect(again).toEqual({ call: first.call, added: [] });
    expect(retriedCreate.created).toBe(false);
    expect(calls.events.map((e) => [e.detailType, e.detail.eventId, e.detail.data])).toEqual([
      [
        "Call Created",
        "call:call-2027-spring:created",
        { programId: "model-program", callId: "call-2027-spring" },
      ],
      [
        "Reviewer Pool Extended",
        "call:call-2027-spring:pool-3",
        { callId: "call-2027-spring", reviewerIds: ["rev-chen"] },
      ],
    ]);
  });

  it("adds only reviewers with a profile, only for staff, only to an existing call", async () => {
    const { deps, calls } = await prepare();
    await createCall(deps, staff, "model-program", spring);
    const error = await errorOf(
      addReviewersToPool(deps, staff, "call-2027-spring", ["rev-chen", "rev-nobody"]),
    );
    expect(error?.issues).toEqual([
      { field: "reviewerIds.1", message: "rev-nobody has no reviewer profile; add one first" },
    ]);
    expect((await errorOf(addReviewersToPool(deps, staff, "call-2027-spring", [])))?.kind).toBe("validation");
    expect((await errorOf(addReviewersToPool(deps, alice, "call-2027-spring", ["rev-chen"])))?.kind).toBe(
      "forbidden",
    );
    expect((await errorOf(addReviewersToPool(deps, staff, "missing", ["rev-chen"])))?.kind).toBe("not_found");
    expect(calls.items.get("call-2027-spring")?.reviewerPool).toEqual(["rev-ada", "rev-bruno"]);
  });

  it("retries on a concurrent extension and announces only its own additions", async () => {
    const { deps, calls } = await prepare();
    await createCall(deps, staff, "model-program", spring);
    let raced = false;
    // Another request lands between this one's read and its write.
    const racing: CallRepository = {
      ...calls.repo,
      async extendPool(callId, expectedSize, ids, events) {
        if (!raced) {
          raced = true;
          await addReviewersToPool(deps, staff, callId, ["rev-chen"]);
        }
        return calls.repo.extendPool(callId, expectedSize, ids, events);
      },
    };
    const result = await addReviewersToPool({ ...deps, calls: racing }, staff, "call-2027-spring", [
      "rev-chen",
      "rev-dan",
    ]);
    expect(result.added).toEqual(["rev-dan"]);
    expect(calls.items.get("call-2027-spring")?.reviewerPool).toEqual([
      "rev-ada",
      "rev-bruno",
      "rev-chen",
      "rev-dan",
    ]);
    expect(
      calls.events.filter((e) => e.detailType === "Reviewer Pool Extended").map((e) => e.detail.data),
    ).toEqual([
      { callId: "call-2027-spring", reviewerIds: ["rev-chen"] },
      { callId: "call-2027-spring", reviewerIds: ["rev-dan"] },
    ]);
  });
});
