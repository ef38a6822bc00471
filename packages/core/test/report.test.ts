import { describe, expect, it } from "vitest";
import type { LedgerEntry } from "../src/award/index.js";
import { checkLedger } from "../src/award/index.js";
import type { Award } from "../src/award/schema.js";
import type { ProgramCompliance } from "../src/output/compliance.js";
import type { Output } from "../src/output/schema.js";
import type { Proposal } from "../src/proposal/schema.js";
import {
  BudgetQuery,
  budgetOverTime,
  budgetTable,
  csvCell,
  funnelOf,
  funnelTable,
  MAX_PERIODS,
  outputsReportOf,
  outputsTable,
  periodsBetween,
  toCsv,
  UtilizationQuery,
  utilizationDays,
  utilizationOf,
} from "../src/report/index.js";
import { chipSecondsByDay } from "../src/usage/index.js";

let n = 0;
const entry = (
  o: Omit<Partial<LedgerEntry>, "kind"> & { kind: LedgerEntry["kind"] | "consume" },
): LedgerEntry =>
  ({
    entryId: `e${n++}`,
    programId: "p1",
    awardId: "awd_1",
    institution: "Eastlake University",
    strategicPartner: false,
    pool: "cash",
    amountCents: 100,
    actor: "sam",
    cause: "approval",
    at: "2026-11-28T10:00:00.000Z",
    ...o,
  }) as LedgerEntry;

