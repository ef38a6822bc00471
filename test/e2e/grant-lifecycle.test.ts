import { execFile } from "node:child_process";
import { resolve } from "node:path";
import { promisify } from "node:util";
import { type RegistriesAdmin, registriesAdmin } from "@allot/standins";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { actAs, activeAward, ok, openCall, outboxMessages } from "../support/allot.js";
import { checkLocalLedger, localLedgerEntries } from "../support/ledger.js";
import { api, type RuntimeProcess, startRuntimeProcess, until } from "../support/runtime.js";

// A grant's whole life on the real local stack (DynamoDB Local, the edge, the HTTP API, the
// provider and registries stand-ins): proposal to closeout with a verified paper and a
// permissive repository, a supplement, late usage in the grace period, and a ledger whose sums
// close exactly; then what goes wrong: a non-permissive and a vanishing repository, a DOI that
// does not resolve, rate-limited verification, revocation after consumption, and a kill -9 in
// the middle of a closeout.

const PROGRAM = "e2e-life";
const CALL = "e2e-life-call";
const GRACE_SECONDS = 40;

let runtime: RuntimeProcess;
let registries: RegistriesAdmin;

type Caller = ReturnType<typeof api>;
const as = async (sub: string, role: string): Promise<Caller> =>
  api(runtime.http, await runtime.token(sub, role));
const staff = () => as("sam", "staff");
const operation = () => ({ "Idempotency-Key": crypto.randomUUID() });

/** The answer's body when the status is the one expected; otherwise the test fails with the answer. */
const expectStatus = async (
  pending: Promise<{ status: number; body: unknown }>,
  status: number | number[],
  // biome-ignore lint/suspicious/noExplicitAny: bodies of routes read field by field
): Promise<any> => {
  const answer = await pending;
  const wanted = Array.isArray(status) ? status : [status];
  expect(wanted, JSON.stringify(answer.body)).toContain(answer.status);
  return answer.body;
};

// biome-ignore lint/suspicious/noExplicitAny: the API's JSON, read field by field
type Json = any;

/** `npx allot …` as staff run it, against this runtime's edge. */
const allot = async (...args: string[]) =>
  promisify(execFile)(process.execPath, ["packages/cli/bin/allot.mjs", ...args], {
    cwd: resolve(import.meta.dirname, "../.."),
    env: { ...process.env, ALLOT_EDGE_URL: runtime.edge },
  });
const itemsOf = (body: Json): Json[] => (Array.isArray(body) ? body : (body?.items ?? body?.outputs ?? []));

const awardOf = async (awardId: string): Promise<Json> =>
  expectStatus((await staff())("GET", `/awards/${awardId}`), 200);

const awardStatusToBe = (awardId: string, statuses: string[], timeoutMs = 120_000) =>
  until(
    async () => {
      const award = await awardOf(awardId);
      return statuses.includes(award.status) ? award : undefined;
    },
    `award ${awardId} to be ${statuses.join(" or ")}`,
    timeoutMs,
  );

/** A compute record of usage that ran a moment ago (within the award's life). */
const usage = (awardId: string, recordId: string, chargeCents: number) => {
  const start = Date.now() - 2_000;
  return {
    type: "compute" as const,
    recordId,
    awardId,
    chips: 8,
    startedAt: new Date(start).toISOString(),
    endedAt: new Date(start + 1_000).toISOString(),
    chargeCents,
  };
};

const sendUsage = async (records: unknown[]) => {
  const integration = await as("provider-1", "integration");
  const body = await expectStatus(integration("POST", "/usage", { records }), 202);
  expect(body.rejected).toEqual([]);
};

const countedToBe = (awardId: string, cents: number) =>
  until(
    async () => {
      const view = await expectStatus((await staff())("GET", `/awards/${awardId}/usage`), 200);
      return view.consumedCents === cents ? view : undefined;
    },
    `award ${awardId} to have counted ${cents} cents of usage`,
    60_000,
  );

// Outputs ------------------------------------------------------------------------------------

