import { describe, expect, it } from "vitest";
import type { Award } from "../src/award/schema.js";
import {
  backoffSeconds,
  type CodeHost,
  evaluateCompliance,
  listOutputs,
  type OutputDeps,
  overrideOutput,
  parseArxivId,
  parseDoi,
  parseRepositoryUrl,
  planObligation,
  programCompliance,
  type RepositoryLookup,
  recheckOutputs,
  recordObligationOverdue,
  registerOutput,
  requestVerification,
  type ScholarlyRegistry,
  VerificationUnavailable,
  verifyOutput,
} from "../src/output/index.js";
import { memoryOutputs } from "./fakes.js";
import { program } from "./fixtures.js";

const award = (over: Partial<Award> = {}): Award =>
  ({
    awardId: "awd_a1",
    proposalId: "prp_a1",
    programId: program.programId,
    applicantId: "ann",
    status: "active",
    startsAt: "2027-01-01T00:00:00.000Z",
    endsAt: "2028-01-01T00:00:00.000Z",
    ...over,
  }) as Award;

const ann = { userId: "ann", role: "applicant" as const };
const bob = { userId: "bob", role: "applicant" as const };
const staff = { userId: "sam", role: "staff" as const };

/** A code host whose answer per repository the test sets; `unavailable` throws like a 429. */
const programmableHost = () => {
  const answers = new Map<string, RepositoryLookup | "unavailable">();
  const host: CodeHost = {
    async lookUp({ owner, name }) {
      const a = answers.get(`${owner}/${name}`.toLowerCase()) ?? {
        found: false,
        checkedAt: "2027-03-01T00:00:00Z",
      };
      if (a === "unavailable") throw new VerificationUnavailable("github", "rate limited", 42);
      return a;
    },
  };
  const repo = (spdxId: string | null, isPublic = true): RepositoryLookup => ({
    found: true,
    public: isPublic,
    spdxId,
    commitSha: "abc123",
    fullName: "ann/tool",
    checkedAt: "2027-03-01T00:00:00Z",
  });
  return { host, answers, repo };
};

const setup = (over: Partial<Award> = {}) => {
  const outputs = memoryOutputs();
  const awards = new Map([["awd_a1", award(over)]]);
  const github = programmableHost();
  const papers = new Set<string>(["10.1234/found"]);
  const registry: ScholarlyRegistry = {
    async lookUp(ref) {
      const id = ref.kind === "doi" ? ref.doi : ref.arxivId;
      return papers.has(id)
        ? {
            found: true,
            checkedAt: "2027-03-01T00:00:00Z",
            metadata: {
              title: "A paper",
              authors: ["Ann Lee"],
              year: 2027,
              venue: "NeurIPS",
              registry: "crossref",
            },
          }
        : { found: false, checkedAt: "2027-03-01T00:00:00Z" };
    },
  };
  let now = new Date("2027-03-01T00:00:00Z");
  const runs: Array<{ awardId: string; outputId: string; runName: string }> = [];
  const deps: OutputDeps & Parameters<typeof verifyOutput>[0] = {
    awards: {
      get: async (id) => structuredClone(awards.get(id)),
      listByProgram: async (p) => [...awards.values()].filter((a) => a.programId === p),
    },
    programs: { get: async (id) => (id === program.programId ? program : undefined) },
    outputs: outputs.repo,
    registry,
    codeHost: github.host,
    clock: { now: () => now },
  };
  return {
    deps,
    outputs,
    awards,
    github,
    papers,
    runs,
    runsPort: { start: async (r: (typeof runs)[number]) => void runs.push(r) },
    setNow: (iso: string) => {
      now = new Date(iso);
    },
  };
};

const names = (events: { detailType: string }[]) => events.map((e) => e.detailType);

