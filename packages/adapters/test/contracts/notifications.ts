import type {
  Notification,
  NotificationPreferenceRepository,
  NotificationRepository,
} from "@allot/core/notification";
import { describe, expect, it } from "vitest";
import { failureOf, freshId } from "./support.js";

export interface NotificationsSubject {
  notifications: NotificationRepository;
}

const notification = (over: Partial<Notification> = {}): Notification =>
  ({
    notificationId: freshId("ntf"),
    kind: "decision",
    recipient: { userId: freshId("user"), email: "alice@uni.example", name: "Alice" },
    subject: "The decision on your proposal",
    text: "Decided.",
    related: { proposalId: freshId("prp") },
    createdAt: "2027-01-01T00:00:00.000Z",
    status: "pending",
    ...over,
  }) as Notification;

/** Every item of a listing, page by page, following the cursors it hands out. */
const allPages = async (
  list: (cursor?: string) => Promise<{ items: Notification[]; nextCursor?: string }>,
) => {
  const pages: string[][] = [];
  let cursor: string | undefined;
  do {
    const page = await list(cursor);
    pages.push(page.items.map((n) => n.notificationId));
    cursor = page.nextCursor;
  } while (cursor && pages.length < 10);
  return pages;
};

/** The NotificationRepository port's promises, for any implementation. */
export const notificationRepositoryContract = (name: string, subject: () => Promise<NotificationsSubject>) =>
  describe(`NotificationRepository contract: ${name}`, () => {
    it("records a notification once: the first write wins", async () => {
      const { notifications } = await subject();
      const n = notification();
      expect(await notifications.putIfAbsent(n)).toBe(true);
      expect(
        await notifications.putIfAbsent({ ...n, subject: "Other", createdAt: "2027-01-02T00:00:00.000Z" }),
      ).toBe(false);
      expect(await notifications.get(n.notificationId)).toEqual(n);
      expect(await notifications.get(freshId("ntf"))).toBeUndefined();
    });

    it("marks sent keeping the first sentAt; an unknown id is not found", async () => {
      const { notifications } = await subject();
      const n = notification();
      await notifications.putIfAbsent(n);
      await notifications.markSent(n.notificationId, "2027-01-01T00:01:00.000Z");
      await notifications.markSent(n.notificationId, "2027-01-01T00:02:00.000Z");
      expect(await notifications.get(n.notificationId)).toEqual({
        ...n,
        status: "sent",
        sentAt: "2027-01-01T00:01:00.000Z",
      });
      expect(await failureOf(notifications.markSent(freshId("ntf"), "2027-01-01T00:01:00.000Z"))).toBe(
        "not_found",
      );
    });

    it("lists a recipient's notifications newest first, page by page, and a proposal's among them", async () => {
      const { notifications } = await subject();
      const userId = freshId("user");
      const proposalId = freshId("prp");
      const mine = Array.from({ length: 5 }, (_, i) =>
        notification({
          recipient: { userId, email: "alice@uni.example", name: "Alice" },
          related: { proposalId: i % 2 ? proposalId : freshId("prp") },
          createdAt: `2027-01-0${i + 1}T00:00:00.000Z`,
        }),
      );
      const someoneElses = notification({ related: { proposalId } });
      for (const n of [...mine, someoneElses]) await notifications.putIfAbsent(n);
      const newest = [...mine].reverse().map((n) => n.notificationId);
      expect(
        await allPages((cursor) => notifications.listForRecipient(userId, { limit: 2, cursor })),
      ).toEqual([newest.slice(0, 2), newest.slice(2, 4), newest.slice(4)]);
      expect(
        await allPages((cursor) => notifications.listForRecipient(userId, { limit: 5, proposalId, cursor })),
      ).toEqual([[mine[3]?.notificationId, mine[1]?.notificationId]]);
      // (Pages end short of the limit here: when exactly `limit` items are left, DynamoDB still
      // hands out a cursor to an empty page, which the port's "absent on the last page" does not say.)
      expect(await allPages((cursor) => notifications.listAll({ limit: 2, proposalId, cursor }))).toEqual([
        [mine[3]?.notificationId, mine[1]?.notificationId],
        [someoneElses.notificationId],
      ]);
    });

    it("refuses a cursor no listing handed out as a validation error naming the cursor", async () => {
      const { notifications } = await subject();
      for (const cursor of ["nonsense", Buffer.from("PROPOSAL#x").toString("base64url")]) {
        const error = await notifications.listAll({ limit: 2, cursor }).catch((e: unknown) => e);
        expect(await failureOf(Promise.reject(error))).toBe("validation");
        expect((error as { issues: Array<{ field: string }> }).issues[0]?.field).toBe("cursor");
      }
    });

    it("queues a queued notice for its recipient's digest, oldest first; other statuses never", async () => {
      const { notifications } = await subject();
      const userId = freshId("user");
      const recipient = { userId, email: "rita@uni.example", name: "Rita" };
      const later = notification({ recipient, status: "queued", createdAt: "2027-01-03T00:00:00.000Z" });
      const earlier = notification({ recipient, status: "queued", createdAt: "2027-01-02T00:00:00.000Z" });
      const muted = notification({ recipient, status: "muted" });
      const pending = notification({ recipient });
      for (const n of [later, earlier, muted, pending]) await notifications.putIfAbsent(n);
      // A retry of the first write queues nothing twice.
      expect(await notifications.putIfAbsent({ ...later, createdAt: "2027-01-09T00:00:00.000Z" })).toBe(
        false,
      );
      expect(await notifications.listQueued(userId, 10)).toEqual([earlier, later]);
      expect(await notifications.listQueued(userId, 1)).toEqual([earlier]);
      expect(await notifications.listQueued(freshId("user"), 10)).toEqual([]);
    });

    it("finds the users with notices waiting, one after the other in id order", async () => {
      const { notifications } = await subject();
      // Ids sharing a fresh prefix: no other case's user sorts between them.
      const prefix = freshId("user");
      const queuedFor = (userId: string) =>
        notification({ recipient: { userId, email: "r@uni.example" }, status: "queued" });
      await notifications.putIfAbsent(queuedFor(`${prefix}a`));
      await notifications.putIfAbsent(queuedFor(`${prefix}a`));
      await notifications.putIfAbsent(
        notification({ recipient: { userId: `${prefix}b`, email: "r@uni.example" } }),
      );
      await notifications.putIfAbsent(queuedFor(`${prefix}c`));
      // The index behind it may lag a write (DynamoDB's GSIs are eventually consistent).
      await expect.poll(() => notifications.nextQueuedRecipient(prefix)).toBe(`${prefix}a`);
      await expect.poll(() => notifications.nextQueuedRecipient(`${prefix}a`)).toBe(`${prefix}c`);
    });

    it("marks a notice digested: sent, with its digest, off the queue; again keeps the first", async () => {
      const { notifications } = await subject();
      const userId = freshId("user");
      const n = notification({ recipient: { userId, email: "rita@uni.example" }, status: "queued" });
      await notifications.putIfAbsent(n);
      const digestId = freshId("ntf");
      await notifications.markDigested(n, digestId, "2027-01-02T06:00:00.000Z");
      await notifications.markDigested(n, freshId("ntf"), "2027-01-03T06:00:00.000Z");
      expect(await notifications.get(n.notificationId)).toEqual({
        ...n,
        status: "sent",
        sentAt: "2027-01-02T06:00:00.000Z",
        digestId,
      });
      expect(await notifications.listQueued(userId, 10)).toEqual([]);
      expect(
        await failureOf(notifications.markDigested(notification(), digestId, "2027-01-02T06:00:00.000Z")),
      ).toBe("not_found");
    });
  });

export interface NotificationPreferencesSubject {
  preferences: NotificationPreferenceRepository;
}

/** The NotificationPreferenceRepository port's promises, for any implementation. */
export const notificationPreferencesContract = (
  name: string,
  subject: () => Promise<NotificationPreferencesSubject>,
) =>
  describe(`NotificationPreferenceRepository contract: ${name}`, () => {
    it("has nothing for a user who never set preferences, then what was put, replaced whole", async () => {
      const { preferences } = await subject();
      const userId = freshId("user");
      expect(await preferences.get(userId)).toBeUndefined();
      const first = {
        userId,
        kinds: { "reviewer-assigned": "digest", "proposal-received": "off" } as const,
        updatedAt: "2027-01-01T00:00:00.000Z",
      };
      await preferences.put(first);
      expect(await preferences.get(userId)).toEqual(first);
      const second = {
        userId,
        kinds: { "credit-threshold": "off" } as const,
        updatedAt: "2027-01-02T00:00:00.000Z",
      };
      await preferences.put(second);
      expect(await preferences.get(userId)).toEqual(second);
      expect(await preferences.get(freshId("user"))).toBeUndefined();
    });
  });