describe("budget over time", () => {
  const entries = [
    entry({ kind: "commit", amountCents: 50_000, at: "2026-10-31T23:59:59.000Z" }),
    entry({ kind: "commit", pool: "credits", amountCents: 200_000, at: "2026-11-01T00:00:00.000Z" }),
    entry({ kind: "topup", pool: "credits", amountCents: 30_000, at: "2026-11-01T12:00:00.000Z" }),
    entry({ kind: "consume", pool: "credits", amountCents: -12_690, at: "2026-11-02T08:00:00.000Z" }),
    // A refund brings consumption down: a positive consume entry.
    entry({ kind: "consume", pool: "credits", amountCents: 345, at: "2026-11-02T09:00:00.000Z" }),
    entry({ kind: "release", amountCents: -20_000, at: "2026-11-03T00:00:00.000Z" }),
    entry({ kind: "adjustment", amountCents: -7, at: "2026-11-03T09:00:00.000Z" }),
    entry({ kind: "commit", programId: "other", amountCents: 999, at: "2026-11-02T00:00:00.000Z" }),
  ];

  it("sums each kind per day and pool, dense, with cumulative figures from the first entry", () => {
    const r = budgetOverTime("p1", entries, { interval: "day", to: "2026-11-03T15:00:00.000Z" });
    expect(r.from).toBe("2026-10-31");
    expect(r.to).toBe("2026-11-03");
    expect(r.periods.map((p) => `${p.period}/${p.pool}`)).toEqual([
      "2026-10-31/cash",
      "2026-10-31/credits",
      "2026-11-01/cash",
      "2026-11-01/credits",
      "2026-11-02/cash",
      "2026-11-02/credits",
      "2026-11-03/cash",
      "2026-11-03/credits",
    ]);
    const row = (period: string, pool: string) =>
      r.periods.find((p) => p.period === period && p.pool === pool);
    expect(row("2026-11-01", "credits")).toMatchObject({
      committedCents: 230_000,
      consumedCents: 0,
      netCents: 230_000,
      poolCommittedCents: 230_000,
      heldCents: 230_000,
    });
    // Consumption stays committed in the pool; the awards hold less of it.
    expect(row("2026-11-02", "credits")).toMatchObject({
      consumedCents: 12_345,
      netCents: 0,
      cumulativeCommittedCents: 230_000,
      cumulativeConsumedCents: 12_345,
      poolCommittedCents: 230_000,
      heldCents: 217_655,
    });
    expect(row("2026-11-02", "cash")).toMatchObject({ committedCents: 0, netCents: 0, heldCents: 50_000 });
    expect(row("2026-11-03", "cash")).toMatchObject({
      releasedCents: 20_000,
      adjustedCents: -7,
      netCents: -20_007,
      cumulativeReleasedCents: 20_000,
      heldCents: 29_993,
    });
    expect(r.totals).toEqual([
      {
        pool: "cash",
        committedCents: 50_000,
        consumedCents: 0,
        releasedCents: 20_000,
        adjustedCents: -7,
        netCents: 29_993,
        poolCommittedCents: 29_993,
        heldCents: 29_993,
        entries: 3,
      },
      {
        pool: "credits",
        committedCents: 230_000,
        consumedCents: 12_345,
        releasedCents: 0,
        adjustedCents: 0,
        netCents: 230_000,
        poolCommittedCents: 230_000,
        heldCents: 217_655,
        entries: 4,
      },
    ]);
  });

  it("ends on what the ledger check counts as committed per pool", () => {
    // Consumption is left out here: this branch's checkLedger predates the consume kind (it
    // counts every entry as committed); with it, the pools' consumedCents is cumulativeConsumed.
    const own = entries.filter((e) => e.programId === "p1" && (e.kind as string) !== "consume");
    const r = budgetOverTime("p1", own, { interval: "month", to: "2026-11-30T00:00:00.000Z" });
    const pools = r.totals.map((t) => ({
      programId: "p1",
      pool: t.pool,
      totalCents: 1_000_000,
      committedCents: t.poolCommittedCents,
      consumedCents: t.consumedCents,
      availableCents: 1_000_000 - t.poolCommittedCents,
    }));
    expect(checkLedger(own, pools, [])).toEqual([]);
  });

  it("carries what came before `from` into the cumulative figures, and leaves out what is after `to`", () => {
    const r = budgetOverTime("p1", entries, { interval: "day", from: "2026-11-02", to: "2026-11-02" });
    expect(r.periods).toHaveLength(2);
    const cash = r.periods.find((p) => p.pool === "cash");
    expect(cash).toMatchObject({ committedCents: 0, cumulativeCommittedCents: 50_000, heldCents: 50_000 });
    expect(r.totals.find((t) => t.pool === "cash")).toMatchObject({
      netCents: 0,
      heldCents: 50_000,
      entries: 0,
    });
  });

  it("buckets by month, a month bound of a daily report ending on its last day", () => {
    const m = budgetOverTime("p1", entries, { interval: "month", to: "2026-11-15T00:00:00.000Z" });
    expect(m.periods.map((p) => p.period)).toEqual(["2026-10", "2026-10", "2026-11", "2026-11"]);
    const d = budgetOverTime("p1", entries, { interval: "day", from: "2026-02", to: "2026-02" });
    expect(d.periods.at(-1)?.period).toBe("2026-02-28");
  });

  it("refuses more periods than it answers at once", () => {
    expect(() => periodsBetween("2020-01-01", "2026-01-01", "day")).toThrow(
      /narrow from\/to or ask for interval=month/,
    );
    expect(periodsBetween("2026-01-01", "2026-01-01", "day")).toEqual(["2026-01-01"]);
    expect(MAX_PERIODS).toBeGreaterThan(366);
    expect(() => budgetOverTime("p1", [], { interval: "day", from: "2026-11-02", to: "2026-11-01" })).toThrow(
      /from \(2026-11-02\) must not be after to/,
    );
    // Bounds name real dates in years with an ISO name.
    for (const from of ["2026-02-30", "2026-13", "0000-01-01", "9999-12-31"])
      expect(BudgetQuery.safeParse({ from }).success, from).toBe(false);
    expect(BudgetQuery.safeParse({ from: "2026-02", to: "2026-02-28", interval: "day" }).success).toBe(true);
    expect(UtilizationQuery.safeParse({ from: "2026-02" }).success).toBe(false);
  });

  it("answers an empty ledger with zero rows up to today", () => {
    const r = budgetOverTime("p1", [], { interval: "day", to: "2026-11-30T10:00:00.000Z" });
    expect(r.periods).toHaveLength(2);
    expect(r.totals.every((t) => t.heldCents === 0 && t.entries === 0)).toBe(true);
    expect(budgetTable(r).rows).toHaveLength(2);
  });
});

const proposal = (o: Partial<Proposal>): Proposal =>
  ({
    proposalId: `prp_${n++}`,
    callId: "c1",
    applicantId: "a",
    status: "submitted",
    createdAt: "2026-11-01T00:00:00.000Z",
    updatedAt: "2026-11-01T00:00:00.000Z",
    submittedAt: "2026-11-01T00:00:00.000Z",
    revision: 1,
    ...o,
  }) as Proposal;