const registerOutput = async (grantee: string, awardId: string, output: Record<string, string>) => {
  const me = await as(grantee, "applicant");
  const body = await expectStatus(
    me("POST", `/awards/${awardId}/outputs`, output, operation()),
    [200, 201, 202],
  );
  expect(body.outputId).toEqual(expect.any(String));
  return body.outputId as string;
};

const outputOf = async (grantee: string, awardId: string, outputId: string): Promise<Json> => {
  const me = await as(grantee, "applicant");
  const listed = itemsOf(await expectStatus(me("GET", `/awards/${awardId}/outputs`), 200));
  return listed.find((o) => o.outputId === outputId);
};

const outputStatusToBe = (grantee: string, awardId: string, outputId: string, status: string) =>
  until(
    async () => {
      const output = await outputOf(grantee, awardId, outputId);
      return output?.status === status ? output : undefined;
    },
    `output ${outputId} to be ${status}`,
    60_000,
  );

const complianceOf = async (awardId: string): Promise<Json> =>
  expectStatus((await staff())("GET", `/awards/${awardId}/compliance`), 200);

// Changes --------------------------------------------------------------------------------------

const requestChange = async (grantee: string, awardId: string, change: Record<string, unknown>) => {
  const me = await as(grantee, "applicant");
  const body = await expectStatus(me("POST", `/awards/${awardId}/changes`, change, operation()), [200, 201]);
  expect(body.status).toBe("pending");
  return body.changeId as string;
};

const approveChange = async (awardId: string, changeId: string, decision: Record<string, unknown>) =>
  expectStatus(
    (await staff())("POST", `/awards/${awardId}/changes/${changeId}/approve`, decision, operation()),
    200,
  );

/** An approved early closeout: the award goes closing, its workflow waits out the grace period. */
const closeEarly = async (grantee: string, awardId: string) => {
  const changeId = await requestChange(grantee, awardId, {
    kind: "early-closeout",
    justification: "The research finished ahead of plan; closing out early returns the remainder.",
  });
  await approveChange(awardId, changeId, { rationale: "Work complete; close out early." });
  return awardStatusToBe(awardId, ["closing"], 60_000);
};

const finalReport = (cashSpentCents: number, outputIds: string[] = []) => ({
  summary: "We built and released sparse attention kernels and evaluated them on long contexts.",
  outcomes: ["A paper on sparse attention at scale", "An open-source kernel library"],
  cashSpentCents,
  outputIds,
});

/** The award's ledger entries summed by kind, per pool. */
const ledgerSums = async (awardId: string) => {
  const entries = await localLedgerEntries(runtime, awardId);
  const sums: Record<string, Record<string, number>> = { cash: {}, credits: {} };
  for (const entry of entries) {
    const pool = sums[entry.pool] as Record<string, number>;
    pool[entry.kind] = (pool[entry.kind] ?? 0) + entry.amountCents;
  }
  return { entries, sums };
};

beforeAll(async () => {
  runtime = await startRuntimeProcess();
  registries = registriesAdmin(runtime.registries);
  const sam = await actAs(runtime, "sam", "staff");
  await ok(
    sam.POST("/programs", {
      body: {
        programId: PROGRAM,
        name: "A grant's whole life",
        pools: { cashCents: 50_000_000, creditsCents: 100_000_000 },
        caps: {
          maxGrantCashCents: 20_000_000,
          maxGrantCreditsCents: 40_000_000,
          maxPartnerCreditsCents: 90_000_000,
        },
        cluster: { chips: 1_000 },
        creditRate: { centsPerChipHour: 200 },
        closeout: { gracePeriod: `PT${GRACE_SECONDS}S`, finalReportPeriod: "PT10M" },
      },
    }),
  );
  await openCall(sam, {
    programId: PROGRAM,
    callId: CALL,
    title: "Whole-life e2e call",
    reviewerPool: ["rev-ada", "rev-dana"],
  });
}, 180_000);
afterAll(async () => {
  await runtime?.stop();
});

