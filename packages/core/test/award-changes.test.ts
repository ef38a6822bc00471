import { describe, expect, it } from "vitest";
import type { Actor } from "../src/actor.js";
import {
  type Award,
  alignProvisionedProject,
  approveChange,
  type ChangeDeps,
  type ChangeRequest,
  type ComputeProvider,
  denyChange,
  listAwardChanges,
  listChanges,
  modifyProviderProject,
  requestChange,
} from "../src/award/index.js";
import { retryOnConcurrentModification } from "../src/errors.js";
import { changeDecidedMessage } from "../src/notification/index.js";
import { memoryAwards, memoryChanges, memoryLedger, memoryPrograms } from "./fakes.js";
import { program } from "./fixtures.js";

const AWARD = "awd_0123456789abcdefghjkmnpqrs";
const grantee: Actor = { userId: "grantee-1", role: "applicant" } as Actor;
const stranger: Actor = { userId: "someone-else", role: "applicant" } as Actor;
const staff: Actor = { userId: "sam", role: "staff" } as Actor;
const justification = "The experiments need a second round of ablations on larger models.";

const activeAward = (): Award => ({
  awardId: AWARD,
  proposalId: "prp_0123456789abcdefghjkmnpqrs",
  programId: program.programId,
  callId: "call-1",
  applicantId: grantee.userId,
  institution: "Uni",
  strategicPartner: false,
  cashCents: 10_000_000,
  creditsCents: 10_000_000,
  periodMonths: 12,
  status: "active",
  offeredAt: "2026-01-01T00:00:00.000Z",
  offerExpiresAt: "2026-02-01T00:00:00.000Z",
  startsAt: "2026-02-01T00:00:00.000Z",
  endsAt: "2027-02-01T00:00:00.000Z",
  provider: {
    projectId: "p-1",
    access: { loginHost: "h", account: "a", instructions: "i" },
    provisionedAt: "2026-02-01T00:00:00.000Z",
  },
  history: [],
  revision: 1,
});

const setup = async (pools = { cashCents: 100_000_000, creditsCents: 100_000_000 }) => {
  const awards = memoryAwards();
  awards.items.set(AWARD, activeAward());
  const changeItems = new Map<string, ChangeRequest>();
  const ledger = memoryLedger(awards.items, changeItems);
  await ledger.repo.openPools(program.programId, pools, program.caps.maxPartnerCreditsCents);
  const changes = memoryChanges(awards.items, changeItems);
  const programs = memoryPrograms();
  programs.items.set(program.programId, program);
  const modified: unknown[][] = [];
  const provider = {
    async modifyProject(...args: unknown[]) {
      modified.push(args);
    },
  } as unknown as ComputeProvider;
  let tick = 0;
  const deps = {
    awards: awards.repo,
    ledger: ledger.repo,
    changes: changes.repo,
    programs: { ...programs.repo, listInstitutions: async () => [] },
    provider,
    clock: { now: () => new Date(Date.UTC(2026, 5, 1, 0, 0, tick++)) },
  } as unknown as ChangeDeps;
  return { deps, awards, ledger, changes, modified };
};

const supplement = (creditsCents: number, cashCents = 0) => ({
  kind: "supplement" as const,
  cashCents,
  creditsCents,
  justification,
});

