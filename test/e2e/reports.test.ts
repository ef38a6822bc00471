import { chipSecondsByDay } from "@allot/core/usage";
import { registriesAdmin } from "@allot/standins";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseCsv } from "../../packages/cli/src/csv.js";
import type { Io } from "../../packages/cli/src/output.js";
import { runCli } from "../../packages/cli/src/program.js";
import {
  actAs,
  activeAward,
  ok,
  openCall,
  reply,
  reviewAndApprove,
  rubricReview,
  submission,
  submit,
  waitForStatus,
} from "../support/allot.js";
import { type RuntimeProcess, startRuntimeProcess, until } from "../support/runtime.js";

// The staff reports on the real local stack: a call run through its decisions gives the funnel,
// the ledger's movements the budget over time (checked against the ledger check), usage and a
// reservation the cluster's utilization; each also as CSV, and through `allot reports`.

let runtime: RuntimeProcess;
const PROGRAM = "e2e-reports";
const CALL = "e2e-reports-call";
const REVIEWERS = ["rev-ada", "rev-dana"];
let awardId: string;
let staffToken: string;

beforeAll(async () => {
  runtime = await startRuntimeProcess();
  staffToken = await runtime.token("sam", "staff");
  const staff = await actAs(runtime, "sam", "staff");
  await ok(
    staff.POST("/programs", {
      body: {
        programId: PROGRAM,
        name: "Reports test program",
        pools: { cashCents: 10_000_000, creditsCents: 20_000_000 },
        caps: {
          maxGrantCashCents: 1_000_000,
          maxGrantCreditsCents: 5_000_000,
          maxPartnerCreditsCents: 10_000_000,
        },
        cluster: { chips: 100 },
        creditRate: { centsPerChipHour: 200 },
      },
    }),
  );
  await openCall(staff, {
    programId: PROGRAM,
    callId: CALL,
    title: "Reports e2e call",
    reviewerPool: REVIEWERS,
  });
}, 120_000);
afterAll(async () => {
  await runtime?.stop();
});

const pi = (applicant: string) => ({
  pi: { name: `${applicant} PI`, email: `${applicant}@inst.example`, institution: `Inst ${applicant}` },
  requestedCashCents: 100_000,
  requestedCreditsCents: 1_000_000,
});

/** A report as the API answers it to staff with plain fetch: status, content type, text. */
const fetchReport = async (path: string, init: { query?: string; accept?: string; token?: string } = {}) => {
  const response = await fetch(`${runtime.http}${path}${init.query ? `?${init.query}` : ""}`, {
    headers: {
      authorization: `Bearer ${init.token ?? staffToken}`,
      ...(init.accept ? { accept: init.accept } : {}),
    },
  });
  return {
    status: response.status,
    type: response.headers.get("content-type") ?? "",
    text: await response.text(),
  };
};

const captured = () => {
  const output = { out: "", err: "" };
  const io: Io = {
    out: (text) => {
      output.out += text;
    },
    err: (text) => {
      output.err += text;
    },
    env: {},
    setExitCode: () => undefined,
  };
  return { io, output };
};
const allot = async (...args: string[]) => {
  const { io, output } = captured();
  const code = await runCli([...args, "--url", runtime.http, "--token", staffToken], io);
  return { code, ...output };
};

/** The JSON answer of a report (its type also allows the CSV text the same operation can give). */
const json = <T>(answer: T | string): T => {
  if (typeof answer === "string") throw new Error(`expected JSON, got text: ${answer.slice(0, 80)}`);
  return answer;
};

/** Parsed CSV: well-formed (every record as wide as the header, CRLF line ends). */
const csvRows = (text: string) => {
  expect(text.endsWith("\r\n")).toBe(true);
  expect(text.replace(/\r\n/g, "").includes("\n")).toBe(false);
  const [header, ...rows] = parseCsv(text).map((r) => r.fields);
  for (const row of rows) expect(row).toHaveLength(header?.length ?? 0);
  return { header: header ?? [], rows };
};

