import {
  type Award,
  type AwardRepository,
  BudgetExhausted,
  type LedgerEntry,
  type LedgerRepository,
} from "@allot/core/award";
import { describe, expect, it } from "vitest";
import { contractAward } from "./awards.js";
import { event, failureOf, freshId, type Published } from "./support.js";

export interface LedgerSubject {
  ledger: LedgerRepository;
  /** Reads the award records the ledger writes. */
  awards: AwardRepository;
  published: Published;
}

const POOLS = { cashCents: 1_000_000, creditsCents: 2_000_000 };
const PARTNER_CAP = 300_000;

const entry = (award: Award, over: Partial<LedgerEntry> = {}): LedgerEntry => ({
  entryId: freshId("led"),
  programId: award.programId,
  awardId: award.awardId,
  institution: "Uni A",
  strategicPartner: false,
  pool: "cash",
  kind: "commit",
  amountCents: 100_000,
  actor: "system",
  cause: "contract",
  at: "2027-01-10T00:00:00.000Z",
  ...over,
});

/** The award as a commitment leaves it, and the input that moves its cash and credits. */
const commitment = (award: Award, cash: number, credits: number, over: Partial<LedgerEntry> = {}) => ({
  requestToken: freshId("req"),
  entries: [
    entry(award, { pool: "cash", amountCents: cash, ...over }),
    entry(award, { pool: "credits", amountCents: credits, ...over }),
  ],
  award: { item: award as unknown as Record<string, unknown>, expectedRevision: null },
  events: [event("committed")],
});

const shortfallsOf = async (p: Promise<unknown>) => {
  const error = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof BudgetExhausted)) throw new Error(`expected BudgetExhausted, got ${String(error)}`);
  return error.shortfalls;
};

