import { describe, expect, it } from "vitest";
import type { Actor } from "../src/actor.js";
import { type AwardDeps, commitAward, type LedgerRepository, partnerKeyOf } from "../src/award/index.js";
import { DomainError } from "../src/errors.js";
import { listPartnerInstitutions, putPartnerInstitution } from "../src/program/index.js";
import {
  createDraft,
  type Proposal,
  ProposalDraft,
  screenProposal,
  submitProposal,
} from "../src/proposal/index.js";
import { memoryCalls, memoryPrograms, memoryProposals } from "./fakes.js";
import { call, program, submission } from "./fixtures.js";

const now = new Date("2026-11-28T10:00:00Z");
const clock = { now: () => now };
const staff: Actor = { userId: "sam", role: "staff" };
const alice: Actor = { userId: "alice", role: "applicant" };

const northfield = {
  name: "Northfield Institute of Technology",
  aliases: ["Northfield Tech"],
  creditCapCents: 1_000_000_000,
};

const setup = async (eligibility: Partial<typeof call.eligibility> = {}) => {
  const proposals = memoryProposals();
  const programs = memoryPrograms();
  const calls = memoryCalls();
  programs.items.set(program.programId, program);
  calls.items.set(call.callId, { ...call, eligibility: { ...call.eligibility, ...eligibility } });
  const deps = { proposals: proposals.repo, calls: calls.repo, programs: programs.repo, clock };
  await putPartnerInstitution(deps, staff, "p1", "northfield", northfield);
  return { deps, programs, proposals };
};

const errorOf = async (p: Promise<unknown>) => {
  const error = await p.catch((e) => e);
  if (!(error instanceof DomainError)) throw new Error(`expected a DomainError, got ${String(error)}`);
  return error;
};

type Deps = Awaited<ReturnType<typeof setup>>["deps"];
const submitted = async (deps: Deps, pi: Record<string, unknown>) => {
  const { proposal } = await createDraft(deps, alice, { ...submission, pi } as never);
  return submitProposal(deps, alice, proposal.proposalId);
};

describe("partner institutions, a staff-managed list per program", () => {
  it("creates, replaces and lists an institution idempotently by its id", async () => {
    const { deps, programs } = await setup();
    const again = await putPartnerInstitution(deps, staff, "p1", "northfield", northfield);
    expect(again.created).toBe(false);
    expect(again.institution).toMatchObject({ institutionId: "northfield", revision: 1, ...northfield });
    expect(programs.events.map((e) => e.detailType)).toEqual(["Partner Institution Saved"]);

    const raised = await putPartnerInstitution(deps, staff, "p1", "northfield", {
      ...northfield,
      creditCapCents: 1_100_000_000,
    });
    expect(raised).toMatchObject({
      created: false,
      institution: { revision: 2, creditCapCents: 1_100_000_000 },
    });
    expect(programs.events.map((e) => e.detail.eventId)).toEqual([
      "program:p1:institution:northfield:1",
      "program:p1:institution:northfield:2",
    ]);
    expect((await listPartnerInstitutions(deps, alice, "p1")).map((i) => i.institutionId)).toEqual([
      "northfield",
    ]);
    // Who on the staff edited the list is the staff's business, not the applicant's.
    expect((await listPartnerInstitutions(deps, alice, "p1"))[0]).not.toHaveProperty("updatedBy");
    expect((await listPartnerInstitutions(deps, staff, "p1"))[0]).toMatchObject({ updatedBy: "sam" });
    expect((await errorOf(listPartnerInstitutions(deps, alice, "nope"))).kind).toBe("not_found");
    const huge = await errorOf(listPartnerInstitutions(deps, alice, "p".repeat(3_000)));
    expect(huge.kind).toBe("not_found");
    expect(huge.message.length).toBeLessThan(200);
  });

  it("refuses a bad institution with every field named, and non-staff", async () => {
    const { deps } = await setup();
    const bad = await errorOf(
      putPartnerInstitution(deps, staff, "p1", "Bad Id!", { name: "", aliases: [""], creditCapCents: -1 }),
    );
    expect(bad.kind).toBe("validation");
    expect(bad.issues.map((i) => i.field).sort()).toEqual([
      "aliases.0",
      "creditCapCents",
      "institutionId",
      "name",
    ]);
    const aboveProgram = await errorOf(
      putPartnerInstitution(deps, staff, "p1", "eastlake", {
        name: "Eastlake University",
        creditCapCents: program.caps.maxPartnerCreditsCents + 1,
      }),
    );
    expect(aboveProgram.issues).toEqual([
      { field: "creditCapCents", message: expect.stringContaining("caps.maxPartnerCreditsCents") },
    ]);
    // One name leads to one institution only, however it is spelled.
    const clash = await errorOf(
      putPartnerInstitution(deps, staff, "p1", "nit", {
        name: "NIT",
        aliases: ["northfield  TECH"],
        creditCapCents: 1,
      }),
    );
    expect(clash.issues).toEqual([{ field: "aliases.0", message: expect.stringContaining("northfield") }]);
    expect((await errorOf(putPartnerInstitution(deps, alice, "p1", "x1", northfield))).kind).toBe(
      "forbidden",
    );
    expect((await errorOf(putPartnerInstitution(deps, staff, "nope", "x1", northfield))).kind).toBe(
      "not_found",
    );
  });
});