describe("change requests", () => {
  it("approves a supplement for less than asked: award, ledger and decision move together", async () => {
    const { deps, awards, ledger, changes } = await setup();
    const asked = await requestChange(deps, grantee, AWARD, supplement(5_000_000, 1_000_000), "op-1");
    expect(asked).toMatchObject({
      status: "pending",
      kind: "supplement",
      requested: { creditsCents: 5_000_000 },
    });
    expect(changes.events.map((e) => e.detailType)).toEqual(["Change Requested"]);

    const decided = await approveChange(deps, staff, AWARD, asked.changeId, {
      rationale: "Half of the credits fit this round's budget.",
      creditsCents: 2_500_000,
    });
    expect(decided.status).toBe("approved");
    expect(decided.decision).toMatchObject({
      decidedBy: "sam",
      rationale: "Half of the credits fit this round's budget.",
      granted: { cashCents: 1_000_000, creditsCents: 2_500_000 },
    });
    const award = awards.items.get(AWARD) as Award;
    expect([award.cashCents, award.creditsCents]).toEqual([11_000_000, 12_500_000]);
    const entries = await ledger.repo.entriesForAward(AWARD);
    expect(entries.map((e) => [e.pool, e.kind, e.amountCents])).toEqual([
      ["cash", "topup", 1_000_000],
      ["credits", "topup", 2_500_000],
    ]);
    // One movement carries the top-up and the decision: the events went out together.
    expect(
      ledger.events.map((e) => [e.detailType, (e.detail.data as { changeId?: string }).changeId]),
    ).toEqual([
      ["Budget Committed", asked.changeId],
      ["Change Decided", asked.changeId],
    ]);
    expect((await changes.repo.get(AWARD, asked.changeId))?.status).toBe("approved");
  });

  it("lands a retried request once, and keeps one open request per kind", async () => {
    const { deps, changes } = await setup();
    const first = await requestChange(deps, grantee, AWARD, supplement(1_000), "op-1");
    const retry = await requestChange(deps, grantee, AWARD, supplement(1_000), "op-1");
    expect(retry.changeId).toBe(first.changeId);
    expect(changes.items.size).toBe(1);
    await expect(requestChange(deps, grantee, AWARD, supplement(2_000), "op-2")).rejects.toThrow(
      new RegExp(`open supplement request \\(${first.changeId}\\)`),
    );
    // Another kind is its own queue.
    await requestChange(deps, grantee, AWARD, { kind: "extension", months: 3, justification }, "op-3");
    expect(changes.items.size).toBe(2);
    // A decided request frees its kind.
    await denyChange(deps, staff, AWARD, first.changeId, { rationale: "Not this quarter." });
    await requestChange(deps, grantee, AWARD, supplement(2_000), "op-4");
    expect((await listAwardChanges(deps, grantee, AWARD)).map((c) => c.status)).toEqual([
      "denied",
      "pending",
      "pending",
    ]);
  });

  it("denies with a rationale on record, moving no money; the same decision again answers as before", async () => {
    const { deps, ledger, awards } = await setup();
    const asked = await requestChange(deps, grantee, AWARD, supplement(1_000_000), "op-1");
    const denied = await denyChange(deps, staff, AWARD, asked.changeId, {
      rationale: "The pools are committed.",
    });
    expect(denied).toMatchObject({ status: "denied", decision: { rationale: "The pools are committed." } });
    expect(await ledger.repo.entriesForAward(AWARD)).toEqual([]);
    expect(awards.items.get(AWARD)?.creditsCents).toBe(10_000_000);
    expect(await denyChange(deps, staff, AWARD, asked.changeId, { rationale: "again" })).toEqual(denied);
    await expect(
      approveChange(deps, staff, AWARD, asked.changeId, { rationale: "changed my mind" }),
    ).rejects.toThrow(/already denied/);
  });

  it("refuses more than was asked, and a supplement past the grant cap with the numbers", async () => {
    const { deps } = await setup();
    const asked = await requestChange(deps, grantee, AWARD, supplement(1_000_000), "op-1");
    await expect(
      approveChange(deps, staff, AWARD, asked.changeId, { rationale: "Generous.", creditsCents: 2_000_000 }),
    ).rejects.toMatchObject({
      kind: "validation",
      issues: [{ field: "creditsCents", message: "2000000 is more than the 1000000 requested" }],
    });
    await expect(
      approveChange(deps, staff, AWARD, asked.changeId, { rationale: "Wrong kind.", months: 2 }),
    ).rejects.toMatchObject({
      issues: [{ field: "months", message: "does not apply to a supplement request" }],
    });
    // The credit cap is 40,000,000 cents; the award holds 10,000,000.
    await expect(requestChange(deps, grantee, AWARD, supplement(30_000_001), "op-2")).rejects.toMatchObject({
      kind: "validation",
      issues: [
        {
          field: "creditsCents",
          message:
            "the award would hold 40000001 credit cents, over the 40000000 cents credit cap (it holds 10000000)",
        },
      ],
    });
  });

  it("refuses an approval the pools cannot cover with the numbers, and leaves the request pending", async () => {
    const { deps, changes } = await setup({ cashCents: 100_000_000, creditsCents: 500_000 });
    const asked = await requestChange(deps, grantee, AWARD, supplement(1_000_000), "op-1");
    await expect(
      approveChange(deps, staff, AWARD, asked.changeId, { rationale: "Yes." }),
    ).rejects.toMatchObject({
      kind: "conflict",
      message:
        "The top-up does not fit the budget: the credits pool has 500000 cents left, 1000000 requested",
    });
    expect(changes.items.get(asked.changeId)?.status).toBe("pending");
  });

  it("approves an extension (the end moves, AwardExtended names the change) and an early closeout", async () => {
    const { deps, awards, changes } = await setup();
    const ext = await requestChange(
      deps,
      grantee,
      AWARD,
      { kind: "extension", months: 6, justification },
      "op-1",
    );
    await approveChange(deps, staff, AWARD, ext.changeId, { rationale: "Four months suffice.", months: 4 });
    expect(awards.items.get(AWARD)).toMatchObject({ endsAt: "2027-06-01T00:00:00.000Z", periodMonths: 16 });
    const close = await requestChange(
      deps,
      grantee,
      AWARD,
      { kind: "early-closeout", justification },
      "op-2",
    );
    await approveChange(deps, staff, AWARD, close.changeId, { rationale: "The work is done." });
    expect(changes.events.map((e) => [e.detailType, e.detail.data])).toEqual([
      ["Change Requested", expect.objectContaining({ kind: "extension" })],
      [
        "Award Extended",
        expect.objectContaining({ endsAt: "2027-06-01T00:00:00.000Z", changeId: ext.changeId }),
      ],
      ["Change Decided", expect.objectContaining({ decision: "approved", kind: "extension" })],
      ["Change Requested", expect.objectContaining({ kind: "early-closeout" })],
      [
        "Award Closeout Requested",
        {
          awardId: AWARD,
          proposalId: activeAward().proposalId,
          programId: program.programId,
          reason: `early closeout approved (change ${close.changeId})`,
        },
      ],
      ["Change Decided", expect.objectContaining({ decision: "approved", kind: "early-closeout" })],
    ]);
    expect(awards.items.get(AWARD)?.status).toBe("active");
  });

  it("applies concurrent approvals of different requests, each once", async () => {
    const { deps, awards } = await setup();
    const sup = await requestChange(deps, grantee, AWARD, supplement(1_000_000), "op-1");
    const ext = await requestChange(
      deps,
      grantee,
      AWARD,
      { kind: "extension", months: 2, justification },
      "op-2",
    );
    await Promise.all([
      retryOnConcurrentModification(() =>
        approveChange(deps, staff, AWARD, sup.changeId, { rationale: "Yes." }),
      ),
      retryOnConcurrentModification(() =>
        approveChange(deps, staff, AWARD, ext.changeId, { rationale: "Yes." }),
      ),
    ]);
    expect(awards.items.get(AWARD)).toMatchObject({
      creditsCents: 11_000_000,
      endsAt: "2027-04-01T00:00:00.000Z",
    });
  });

  it("lets only the grantee ask, only staff decide, and only staff list the queue", async () => {
    const { deps } = await setup();
    await expect(requestChange(deps, stranger, AWARD, supplement(1), "op-1")).rejects.toMatchObject({
      kind: "not_found",
    });
    await expect(requestChange(deps, staff, AWARD, supplement(1), "op-1")).rejects.toMatchObject({
      kind: "forbidden",
    });
    const asked = await requestChange(deps, grantee, AWARD, supplement(1), "op-1");
    await expect(
      approveChange(deps, grantee, AWARD, asked.changeId, { rationale: "Mine." }),
    ).rejects.toMatchObject({
      kind: "forbidden",
    });
    await expect(listAwardChanges(deps, stranger, AWARD)).rejects.toMatchObject({ kind: "not_found" });
    await expect(listChanges(deps, grantee, { status: "pending" })).rejects.toMatchObject({
      kind: "forbidden",
    });
    expect((await listChanges(deps, staff, { status: "pending" })).items.map((c) => c.changeId)).toEqual([
      asked.changeId,
    ]);
  });
});

