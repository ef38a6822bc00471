import { describe, expect, it } from "vitest";
import {
  checkLedger,
  heldByAward,
  institutionKey,
  type LedgerEntry,
  type PartnerBalance,
  type PoolBalance,
  runLedgerCheck,
} from "../src/award/index.js";

let n = 0;
const entry = (o: Partial<LedgerEntry>): LedgerEntry => ({
  entryId: `e${n++}`,
  programId: "p1",
  awardId: "awd_1",
  institution: "Eastlake University",
  strategicPartner: false,
  pool: "cash",
  kind: "commit",
  amountCents: 100,
  actor: "sam",
  cause: "approval",
  at: "2026-11-28T10:00:00.000Z",
  ...o,
});
const pool = (o: Partial<PoolBalance>): PoolBalance => ({
  programId: "p1",
  pool: "cash",
  totalCents: 1_000,
  committedCents: 0,
  consumedCents: 0,
  availableCents: 1_000,
  ...o,
});
const partner = (o: Partial<PartnerBalance>): PartnerBalance => ({
  programId: "p1",
  institution: "Northfield Institute",
  institutionKey: "northfield institute",
  capCents: 500,
  heldCents: 0,
  remainingCents: 500,
  ...o,
});

// Commits of 300 cash and 200 credits (a partner, spelled two ways), a top-up of 50 credits,
// a release of 100 cash, and a non-partner's 40 credits.
const entries = [
  entry({ pool: "cash", amountCents: 300 }),
  entry({ pool: "credits", amountCents: 200, strategicPartner: true, institution: "Northfield Institute" }),
  entry({
    pool: "credits",
    kind: "topup",
    amountCents: 50,
    strategicPartner: true,
    institution: "  northfield   INSTITUTE",
  }),
  entry({ pool: "cash", kind: "release", amountCents: -100 }),
  entry({ awardId: "awd_2", pool: "credits", amountCents: 40 }),
];
const pools = [
  pool({ pool: "cash", committedCents: 200, availableCents: 800 }),
  pool({ pool: "credits", totalCents: 2_000, committedCents: 290, availableCents: 1_710 }),
];
const partners = [partner({ heldCents: 250, remainingCents: 250 })];