describe("output identities", () => {
  it("normalizes DOIs: links, prefixes and case are one paper", () => {
    for (const input of [
      "10.1234/ABC.5",
      "doi:10.1234/abc.5",
      "https://doi.org/10.1234/Abc.5",
      "http://dx.doi.org/10.1234/abc.5",
    ])
      expect(parseDoi(input)).toEqual({ ok: true, value: { kind: "doi", doi: "10.1234/abc.5" } });
    expect(parseDoi("11.1234/x").ok).toBe(false);
    expect(parseDoi("10.12/x").ok).toBe(false);
  });

  it("normalizes arXiv ids, dropping the version", () => {
    for (const input of [
      "2401.01234",
      "arXiv:2401.01234v2",
      "https://arxiv.org/abs/2401.01234v3",
      "https://arxiv.org/pdf/2401.01234.pdf",
    ])
      expect(parseArxivId(input)).toEqual({ ok: true, value: { kind: "arxiv", arxivId: "2401.01234" } });
    expect(parseArxivId("hep-th/9901001v1")).toEqual({
      ok: true,
      value: { kind: "arxiv", arxivId: "hep-th/9901001" },
    });
    expect(parseArxivId("24.1").ok).toBe(false);
  });

  it("takes GitHub repository URLs only", () => {
    expect(parseRepositoryUrl("https://github.com/Ann/tool.git")).toEqual({
      ok: true,
      value: { owner: "Ann", name: "tool" },
    });
    expect(parseRepositoryUrl("https://www.github.com/ann/tool/")).toEqual({
      ok: true,
      value: { owner: "ann", name: "tool" },
    });
    expect(parseRepositoryUrl("https://github.com/ann/tool/tree/main")).toEqual({
      ok: true,
      value: { owner: "ann", name: "tool" },
    });
    for (const bad of [
      "https://gitlab.com/a/b",
      "https://github.com/a",
      "ann/tool",
      "https://github.com/-a/b",
      "https://github.com/a/..",
    ])
      expect(parseRepositoryUrl(bad).ok).toBe(false);
  });
});

describe("registering outputs", () => {
  it("registers one output per award and identity; a retry or another spelling answers the same", async () => {
    const { deps, outputs } = setup();
    const first = await registerOutput(deps, ann, "awd_a1", { repositoryUrl: "https://github.com/Ann/Tool" });
    expect(first.status).toBe(201);
    expect(first.output).toMatchObject({
      kind: "repository",
      identity: "github:ann/tool",
      status: "pending",
    });
    const again = await registerOutput(deps, ann, "awd_a1", {
      repositoryUrl: "https://github.com/ann/tool.git",
    });
    expect(again).toEqual({ status: 200, output: first.output });
    expect(names(outputs.events)).toEqual(["Output Registered"]);
  });

  it("says what to fix, and hides other grantees' awards", async () => {
    const { deps } = setup();
    await expect(registerOutput(deps, ann, "awd_a1", { doi: "nope" })).rejects.toMatchObject({
      kind: "validation",
      issues: [{ field: "doi", message: expect.stringContaining("DOI") }],
    });
    await expect(
      registerOutput(deps, ann, "awd_a1", { doi: "10.1234/x", arxivId: "2401.01234" }),
    ).rejects.toMatchObject({ kind: "validation" });
    await expect(registerOutput(deps, bob, "awd_a1", { doi: "10.1234/x" })).rejects.toMatchObject({
      kind: "not_found",
    });
    await expect(listOutputs(deps, bob, "awd_a1")).rejects.toMatchObject({ kind: "not_found" });
  });

  it("refuses outputs on an award not accepted", async () => {
    const { deps } = setup({ status: "offered" });
    await expect(registerOutput(deps, ann, "awd_a1", { doi: "10.1234/x" })).rejects.toMatchObject({
      kind: "conflict",
    });
  });
});

