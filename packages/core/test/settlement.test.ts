import { describe, expect, it } from "vitest";
import type { Actor } from "../src/actor.js";
import {
  type Award,
  type AwardDeps,
  awardPosition,
  type ComputeProvider,
  checkLedger,
  type LedgerEntry,
  planSettlement,
  revokeAward,
  setAwardSuspension,
  settleAllConsumption,
  settleCash,
  settleConsumption,
  syncProjectActivation,
  topUpAward,
} from "../src/award/index.js";
import type { StoredUsage, UsageRecord } from "../src/usage/index.js";
import { memoryAwards, memoryLedger, memoryUsage } from "./fakes.js";

const at = "2027-02-01T10:00:00.000Z";
const staff: Actor = { userId: "sam", role: "staff" };

const awardOf = (o: Partial<Award> = {}): Award => ({
  awardId: "awd_a1",
  proposalId: "prp_a1",
  programId: "prog-1",
  callId: "call-1",
  applicantId: "ada",
  institution: "Eastlake University",
  strategicPartner: false,
  cashCents: 50_000,
  creditsCents: 100_000,
  periodMonths: 12,
  status: "active",
  offeredAt: at,
  offerExpiresAt: at,
  history: [{ at, status: "active", actor: "allot", reason: "provisioned" }],
  revision: 1,
  ...o,
});

const commitEntries = (a: Award): LedgerEntry[] =>
  (["cash", "credits"] as const).map((pool) => ({
    entryId: `${a.awardId}:commit:${pool}`,
    programId: a.programId,
    awardId: a.awardId,
    institution: a.institution,
    strategicPartner: a.strategicPartner,
    pool,
    kind: "commit",
    amountCents: pool === "cash" ? a.cashCents : a.creditsCents,
    actor: "sam",
    cause: "approved",
    at,
  }));

let n = 0;
const charge = (cents: number, awardId = "awd_a1"): StoredUsage => ({
  record: {
    type: "compute",
    recordId: `rec-${n++}`,
    awardId,
    chips: 8,
    startedAt: "2027-02-01T08:00:00.000Z",
    endedAt: "2027-02-01T09:00:00.000Z",
    chargeCents: cents,
  },
  receivedAt: at,
});
const refund = (cents: number): StoredUsage => ({
  record: {
    type: "adjustment",
    recordId: `rec-${n++}`,
    awardId: "awd_a1",
    kind: "refund",
    amountCents: cents,
    reason: "failed job",
  } satisfies UsageRecord,
  receivedAt: at,
});

const recordingProvider = () => {
  const calls: string[] = [];
  const provider: ComputeProvider = {
    requestProject: async () => ({ accepted: true }),
    completeTransaction: async () => {},
    deprovision: async (awardId) => void calls.push(`deprovision ${awardId}`),
    setAccess: async (awardId, access) => void calls.push(`setAccess ${awardId} ${access}`),
    inactivate: async (awardId) => void calls.push(`inactivate ${awardId}`),
    reactivate: async (awardId) => void calls.push(`reactivate ${awardId}`),
    modifyProject: async (awardId) => void calls.push(`modifyProject ${awardId}`),
  };
  return { provider, calls };
};

/** An active award committed in a program with room: the ledger, usage and award on fakes. */
const setUp = async (o: Partial<Award> = {}) => {
  const awards = memoryAwards();
  const ledger = memoryLedger(awards.items);
  const usage = memoryUsage();
  const { provider, calls } = recordingProvider();
  await ledger.repo.openPools("prog-1", { cashCents: 1_000_000, creditsCents: 1_000_000 }, 500_000);
  const award = awardOf(o);
  await ledger.repo.move({
    requestToken: "commit",
    entries: commitEntries(award),
    award: { item: award as unknown as Record<string, unknown>, expectedRevision: null },
    events: [],
  });
  const deps = {
    awards: awards.repo,
    ledger: ledger.repo,
    usage: usage.repo,
    provider,
    clock: { now: () => new Date(at) },
    programs: { get: async () => undefined },
  } as unknown as AwardDeps;
  const use = (...records: StoredUsage[]) => usage.repo.store(records);
  const credits = async () => (await ledger.repo.pools("prog-1")).find((p) => p.pool === "credits");
  const check = async () =>
    checkLedger(
      await ledger.repo.entriesForProgram("prog-1"),
      await ledger.repo.pools("prog-1"),
      await ledger.repo.partners("prog-1"),
    );
  return { deps, awards, ledger, use, credits, check, calls };
};

