import { verificationPortsFromEnv } from "@allot/adapters/verification/index";
import { VerificationUnavailable } from "@allot/core/output";
import { registriesEnv } from "@allot/stacks/env";
import {
  type RegistriesAdmin,
  type RegistriesStandIn,
  registriesAdmin,
  registriesBaseUrls,
  startRegistriesStandIn,
} from "@allot/standins";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";

// Each adapter against the registries stand-in over real HTTP: the answers in the services'
// shapes, and the failures (rate limits with Retry-After, outages, slow answers) injected
// through the admin API that the e2e tests use too.

let standIn: RegistriesStandIn;
let admin: RegistriesAdmin;
let ports: ReturnType<typeof verificationPortsFromEnv>;

beforeAll(async () => {
  standIn = await startRegistriesStandIn({ host: "127.0.0.1", port: 0 });
  admin = registriesAdmin(standIn.url);
  const urls = registriesBaseUrls(standIn.url);
  ports = verificationPortsFromEnv(
    {
      [registriesEnv.crossref]: urls.crossref,
      [registriesEnv.datacite]: urls.datacite,
      [registriesEnv.arxiv]: urls.arxiv,
      [registriesEnv.github]: urls.github,
    },
    { policy: { timeoutMs: 400, maxAttempts: 3, baseDelayMs: 20, maxDelayMs: 2_000 } },
  );
});
afterAll(() => standIn.stop());
beforeEach(() => admin.reset());

describe("papers", () => {
  it("a Crossref DOI resolves with its metadata, whatever form the grantee pasted", async () => {
    await admin.putPaper({
      doi: "10.1234/Allot.42",
      registry: "crossref",
      title: "Scheduling accelerators fairly",
      authors: ["Ada Lovelace", "Charles Babbage"],
      year: 2026,
      venue: "Journal of Shared Machines",
    });
    const lookup = await ports.registry.lookUp({ kind: "doi", doi: "https://doi.org/10.1234/allot.42" });
    expect(lookup).toMatchObject({
      found: true,
      metadata: {
        title: "Scheduling accelerators fairly",
        authors: ["Ada Lovelace", "Charles Babbage"],
        year: 2026,
        venue: "Journal of Shared Machines",
        registry: "crossref",
      },
    });
    expect(await admin.requests()).toMatchObject({ crossref: 1, datacite: 0 });
  });

  it("a DOI Crossref does not know is looked up at DataCite", async () => {
    await admin.putPaper({
      doi: "10.5281/zenodo.77",
      registry: "datacite",
      title: "The data",
      authors: ["Grace Hopper"],
      year: 2025,
    });
    const lookup = await ports.registry.lookUp({ kind: "doi", doi: "10.5281/zenodo.77" });
    expect(lookup).toMatchObject({
      found: true,
      metadata: { registry: "datacite", authors: ["Grace Hopper"], year: 2025 },
    });
    expect(await admin.requests()).toMatchObject({ crossref: 1, datacite: 1 });
  });

  it("a DOI neither registry knows is not found", async () => {
    const lookup = await ports.registry.lookUp({ kind: "doi", doi: "10.9999/nothing" });
    expect(lookup.found).toBe(false);
    expect(lookup.checkedAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
  });

  it("an arXiv id resolves through the arXiv API, versions and prefixes aside", async () => {
    await admin.putPaper({
      arxivId: "2411.01234",
      registry: "arxiv",
      title: "Credits & cash",
      authors: ["Emmy Noether"],
      year: 2024,
    });
    expect(await ports.registry.lookUp({ kind: "arxiv", arxivId: "arXiv:2411.01234v3" })).toMatchObject({
      found: true,
      metadata: {
        title: "Credits & cash",
        authors: ["Emmy Noether"],
        year: 2024,
        venue: "arXiv",
        registry: "arxiv",
      },
    });
    expect((await ports.registry.lookUp({ kind: "arxiv", arxivId: "2411.99999" })).found).toBe(false);
  });

  it("a rate limit with Retry-After is waited for and retried, then the answer counts", async () => {
    await admin.putPaper({ doi: "10.1234/rl", registry: "crossref", title: "Patience", authors: ["A B"] });
    await admin.putFault({ service: "crossref", status: 429, retryAfterSeconds: 1, times: 1 });
    const started = Date.now();
    const lookup = await ports.registry.lookUp({ kind: "doi", doi: "10.1234/rl" });
    expect(lookup.found).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_000);
    expect((await admin.requests()).crossref).toBe(2);
  });

  it("Crossref down for good: VerificationUnavailable, never 'not found', even when DataCite answers 404", async () => {
    await admin.putFault({ service: "crossref", status: 503, times: 100 });
    const error = await ports.registry
      .lookUp({ kind: "doi", doi: "10.1234/whatever" })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VerificationUnavailable);
    expect(error).toMatchObject({ service: "crossref" });
    expect(await admin.requests()).toMatchObject({ crossref: 3, datacite: 1 });
  });

  it("but a DOI DataCite knows is found while Crossref is down", async () => {
    await admin.putPaper({ doi: "10.5281/zenodo.5", registry: "datacite", title: "Still here", authors: [] });
    await admin.putFault({ service: "crossref", status: 503, times: 100 });
    expect((await ports.registry.lookUp({ kind: "doi", doi: "10.5281/zenodo.5" })).found).toBe(true);
  });

  it("an arXiv API slower than the timeout is retried, then unavailable", async () => {
    await admin.putFault({ service: "arxiv", timeoutMs: 2_000, times: 3 });
    await expect(ports.registry.lookUp({ kind: "arxiv", arxivId: "2411.01234" })).rejects.toThrow(
      "arxiv did not answer: no answer within 400 ms",
    );
    expect((await admin.requests()).arxiv).toBe(3);
  });
});