describe("the provider's project after a change", () => {
  it("is set to the award's totals (chip-hours at the program's rate), and left alone without a project", async () => {
    const { deps, awards, modified } = await setup();
    expect(await modifyProviderProject(deps, AWARD)).toEqual({ modified: true });
    expect(modified).toEqual([
      [AWARD, { creditsCents: 10_000_000, chipHours: 50_000, endsAt: "2027-02-01T00:00:00.000Z" }],
    ]);
    awards.items.set(AWARD, { ...activeAward(), provider: undefined, status: "provisioning" });
    expect(await modifyProviderProject(deps, AWARD)).toEqual({ modified: false });
    expect(modified).toHaveLength(1);
  });
});

describe("the provider's project once provisioned", () => {
  it("is brought in line when the award was topped up while the project was being created, and only then", async () => {
    const { deps, awards, modified } = await setup();
    const provisioning = {
      at: "2026-02-01T00:00:00.000Z",
      status: "provisioning" as const,
      actor: "alice",
      reason: "accepted",
    };
    const active = {
      at: "2026-02-02T00:00:00.000Z",
      status: "active" as const,
      actor: "allot",
      reason: "provisioned",
    };
    awards.items.set(AWARD, { ...activeAward(), history: [provisioning, active] });
    expect(await alignProvisionedProject(deps, AWARD)).toEqual({ modified: false });
    expect(modified).toEqual([]);

    const topUp = {
      ...provisioning,
      at: "2026-02-01T12:00:00.000Z",
      reason: "top-up: more",
      operationId: "op-1",
    };
    awards.items.set(AWARD, { ...activeAward(), history: [provisioning, topUp, active] });
    expect(await alignProvisionedProject(deps, AWARD)).toEqual({ modified: true });
    expect(modified).toEqual([
      [AWARD, { creditsCents: 10_000_000, chipHours: 50_000, endsAt: "2027-02-01T00:00:00.000Z" }],
    ]);
  });
});

describe("the decision's notice", () => {
  it("tells the grantee what was asked, what was granted and the rationale", () => {
    const message = changeDecidedMessage({
      applicantName: "Ada",
      awardId: AWARD,
      proposalTitle: "Sparse attention",
      kind: "supplement",
      decision: "approved",
      requested: { cashCents: 0, creditsCents: 5_000_000 },
      granted: { cashCents: 0, creditsCents: 2_500_000 },
      rationale: "Half fits this round.",
    });
    expect(message.subject).toBe('Your supplement request for "Sparse attention" was approved');
    expect(message.text).toContain("Requested: $0.00 cash and $50,000.00 in compute credits");
    expect(message.text).toContain("Granted: $0.00 cash and $25,000.00 in compute credits");
    expect(message.text).toContain("Program staff's rationale:\n    Half fits this round.");
  });
});