describe("settling consumption into the ledger", () => {
  it("brings consumption up to the counted usage, once however often it runs", async () => {
    const { deps, ledger, use, credits, check, awards } = await setUp();
    await use(charge(30_000), charge(12_345));
    expect(await settleConsumption(deps, "awd_a1", "daily")).toEqual({
      consumedCents: 42_345,
      settledCents: 42_345,
      overageCents: 0,
    });
    expect(await settleConsumption(deps, "awd_a1", "daily")).toEqual({
      consumedCents: 42_345,
      settledCents: 0,
      overageCents: 0,
    });
    const consumption = (await ledger.repo.entriesForAward("awd_a1")).filter((e) => e.kind === "consume");
    expect(consumption.map((e) => [e.entryId, e.pool, e.amountCents])).toEqual([
      ["awd_a1:consume-r1:credits", "credits", -42_345],
    ]);
    // The pool keeps what it gave: committed and available do not move, consumed does.
    expect(await credits()).toMatchObject({
      committedCents: 100_000,
      consumedCents: 42_345,
      availableCents: 900_000,
    });
    expect(awardPosition(await ledger.repo.entriesForAward("awd_a1")).credits).toEqual({
      committedCents: 100_000,
      releasedCents: 0,
      consumedCents: 42_345,
      heldCents: 57_655,
    });
    expect((await awards.repo.get("awd_a1"))?.consumption).toEqual({
      creditsCents: 42_345,
      cashCents: 0,
      overageCents: 0,
      settledAt: at,
    });
    expect(ledger.events.map((e) => e.detail.eventId)).toEqual(["awd_a1:consume-r1:settled"]);
    expect(await check()).toEqual([]);
  });

  it("lets refunds bring consumption down with a positive consumption entry", async () => {
    const { deps, ledger, use, credits, check } = await setUp();
    await use(charge(40_000));
    await settleConsumption(deps, "awd_a1", "daily");
    await use(refund(15_000));
    expect(await settleConsumption(deps, "awd_a1", "daily")).toEqual({
      consumedCents: 25_000,
      settledCents: -15_000,
      overageCents: 0,
    });
    const consumption = (await ledger.repo.entriesForAward("awd_a1")).filter((e) => e.kind === "consume");
    expect(consumption.map((e) => e.amountCents)).toEqual([-40_000, 15_000]);
    expect(await credits()).toMatchObject({ committedCents: 100_000, consumedCents: 25_000 });
    expect(await check()).toEqual([]);
  });

  it("caps consumption at what the award holds and records the rest as overage, never taken from the pool", async () => {
    const { deps, awards, use, credits, check } = await setUp();
    await use(charge(90_000), charge(25_000));
    expect(await settleConsumption(deps, "awd_a1", "daily")).toEqual({
      consumedCents: 100_000,
      settledCents: 100_000,
      overageCents: 15_000,
    });
    expect(await credits()).toMatchObject({
      committedCents: 100_000,
      consumedCents: 100_000,
      availableCents: 900_000,
    });
    // Usage keeps counting past 100 %: the overage grows, the ledger does not.
    await use(charge(5_000));
    expect(await settleConsumption(deps, "awd_a1", "daily")).toMatchObject({
      settledCents: 0,
      overageCents: 20_000,
    });
    expect((await awards.repo.get("awd_a1"))?.consumption?.overageCents).toBe(20_000);
    expect(await check()).toEqual([]);
  });

  it("inactivates the project once per crossing of 100 %, and reactivates it after a top-up", async () => {
    const { deps, awards, ledger, use } = await setUp();
    await use(charge(100_000));
    await settleConsumption(deps, "awd_a1", "usage");
    await settleConsumption(deps, "awd_a1", "usage");
    await use(charge(7_000));
    await settleConsumption(deps, "awd_a1", "usage");
    const inactivations = () => ledger.events.filter((e) => e.detailType === "Project Inactivated").length;
    expect(inactivations()).toBe(1);
    expect((await awards.repo.get("awd_a1"))?.inactivatedAt).toBe(at);

    // A top-up smaller than the overage leaves it past 100 %; a larger one brings it back.
    await topUpAward(
      deps,
      staff,
      "awd_a1",
      { cashCents: 0, creditsCents: 5_000, reason: "a small top-up" },
      "op-1",
    );
    expect(await settleConsumption(deps, "awd_a1", "top-up")).toMatchObject({
      consumedCents: 105_000,
      overageCents: 2_000,
    });
    expect((await awards.repo.get("awd_a1"))?.inactivatedAt).toBe(at);
    await topUpAward(
      deps,
      staff,
      "awd_a1",
      { cashCents: 0, creditsCents: 50_000, reason: "a real top-up" },
      "op-2",
    );
    expect(await settleConsumption(deps, "awd_a1", "top-up")).toMatchObject({
      consumedCents: 107_000,
      overageCents: 0,
    });
    expect((await awards.repo.get("awd_a1"))?.inactivatedAt).toBeUndefined();
    expect(ledger.events.filter((e) => e.detailType === "Project Reactivated")).toHaveLength(1);

    // A second crossing is a second inactivation.
    await use(charge(60_000));
    await settleConsumption(deps, "awd_a1", "usage");
    expect(inactivations()).toBe(2);
  });

  it("revokes after consumption releasing only the unconsumed remainder", async () => {
    const { deps, ledger, use, credits, check, calls } = await setUp();
    await use(charge(30_000));
    await revokeAward(deps, staff, "awd_a1", "misconduct found");
    const entries = await ledger.repo.entriesForAward("awd_a1");
    expect(entries.filter((e) => e.kind !== "commit").map((e) => [e.kind, e.pool, e.amountCents])).toEqual([
      ["consume", "credits", -30_000],
      ["release", "cash", -50_000],
      ["release", "credits", -70_000],
    ]);
    expect(await credits()).toMatchObject({
      committedCents: 30_000,
      consumedCents: 30_000,
      availableCents: 970_000,
    });
    const { credits: position } = awardPosition(entries);
    expect(position.committedCents).toBe(position.consumedCents + position.releasedCents);
    expect(calls).toEqual(["deprovision awd_a1"]);
    expect(await check()).toEqual([]);

    // Usage counted after the revocation is overage: the released award settles nothing more.
    await use(charge(1_000));
    expect(await settleConsumption(deps, "awd_a1", "late")).toEqual({
      consumedCents: 30_000,
      settledCents: 0,
      overageCents: 1_000,
    });
    expect(await check()).toEqual([]);
  });

  it("settles on suspension", async () => {
    const { deps, awards, use } = await setUp();
    await use(charge(2_500));
    await setAwardSuspension(deps, staff, "awd_a1", true, "paused by staff");
    const award = await awards.repo.get("awd_a1");
    expect(award?.status).toBe("suspended");
    expect(award?.consumption?.creditsCents).toBe(2_500);
  });

  it("writes once when two settlements race", async () => {
    const { deps, ledger, use, check } = await setUp();
    await use(charge(11_000));
    const results = await Promise.all([
      settleConsumption(deps, "awd_a1", "a"),
      settleConsumption(deps, "awd_a1", "b"),
      settleConsumption(deps, "awd_a1", "c"),
    ]);
    expect(results.map((r) => r.consumedCents)).toEqual([11_000, 11_000, 11_000]);
    const consumption = (await ledger.repo.entriesForAward("awd_a1")).filter((e) => e.kind === "consume");
    expect(consumption).toHaveLength(1);
    expect(await check()).toEqual([]);
  });

  it("records cash declared spent as a figure, at most what the award holds", async () => {
    const { deps, ledger, check } = await setUp();
    expect(await settleCash(deps, "awd_a1", 20_000, "final report")).toEqual({
      consumedCents: 20_000,
      settledCents: 20_000,
    });
    expect(await settleCash(deps, "awd_a1", 20_000, "final report")).toEqual({
      consumedCents: 20_000,
      settledCents: 0,
    });
    expect(await settleCash(deps, "awd_a1", 18_000, "corrected report")).toEqual({
      consumedCents: 18_000,
      settledCents: -2_000,
    });
    await expect(settleCash(deps, "awd_a1", 50_001, "too much")).rejects.toThrow(
      "The award holds 50000 cash cents; 50001 cannot be spent",
    );
    const cash = (await ledger.repo.pools("prog-1")).find((p) => p.pool === "cash");
    expect(cash).toMatchObject({ committedCents: 50_000, consumedCents: 18_000, availableCents: 950_000 });
    expect(await check()).toEqual([]);
  });
});