describe("verification", () => {
  it("verifies a public repository under a permissive license and records the facts", async () => {
    const { deps, outputs, github } = setup();
    const { output } = await registerOutput(deps, ann, "awd_a1", {
      repositoryUrl: "https://github.com/ann/tool",
    });
    github.answers.set("ann/tool", github.repo("MIT OR Apache-2.0"));
    expect(await verifyOutput(deps, "awd_a1", output.outputId)).toEqual({
      outcome: "verified",
      status: "verified",
    });
    const stored = await outputs.repo.get("awd_a1", output.outputId);
    expect(stored?.verification).toMatchObject({
      outcome: "verified",
      spdxId: "MIT OR Apache-2.0",
      commitSha: "abc123",
    });
    expect(names(outputs.events)).toEqual(["Output Registered", "Output Verified", "Compliance Changed"]);
  });

  it("rejects GPL-3.0-only, a private repository and one that does not exist", async () => {
    const { deps, github } = setup();
    const cases: Array<[string, RepositoryLookup | undefined, string]> = [
      ["gpl", github.repo("GPL-3.0-only"), "not a permissive license"],
      ["private", github.repo("MIT", false), "is private"],
      ["gone", undefined, "does not exist"],
    ];
    for (const [name, answer, reason] of cases) {
      const { output } = await registerOutput(deps, ann, "awd_a1", {
        repositoryUrl: `https://github.com/ann/${name}`,
      });
      if (answer) github.answers.set(`ann/${name}`, answer);
      expect(await verifyOutput(deps, "awd_a1", output.outputId)).toMatchObject({ outcome: "rejected" });
      expect((await deps.outputs.get("awd_a1", output.outputId))?.verification?.reason).toContain(reason);
    }
  });

  it("verifies a DOI that resolves, with its metadata, and rejects one that does not", async () => {
    const { deps } = setup();
    const found = await registerOutput(deps, ann, "awd_a1", { doi: "10.1234/FOUND" });
    await verifyOutput(deps, "awd_a1", found.output.outputId);
    expect((await deps.outputs.get("awd_a1", found.output.outputId))?.verification?.metadata).toMatchObject({
      title: "A paper",
      venue: "NeurIPS",
    });
    const missing = await registerOutput(deps, ann, "awd_a1", { doi: "10.1234/missing" });
    expect(await verifyOutput(deps, "awd_a1", missing.output.outputId)).toMatchObject({
      outcome: "rejected",
      status: "rejected",
    });
    expect((await deps.outputs.get("awd_a1", missing.output.outputId))?.verification?.reason).toContain(
      "does not resolve",
    );
  });

  it("an unavailable service is no outcome: status kept, the attempt recorded, the wait from Retry-After", async () => {
    const { deps, outputs, github } = setup();
    const { output } = await registerOutput(deps, ann, "awd_a1", {
      repositoryUrl: "https://github.com/ann/tool",
    });
    github.answers.set("ann/tool", "unavailable");
    expect(await verifyOutput(deps, "awd_a1", output.outputId, 1)).toEqual({
      outcome: "unavailable",
      attempt: 2,
      retryAt: "2027-03-01T00:00:42.000Z",
      giveUp: false,
    });
    const stored = await outputs.repo.get("awd_a1", output.outputId);
    expect(stored?.status).toBe("pending");
    expect(stored?.lastAttempt?.error).toContain("rate limited");
    expect(names(outputs.events)).toEqual(["Output Registered"]);
    await verifyOutput(deps, "awd_a1", output.outputId, 2);
    const twice = await outputs.repo.get("awd_a1", output.outputId);
    expect(twice?.history.map((h) => h.kind)).toEqual(["registered", "unavailable"]);
    expect(twice?.revision).toBe(3);
    expect(
      (await evaluateCompliance(deps, "awd_a1", "2029-01-01T00:00:00Z")).obligations[1]?.reason,
    ).toContain("awaiting verification");
  });

  it("backs off exponentially without Retry-After, at most an hour", () => {
    expect([1, 2, 3].map((a) => backoffSeconds(a))).toEqual([15, 30, 60]);
    expect(backoffSeconds(20)).toBe(3600);
    expect(backoffSeconds(1, 5)).toBe(5);
  });

  it("a license turned non-permissive flips the output and the obligation, once", async () => {
    const { deps, outputs, github } = setup();
    const { output } = await registerOutput(deps, ann, "awd_a1", {
      repositoryUrl: "https://github.com/ann/tool",
    });
    github.answers.set("ann/tool", github.repo("MIT"));
    await verifyOutput(deps, "awd_a1", output.outputId);
    github.answers.set("ann/tool", github.repo("GPL-3.0-only"));
    await verifyOutput(deps, "awd_a1", output.outputId);
    await verifyOutput(deps, "awd_a1", output.outputId);
    // The repeated finding refreshed the facts without a second history line.
    expect((await outputs.repo.get("awd_a1", output.outputId))?.history.map((h) => h.kind)).toEqual([
      "registered",
      "checked",
      "checked",
    ]);
    const flips = outputs.events
      .filter((e) => e.detailType === "Compliance Changed")
      .map((e) => e.detail.data);
    expect(flips).toEqual([
      expect.objectContaining({ obligation: "repository", met: true }),
      expect.objectContaining({ obligation: "repository", met: false, compliant: true }),
    ]);
    // Past the due date the same state is non-compliance.
    const late = await evaluateCompliance(deps, "awd_a1", "2028-01-02T00:00:00Z");
    expect(late.compliant).toBe(false);
    expect(late.obligations.find((o) => o.kind === "repository")).toMatchObject({
      status: "overdue",
      met: false,
    });
  });
});