describe("reports", () => {
  it("counts a call's funnel through its decisions", async () => {
    const staff = await actAs(runtime, "sam", "staff");
    // A draft never submitted.
    await ok(
      (await actAs(runtime, "fdraft", "applicant")).POST("/proposals", {
        body: submission(CALL, pi("fdraft")),
      }),
    );
    // Submitted, then withdrawn.
    const withdrawn = await submit(runtime, "fwith", submission(CALL, pi("fwith")));
    await ok(
      (await actAs(runtime, "fwith", "applicant")).POST("/proposals/{proposalId}/withdraw", {
        params: { path: { proposalId: withdrawn } },
        body: { reason: "Changed plans" },
      }),
    );
    // Reviewed and declined by the committee.
    const declined = await submit(runtime, "fdecl", submission(CALL, pi("fdecl")));
    const assignment = await until(async () => {
      for (const r of REVIEWERS) {
        const { items } = await ok((await actAs(runtime, r, "reviewer")).GET("/assignments"));
        const found = items.find(
          (a: { proposalId: string; status: string }) => a.proposalId === declined && a.status === "open",
        );
        if (found) return found;
      }
      return undefined;
    }, "a reviewer of the declined proposal");
    await ok(
      (await actAs(runtime, assignment.reviewerId, "reviewer")).POST("/assignments/{assignmentId}/review", {
        params: { path: { assignmentId: assignment.assignmentId } },
        body: rubricReview({ impact: 2 }),
      }),
    );
    await waitForStatus(runtime, declined, "decision_pending");
    await ok(
      staff.POST("/proposals/{proposalId}/decision", {
        params: { path: { proposalId: declined } },
        body: { outcome: "decline", rationale: "Out of the program's scope this round" },
      }),
    );
    // Approved and accepted (active), and approved with the offer still open.
    ({ awardId } = await activeAward(runtime, CALL, "facc", 1_000_000, REVIEWERS));
    const open = await submit(runtime, "fopen", submission(CALL, pi("fopen")));
    await reviewAndApprove(runtime, open, {
      reviewers: REVIEWERS,
      rationale: "Strong proposal, fits the budget",
      cashCents: 50_000,
      creditsCents: 300_000,
    });

    const funnel = await ok(
      staff.GET("/calls/{callId}/reports/funnel", { params: { path: { callId: CALL } } }),
    );
    expect(funnel).toEqual({
      callId: CALL,
      drafts: 1,
      submitted: 4,
      screenedOut: 0,
      reviewed: 3,
      approved: 2,
      awarded: 1,
      declined: 1,
      waitlisted: 0,
      withdrawn: 1,
      offersDeclined: 0,
      offersLapsed: 0,
      offersOpen: 1,
      undecided: 0,
    });

    const csv = await fetchReport(`/calls/${CALL}/reports/funnel`, { query: "format=csv" });
    expect(csv.status).toBe(200);
    expect(csv.type).toMatch(/^text\/csv/);
    const { header, rows } = csvRows(csv.text);
    expect(header).toEqual(["callId", "stage", "proposals"]);
    expect(rows).toContainEqual([CALL, "awarded", "1"]);
    expect(rows).toHaveLength(Object.keys(funnel).length - 1);

    const cli = await allot("reports", "funnel", "--call", CALL);
    expect(cli.code).toBe(0);
    expect(cli.out).toMatch(/^submitted\s+4$/m);
    expect(cli.out).toMatch(/^awarded\s+1$/m);
    const cliCsv = await allot("reports", "funnel", "--call", CALL, "--csv");
    expect(cliCsv.out).toBe(csv.text);
    expect(JSON.parse((await allot("--json", "reports", "funnel", "--call", CALL)).out)).toEqual(funnel);
  });

  it("sums the budget over time to what the ledger check counts", async () => {
    const staff = await actAs(runtime, "sam", "staff");
    const check = await ok(
      staff.GET("/programs/{programId}/ledger", { params: { path: { programId: PROGRAM } } }),
    );
    expect(check.differences).toEqual([]);
    const report = json(
      await ok(
        staff.GET("/programs/{programId}/reports/budget", { params: { path: { programId: PROGRAM } } }),
      ),
    );
    for (const pool of check.pools) {
      const total = report.totals.find((t: { pool: string }) => t.pool === pool.pool);
      expect(total?.poolCommittedCents, pool.pool).toBe(pool.committedCents);
      expect(report.periods.at(-1 - (pool.pool === "cash" ? 1 : 0))?.poolCommittedCents, pool.pool).toBe(
        pool.committedCents,
      );
    }
    // Two approvals: 100,000 + 50,000 cash and 1,000,000 + 300,000 credits committed, nothing released.
    expect(report.totals).toEqual([
      expect.objectContaining({
        pool: "cash",
        committedCents: 150_000,
        releasedCents: 0,
        heldCents: 150_000,
      }),
      expect.objectContaining({
        pool: "credits",
        committedCents: 1_300_000,
        releasedCents: 0,
        heldCents: 1_300_000,
      }),
    ]);

    const monthly = await fetchReport(`/programs/${PROGRAM}/reports/budget`, {
      query: "interval=month",
      accept: "text/csv",
    });
    expect(monthly.type).toMatch(/^text\/csv/);
    const { header, rows } = csvRows(monthly.text);
    expect(header.slice(0, 4)).toEqual(["programId", "period", "pool", "committedCents"]);
    const held = header.indexOf("heldCents");
    expect(rows.filter((r) => r[2] === "credits").at(-1)?.[held]).toBe("1300000");

    const cli = await allot("reports", "budget", "--program", PROGRAM, "--interval", "month");
    expect(cli.code).toBe(0);
    expect(cli.out).toMatch(
      /credits\s+\$13,000\.00\s+\$0\.00\s+\$0\.00\s+\$0\.00\s+\$13,000\.00\s+\$13,000\.00\s+2$/m,
    );
  });

  it("reports reserved and used chip-hours per day against the cluster's capacity", async () => {
    const HOUR = 3_600_000;
    const grantee = await actAs(runtime, "facc", "applicant");
    const start = Math.ceil(Date.now() / HOUR) * HOUR + 24 * HOUR;
    const granted = await reply(
      grantee.POST("/awards/{awardId}/reservations", {
        params: { path: { awardId } },
        body: {
          requestId: "util-1",
          chips: 10,
          startsAt: new Date(start).toISOString(),
          endsAt: new Date(start + 3 * HOUR).toISOString(),
        },
      }),
    );
    expect(granted.status).toBe(201);

    const ended = Date.now() - 1_000;
    const record = {
      type: "compute" as const,
      recordId: "util-rec-1",
      awardId,
      chips: 8,
      startedAt: new Date(ended - 2_000).toISOString(),
      endedAt: new Date(ended).toISOString(),
      chargeCents: 1,
    };
    const integration = await actAs(runtime, "billing", "integration");
    await ok(integration.POST("/usage", { body: { records: [record] } }));
    const usedSeconds = [...chipSecondsByDay(record).values()].reduce((a, b) => a + b, 0);

    const staff = await actAs(runtime, "sam", "staff");
    const today = new Date(ended - 2_000).toISOString().slice(0, 10);
    const last = new Date(start + 3 * HOUR).toISOString().slice(0, 10);
    const report = await until(async () => {
      const r = json(
        await ok(
          staff.GET("/programs/{programId}/reports/utilization", {
            params: { path: { programId: PROGRAM }, query: { from: today, to: last } },
          }),
        ),
      );
      return r.totals.usedChipSeconds === usedSeconds ? r : undefined;
    }, "the usage to be counted in the utilization");
    expect(report.clusterChips).toBe(100);
    expect(report.days[0]).toMatchObject({ day: today, capacityChipHours: 2_400 });
    expect(report.totals.reservedChipHours).toBe(30);
    expect(report.totals.capacityChipHours).toBe(2_400 * report.days.length);

    const csv = await fetchReport(`/programs/${PROGRAM}/reports/utilization`, {
      query: `from=${today}&to=${last}&format=csv`,
    });
    const { header, rows } = csvRows(csv.text);
    expect(header).toEqual([
      "programId",
      "day",
      "capacityChipHours",
      "reservedChipHours",
      "usedChipSeconds",
      "usedChipHours",
      "reservedPercent",
      "usedPercent",
    ]);
    expect(rows.map((r) => r[1])).toEqual(report.days.map((d: { day: string }) => d.day));
    expect(rows.reduce((s, r) => s + Number(r[3]), 0)).toBe(30);

    const cli = await allot("reports", "utilization", "--program", PROGRAM, "--from", today, "--to", last);
    expect(cli.code).toBe(0);
    expect(cli.out).toMatch(/^total\s+\d+\s+30\s/m);
  });

  it("counts a program's outputs, their licenses and its compliance rate", async () => {
    const admin = registriesAdmin(runtime.registries);
    await admin.putPaper({
      doi: "10.5555/allot.reports",
      registry: "crossref",
      title: "Sparse attention at scale",
    });
    await admin.putRepository({ owner: "allot-e2e", name: "kernels", visibility: "public", spdxId: "MIT" });
    const grantee = await actAs(runtime, "facc", "applicant");
    for (const body of [
      { doi: "10.5555/allot.reports" },
      { repositoryUrl: "https://github.com/allot-e2e/kernels" },
    ])
      await ok(grantee.POST("/awards/{awardId}/outputs", { params: { path: { awardId } }, body }));
    await until(async () => {
      const { outputs } = await ok(
        grantee.GET("/awards/{awardId}/outputs", { params: { path: { awardId } } }),
      );
      return outputs.length === 2 && outputs.every((o: { status: string }) => o.status === "verified")
        ? true
        : undefined;
    }, "both outputs to be verified");

    const staff = await actAs(runtime, "sam", "staff");
    const report = json(
      await ok(
        staff.GET("/programs/{programId}/reports/outputs", { params: { path: { programId: PROGRAM } } }),
      ),
    );
    expect(report).toMatchObject({
      programId: PROGRAM,
      papers: { registered: 1, verified: 1, pending: 0, rejected: 0, doi: 1, arxiv: 0 },
      repositories: { registered: 1, verified: 1, pending: 0, rejected: 0 },
      licenses: [{ license: "MIT", repositories: 1, permissive: true }],
      // One bound award (the accepted one; the open offer carries no obligations yet), compliant.
      awards: { bound: 1, withVerifiedPaper: 1, withVerifiedRepository: 1, compliant: 1, complianceRate: 1 },
    });

    const csv = await fetchReport(`/programs/${PROGRAM}/reports/outputs`, { accept: "text/csv" });
    expect(csv.type).toMatch(/^text\/csv/);
    const { header, rows } = csvRows(csv.text);
    expect(header).toEqual(["programId", "section", "item", "value"]);
    expect(rows).toContainEqual([PROGRAM, "licenses (permissive)", "MIT", "1"]);
    expect(rows).toContainEqual([PROGRAM, "awards", "complianceRate", "1"]);

    const cli = await allot("reports", "outputs", "--program", PROGRAM);
    expect(cli.code).toBe(0);
    expect(cli.out).toMatch(/^MIT\s+1\s+yes$/m);
    expect(cli.out).toContain("bound awards 1: 1 compliant (rate 1)");
  });

  it("refuses other roles, unknown subjects and unbounded ranges with what to fix", async () => {
    const applicant = await runtime.token("facc", "applicant");
    expect((await fetchReport(`/calls/${CALL}/reports/funnel`, { token: applicant })).status).toBe(403);
    expect((await fetchReport("/calls/no-such-call/reports/funnel")).status).toBe(404);
    expect((await fetchReport("/programs/no-such-program/reports/budget")).status).toBe(404);
    const week = await fetchReport(`/programs/${PROGRAM}/reports/budget`, { query: "interval=week" });
    expect(week.status).toBe(400);
    expect(week.text).toMatch(/interval/);
    const long = await fetchReport(`/programs/${PROGRAM}/reports/utilization`, {
      query: "from=2026-01-01&to=2026-12-31",
    });
    expect(long.status).toBe(400);
    expect(JSON.parse(long.text).message).toMatch(/at most 92 days/);
    const tooMany = await fetchReport(`/programs/${PROGRAM}/reports/budget`, {
      query: "from=2000-01-01&format=csv",
    });
    expect(tooMany.status).toBe(400);
    expect(tooMany.type).toMatch(/^application\/json/);
    expect((await allot("reports", "budget", "--program", PROGRAM, "--from", "2000-01-01")).code).toBe(1);
  });
});