describe("the daily settlement", () => {
  it("settles every running award of every program, and names the ones that fail", async () => {
    const { deps, awards, ledger, use } = await setUp();
    await use(charge(9_000));
    const programs = { list: async () => [{ programId: "prog-1" }, { programId: "prog-empty" }] };
    expect(await settleAllConsumption({ ...deps, programs }, "daily")).toEqual({
      awards: 1,
      settledCents: 9_000,
      overageCents: 0,
      failed: [],
    });
    // A second run the same day moves nothing.
    expect((await settleAllConsumption({ ...deps, programs }, "daily")).settledCents).toBe(0);
    expect((await ledger.repo.entriesForAward("awd_a1")).filter((e) => e.kind === "consume")).toHaveLength(1);

    const broken = {
      ...deps,
      programs,
      ledger: { ...ledger.repo, entriesForAward: async () => Promise.reject(new Error("table unavailable")) },
    };
    await expect(settleAllConsumption(broken, "daily")).rejects.toThrow(
      "Settlement failed for awd_a1 (table unavailable)",
    );
    expect((await awards.repo.get("awd_a1"))?.consumption?.creditsCents).toBe(9_000);
  });
});

describe("the provider following the award's credits", () => {
  it("inactivates or reactivates the project as the award now says, and leaves other states alone", async () => {
    const { deps, awards, calls } = await setUp({
      provider: {
        projectId: "p-1",
        access: { loginHost: "h", account: "a", instructions: "i" },
        provisionedAt: at,
      },
    });
    expect(await syncProjectActivation(deps, "awd_a1")).toBe("reactivated");
    const award = (await awards.repo.get("awd_a1")) as Award;
    awards.items.set("awd_a1", { ...award, inactivatedAt: at });
    expect(await syncProjectActivation(deps, "awd_a1")).toBe("inactivated");
    awards.items.set("awd_a1", { ...award, status: "revoked", inactivatedAt: at });
    expect(await syncProjectActivation(deps, "awd_a1")).toBe("skipped");
    expect(calls).toEqual(["reactivate awd_a1", "inactivate awd_a1"]);
  });
});

describe("the settlement plan", () => {
  const entries = commitEntries(awardOf());
  it("settles nothing on an award that does not hold its budget", () => {
    expect(planSettlement(awardOf({ status: "offered" }), entries, 5_000)).toMatchObject({
      consumedCents: 0,
      settledCents: 0,
      overageCents: 5_000,
    });
  });
  it("treats usage refunded below zero as none", () => {
    expect(planSettlement(awardOf(), entries, -300)).toMatchObject({ consumedCents: 0, overageCents: 0 });
  });
  it("does not inactivate during closeout (closeout does it) but still settles", () => {
    expect(planSettlement(awardOf({ status: "closing" }), entries, 100_000)).toMatchObject({
      consumedCents: 100_000,
      exhausted: true,
      inactivate: false,
    });
  });
});
