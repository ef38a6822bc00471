import { describe, expect, it } from "vitest";
import type { Actor } from "../src/actor.js";
import { DomainError } from "../src/errors.js";
import {
  draftNotification,
  listNotifications,
  type Mailer,
  type NotificationRepository,
  notificationIdFor,
  notify,
  type OutgoingMail,
} from "../src/notification/index.js";
import { memoryNotifications } from "./fakes.js";

const recordingMailer = (failures = 0) => {
  const sent: OutgoingMail[] = [];
  let failuresLeft = failures;
  const mailer: Mailer = {
    async send(message) {
      if (failuresLeft-- > 0) throw new Error("SMTP relay unavailable");
      sent.push(message);
    },
  };
  return { mailer, sent };
};

let tick = 0;
const clock = { now: () => new Date(Date.UTC(2026, 10, 28, 10, 0, tick++)) };
const from = "Allot <no-reply@allot.local>";

const decisionFor = (userId: string, proposalId: string) =>
  draftNotification({
    cause: `${proposalId}:decided`,
    kind: "decision",
    recipient: { userId, email: `${userId}@uni.example`, name: userId },
    message: { subject: "The decision on your proposal", text: "Dear applicant,\n\nDecided.\n" },
    related: { proposalId, callId: "spring-2027" },
  });

const alice: Actor = { userId: "alice", role: "applicant" };
const bob: Actor = { userId: "bob", role: "applicant" };
const staff: Actor = { userId: "sam", role: "staff" };

describe("notify", () => {
  it("derives the id from cause, kind and recipient, so a redelivered event finds the same notification", () => {
    const recipient = { userId: "alice", email: "alice@uni.example" };
    const id = notificationIdFor("prp_1:decided", "decision", recipient);
    expect(id).toMatch(/^ntf_[0-9a-z]{26}$/);
    expect(notificationIdFor("prp_1:decided", "decision", recipient)).toBe(id);
    expect(
      notificationIdFor("prp_1:decided", "decision", { userId: "bob", email: "alice@uni.example" }),
    ).not.toBe(id);
    expect(notificationIdFor("prp_1:screened", "decision", recipient)).not.toBe(id);
    // A mailbox without a login is keyed by its address, case aside.
    expect(notificationIdFor("c", "reviewers-needed", { email: "Staff@Allot.example" })).toBe(
      notificationIdFor("c", "reviewers-needed", { email: "staff@allot.example" }),
    );
  });

  it("records, sends and marks sent; the same notification again sends nothing", async () => {
    // Prepare
    const { repo, items } = memoryNotifications();
    const { mailer, sent } = recordingMailer();
    const deps = { notifications: repo, mailer, clock, from };
    const draft = decisionFor("alice", "prp_1");
    // Act
    const first = await notify(deps, draft);
    const second = await notify(deps, draft);
    // Assess
    expect(first.sent).toBe(true);
    expect(second.sent).toBe(false);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toEqual({
      notificationId: draft.notificationId,
      from,
      to: { email: "alice@uni.example", name: "alice" },
      subject: "The decision on your proposal",
      text: "Dear applicant,\n\nDecided.\n",
      date: new Date(first.notification.createdAt),
    });
    const stored = items.get(draft.notificationId);
    expect(stored?.status).toBe("sent");
    expect(stored?.sentAt).toBe(first.notification.sentAt);
    expect(second.notification).toEqual(stored);
  });

  it("leaves a failed send pending, and a retry sends the message first recorded", async () => {
    // Prepare
    const { repo, items } = memoryNotifications();
    const { mailer, sent } = recordingMailer(1);
    const deps = { notifications: repo, mailer, clock, from };
    const draft = decisionFor("alice", "prp_1");
    // Act
    await expect(notify(deps, draft)).rejects.toThrow("SMTP relay unavailable");
    const pending = items.get(draft.notificationId);
    const retry = await notify(deps, { ...draft, text: "re-rendered later, differently\n" });
    // Assess
    expect(pending?.status).toBe("pending");
    expect(retry.sent).toBe(true);
    expect(sent).toHaveLength(1);
    expect(sent[0]?.text).toBe("Dear applicant,\n\nDecided.\n");
    // The Date header is the first attempt's, so every attempt renders the same message.
    expect(sent[0]?.date.toISOString()).toBe(pending?.createdAt);
    expect(items.get(draft.notificationId)?.status).toBe("sent");
  });

  it("sends once more, and only once, after a crash between send and markSent", async () => {
    // Prepare: markSent fails once, as if the process died right after the mail left.
    const { repo, items } = memoryNotifications();
    const { mailer, sent } = recordingMailer();
    let crash = true;
    const crashing: NotificationRepository = {
      ...repo,
      async markSent(id, at) {
        if (crash) {
          crash = false;
          throw new Error("process killed");
        }
        return repo.markSent(id, at);
      },
    };
    const deps = { notifications: crashing, mailer, clock, from };
    const draft = decisionFor("alice", "prp_1");
    // Act
    await expect(notify(deps, draft)).rejects.toThrow("process killed");
    await notify(deps, draft);
    await notify(deps, draft);
    // Assess
    expect(sent).toHaveLength(2);
    expect(sent[0]).toEqual(sent[1]);
    expect(items.get(draft.notificationId)?.status).toBe("sent");
  });

  it("refuses an invalid draft before recording anything", async () => {
    const { repo, items } = memoryNotifications();
    const { mailer, sent } = recordingMailer();
    const draft = { ...decisionFor("alice", "prp_1"), recipient: { email: "not-an-address" } };
    const error = await notify({ notifications: repo, mailer, clock, from }, draft).catch((e) => e);
    expect(error).toBeInstanceOf(DomainError);
    expect(error.kind).toBe("validation");
    expect(error.issues).toContainEqual({ field: "recipient.email", message: "must be an email address" });
    expect(items.size).toBe(0);
    expect(sent).toHaveLength(0);
  });
});