const decided = (outcome: "approve" | "decline" | "waitlist", status: Proposal["status"]) =>
  proposal({
    status,
    score: { reviewCount: 2 } as Proposal["score"],
    decision: { outcome, rationale: "x".repeat(10), decidedBy: "s", decidedAt: "", scoreAtDecision: null },
  });

describe("call funnel", () => {
  it("counts each stage a proposal reached, and the offers' outcomes", () => {
    const approved = [1, 2, 3, 4].map(() => decided("approve", "awarded"));
    const proposals = [
      proposal({ status: "draft", submittedAt: undefined }),
      proposal({ status: "withdrawn", submittedAt: undefined }),
      proposal({ status: "ineligible" }),
      proposal({ status: "withdrawn" }),
      proposal({ status: "in_review", score: { reviewCount: 1 } as Proposal["score"] }),
      proposal({ status: "submitted" }),
      decided("decline", "declined"),
      decided("waitlist", "waitlisted"),
      ...approved,
      proposal({ callId: "other" }),
    ];
    const award = (p: Proposal, status: Award["status"]) => ({ proposalId: p.proposalId, status }) as Award;
    const awards = [
      award(approved[0] as Proposal, "active"),
      award(approved[1] as Proposal, "declined"),
      award(approved[2] as Proposal, "lapsed"),
    ];
    const f = funnelOf("c1", proposals, awards);
    expect(f).toEqual({
      callId: "c1",
      drafts: 2,
      submitted: 10,
      screenedOut: 1,
      reviewed: 7,
      approved: 4,
      awarded: 1,
      declined: 1,
      waitlisted: 1,
      withdrawn: 1,
      offersDeclined: 1,
      offersLapsed: 1,
      offersOpen: 1,
      undecided: 2,
    });
    const table = funnelTable(f);
    expect(table.header).toEqual(["callId", "stage", "proposals"]);
    expect(table.rows[1]).toEqual(["c1", "submitted", 10]);
  });
});

describe("utilization", () => {
  it("splits a record's chip-seconds over the UTC days it overlaps", () => {
    const split = chipSecondsByDay({
      chips: 8,
      startedAt: "2026-11-01T22:00:00Z",
      endedAt: "2026-11-03T01:30:00.000+00:00",
    });
    expect(Object.fromEntries(split)).toEqual({
      "2026-11-01": 8 * 7_200,
      "2026-11-02": 8 * 86_400,
      "2026-11-03": 8 * 5_400,
    });
  });

  it("adds the hours' booked chips per day against chips × 24", () => {
    const booked = new Map([
      ["2026-11-01T00:00:00.000Z", 10],
      ["2026-11-01T23:00:00.000Z", 6],
      ["2026-11-02T05:00:00.000Z", 4],
      ["2026-11-03T00:00:00.000Z", 99],
    ]);
    const used = new Map([["2026-11-01", 12 * 3600 + 1800]]);
    const u = utilizationOf("p1", utilizationDays("2026-11-01", "2026-11-02"), 100, booked, used);
    expect(u.days).toEqual([
      {
        day: "2026-11-01",
        capacityChipHours: 2_400,
        reservedChipHours: 16,
        usedChipSeconds: 45_000,
        usedChipHours: 12.5,
        reservedPercent: 0.67,
        usedPercent: 0.52,
      },
      {
        day: "2026-11-02",
        capacityChipHours: 2_400,
        reservedChipHours: 4,
        usedChipSeconds: 0,
        usedChipHours: 0,
        reservedPercent: 0.17,
        usedPercent: 0,
      },
    ]);
    expect(u.totals).toMatchObject({
      capacityChipHours: 4_800,
      reservedChipHours: 20,
      usedChipSeconds: 45_000,
    });
  });

  it("bounds the range", () => {
    expect(() => utilizationDays("2026-01-01", "2026-06-01")).toThrow(/at most 92 days/);
    expect(() => utilizationDays("2026-01-02", "2026-01-01")).toThrow(/must not be before/);
  });
});

