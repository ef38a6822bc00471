import { describe, expect, it } from "vitest";
import {
  digestIdFor,
  digestMessage,
  draftNotification,
  MAX_DIGEST_NOTICES,
  type Mailer,
  type NotificationKind,
  type NotificationRepository,
  notify,
  type OutgoingMail,
  sendDigests,
  setPreferences,
} from "../src/notification/index.js";
import { memoryNotificationPreferences, memoryNotifications } from "./fakes.js";

// The clock is set by each case: the digest's day is the run's UTC date.
const at = { now: new Date("2026-11-30T05:00:00.000Z") };
const clock = { now: () => new Date(at.now) };
const from = "Allot <no-reply@allot.local>";

const setup = (options: { mailFailures?: number; markFailures?: number } = {}) => {
  const notifications = memoryNotifications();
  const preferences = memoryNotificationPreferences();
  const sent: OutgoingMail[] = [];
  let mailFailures = options.mailFailures ?? 0;
  const mailer: Mailer = {
    async send(message) {
      if (mailFailures-- > 0) throw new Error("SMTP relay unavailable");
      sent.push(message);
    },
  };
  let markFailures = options.markFailures ?? 0;
  // A crash between mailing the digest and marking its notices.
  const repo: NotificationRepository = {
    ...notifications.repo,
    async markDigested(...args) {
      if (markFailures-- > 0) throw new Error("the function timed out");
      return notifications.repo.markDigested(...args);
    },
  };
  return {
    deps: { notifications: repo, preferences: preferences.repo, mailer, clock, from },
    notifications,
    sent,
  };
};

type Deps = ReturnType<typeof setup>["deps"];

const digestOf = async (deps: Deps, userId: string) =>
  setPreferences(
    { preferences: deps.preferences, clock },
    { userId, role: "reviewer" },
    {
      kinds: { "reviewer-assigned": "digest", "proposal-received": "digest" },
    },
  );

const notice = (deps: Deps, userId: string, cause: string, kind: NotificationKind = "reviewer-assigned") =>
  notify(
    deps,
    draftNotification({
      cause,
      kind,
      recipient: { userId, email: `${userId}@uni.example`, name: `${userId} R` },
      message: { subject: `Review request: ${cause}`, text: `You have been assigned ${cause}.\n` },
    }),
  );

