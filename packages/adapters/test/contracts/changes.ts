import type {
  Award,
  AwardRepository,
  ChangeRequest,
  ChangeRequestRepository,
  LedgerRepository,
} from "@allot/core/award";
import { describe, expect, it } from "vitest";
import { contractAward } from "./awards.js";
import { event, failureOf, freshId, type Published } from "./support.js";

export interface ChangesSubject {
  changes: ChangeRequestRepository;
  awards: AwardRepository;
  /** The ledger whose movements may decide a request (a granted supplement). */
  ledger: LedgerRepository;
  /** Stores an award as the ledger's commitment does. */
  seed(award: Award): Promise<void>;
  published: Published;
}

const request = (award: Award, over: Partial<ChangeRequest> = {}): ChangeRequest => ({
  changeId: freshId("chg"),
  awardId: award.awardId,
  proposalId: award.proposalId,
  programId: award.programId,
  applicantId: award.applicantId,
  kind: "supplement",
  requested: { cashCents: 0, creditsCents: 1_000 },
  justification: "more ablations on the larger models",
  status: "pending",
  requestedAt: "2027-03-01T00:00:00.000Z",
  revision: 1,
  ...over,
});

const decided = (c: ChangeRequest, status: "approved" | "denied"): ChangeRequest => ({
  ...c,
  status,
  decision: { decidedAt: "2027-03-02T00:00:00.000Z", decidedBy: "sam", rationale: "fits" },
  revision: c.revision + 1,
});

