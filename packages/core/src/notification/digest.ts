import { type NotifyDeps, notify } from "./commands.js";
import { draftNotification, MAX_DIGEST_NOTICES, type Notification, notificationIdFor } from "./schema.js";
import { digestMessage } from "./templates-digest.js";

// The daily digest: each user with notices waiting gets one message listing them, then they are
// marked sent. The digest is itself a notification (kind `digest`), its id derived from the user
// and the day, and it records the notices it covers before it is mailed; so a second run the same
// day finds it and mails nothing, and a run that stopped midway (before the mail, or between the
// mail and marking its notices) is finished by the next run from that record, never rebuilt.

/** Past this much text a digest stops adding notices (a DynamoDB item holds 400 KB); the rest wait. */
export const MAX_DIGEST_TEXT = 200_000;

/** A digest's day: its UTC date. */
export const digestDay = (at: Date) => at.toISOString().slice(0, 10);

export const digestIdFor = (userId: string, day: string) =>
  notificationIdFor(`digest:${day}`, "digest", { userId, email: "" });

const previousDay = (day: string) => digestDay(new Date(Date.parse(`${day}T00:00:00Z`) - 86_400_000));

export interface DigestRun {
  day: string;
  /** Users whose queue was looked at. */
  recipients: number;
  /** Digests mailed by this run (a resumed one included). */
  mailed: number;
  /** Notices marked sent inside a digest by this run. */
  notices: number;
}

/** Runs the day's digest for every user with notices waiting; safe to run again the same day. */
export const sendDigests = async (deps: NotifyDeps): Promise<DigestRun> => {
  const run: DigestRun = { day: digestDay(deps.clock.now()), recipients: 0, mailed: 0, notices: 0 };
  for (
    let userId = await deps.notifications.nextQueuedRecipient();
    userId !== undefined;
    userId = await deps.notifications.nextQueuedRecipient(userId)
  ) {
    run.recipients += 1;
    const { mailed, notices } = await sendDigest(deps, userId, run.day);
    run.mailed += mailed;
    run.notices += notices;
  }
  return run;
};

/**
 * One user's digest of `day`. Yesterday's is finished first: the schedule runs daily, so the next
 * run after a crash is usually the next day's, and it must not leave yesterday's recorded digest
 * unmailed while its notices wait.
 */
export const sendDigest = async (
  deps: NotifyDeps,
  userId: string,
  day: string,
): Promise<{ mailed: number; notices: number }> => {
  const done = { mailed: 0, notices: 0 };
  const add = (r: { mailed: number; notices: number }) => {
    done.mailed += r.mailed;
    done.notices += r.notices;
  };
  const yesterday = await deps.notifications.get(digestIdFor(userId, previousDay(day)));
  if (yesterday) add(await finish(deps, yesterday));
  const today = await deps.notifications.get(digestIdFor(userId, day));
  if (today) {
    add(await finish(deps, today));
    return done;
  }
  const queued = await deps.notifications.listQueued(userId, MAX_DIGEST_NOTICES + 1);
  const notices = fitting(queued.filter((n) => n.status === "queued"));
  const newest = notices.at(-1);
  if (!newest) return done;
  const draft = {
    ...draftNotification({
      cause: `digest:${day}`,
      kind: "digest",
      recipient: { ...newest.recipient, userId },
      message: digestMessage({
        recipientName: newest.recipient.name,
        day,
        notices,
        more: queued.length > notices.length,
      }),
    }),
    covers: notices.map((n) => n.notificationId),
  };
  const { notification, sent } = await notify(deps, draft);
  // A run racing this one may have recorded the day's digest first: what it covers is what counts.
  add({ mailed: sent ? 1 : 0, notices: await markCovered(deps, notification) });
  return done;
};

/** The oldest notices, up to the count and the text a digest can hold; always at least one. */
const fitting = (queued: Notification[]) => {
  const out: Notification[] = [];
  let size = 0;
  for (const n of queued.slice(0, MAX_DIGEST_NOTICES)) {
    size += n.subject.length + n.text.length;
    if (out.length > 0 && size > MAX_DIGEST_TEXT) break;
    out.push(n);
  }
  return out;
};

/** Mails a recorded digest that is not sent yet, then marks its notices. */
const finish = async (deps: NotifyDeps, digest: Notification) => {
  const { sent, notification } = await notify(deps, digest);
  return { mailed: sent ? 1 : 0, notices: await markCovered(deps, notification) };
};

const markCovered = async (deps: NotifyDeps, digest: Notification) => {
  const sentAt = digest.sentAt ?? deps.clock.now().toISOString();
  let marked = 0;
  for (const id of digest.covers ?? []) {
    const notice = await deps.notifications.get(id);
    if (notice?.status !== "queued") continue;
    await deps.notifications.markDigested(notice, digest.notificationId, sentAt);
    marked += 1;
  }
  return marked;
};