/** The LedgerRepository port's promises, for any implementation. */
export const ledgerRepositoryContract = (name: string, subject: () => Promise<LedgerSubject>) =>
  describe(`LedgerRepository contract: ${name}`, () => {
    const opened = async (ledger: LedgerRepository) => {
      const programId = freshId("prog");
      await ledger.openPools(programId, POOLS, PARTNER_CAP);
      return programId;
    };

    it("opens a program's pools once: the same amounts again are a no-op, other amounts a conflict", async () => {
      const { ledger } = await subject();
      const programId = await opened(ledger);
      await ledger.openPools(programId, POOLS, PARTNER_CAP);
      expect(await ledger.pools(programId)).toEqual([
        {
          programId,
          pool: "cash",
          totalCents: 1_000_000,
          committedCents: 0,
          consumedCents: 0,
          availableCents: 1_000_000,
        },
        {
          programId,
          pool: "credits",
          totalCents: 2_000_000,
          committedCents: 0,
          consumedCents: 0,
          availableCents: 2_000_000,
        },
      ]);
      expect(await failureOf(ledger.openPools(programId, { ...POOLS, cashCents: 5 }, PARTNER_CAP))).toBe(
        "conflict",
      );
      expect(await ledger.pools(freshId("prog"))).toEqual([]);
    });

    it("moves entries, balances, the award and its events together", async () => {
      const { ledger, awards, published } = await subject();
      const programId = await opened(ledger);
      const award = contractAward({ programId });
      const input = commitment(award, 400_000, 500_000);
      await ledger.move(input);
      expect(await awards.get(award.awardId)).toEqual(award);
      expect(await published(input.events[0]?.detail.eventId as string)).toBe(true);
      expect(
        (await ledger.pools(programId)).map((p) => [p.pool, p.committedCents, p.availableCents]),
      ).toEqual([
        ["cash", 400_000, 600_000],
        ["credits", 500_000, 1_500_000],
      ]);
      const ids = input.entries.map((e) => e.entryId).sort();
      expect((await ledger.entriesForAward(award.awardId)).map((e) => e.entryId).sort()).toEqual(ids);
      expect(await ledger.entriesForProgram(programId)).toEqual(await ledger.entriesForAward(award.awardId));
      expect(
        (await ledger.entriesForAward(award.awardId)).find((e) => e.entryId === input.entries[0]?.entryId),
      ).toEqual(input.entries[0]);
    });

    it("writes a movement once, whether its request token or its entries come twice", async () => {
      const { ledger } = await subject();
      const programId = await opened(ledger);
      const award = contractAward({ programId });
      const input = commitment(award, 100_000, 100_000);
      await ledger.move(input);
      await ledger.move(input);
      await ledger.move({ ...input, requestToken: freshId("req") });
      expect((await ledger.pools(programId)).map((p) => p.committedCents)).toEqual([100_000, 100_000]);
      expect(await ledger.entriesForAward(award.awardId)).toHaveLength(2);
      const mixed = {
        ...input,
        requestToken: freshId("req"),
        entries: [input.entries[0] as LedgerEntry, entry(award, { kind: "topup", amountCents: 5 })],
        award: { item: { ...award, revision: 2 }, expectedRevision: 1 },
      };
      expect(await failureOf(ledger.move(mixed))).toBe("conflict");
    });

    it("refuses a movement a pool cannot cover, whole, naming every shortfall", async () => {
      const { ledger, awards, published } = await subject();
      const programId = await opened(ledger);
      const award = contractAward({ programId });
      const input = commitment(award, 1_000_001, 2_000_001);
      expect(await shortfallsOf(ledger.move(input))).toEqual([
        { kind: "pool", pool: "cash", requestedCents: 1_000_001, availableCents: 1_000_000 },
        { kind: "pool", pool: "credits", requestedCents: 2_000_001, availableCents: 2_000_000 },
      ]);
      expect(await awards.get(award.awardId)).toBeUndefined();
      expect(await ledger.entriesForAward(award.awardId)).toEqual([]);
      expect(await published(input.events[0]?.detail.eventId as string)).toBe(false);
      expect((await ledger.pools(programId)).map((p) => p.committedCents)).toEqual([0, 0]);
    });

    it("writes the award under its revision: a stale movement is a concurrent modification", async () => {
      const { ledger } = await subject();
      const programId = await opened(ledger);
      const award = contractAward({ programId });
      await ledger.move(commitment(award, 100, 100));
      const again = commitment(award, 100, 100);
      expect(await failureOf(ledger.move(again))).toBe("concurrent modification");
      const topUp = {
        ...commitment(award, 0, 50, { kind: "topup" }),
        award: { item: { ...award, revision: 2 }, expectedRevision: 1 },
      };
      await ledger.move(topUp);
      expect(
        await failureOf(ledger.move({ ...topUp, requestToken: freshId("req"), entries: [entry(award)] })),
      ).toBe("concurrent modification");
      expect((await ledger.pools(programId)).map((p) => p.committedCents)).toEqual([100, 150]);
    });

    it("refuses a release of more than is committed as a conflict", async () => {
      const { ledger } = await subject();
      const programId = await opened(ledger);
      const award = contractAward({ programId });
      await ledger.move(commitment(award, 100, 100));
      const release = {
        requestToken: freshId("req"),
        entries: [entry(award, { kind: "release", amountCents: -1_000_000_000 })],
        award: { item: { ...award, status: "declined", revision: 2 }, expectedRevision: 1 },
        events: [],
      };
      expect(await failureOf(ledger.move(release))).toBe("conflict");
      expect((await ledger.pools(programId)).map((p) => p.committedCents)).toEqual([100, 100]);
    });

    it("keeps a partner's credits within the program's partner cap, and reports its balance", async () => {
      const { ledger } = await subject();
      const programId = await opened(ledger);
      const partner = { strategicPartner: true, institution: "Northfield  University" };
      const first = contractAward({ programId });
      await ledger.move(commitment(first, 0, 200_000, partner));
      expect(await ledger.partnerBalance(programId, "northfield university")).toEqual({
        heldCents: 200_000,
        capCents: PARTNER_CAP,
      });
      const second = contractAward({ programId });
      expect(await shortfallsOf(ledger.move(commitment(second, 0, 150_000, partner)))).toEqual([
        {
          kind: "partner-cap",
          pool: "credits",
          institution: "Northfield  University",
          requestedCents: 150_000,
          availableCents: 100_000,
        },
      ]);
      await ledger.move(commitment(second, 0, 100_000, { ...partner, institution: "northfield university" }));
      expect(await ledger.partners(programId)).toEqual([
        {
          programId,
          institution: "Northfield  University",
          institutionKey: "northfield university",
          capCents: PARTNER_CAP,
          heldCents: 300_000,
          remainingCents: 0,
        },
      ]);
      expect(await ledger.partnerBalance(programId, "Southgate")).toEqual({
        heldCents: 0,
        capCents: PARTNER_CAP,
      });
      expect(await ledger.partnerBalance(freshId("prog"), "Southgate")).toBeUndefined();
    });

    it("counts consumption apart: the pool keeps what it gave, the partner's cap room stays taken", async () => {
      const { ledger, awards } = await subject();
      const programId = await opened(ledger);
      const partner = { strategicPartner: true, institution: "Northfield University" };
      const award = contractAward({ programId });
      await ledger.move(commitment(award, 100_000, 200_000, partner));
      const consume = (revision: number, credits: number, cash: number) => ({
        requestToken: freshId("req"),
        entries: [
          entry(award, { ...partner, pool: "credits", kind: "consume", amountCents: -credits }),
          ...(cash ? [entry(award, { ...partner, pool: "cash", kind: "consume", amountCents: -cash })] : []),
        ],
        award: { item: { ...award, revision: revision + 1 }, expectedRevision: revision },
        events: [event("consumed")],
      });
      await ledger.move(consume(1, 150_000, 40_000));
      // A refund brings consumption down: a positive consumption entry.
      await ledger.move(consume(2, -30_000, 0));
      expect(
        (await ledger.pools(programId)).map((p) => [
          p.pool,
          p.committedCents,
          p.consumedCents,
          p.availableCents,
        ]),
      ).toEqual([
        ["cash", 100_000, 40_000, 900_000],
        ["credits", 200_000, 120_000, 1_800_000],
      ]);
      expect(await ledger.partnerBalance(programId, "northfield university")).toEqual({
        heldCents: 200_000,
        capCents: PARTNER_CAP,
      });
      expect((await awards.get(award.awardId))?.revision).toBe(3);
      // A consumption under a stale revision is refused whole, like any movement.
      expect(await failureOf(ledger.move(consume(1, 1, 0)))).toBe("concurrent modification");
      const kinds = (await ledger.entriesForAward(award.awardId)).map((e) => [e.kind, e.pool, e.amountCents]);
      expect(kinds.filter(([kind]) => kind === "consume")).toHaveLength(3);
    });

    it("never over-commits a pool under racing movements", async () => {
      const { ledger } = await subject();
      const programId = freshId("prog");
      await ledger.openPools(programId, { cashCents: 500, creditsCents: 500 }, 0);
      const outcomes = await Promise.all(
        Array.from({ length: 8 }, () =>
          ledger.move(commitment(contractAward({ programId }), 100, 0)).then(
            () => "committed",
            (e: unknown) => (e instanceof BudgetExhausted ? "refused" : String(e)),
          ),
        ),
      );
      expect(outcomes.filter((o) => o === "committed")).toHaveLength(5);
      expect(outcomes.filter((o) => o === "refused")).toHaveLength(3);
      expect((await ledger.pools(programId)).find((p) => p.pool === "cash")).toMatchObject({
        committedCents: 500,
        availableCents: 0,
      });
    });
  });
