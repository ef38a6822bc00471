import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { actAs, ok, openCall, rubricReview, submission, submit, waitForStatus } from "../support/allot.js";
import { type RuntimeProcess, startRuntimeProcess, until } from "../support/runtime.js";

// `allot` as staff run it: a child process against the real local stack, through the HTTP API
// and the edge's admin operations, judged by its exit code, its stdout and its stderr.

const root = resolve(import.meta.dirname, "../..");

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

const allot = (args: string[], env: Record<string, string> = {}) =>
  new Promise<Run>((resolveRun, reject) => {
    const child = spawn(process.execPath, ["packages/cli/bin/allot.mjs", ...args], {
      cwd: root,
      env: { ...process.env, ALLOT_API_URL: "", ALLOT_TOKEN: "", ALLOT_EDGE_URL: "", ...env },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on("error", reject);
    child.on("close", (status) => resolveRun({ status, stdout, stderr }));
  });

let runtime: RuntimeProcess;
let staffEnv: Record<string, string>;
let decided: string[];
const startedAt = new Date(Date.now() - 1_000).toISOString();

/** A proposal of the call, reviewed by whichever pool reviewer got it, waiting for the committee. */
const pendingProposal = async (applicant: string) => {
  const id = await submit(
    runtime,
    applicant,
    submission("e2e-cli-call", {
      pi: { name: `${applicant} PI`, email: `${applicant}@inst.example`, institution: `Inst ${applicant}` },
      requestedCashCents: 200_000,
      requestedCreditsCents: 400_000,
    }),
  );
  const assignment = await until(async () => {
    for (const reviewerId of ["rev-ada", "rev-dana", "rev-freya"]) {
      const { items } = await ok((await actAs(runtime, reviewerId, "reviewer")).GET("/assignments"));
      const found = items.find((a: { proposalId: string }) => a.proposalId === id);
      if (found) return found;
    }
    return undefined;
  }, `a reviewer of ${id}`);
  await ok(
    (await actAs(runtime, assignment.reviewerId, "reviewer")).POST("/assignments/{assignmentId}/review", {
      params: { path: { assignmentId: assignment.assignmentId } },
      body: rubricReview({ impact: 4 }),
    }),
  );
  await waitForStatus(runtime, id, "decision_pending");
  return id;
};

beforeAll(async () => {
  runtime = await startRuntimeProcess();
  const staff = await actAs(runtime, "sam", "staff");
  await ok(
    staff.POST("/programs", {
      body: {
        programId: "e2e-cli",
        name: "CLI test program",
        pools: { cashCents: 10_000_000, creditsCents: 20_000_000 },
        caps: {
          maxGrantCashCents: 5_000_000,
          maxGrantCreditsCents: 10_000_000,
          maxPartnerCreditsCents: 10_000_000,
        },
        cluster: { chips: 100 },
        creditRate: { centsPerChipHour: 100 },
      },
    }),
  );
  await openCall(staff, {
    programId: "e2e-cli",
    callId: "e2e-cli-call",
    title: "CLI e2e call",
    reviewerPool: ["rev-ada", "rev-dana", "rev-freya"],
  });
  decided = await Promise.all([pendingProposal("cli-alice"), pendingProposal("cli-bob")]);
}, 180_000);
afterAll(async () => {
  await runtime?.stop();
});

describe("allot against the local stack", () => {
  it("mints a local token the API accepts, and lists programs as a table and as JSON", async () => {
    const token = await allot(["token", "--sub", "sam", "--role", "staff"], {
      ALLOT_DATA_DIR: runtime.dataDir,
    });
    expect(token.status, token.stderr).toBe(0);
    expect(token.stdout.trim()).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    staffEnv = { ALLOT_API_URL: runtime.http, ALLOT_TOKEN: token.stdout.trim() };

    const listed = await allot(["programs", "list"], staffEnv);
    expect(listed.status, listed.stderr).toBe(0);
    const [header, ...rows] = listed.stdout.trim().split("\n");
    expect(header).toMatch(/^PROGRAM\s+NAME\s+CASH POOL\s+CREDITS POOL\s+CHIPS$/);
    expect(rows.find((r) => r.startsWith("e2e-cli "))).toMatch(
      /CLI test program\s+\$100,000\.00\s+\$200,000\.00\s+100$/,
    );

    const json = await allot([
      "--json",
      "programs",
      "list",
      "--url",
      runtime.http,
      "--token",
      staffEnv.ALLOT_TOKEN ?? "",
    ]);
    expect(json.status, json.stderr).toBe(0);
    expect(JSON.parse(json.stdout).map((p: { programId: string }) => p.programId)).toEqual(
      expect.arrayContaining(["model-program", "e2e-cli"]),
    );
  });

  it("shows the API's 403 message as it is and exits 1", async () => {
    const applicant = await runtime.token("cli-alice", "applicant");
    const result = await allot(["programs", "list", "--url", runtime.http, "--token", applicant]);
    expect(result.status).toBe(1);
    expect(result.stderr).toBe("API 403: The applicant role may not call GET /programs\n");
    expect(result.stdout).toBe("");
  });

  it("applies a decisions file with progress on stderr, lists the failure, and is safe to run again", async () => {
    const [approved, declined] = decided as [string, string];
    const unknown = "prp_00000000000000000000000000";
    const file = join(mkdtempSync(join(tmpdir(), "allot-cli-")), "decisions.csv");
    writeFileSync(
      file,
      [
        "proposalId,outcome,rationale,cashCents,creditsCents",
        `${approved},approve,"Top ranked, clear open-source plan",150000,200000`,
        `${declined},decline,Outside the call's scope,,`,
        `${unknown},decline,No such proposal anywhere,,`,
      ].join("\n"),
    );
    const staff = await actAs(runtime, "sam", "staff");
    const proposal = (proposalId: string) =>
      ok(staff.GET("/proposals/{proposalId}", { params: { path: { proposalId } } }));

    const first = await allot(["decisions", "apply", "--file", file], staffEnv);
    expect(first.status).toBe(1);
    expect(first.stderr).toMatch(/^\[1\/3\] line \d/);
    expect(first.stderr).toContain("[3/3] line");
    expect(first.stderr).toContain(
      `2 of 3 decisions recorded; 1 failed:\n  line 4 ${unknown}: API 404: Proposal ${unknown} was not found\n`,
    );
    expect(first.stdout).toMatch(
      new RegExp(`\\n\\s*2\\s+${approved}\\s+approve\\s+recorded \\(awarded\\)\\n`),
    );
    const before = await Promise.all(decided.map(proposal));
    expect(before.map((p) => p.decision?.outcome)).toEqual(["approve", "decline"]);
    expect(before[0]?.decision).toMatchObject({ cashCents: 150_000, creditsCents: 200_000 });

    const again = await allot(["decisions", "apply", "--file", file, "--json"], staffEnv);
    expect(again.status, again.stderr).toBe(1);
    expect(JSON.parse(again.stdout)).toEqual([
      { line: 2, proposalId: approved, outcome: "approve", ok: true, status: "awarded" },
      { line: 3, proposalId: declined, outcome: "decline", ok: true, status: "declined" },
      {
        line: 4,
        proposalId: unknown,
        outcome: "decline",
        ok: false,
        error: `API 404: Proposal ${unknown} was not found`,
      },
    ]);
    const after = await Promise.all(decided.map(proposal));
    expect(after.map((p) => p.decision)).toEqual(before.map((p) => p.decision));
  });

  it("checks a program's ledger through the API: consistent, exit 0; a ledger never opened, exit 1", async () => {
    const staff = await actAs(runtime, "sam", "staff");
    await until(async () => {
      const { items } = await ok(staff.GET("/awards", { params: { query: { programId: "e2e-cli" } } }));
      return items.length ? items : undefined;
    }, "the approved award's budget to be committed");
    const result = await allot(["ledger", "check", "--program", "e2e-cli"], staffEnv);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^program e2e-cli: 2 entries over 1 awards\n/);
    // total, committed, consumed, available
    expect(result.stdout).toMatch(/\ncash\s+\$100,000\.00\s+\$1,500\.00\s+\$0\.00\s+\$98,500\.00\n/);
    expect(result.stdout.trim().split("\n").at(-1)).toBe("ledger consistent");

    const json = await allot(["ledger", "check", "--program", "e2e-cli", "--json"], staffEnv);
    expect(JSON.parse(json.stdout)).toMatchObject({
      programId: "e2e-cli",
      entries: 2,
      awards: 1,
      differences: [],
    });

    const unopened = await allot(["ledger", "check", "--program", "model-program"], staffEnv);
    expect(unopened.status).toBe(1);
    expect(unopened.stderr).toBe("API 404: The ledger of program model-program was not found\n");
  });

  it("lists dead letters and re-drives through the edge's admin operations", async () => {
    const edge = { ALLOT_EDGE_URL: runtime.edge };
    const listed = await allot(["events", "dead-letters", "--all"], edge);
    expect(listed.status, listed.stderr).toBe(0);
    expect(listed.stdout).toMatch(
      /^ID\s+STATUS\s+FAILED AT\s+RULE\s+FUNCTION\s+DETAIL TYPE\s+ATTEMPTS\s+ERROR\n\(none\)\n$/,
    );
    const json = await allot(["events", "dead-letters", "--json"], edge);
    expect(JSON.parse(json.stdout)).toEqual([]);

    const redrive = await allot(["events", "redrive", "dl-missing"], edge);
    expect(redrive.status).toBe(1);
    expect(redrive.stderr).toContain("dl-missing: not a dead letter (unknown, or re-driven already)");
    expect(redrive.stdout).toBe("0 dead letter(s) re-driven\n");
  });

  it("replays the decisions' events to one rule with progress, and shows the edge's error for an unknown rule", async () => {
    const to = new Date(Date.now() + 1_000).toISOString();
    const edge = { ALLOT_EDGE_URL: runtime.edge };
    const replay = await allot(
      [
        "events",
        "replay",
        "--from",
        startedAt,
        "--to",
        to,
        "--rule",
        "notify-decision",
        "--name",
        "cli-e2e",
        "--json",
      ],
      edge,
    );
    expect(replay.status, replay.stderr).toBe(0);
    expect(replay.stderr).toMatch(
      /^replaying allot from .* to .*\nreplay cli-e2e: 2 event\(s\), 2 deliveries queued in [\d.]+ s\n$/,
    );
    expect(JSON.parse(replay.stdout)).toEqual({ replayName: "cli-e2e", replayed: 2, deliveries: 2 });

    const unknownRule = await allot(
      ["events", "replay", "--from", startedAt, "--to", to, "--rule", "nope"],
      edge,
    );
    expect(unknownRule.status).toBe(1);
    expect(unknownRule.stderr).toContain(
      "edge 400 ResourceNotFoundException: Rule nope does not exist on EventBus allot.",
    );
  });
});