/** The ChangeRequestRepository port's promises, for any implementation. */
export const changeRequestRepositoryContract = (name: string, subject: () => Promise<ChangesSubject>) =>
  describe(`ChangeRequestRepository contract: ${name}`, () => {
    it("opens one request per kind and award, with its events; reads them back oldest first", async () => {
      const { changes, seed, published } = await subject();
      const award = contractAward({ status: "active" });
      await seed(award);
      const first = request(award);
      const opened = event("requested");
      await changes.open(first, [opened]);
      expect(await changes.get(award.awardId, first.changeId)).toEqual(first);
      expect(await changes.get(freshId("awd"), first.changeId)).toBeUndefined();
      expect(await published(opened.detail.eventId)).toBe(true);

      const second = request(award, { requestedAt: "2027-03-01T00:00:01.000Z" });
      const refused = event("refused");
      expect(await failureOf(changes.open(second, [refused]))).toBe("conflict");
      expect(await published(refused.detail.eventId)).toBe(false);
      expect(await changes.get(award.awardId, second.changeId)).toBeUndefined();

      const extension = request(award, {
        kind: "extension",
        requested: { months: 2 },
        requestedAt: "2027-03-01T00:00:02.000Z",
      });
      await changes.open(extension, []);
      expect(await changes.listForAward(award.awardId)).toEqual([first, extension]);
    });

    it("decides under the request's revision with the award, all or nothing, and frees the kind", async () => {
      const { changes, awards, seed, published } = await subject();
      const award = contractAward({ status: "active" });
      await seed(award);
      const open = request(award);
      await changes.open(open, []);

      const stale = { ...award, revision: award.revision + 5 };
      const lost = event("lost");
      expect(await failureOf(changes.decide(decided(open, "approved"), stale, [lost]))).toBe(
        "concurrent modification",
      );
      expect(await changes.get(award.awardId, open.changeId)).toEqual(open);
      expect(await published(lost.detail.eventId)).toBe(false);

      const moved = { ...award, creditsCents: award.creditsCents + 1_000, revision: award.revision + 1 };
      const done = event("decided");
      await changes.decide(decided(open, "approved"), moved, [done]);
      expect(await changes.get(award.awardId, open.changeId)).toEqual(decided(open, "approved"));
      expect(await awards.get(award.awardId)).toEqual(moved);
      expect(await published(done.detail.eventId)).toBe(true);
      // Decided twice from the same read: the second lost the race.
      expect(await failureOf(changes.decide(decided(open, "denied"), undefined, []))).toBe(
        "concurrent modification",
      );

      const next = request(award, { requestedAt: "2027-03-03T00:00:00.000Z" });
      await changes.open(next, []);
      expect((await changes.listForAward(award.awardId)).map((c) => c.status)).toEqual([
        "approved",
        "pending",
      ]);
    });

    it("lists every award's requests by status, oldest first, a page at a time", async () => {
      const { changes, seed } = await subject();
      const mine: ChangeRequest[] = [];
      for (const second of [3, 1, 2]) {
        const award = contractAward({ status: "active" });
        await seed(award);
        const c = request(award, {
          kind: "early-closeout",
          requested: {},
          requestedAt: `2099-01-01T00:00:0${second}.000Z`,
        });
        await changes.open(c, []);
        mine.push(c);
      }
      const seen: ChangeRequest[] = [];
      let cursor: string | undefined;
      do {
        const page = await changes.listByStatus("pending", { limit: 2, cursor });
        expect(page.items.length).toBeLessThanOrEqual(2);
        seen.push(...page.items);
        cursor = page.nextCursor;
      } while (cursor);
      const ids = new Set(mine.map((c) => c.changeId));
      expect(seen.filter((c) => ids.has(c.changeId)).map((c) => c.requestedAt)).toEqual([
        "2099-01-01T00:00:01.000Z",
        "2099-01-01T00:00:02.000Z",
        "2099-01-01T00:00:03.000Z",
      ]);
      expect(new Set(seen.map((c) => c.changeId)).size).toBe(seen.length);
      expect(seen.every((c) => c.status === "pending")).toBe(true);
      expect(await failureOf(changes.listByStatus("pending", { limit: 2, cursor: "bm90LWEtY3Vyc29y" }))).toBe(
        "validation",
      );
    });

    it("decides a request inside a ledger movement, all or nothing", async () => {
      const { changes, awards, ledger, seed, published } = await subject();
      const award = contractAward({ status: "active" });
      await seed(award);
      await ledger.openPools(award.programId, { cashCents: 1_000_000, creditsCents: 1_000_000 }, 500_000);
      const open = request(award);
      await changes.open(open, []);
      const topUp = (over: Partial<Award>, token: string) => ({
        requestToken: token,
        entries: [
          {
            entryId: freshId("led"),
            programId: award.programId,
            awardId: award.awardId,
            institution: "Uni A",
            strategicPartner: false,
            pool: "credits" as const,
            kind: "topup" as const,
            amountCents: 1_000,
            actor: "sam",
            cause: "contract",
            at: "2027-03-02T00:00:00.000Z",
          },
        ],
        award: {
          item: { ...award, ...over } as unknown as Record<string, unknown>,
          expectedRevision: award.revision,
        },
        events: [event("granted")],
        decidedChange: decided(open, "approved"),
      });
      const granted = topUp(
        { creditsCents: award.creditsCents + 1_000, revision: award.revision + 1 },
        freshId("req"),
      );
      await ledger.move(granted);
      expect(await changes.get(award.awardId, open.changeId)).toEqual(decided(open, "approved"));
      expect((await awards.get(award.awardId))?.creditsCents).toBe(award.creditsCents + 1_000);
      expect(await published(granted.events[0]?.detail.eventId ?? "")).toBe(true);

      // The request was decided meanwhile (here: by this very movement): a second grant is refused whole.
      const again = topUp(
        { creditsCents: award.creditsCents + 2_000, revision: award.revision + 2 },
        freshId("req"),
      );
      again.award.expectedRevision = award.revision + 1;
      expect(await failureOf(ledger.move(again))).toBe("concurrent modification");
      expect(await ledger.entriesForAward(award.awardId)).toHaveLength(1);
      expect(await published(again.events[0]?.detail.eventId ?? "")).toBe(false);
    });
  });