describe("staff override", () => {
  it("accepts with a reason on record that stands over later checks", async () => {
    const { deps, outputs } = setup();
    const { output } = await registerOutput(deps, ann, "awd_a1", {
      repositoryUrl: "https://github.com/ann/tool",
    });
    await verifyOutput(deps, "awd_a1", output.outputId);
    const overridden = await overrideOutput(deps, staff, "awd_a1", output.outputId, {
      status: "verified",
      reason: "Mirrored from the university's GitLab, checked by hand",
    });
    expect(overridden.status).toBe("verified");
    expect(
      await overrideOutput(deps, staff, "awd_a1", output.outputId, {
        status: "verified",
        reason: "Mirrored from the university's GitLab, checked by hand",
      }),
    ).toEqual(overridden);
    await verifyOutput(deps, "awd_a1", output.outputId);
    const stored = await outputs.repo.get("awd_a1", output.outputId);
    expect(stored?.status).toBe("verified");
    expect(stored?.history.map((h) => h.kind)).toEqual(["registered", "checked", "override", "checked"]);
    expect(stored?.history[2]).toMatchObject({
      actor: "sam",
      reason: "Mirrored from the university's GitLab, checked by hand",
    });
    expect(names(outputs.events)).toEqual([
      "Output Registered",
      "Output Rejected",
      "Output Verified",
      "Compliance Changed",
    ]);
    await expect(
      overrideOutput(deps, staff, "awd_a1", output.outputId, { status: "verified", reason: "" }),
    ).rejects.toMatchObject({
      kind: "validation",
      issues: [{ field: "reason" }],
    });
  });
});

describe("compliance", () => {
  it("is met per obligation by a verified output, pending before its due date, overdue after", async () => {
    const { deps, github } = setup();
    const repo = await registerOutput(deps, ann, "awd_a1", { repositoryUrl: "https://github.com/ann/tool" });
    github.answers.set("ann/tool", github.repo("Apache-2.0"));
    await verifyOutput(deps, "awd_a1", repo.output.outputId);
    const atEnd = await evaluateCompliance(deps, "awd_a1", "2028-01-01T00:00:00.000Z");
    expect(atEnd).toMatchObject({
      compliant: true,
      obligations: [
        { kind: "paper", dueAt: "2028-06-29T00:00:00.000Z", met: false, status: "pending", outputIds: [] },
        {
          kind: "repository",
          dueAt: "2028-01-01T00:00:00.000Z",
          met: true,
          status: "met",
          outputIds: [repo.output.outputId],
        },
      ],
    });
    const later = await evaluateCompliance(deps, "awd_a1", "2028-06-29T00:00:00.000Z");
    expect(later.compliant).toBe(false);
    expect(later.obligations[0]?.reason).toContain("no verified paper by 2028-06-29");
  });

  it("follows the program's obligations", async () => {
    const { deps } = setup();
    deps.programs = {
      get: async () => ({
        ...program,
        obligations: { paper: { dueAfterEnd: "P30D" }, repository: { dueAfterEnd: "P7D" } },
      }),
    };
    const c = await evaluateCompliance(deps, "awd_a1", "2027-01-01T00:00:00Z");
    expect(c.obligations.map((o) => o.dueAt)).toEqual([
      "2028-01-31T00:00:00.000Z",
      "2028-01-08T00:00:00.000Z",
    ]);
  });

  it("per program: each bound award and the rate", async () => {
    const { deps, awards } = setup();
    awards.set("awd_a2", award({ awardId: "awd_a2", endsAt: "2027-02-01T00:00:00.000Z" }));
    awards.set("awd_a3", award({ awardId: "awd_a3", status: "offered" }));
    const p = await programCompliance(deps, program.programId, "2027-03-01T00:00:00Z");
    expect(p.awards.map((a) => [a.awardId, a.compliant])).toEqual([
      ["awd_a1", true],
      ["awd_a2", false],
    ]);
    expect(p).toMatchObject({ total: 2, compliant: 1, rate: 0.5 });
  });
});