describe("a proposal names its institution by id", () => {
  it("refuses an id not on the program's list, naming the field", async () => {
    const { deps } = await setup();
    const error = await errorOf(submitted(deps, { ...submission.pi, institutionId: "southgate" }));
    expect(error.kind).toBe("validation");
    expect(error.issues).toEqual([
      { field: "pi.institutionId", message: expect.stringContaining("GET /programs/p1/institutions") },
    ]);
  });

  it("refuses the self-declared partner flag", () => {
    const parsed = ProposalDraft.safeParse({
      callId: "c1",
      pi: { ...submission.pi, strategicPartner: true },
    });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((i) => [i.path.join("."), i.message])).toEqual([
      ["pi.strategicPartner", expect.stringContaining("pi.institutionId")],
    ]);
  });

  it("stores the canonical name with the id, whatever the applicant typed", async () => {
    const { deps } = await setup();
    const proposal = await submitted(deps, {
      name: "Ann",
      email: "ann@nit.example",
      institutionId: "northfield",
    });
    expect(proposal.pi).toMatchObject({ institutionId: "northfield", institution: northfield.name });
  });

  it("reads a stored proposal's self-declared flag as free text, never as partner status", async () => {
    const { deps, proposals } = await setup({ partnersOnly: true });
    const { proposal } = await createDraft(deps, alice, submission);
    // A draft written before partner institutions, as an existing data folder holds it.
    const stored = proposals.items.get(proposal.proposalId) as Proposal;
    proposals.items.set(proposal.proposalId, {
      ...stored,
      pi: {
        ...submission.pi,
        institution: "Northfield Institute of Technology",
        strategicPartner: true,
      } as never,
    });
    const sent = await submitProposal(deps, alice, proposal.proposalId);
    expect(sent.pi).not.toHaveProperty("strategicPartner");
    const screened = await screenProposal(deps, proposal.proposalId);
    expect(screened.eligible).toBe(false);
  });
});

describe("partnersOnly calls and screening key on the canonical id", () => {
  it("refuses a non-partner, even one typing a partner's exact name, and flags the name for staff", async () => {
    const { deps } = await setup({ partnersOnly: true });
    const proposal = await submitted(deps, { ...submission.pi, institution: "Northfield Tech" });
    const result = await screenProposal(deps, proposal.proposalId);
    expect(result.eligible).toBe(false);
    expect(result.reasons.join(" ")).toContain("open to strategic partner institutions only");
    expect(result.warnings).toEqual([expect.stringContaining("matches partner institution northfield")]);
  });

  it("admits a proposal that names a partner's id", async () => {
    const { deps } = await setup({ partnersOnly: true });
    const proposal = await submitted(deps, { ...submission.pi, institutionId: "northfield" });
    const result = await screenProposal(deps, proposal.proposalId);
    expect(result).toEqual({ eligible: true, reasons: [] });
  });
});

describe("the partner credit cap keys on the canonical id", () => {
  const commitFor = async (pi: Record<string, unknown>) => {
    const { deps, proposals } = await setup();
    const base = {
      ...submission,
      proposalId: "prp_01jdt7x2k9m3n4p5q6r7s8t9v0",
      applicantId: "alice",
      status: "awarded",
      createdAt: now.toISOString(),
      updatedAt: now.toISOString(),
      decision: {
        outcome: "approve",
        rationale: "Strong and feasible",
        cashCents: 0,
        creditsCents: 5_000_000,
        decidedBy: "sam",
        decidedAt: now.toISOString(),
        scoreAtDecision: null,
      },
      revision: 5,
    };
    proposals.items.set(base.proposalId, { ...base, pi } as unknown as Proposal);
    const moves: Parameters<LedgerRepository["move"]>[0][] = [];
    const awardDeps = {
      ...deps,
      awards: { get: async () => undefined },
      ledger: { openPools: async () => undefined, move: async (m: (typeof moves)[0]) => void moves.push(m) },
    } as unknown as AwardDeps;
    await commitAward(awardDeps, base.proposalId);
    const entries = moves[0]?.entries ?? [];
    expect(entries).toHaveLength(1);
    return entries[0];
  };

  it("counts an award naming the id against the institution, however its name was typed", async () => {
    const entry = await commitFor({ ...submission.pi, institution: "N.I.T.", institutionId: "northfield" });
    expect(entry).toMatchObject({
      institutionId: "northfield",
      institution: northfield.name,
      strategicPartner: true,
    });
    expect(partnerKeyOf(entry as never)).toBe("northfield");
  });

  it("still counts a partner that left out its id and typed its name or an alias", async () => {
    for (const institution of ["Northfield Tech", "  northfield institute of TECHNOLOGY "]) {
      const entry = await commitFor({ ...submission.pi, institution });
      expect(entry).toMatchObject({ institutionId: "northfield", strategicPartner: true });
    }
  });

  it("ignores a self-declared flag: free text that names no partner is no partner", async () => {
    const entry = await commitFor({ ...submission.pi, institution: "Uni A", strategicPartner: true });
    expect(entry).toMatchObject({ institution: "Uni A", strategicPartner: false });
    expect(entry).not.toHaveProperty("institutionId");
  });
});