describe("repositories", () => {
  it("a public repository with a license: its SPDX id at the default branch's head", async () => {
    const sha = "a".repeat(40);
    await admin.putRepository({
      owner: "lab",
      name: "solver",
      visibility: "public",
      spdxId: "Apache-2.0",
      commitSha: sha,
    });
    expect(await ports.codeHost.lookUp({ owner: "Lab", name: "solver" })).toMatchObject({
      found: true,
      public: true,
      spdxId: "Apache-2.0",
      commitSha: sha,
      defaultBranch: "main",
      fullName: "lab/solver",
    });
    // The repository, the head commit, the license at that commit.
    expect((await admin.requests()).github).toBe(3);
  });

  it("a repository without a license file: spdxId null", async () => {
    await admin.putRepository({ owner: "lab", name: "bare", visibility: "public", spdxId: null });
    expect(await ports.codeHost.lookUp({ owner: "lab", name: "bare" })).toMatchObject({
      found: true,
      public: true,
      spdxId: null,
    });
  });

  it("a private repository is found but not public", async () => {
    await admin.putRepository({ owner: "lab", name: "secret", visibility: "private", spdxId: "MIT" });
    expect(await ports.codeHost.lookUp({ owner: "lab", name: "secret" })).toMatchObject({
      found: true,
      public: false,
    });
  });

  it("a license change is seen at a new commit, and a deleted repository is gone", async () => {
    await admin.putRepository({ owner: "lab", name: "flip", visibility: "public", spdxId: "MIT" });
    const before = await ports.codeHost.lookUp({ owner: "lab", name: "flip" });
    await admin.putRepository({ owner: "lab", name: "flip", visibility: "public", spdxId: "GPL-3.0" });
    const after = await ports.codeHost.lookUp({ owner: "lab", name: "flip" });
    expect(after).toMatchObject({ found: true, spdxId: "GPL-3.0" });
    expect(after.found && before.found && after.commitSha !== before.commitSha).toBe(true);
    await admin.deleteRepository("lab", "flip");
    expect((await ports.codeHost.lookUp({ owner: "lab", name: "flip" })).found).toBe(false);
  });

  it("GitHub's rate-limit 403 with Retry-After is retried, then the answer counts", async () => {
    await admin.putRepository({ owner: "lab", name: "busy", visibility: "public", spdxId: "MIT" });
    await admin.putFault({ service: "github", status: 403, retryAfterSeconds: 1, times: 1 });
    expect(await ports.codeHost.lookUp({ owner: "lab", name: "busy" })).toMatchObject({
      found: true,
      spdxId: "MIT",
    });
    expect((await admin.requests()).github).toBe(4);
  });

  it("a primary rate limit reset an hour away is not waited for: unavailable, with when to come back", async () => {
    await admin.putFault({ service: "github", status: 403, retryAfterSeconds: 3_600, times: 5 });
    const error = await ports.codeHost.lookUp({ owner: "lab", name: "any" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VerificationUnavailable);
    expect((error as VerificationUnavailable).retryAfterSeconds).toBeGreaterThanOrEqual(3_599);
    expect((await admin.requests()).github).toBe(1);
  });

  it("GitHub down for good: VerificationUnavailable after the retries", async () => {
    await admin.putRepository({ owner: "lab", name: "down", visibility: "public", spdxId: "MIT" });
    await admin.putFault({ service: "github", status: 503, times: 100 });
    await expect(ports.codeHost.lookUp({ owner: "lab", name: "down" })).rejects.toBeInstanceOf(
      VerificationUnavailable,
    );
    expect((await admin.requests()).github).toBe(3);
  });

  it("a GitHub slower than the timeout once is retried and answers", async () => {
    await admin.putRepository({ owner: "lab", name: "slow", visibility: "public", spdxId: "BSD-3-Clause" });
    await admin.putFault({ service: "github", timeoutMs: 1_500, times: 1 });
    expect(await ports.codeHost.lookUp({ owner: "lab", name: "slow" })).toMatchObject({
      found: true,
      spdxId: "BSD-3-Clause",
    });
    expect((await admin.requests()).github).toBe(4);
  });
});

describe("the admin API", () => {
  it("refuses what it cannot represent, saying what to fix", async () => {
    await expect(admin.putPaper({ registry: "crossref", title: "No DOI" })).rejects.toThrow(/needs a doi/);
    await expect(admin.putFault({ service: "github", status: 500 as 503, times: 1 })).rejects.toThrow(/400/);
  });
});