describe("a grant's whole life", () => {
  it("runs from proposal to closeout: verified paper and permissive repository, a supplement, late usage, and a ledger that closes exactly", async () => {
    const { awardId } = await activeAward(runtime, CALL, "gwen", 1_000_000);
    const award = await awardOf(awardId);
    expect(award.status).toBe("active");
    const cashCents = award.cashCents as number;
    expect(cashCents).toBe(100_000);

    // Outputs: a paper Crossref knows and a repository GitHub has, public under Apache-2.0.
    await registries.putPaper({
      doi: "10.5555/allot.life.1",
      registry: "crossref",
      title: "Sparse Attention at Scale",
      authors: ["Gwen Grantee", "Ada Okafor"],
      year: 2026,
      venue: "Journal of Open Research",
    });
    await registries.putRepository({
      owner: "gwen-lab",
      name: "sparse-attn",
      visibility: "public",
      spdxId: "Apache-2.0",
    });
    const paperId = await registerOutput("gwen", awardId, { doi: "https://doi.org/10.5555/allot.life.1" });
    const repoId = await registerOutput("gwen", awardId, {
      repositoryUrl: "https://github.com/gwen-lab/sparse-attn",
    });
    const paper = await outputStatusToBe("gwen", awardId, paperId, "verified");
    expect(paper.verification).toMatchObject({
      outcome: "verified",
      metadata: expect.objectContaining({ title: "Sparse Attention at Scale", year: 2026 }),
    });
    const repo = await outputStatusToBe("gwen", awardId, repoId, "verified");
    expect(repo.verification).toMatchObject({
      outcome: "verified",
      spdxId: "Apache-2.0",
      commitSha: expect.any(String),
    });

    // Usage while active: counted, then settled into the ledger at closeout.
    await sendUsage([usage(awardId, "gwen-1", 120_000), usage(awardId, "gwen-2", 180_000)]);
    await countedToBe(awardId, 300_000);

    // A supplement: asked for 200,000 credits, granted 150,000 (less than asked), with a rationale.
    const supplement = await requestChange("gwen", awardId, {
      kind: "supplement",
      creditsCents: 200_000,
      justification: "Ablations need another 200,000 credits of accelerator time to finish.",
    });
    const decided = await approveChange(awardId, supplement, {
      rationale: "Granted in part: the ablations justify 150,000 credits.",
      creditsCents: 150_000,
    });
    expect(decided).toMatchObject({ status: "approved", decision: { granted: { creditsCents: 150_000 } } });
    expect((await awardOf(awardId)).creditsCents).toBe(1_150_000);

    // Early closeout approved: closing. Usage that ran before it, reported late, still counts
    // while the closeout waits out its grace period.
    const late = usage(awardId, "gwen-late", 50_000);
    const closing = await closeEarly("gwen", awardId);
    expect(closing.status).toBe("closing");
    await sendUsage([late]);
    await countedToBe(awardId, 350_000);

    // The final report (with the outputs) settles the cash: 60,000 spent of 100,000.
    const me = await as("gwen", "applicant");
    await expectStatus(
      me("PUT", `/awards/${awardId}/final-report`, finalReport(60_000, [paperId, repoId])),
      [200, 201],
    );

    const closed = await awardStatusToBe(
      awardId,
      ["closed", "closed_noncompliant"],
      (GRACE_SECONDS + 120) * 1000,
    );
    expect(closed.status).toBe("closed");
    expect(closed.closeout).toMatchObject({
      credits: { consumedCents: 350_000, returnedCents: 800_000 },
      cash: { spentCents: 60_000, returnedCents: 40_000, reportMissing: false },
      compliance: { compliant: true },
    });

    // The ledger: what was committed (commit + supplement) is exactly consumed + returned, per pool.
    const { sums } = await ledgerSums(awardId);
    expect(sums.credits).toEqual({ commit: 1_000_000, topup: 150_000, consume: -350_000, release: -800_000 });
    expect(sums.cash).toEqual({ commit: 100_000, consume: -60_000, release: -40_000 });
    for (const pool of ["cash", "credits"] as const) {
      const s = sums[pool] as Record<string, number>;
      expect((s.commit ?? 0) + (s.topup ?? 0), pool).toBe(-(s.consume ?? 0) - (s.release ?? 0));
    }
    expect(await checkLocalLedger(runtime, PROGRAM)).toEqual([]);

    // The grantee was told along the way (one RFC 5322 file per message in the outbox).
    const toGwen = outboxMessages(runtime).filter(
      (m) => m.includes("gwen@inst.example") && m.includes(awardId),
    );
    expect(toGwen.some((m) => /^Subject:.*clos/im.test(m))).toBe(true);
  }, 600_000);
});