describe("the daily digest", () => {
  it("mails each user with notices waiting one message listing them, then marks them sent", async () => {
    const { deps, sent, notifications } = setup();
    await digestOf(deps, "rita");
    await digestOf(deps, "ravi");
    at.now = new Date("2026-11-29T10:00:00.000Z");
    const a = await notice(deps, "rita", "prp_a");
    at.now = new Date("2026-11-29T11:00:00.000Z");
    const b = await notice(deps, "rita", "prp_b", "proposal-received");
    const c = await notice(deps, "ravi", "prp_c");
    expect(sent).toHaveLength(0);

    at.now = new Date("2026-11-30T06:00:00.000Z");
    const run = await sendDigests(deps);
    expect(run).toEqual({ day: "2026-11-30", recipients: 2, mailed: 2, notices: 3 });
    expect(sent.map((m) => m.to.email).sort()).toEqual(["ravi@uni.example", "rita@uni.example"]);
    const toRita = sent.find((m) => m.to.email === "rita@uni.example");
    expect(toRita?.subject).toBe("Your Allot digest for 30 November 2026: 2 notices");
    expect(toRita?.text).toContain("1. Review request: prp_a");
    expect(toRita?.text).toContain("2. Review request: prp_b");
    expect(toRita?.text).toContain("    You have been assigned prp_b.");
    const digestId = digestIdFor("rita", "2026-11-30");
    expect(toRita?.notificationId).toBe(digestId);
    for (const n of [a, b]) {
      expect(notifications.items.get(n.notification.notificationId)).toMatchObject({
        status: "sent",
        digestId,
        sentAt: "2026-11-30T06:00:00.000Z",
      });
    }
    expect(notifications.items.get(c.notification.notificationId)?.digestId).toBe(
      digestIdFor("ravi", "2026-11-30"),
    );
    expect(notifications.items.get(digestId)).toMatchObject({
      kind: "digest",
      status: "sent",
      recipient: { userId: "rita" },
      covers: [a.notification.notificationId, b.notification.notificationId],
    });
    expect(await deps.notifications.nextQueuedRecipient()).toBeUndefined();
  });

  it("a second run the same day mails nothing twice; a notice queued since waits for the next day", async () => {
    const { deps, sent } = setup();
    await digestOf(deps, "rita");
    at.now = new Date("2026-11-30T05:00:00.000Z");
    await notice(deps, "rita", "prp_a");
    at.now = new Date("2026-11-30T06:00:00.000Z");
    expect((await sendDigests(deps)).mailed).toBe(1);
    at.now = new Date("2026-11-30T09:00:00.000Z");
    await notice(deps, "rita", "prp_later");
    expect(await sendDigests(deps)).toEqual({ day: "2026-11-30", recipients: 1, mailed: 0, notices: 0 });
    expect(sent).toHaveLength(1);
    at.now = new Date("2026-12-01T06:00:00.000Z");
    expect((await sendDigests(deps)).mailed).toBe(1);
    expect(sent).toHaveLength(2);
    expect(sent[1]?.text).toContain("Review request: prp_later");
    expect(sent[1]?.text).not.toContain("Review request: prp_a");
  });

  it("a run that failed before the mail is finished by the next run, once", async () => {
    const { deps, sent, notifications } = setup({ mailFailures: 1 });
    await digestOf(deps, "rita");
    const a = await notice(deps, "rita", "prp_a");
    at.now = new Date("2026-11-30T06:00:00.000Z");
    await expect(sendDigests(deps)).rejects.toThrow("SMTP relay unavailable");
    expect(notifications.items.get(digestIdFor("rita", "2026-11-30"))?.status).toBe("pending");
    expect(notifications.items.get(a.notification.notificationId)?.status).toBe("queued");
    // The retry, and a third run, the same day.
    expect((await sendDigests(deps)).mailed).toBe(1);
    expect((await sendDigests(deps)).mailed).toBe(0);
    expect(sent).toHaveLength(1);
    expect(notifications.items.get(a.notification.notificationId)?.status).toBe("sent");
  });

  it("a run that stopped between the mail and marking its notices: the next run marks them and mails nothing", async () => {
    const { deps, sent, notifications } = setup({ markFailures: 1 });
    await digestOf(deps, "rita");
    const a = await notice(deps, "rita", "prp_a");
    const b = await notice(deps, "rita", "prp_b");
    at.now = new Date("2026-11-30T06:00:00.000Z");
    await expect(sendDigests(deps)).rejects.toThrow("timed out");
    expect(sent).toHaveLength(1);
    expect(await sendDigests(deps)).toEqual({ day: "2026-11-30", recipients: 1, mailed: 0, notices: 2 });
    expect(sent).toHaveLength(1);
    for (const n of [a, b])
      expect(notifications.items.get(n.notification.notificationId)?.status).toBe("sent");
  });

  it("yesterday's unfinished digest is finished by today's run before today's is built", async () => {
    const { deps, sent, notifications } = setup({ mailFailures: 1 });
    await digestOf(deps, "rita");
    const a = await notice(deps, "rita", "prp_a");
    at.now = new Date("2026-11-30T06:00:00.000Z");
    await expect(sendDigests(deps)).rejects.toThrow();
    at.now = new Date("2026-11-30T20:00:00.000Z");
    const b = await notice(deps, "rita", "prp_b");
    at.now = new Date("2026-12-01T06:00:00.000Z");
    expect(await sendDigests(deps)).toEqual({ day: "2026-12-01", recipients: 1, mailed: 2, notices: 2 });
    expect(sent.map((m) => m.notificationId)).toEqual([
      digestIdFor("rita", "2026-11-30"),
      digestIdFor("rita", "2026-12-01"),
    ]);
    expect(sent[0]?.text).toContain("prp_a");
    expect(sent[0]?.text).not.toContain("prp_b");
    expect(sent[1]?.text).toContain("prp_b");
    expect(notifications.items.get(a.notification.notificationId)?.digestId).toBe(
      digestIdFor("rita", "2026-11-30"),
    );
    expect(notifications.items.get(b.notification.notificationId)?.digestId).toBe(
      digestIdFor("rita", "2026-12-01"),
    );
  });

  it(`lists at most ${MAX_DIGEST_NOTICES} notices, oldest first; the rest follow in the next digest`, async () => {
    const { deps, sent } = setup();
    await digestOf(deps, "rita");
    for (let i = 0; i < MAX_DIGEST_NOTICES + 3; i++) {
      at.now = new Date(Date.UTC(2026, 10, 29, 0, i));
      await notice(deps, "rita", `prp_${String(i).padStart(3, "0")}`);
    }
    at.now = new Date("2026-11-30T06:00:00.000Z");
    expect((await sendDigests(deps)).notices).toBe(MAX_DIGEST_NOTICES);
    expect(sent[0]?.text).toContain("1. Review request: prp_000");
    expect(sent[0]?.text).toContain(`${MAX_DIGEST_NOTICES}. Review request: prp_049`);
    expect(sent[0]?.text).toContain("More notices are waiting; they follow in the next digest.");
    at.now = new Date("2026-12-01T06:00:00.000Z");
    expect((await sendDigests(deps)).notices).toBe(3);
    expect(sent[1]?.subject).toBe("Your Allot digest for 1 December 2026: 3 notices");
    expect(sent[1]?.text).not.toContain("More notices are waiting");
  });
});

describe("the digest's template", () => {
  it("greets, lists each notice whole with its time, and says how to change preferences", () => {
    const { subject, text } = digestMessage({
      recipientName: "Rita R",
      day: "2026-11-30",
      notices: [
        {
          subject: "Review request: proposal prp_1",
          text: "Dear Rita,\n\nPlease review.\n",
          createdAt: "2026-11-29T10:00:00.000Z",
        },
      ],
      more: false,
    });
    expect(subject).toBe("Your Allot digest for 30 November 2026: 1 notice");
    expect(text).toBe(
      `${[
        "Dear Rita R,",
        "Here is the notice you chose to receive once a day, oldest first.",
        "1. Review request: proposal prp_1\n   (Sunday, 29 November 2026, 10:00 UTC)\n\n    Dear Rita,\n\n    Please review.",
        "Decisions, award letters, deadlines, suspensions, revocations and closeout notices always come at once. You choose how every other kind of notice reaches you (at once, in this digest, or not by mail at all) with PUT /notifications/preferences; every notice stays listed under GET /notifications.",
        "The Allot program team",
      ].join("\n\n")}\n`,
    );
  });
});