describe("re-checks and on-demand checks", () => {
  it("re-checks verified repositories and unresolved outputs, not staff decisions, one run per day", async () => {
    const { deps, github, runsPort, runs } = setup();
    const repo = await registerOutput(deps, ann, "awd_a1", { repositoryUrl: "https://github.com/ann/tool" });
    github.answers.set("ann/tool", github.repo("MIT"));
    await verifyOutput(deps, "awd_a1", repo.output.outputId);
    const paper = await registerOutput(deps, ann, "awd_a1", { doi: "10.1234/found" });
    await verifyOutput(deps, "awd_a1", paper.output.outputId);
    const pending = await registerOutput(deps, ann, "awd_a1", { arxivId: "2401.01234" });
    const decided = await registerOutput(deps, ann, "awd_a1", {
      repositoryUrl: "https://github.com/ann/other",
    });
    await overrideOutput(deps, staff, "awd_a1", decided.output.outputId, {
      status: "rejected",
      reason: "not the funded work",
    });
    expect(await recheckOutputs({ ...deps, runs: runsPort })).toEqual({ started: 2 });
    expect(runs.map((r) => r.runName)).toEqual([
      `${repo.output.outputId}-2027-03-01`,
      `${pending.output.outputId}-2027-03-01`,
    ]);
  });

  it("an on-demand check starts one run per revision, for the grantee or staff only", async () => {
    const { deps, runsPort, runs } = setup();
    const { output } = await registerOutput(deps, ann, "awd_a1", { doi: "10.1234/found" });
    await requestVerification({ ...deps, runs: runsPort }, ann, "awd_a1", output.outputId);
    await requestVerification({ ...deps, runs: runsPort }, staff, "awd_a1", output.outputId);
    expect(new Set(runs.map((r) => r.runName))).toEqual(new Set([`${output.outputId}-r1`]));
    await expect(
      requestVerification({ ...deps, runs: runsPort }, bob, "awd_a1", output.outputId),
    ).rejects.toMatchObject({ kind: "not_found" });
  });
});

describe("obligation timers", () => {
  it("plans the reminders ahead, then the due date, and re-reads an extended end", async () => {
    const { deps, awards, setNow } = setup();
    setNow("2027-11-01T00:00:00Z");
    expect(await planObligation(deps, "awd_a1", "repository", "")).toEqual({
      step: "remind",
      at: "2027-12-02T00:00:00.000Z",
      dueAt: "2028-01-01T00:00:00.000Z",
    });
    expect(await planObligation(deps, "awd_a1", "repository", "2027-12-02T00:00:00.000Z")).toMatchObject({
      step: "remind",
      at: "2027-12-25T00:00:00.000Z",
    });
    expect(await planObligation(deps, "awd_a1", "repository", "2027-12-25T00:00:00.000Z")).toMatchObject({
      step: "overdue",
      at: "2028-01-01T00:00:00.000Z",
    });
    expect(await planObligation(deps, "awd_a1", "repository", "2028-01-01T00:00:00.000Z")).toEqual({
      step: "done",
    });
    // Extended by a month while the timer waited for the old due date.
    awards.set("awd_a1", award({ endsAt: "2028-02-01T00:00:00.000Z" }));
    setNow("2028-01-01T00:00:00.000Z");
    expect(await recordObligationOverdue(deps, "awd_a1", "repository", "2028-01-01T00:00:00.000Z")).toEqual({
      overdue: false,
    });
    expect(await planObligation(deps, "awd_a1", "repository", "2028-01-01T00:00:00.000Z")).toMatchObject({
      step: "remind",
      at: "2028-01-02T00:00:00.000Z",
    });
  });

  it("records an unmet obligation overdue once at its due date; a met one is not", async () => {
    const { deps, outputs, github, setNow } = setup();
    setNow("2028-01-01T00:00:00.000Z");
    expect(await recordObligationOverdue(deps, "awd_a1", "repository", "2028-01-01T00:00:00.000Z")).toEqual({
      overdue: true,
    });
    await recordObligationOverdue(deps, "awd_a1", "repository", "2028-01-01T00:00:00.000Z");
    expect(outputs.events.filter((e) => e.detailType === "Obligation Overdue")).toHaveLength(1);
    const { output } = await registerOutput(deps, ann, "awd_a1", { doi: "10.1234/found" });
    await verifyOutput(deps, "awd_a1", output.outputId);
    setNow("2028-06-29T00:00:00.000Z");
    expect(await recordObligationOverdue(deps, "awd_a1", "paper", "2028-06-29T00:00:00.000Z")).toEqual({
      overdue: false,
    });
    void github;
  });
});