describe("what goes wrong", () => {
  let awardId: string;
  beforeAll(async () => {
    ({ awardId } = await activeAward(runtime, CALL, "ned", 500_000));
  }, 180_000);

  it("rejects a repository under a non-permissive license and says why", async () => {
    await registries.putRepository({
      owner: "ned-lab",
      name: "copyleft",
      visibility: "public",
      spdxId: "GPL-3.0-only",
    });
    const id = await registerOutput("ned", awardId, { repositoryUrl: "https://github.com/ned-lab/copyleft" });
    const output = await outputStatusToBe("ned", awardId, id, "rejected");
    expect(output.verification).toMatchObject({ outcome: "rejected", spdxId: "GPL-3.0-only" });
    expect(output.verification.reason).toMatch(/GPL-3\.0-only/);
  }, 120_000);

  it("rejects a DOI that does not resolve in Crossref or DataCite", async () => {
    const id = await registerOutput("ned", awardId, { doi: "10.5555/does-not-exist" });
    const output = await outputStatusToBe("ned", awardId, id, "rejected");
    expect(output.verification.outcome).toBe("rejected");
  }, 120_000);

  it("flips a verified repository that vanishes, and the award's repository obligation with it", async () => {
    await registries.putRepository({
      owner: "ned-lab",
      name: "fleeting",
      visibility: "public",
      spdxId: "MIT",
    });
    const id = await registerOutput("ned", awardId, { repositoryUrl: "https://github.com/ned-lab/fleeting" });
    await outputStatusToBe("ned", awardId, id, "verified");
    const repositoryObligation = async () =>
      (await complianceOf(awardId)).obligations.find((o: { kind: string }) => o.kind === "repository");
    expect(await repositoryObligation()).toMatchObject({ met: true, status: "met", outputIds: [id] });

    await registries.deleteRepository("ned-lab", "fleeting");
    const me = await as("ned", "applicant");
    await expectStatus(me("POST", `/awards/${awardId}/outputs/${id}/verify`, undefined, operation()), 202);
    const output = await outputStatusToBe("ned", awardId, id, "rejected");
    expect(output.history.map((h: { status: string }) => h.status)).toEqual(
      expect.arrayContaining(["verified", "rejected"]),
    );
    // Not met any more; the award stays compliant only until the obligation falls due.
    expect(await repositoryObligation()).toMatchObject({ met: false, status: "pending" });
    expect((await complianceOf(awardId)).compliant).toBe(true);
  }, 120_000);

  it("catches a license changed to a non-permissive one at the periodic re-check (the schedule, fired now)", async () => {
    await registries.putRepository({
      owner: "ned-lab",
      name: "relicensed",
      visibility: "public",
      spdxId: "MIT",
    });
    const id = await registerOutput("ned", awardId, {
      repositoryUrl: "https://github.com/ned-lab/relicensed",
    });
    await outputStatusToBe("ned", awardId, id, "verified");
    await registries.putRepository({
      owner: "ned-lab",
      name: "relicensed",
      visibility: "public",
      spdxId: "AGPL-3.0-only",
    });
    const run = await allot("events", "run-schedule", "recheck-outputs");
    expect(run.stdout).toMatch(/^recheck-outputs: event [0-9a-f-]{36} sent to 1 target\(s\)\n$/);
    const output = await outputStatusToBe("ned", awardId, id, "rejected");
    expect(output.verification).toMatchObject({ outcome: "rejected", spdxId: "AGPL-3.0-only" });
  }, 180_000);

  it("retries rate-limited verification (429 with Retry-After) and never counts it as non-compliance", async () => {
    await registries.putRepository({
      owner: "ned-lab",
      name: "busy",
      visibility: "public",
      spdxId: "BSD-3-Clause",
    });
    await registries.resetRequests();
    await registries.putFault({ service: "github", status: 429, retryAfterSeconds: 1, times: 2 });
    const id = await registerOutput("ned", awardId, { repositoryUrl: "https://github.com/ned-lab/busy" });
    const output = await outputStatusToBe("ned", awardId, id, "verified");
    expect(output.verification.spdxId).toBe("BSD-3-Clause");
    // Two refused requests, then the repository, its license and its commit.
    expect((await registries.requests()).github).toBeGreaterThanOrEqual(5);

    // GitHub down for good: the output stays pending (unavailable recorded), never rejected.
    await registries.putRepository({ owner: "ned-lab", name: "later", visibility: "public", spdxId: "MIT" });
    await registries.putFault({ service: "github", status: 503, times: 1_000 });
    try {
      const pendingId = await registerOutput("ned", awardId, {
        repositoryUrl: "https://github.com/ned-lab/later",
      });
      const pending = await until(
        async () => {
          const o = await outputOf("ned", awardId, pendingId);
          return o?.lastAttempt ? o : undefined;
        },
        "an unanswered verification attempt to be recorded",
        90_000,
      );
      expect(pending.status).toBe("pending");
    } finally {
      await registries.clearFaults();
    }
  }, 240_000);

  it("revokes after consumption: only the unconsumed remainder goes back to the pool", async () => {
    const { awardId: revoked } = await activeAward(runtime, CALL, "rita", 1_000_000);
    await sendUsage([usage(revoked, "rita-1", 400_000)]);
    await countedToBe(revoked, 400_000);
    const sam = await staff();
    const body = await expectStatus(
      sam("POST", `/awards/${revoked}/revoke`, { reason: "misuse of credits" }, operation()),
      200,
    );
    expect(body.status).toBe("revoked");
    const { sums } = await ledgerSums(revoked);
    expect(sums.credits).toEqual({ commit: 1_000_000, consume: -400_000, release: -600_000 });
    expect(await checkLocalLedger(runtime, PROGRAM)).toEqual([]);
  }, 240_000);
});