describe("listNotifications", () => {
  const seeded = async () => {
    const { repo } = memoryNotifications();
    const deps = { notifications: repo, mailer: recordingMailer().mailer, clock, from };
    await notify(deps, decisionFor("alice", "prp_a1"));
    await notify(deps, decisionFor("alice", "prp_a2"));
    await notify(deps, decisionFor("bob", "prp_b1"));
    await notify(deps, {
      ...draftNotification({
        cause: "prp_b1:short",
        kind: "reviewers-needed",
        recipient: { email: "staff@allot.example" },
        message: { subject: "Reviewers needed", text: "Short.\n" },
        related: { proposalId: "prp_b1" },
      }),
    });
    return { notifications: repo };
  };

  it("shows staff everything, or one proposal's", async () => {
    const deps = await seeded();
    expect((await listNotifications(deps, staff)).items).toHaveLength(4);
    const one = await listNotifications(deps, staff, { proposalId: "prp_b1" });
    expect(one.items.map((n) => n.kind).sort()).toEqual(["decision", "reviewers-needed"]);
  });

  it("shows anyone else only what is addressed to them, whatever proposal they name", async () => {
    const deps = await seeded();
    const mine = await listNotifications(deps, alice);
    expect(mine.items.map((n) => n.related.proposalId)).toEqual(["prp_a2", "prp_a1"]);
    expect((await listNotifications(deps, bob, { proposalId: "prp_a1" })).items).toEqual([]);
    expect((await listNotifications(deps, bob, { proposalId: "prp_b1" })).items.map((n) => n.kind)).toEqual([
      "decision",
    ]);
    const reviewer: Actor = { userId: "rita", role: "reviewer" };
    const integration: Actor = { userId: "billing", role: "integration" };
    expect((await listNotifications(deps, reviewer)).items).toEqual([]);
    expect((await listNotifications(deps, integration)).items).toEqual([]);
  });

  it("pages with the cursor and bounds the page size", async () => {
    const deps = await seeded();
    const first = await listNotifications(deps, staff, { limit: 3 });
    expect(first.items).toHaveLength(3);
    const second = await listNotifications(deps, staff, { limit: 3, cursor: first.nextCursor });
    expect(second.items).toHaveLength(1);
    expect(second.nextCursor).toBeUndefined();
    for (const limit of [0, 101, 2.5]) {
      const error = await listNotifications(deps, staff, { limit }).catch((e) => e);
      expect(error.kind).toBe("validation");
    }
  });
});