describe("CSV", () => {
  it("quotes per RFC 4180 and defuses formulas in text, not in numbers", () => {
    expect(csvCell('say "hi", then\nleave')).toBe('"say ""hi"", then\nleave"');
    expect(csvCell('=HYPERLINK("http://x")')).toBe('"\'=HYPERLINK(""http://x"")"');
    expect(csvCell("+1")).toBe("'+1");
    expect(csvCell("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(csvCell("\tx")).toBe("'\tx");
    expect(csvCell(-20_007)).toBe("-20007");
    expect(csvCell(undefined)).toBe("");
    expect(toCsv({ header: ["a", "b"], rows: [["x,y", 1]] })).toBe('a,b\r\n"x,y",1\r\n');
    expect(() => toCsv({ header: ["a", "b"], rows: [["x"]] })).toThrow(/1 cells/);
  });
});

describe("outputs report", () => {
  const output = (o: Partial<Output>): Output =>
    ({
      outputId: `out_${n++}`,
      awardId: "awd_a",
      programId: "p1",
      kind: "paper",
      status: "pending",
      ...o,
    }) as Output;
  const repo = (awardId: string, status: Output["status"], spdxId?: string | null) =>
    output({
      awardId,
      kind: "repository",
      status,
      ...(spdxId === undefined
        ? {}
        : {
            verification: {
              outcome: status === "verified" ? "verified" : "rejected",
              checkedAt: "",
              reason: "",
              spdxId,
            },
          }),
    });
  const obligation = (kind: "paper" | "repository", status: "met" | "pending" | "overdue") => ({
    kind,
    status,
    met: status === "met",
    dueAt: null,
    outputIds: [],
    reason: "",
  });

  it("counts papers, repositories, licenses and the bound awards' compliance", () => {
    const outputs = [
      output({ awardId: "awd_a", status: "verified", paper: { kind: "doi", doi: "10.1/x" } }),
      output({ awardId: "awd_a", status: "rejected", paper: { kind: "arxiv", arxivId: "2401.00001" } }),
      output({ awardId: "awd_b", status: "pending", paper: { kind: "arxiv", arxivId: "2401.00002" } }),
      repo("awd_a", "verified", "MIT"),
      repo("awd_b", "verified", "Apache-2.0"),
      repo("awd_c", "verified", "MIT"),
      repo("awd_c", "rejected", "GPL-3.0-only"),
      repo("awd_b", "rejected", null),
      repo("awd_b", "pending"),
      // Another program's output and an award not bound (offered) stay out of the award figures.
      output({ programId: "p2", status: "verified" }),
      output({ awardId: "awd_offered", status: "verified" }),
    ];
    const compliance: ProgramCompliance = {
      programId: "p1",
      asOf: "2026-11-30T00:00:00.000Z",
      awards: [
        {
          awardId: "awd_a",
          asOf: "",
          status: "active",
          compliant: true,
          obligations: [obligation("paper", "met"), obligation("repository", "met")],
        },
        {
          awardId: "awd_b",
          asOf: "",
          status: "closed_noncompliant",
          compliant: false,
          obligations: [obligation("paper", "overdue"), obligation("repository", "met")],
        },
        {
          awardId: "awd_c",
          asOf: "",
          status: "closing",
          compliant: false,
          obligations: [obligation("paper", "overdue"), obligation("repository", "met")],
        },
      ],
      total: 3,
      compliant: 1,
      rate: 0.3333,
    };
    const r = outputsReportOf(outputs, compliance);
    expect(r).toEqual({
      programId: "p1",
      asOf: "2026-11-30T00:00:00.000Z",
      papers: { registered: 4, pending: 1, verified: 2, rejected: 1, doi: 1, arxiv: 2 },
      repositories: { registered: 6, pending: 1, verified: 3, rejected: 2 },
      licenses: [
        { license: "MIT", repositories: 2, permissive: true },
        { license: "Apache-2.0", repositories: 1, permissive: true },
        { license: "GPL-3.0-only", repositories: 1, permissive: false },
        { license: "none", repositories: 1, permissive: false },
      ],
      awards: {
        bound: 3,
        withVerifiedPaper: 1,
        withVerifiedRepository: 3,
        compliant: 1,
        complianceRate: 0.3333,
        paperOverdue: 2,
        repositoryOverdue: 0,
      },
    });
    const csv = toCsv(outputsTable(r));
    expect(csv.split("\r\n")[0]).toBe("programId,section,item,value");
    expect(csv).toContain("p1,licenses (not permissive),GPL-3.0-only,1\r\n");
    expect(csv).toContain("p1,awards,complianceRate,0.3333\r\n");
  });
});