describe("a kill -9 during closeout", () => {
  it("loses and doubles nothing: the closeout resumes and the ledger closes exactly", async () => {
    const { awardId } = await activeAward(runtime, CALL, "kim", 800_000);
    await sendUsage([usage(awardId, "kim-1", 250_000)]);
    await countedToBe(awardId, 250_000);
    await closeEarly("kim", awardId);

    // Killed while the closeout waits out its grace period (its durable Wait and its tasks to come).
    await runtime.kill("SIGKILL");
    await runtime.restart();

    const me = await as("kim", "applicant");
    await expectStatus(me("PUT", `/awards/${awardId}/final-report`, finalReport(30_000)), [200, 201]);
    // And again once the report is in, while the closeout settles and returns what is left.
    await runtime.kill("SIGKILL");
    await runtime.restart();
    const closed = await awardStatusToBe(
      awardId,
      ["closed", "closed_noncompliant"],
      (GRACE_SECONDS + 180) * 1000,
    );
    // No outputs registered: closed, but not compliant.
    expect(closed.status).toBe("closed_noncompliant");

    const { entries, sums } = await ledgerSums(awardId);
    expect(new Set(entries.map((e) => e.entryId)).size).toBe(entries.length);
    expect(sums.credits).toEqual({ commit: 800_000, consume: -250_000, release: -550_000 });
    expect(sums.cash).toEqual({ commit: 100_000, consume: -30_000, release: -70_000 });
    expect(await checkLocalLedger(runtime, PROGRAM)).toEqual([]);
  }, 600_000);
});