describe("the ledger check", () => {
  it("finds nothing when every balance is what its entries add up to", () => {
    expect(checkLedger(entries, pools, partners)).toEqual([]);
    expect(checkLedger([], [pool({})], [])).toEqual([]);
    expect(heldByAward(entries)).toEqual(
      new Map([
        ["awd_1", { cashCents: 200, creditsCents: 250 }],
        ["awd_2", { cashCents: 0, creditsCents: 40 }],
      ]),
    );
    expect(institutionKey("  Northfield \t Institute ")).toBe("northfield institute");
  });

  it("counts a partner institution's entries by its id, however each award spelled its name", () => {
    const byId = [
      entry({
        pool: "credits",
        amountCents: 200,
        strategicPartner: true,
        institution: "N.I.T.",
        institutionId: "nit",
      }),
      entry({
        awardId: "awd_2",
        pool: "credits",
        amountCents: 70,
        strategicPartner: true,
        institution: "Northfield Institute",
        institutionId: "nit",
      }),
    ];
    const credits = [
      pool({ pool: "credits", totalCents: 2_000, committedCents: 270, availableCents: 1_730 }),
    ];
    expect(
      checkLedger(byId, credits, [partner({ institutionKey: "nit", heldCents: 270, remainingCents: 230 })]),
    ).toEqual([]);
    // Keyed by name instead, the same entries would be two partners with no balance.
    expect(checkLedger(byId, credits, []).map((d) => d.subject)).toEqual(["p1/nit"]);
  });

  it("names each pool and partner balance that differs, with the numbers", () => {
    const differences = checkLedger(
      entries,
      [
        pools[0] as PoolBalance,
        pool({ pool: "credits", totalCents: 2_000, committedCents: 290, availableCents: 1_700 }),
      ],
      [partner({ heldCents: 200, remainingCents: 250 })],
    );
    expect(
      differences.map(({ scope, subject, field, expected, actual }) => [
        scope,
        subject,
        field,
        expected,
        actual,
      ]),
    ).toEqual([
      ["pool", "p1/credits", "availableCents", 1_710, 1_700],
      ["partner", "p1/Northfield Institute", "heldCents", 250, 200],
    ]);
    expect(differences[0]?.message).toBe(
      "the credits pool records 1700 cents available, total − entries is 1710",
    );
  });

  it("finds over-commitment, a cap exceeded, an award released below zero, an entry twice, a missing balance", () => {
    const twice = entry({ entryId: "dup", pool: "cash", amountCents: 10 });
    const differences = checkLedger(
      [
        entry({ pool: "cash", amountCents: 1_100 }),
        entry({ awardId: "awd_3", pool: "credits", amountCents: -5 }),
        entry({
          pool: "credits",
          amountCents: 600,
          strategicPartner: true,
          institution: "Northfield Institute",
        }),
        entry({ pool: "credits", amountCents: 7, strategicPartner: true, institution: "Southgate College" }),
        twice,
        twice,
        entry({ programId: "p2", amountCents: 3 }),
      ],
      [
        pool({ pool: "cash", committedCents: 1_120, availableCents: -120 }),
        pool({ pool: "credits", totalCents: 2_000, committedCents: 602, availableCents: 1_398 }),
      ],
      [partner({ heldCents: 600, remainingCents: -100 })],
    );
    expect(differences.map((d) => [d.scope, d.subject, d.field, d.expected, d.actual])).toEqual([
      ["entry", "dup", "count", 1, 2],
      ["pool", "p1/cash", "overcommittedCents", 0, 120],
      ["pool", "p2/cash", "committedCents", 3, 0],
      ["partner", "p1/Northfield Institute", "overCapCents", 0, 100],
      ["partner", "p1/southgate college", "heldCents", 7, 0],
      ["award", "awd_3", "creditsCents", 0, -5],
    ]);
  });

  it("recomputes consumption: it leaves the award's holding, not the pool's commitment or the partner's cap", () => {
    const consuming = [
      ...entries,
      entry({
        pool: "credits",
        kind: "consume",
        amountCents: -120,
        strategicPartner: true,
        institution: "Northfield Institute",
      }),
      entry({
        pool: "credits",
        kind: "consume",
        amountCents: 20,
        strategicPartner: true,
        institution: "Northfield Institute",
      }),
      entry({ pool: "cash", kind: "consume", amountCents: -150 }),
    ];
    const consumingPools = [
      pool({ pool: "cash", committedCents: 200, consumedCents: 150, availableCents: 800 }),
      pool({
        pool: "credits",
        totalCents: 2_000,
        committedCents: 290,
        consumedCents: 100,
        availableCents: 1_710,
      }),
    ];
    expect(checkLedger(consuming, consumingPools, partners)).toEqual([]);
    expect(heldByAward(consuming).get("awd_1")).toEqual({ cashCents: 50, creditsCents: 150 });

    // A consumed balance planted wrong, and one consumption more than an award held.
    const planted = checkLedger(
      [...consuming, entry({ awardId: "awd_2", pool: "credits", kind: "consume", amountCents: -45 })],
      [consumingPools[0] as PoolBalance, pool({ ...consumingPools[1], consumedCents: 90 })],
      partners,
    );
    expect(planted.map((d) => [d.scope, d.subject, d.field, d.expected, d.actual])).toEqual([
      ["pool", "p1/credits", "consumedCents", 145, 90],
      ["award", "awd_2", "creditsCents", 0, -5],
    ]);
    expect(planted[0]?.message).toBe(
      "the credits pool records 90 cents consumed, its consumption entries add up to 145",
    );
    expect(planted[1]?.message).toBe("award awd_2 released or consumed 5 credits cents more than it held");

    const overconsumed = checkLedger(
      [
        entry({ pool: "cash", amountCents: 100 }),
        entry({ pool: "cash", kind: "consume", amountCents: -130 }),
      ],
      [pool({ committedCents: 100, consumedCents: 130, availableCents: 900 })],
      [],
    );
    expect(overconsumed.map((d) => [d.field, d.actual])).toEqual([
      ["overconsumedCents", 30],
      ["cashCents", -30],
    ]);
  });

  it("reads a program's ledger through the port", async () => {
    const check = await runLedgerCheck(
      {
        entriesForProgram: async () => entries,
        pools: async () => pools,
        partners: async () => [partner({ heldCents: 250, remainingCents: 240 })],
      },
      "p1",
    );
    expect(check).toMatchObject({
      programId: "p1",
      entries: 5,
      awards: 2,
      pools,
      partners: [expect.anything()],
    });
    expect(check.differences).toEqual([
      expect.objectContaining({ scope: "partner", field: "remainingCents", expected: 250, actual: 240 }),
    ]);
  });
});
