import type { IdempotencyScope, IdempotencyStore } from "@allot/core/idempotency";
import { describe, expect, it } from "vitest";
import { freshId } from "./support.js";

export interface IdempotencySubject {
  store: IdempotencyStore;
}

const scope = (): IdempotencyScope => ({
  actorId: "sam",
  route: "POST /awards/{awardId}/top-up",
  key: freshId("key"),
});
const at = (ms: number) => new Date(Date.parse("2027-01-01T00:00:00.000Z") + ms);

/** The IdempotencyStore port's promises, for any implementation. */
export const idempotencyStoreContract = (name: string, subject: () => Promise<IdempotencySubject>) =>
  describe(`IdempotencyStore contract: ${name}`, () => {
    it("runs the first claim, tells a duplicate it is in progress, then replays the answer", async () => {
      const { store } = await subject();
      const s = scope();
      expect(await store.claim(s, "fp-1", at(0))).toEqual({ kind: "run" });
      expect(await store.claim(s, "fp-1", at(1_000))).toEqual({ kind: "in_progress" });
      await store.complete(s, "fp-1", { status: 201, body: { awardId: "awd_1", cents: 7 } });
      expect(await store.claim(s, "fp-1", at(2_000))).toEqual({
        kind: "replay",
        response: { status: 201, body: { awardId: "awd_1", cents: 7 } },
      });
      expect(await store.claim(s, "fp-2", at(3_000))).toEqual({ kind: "mismatch" });
      expect(await store.claim({ ...s, actorId: "kim" }, "fp-2", at(3_000))).toEqual({ kind: "run" });
    });

    it("runs again after its claim is released, and only its own claim releases it", async () => {
      const { store } = await subject();
      const s = scope();
      await store.claim(s, "fp-1", at(0));
      await store.release(s, "fp-other");
      expect(await store.claim(s, "fp-1", at(1_000))).toEqual({ kind: "in_progress" });
      await store.release(s, "fp-1");
      expect(await store.claim(s, "fp-1", at(2_000))).toEqual({ kind: "run" });
    });

    it("lets a retry take over a claim whose run went stale, never another request", async () => {
      const { store } = await subject();
      const s = scope();
      await store.claim(s, "fp-1", at(0));
      expect(await store.claim(s, "fp-2", at(61_000))).toEqual({ kind: "mismatch" });
      expect(await store.claim(s, "fp-1", at(61_000))).toEqual({ kind: "run" });
      expect(await store.claim(s, "fp-1", at(62_000))).toEqual({ kind: "in_progress" });
    });

    it("forgets a key after its retention", async () => {
      const { store } = await subject();
      const s = scope();
      await store.claim(s, "fp-1", at(0));
      await store.complete(s, "fp-1", { status: 200, body: null });
      expect(await store.claim(s, "fp-2", at(25 * 3_600_000))).toEqual({ kind: "run" });
    });

    it("runs exactly one of concurrent duplicates", async () => {
      const { store } = await subject();
      const s = scope();
      const claims = await Promise.all(Array.from({ length: 6 }, () => store.claim(s, "fp-1", at(0))));
      expect(claims.filter((c) => c.kind === "run")).toHaveLength(1);
      expect(claims.filter((c) => c.kind === "in_progress")).toHaveLength(5);
    });
  });
