import type { Actor } from "../actor.js";
import type { Clock } from "../clock.js";
import { validationError } from "../errors.js";
import type { Mailer, NotificationRepository, Page } from "./ports.js";
import {
  type Delivery,
  deliveryOf,
  isMandatory,
  type NotificationPreferenceRepository,
} from "./preferences.js";
import { type Notification, NotificationDraft, type NotificationStatus } from "./schema.js";

export interface NotifyDeps {
  notifications: NotificationRepository;
  /**
   * Read for every notice to a user, so that every kind obeys its recipient's preference. Every
   * deployed function has it (functions/src/lib/deps-notifications.ts); without it every notice
   * goes at once, which is what the unit tests of the consumers and templates rely on.
   */
  preferences?: NotificationPreferenceRepository;
  mailer: Mailer;
  clock: Clock;
  /** The sender, `"Name <address>"`. */
  from: string;
}

/**
 * Records the notification, then mails it, then marks it sent; safe to call again with the same
 * draft (a redelivered event, a retried task), which mails nothing once it was sent.
 *
 * The record comes first so that a notification can never be mailed without a trace, and so
 * that a retry finds the one recorded instead of mailing a second. A crash after `send` and before
 * `markSent` leaves it pending, and the retry mails it once more: there is no way to make a
 * send and a database write one atomic step, and of the two failures a duplicate mail is the
 * better one, because a lost decision or deadline notice is the one the recipient cannot notice.
 * The file outbox overwrites the same file, so locally even that duplicate disappears; SES has no
 * idempotency key to stop it. Two deliveries racing on the same pending record can likewise both
 * send, which the same reasoning accepts.
 *
 * This is the one door every notification goes through, so the recipient's preference is applied
 * here: read when the notice is first recorded and kept in its status (`queued` for the digest,
 * `muted` for off), so a retry after the preference changed does what the first attempt decided.
 */
export const notify = async (
  deps: NotifyDeps,
  draft: NotificationDraft,
): Promise<{ notification: Notification; sent: boolean }> => {
  const parsed = NotificationDraft.safeParse(draft);
  if (!parsed.success) {
    throw validationError(
      "The notification is invalid",
      parsed.error.issues.map((i) => ({ field: i.path.join("."), message: i.message })),
    );
  }
  const fresh: Notification = {
    ...parsed.data,
    createdAt: deps.clock.now().toISOString(),
    status: STATUS_FOR[await deliveryTo(deps, parsed.data)],
  };
  let notification = fresh;
  if (!(await deps.notifications.putIfAbsent(fresh))) {
    const existing = await deps.notifications.get(fresh.notificationId);
    if (!existing) throw new Error(`Notification ${fresh.notificationId} exists but cannot be read`);
    // What was recorded first is what goes out, so every attempt mails the same message.
    notification = existing;
  }
  if (notification.status !== "pending") return { notification, sent: false };
  await deps.mailer.send({
    notificationId: notification.notificationId,
    from: deps.from,
    to: { email: notification.recipient.email, name: notification.recipient.name },
    subject: notification.subject,
    text: notification.text,
    date: new Date(notification.createdAt),
  });
  const sentAt = deps.clock.now().toISOString();
  await deps.notifications.markSent(notification.notificationId, sentAt);
  return { notification: { ...notification, status: "sent", sentAt }, sent: true };
};

const STATUS_FOR: Record<Delivery, NotificationStatus> = {
  immediate: "pending",
  digest: "queued",
  off: "muted",
};

/** A mailbox that is nobody's login (the staff list) has no preferences: its mail goes at once. */
const deliveryTo = async (
  deps: Pick<NotifyDeps, "preferences">,
  draft: { kind: string; recipient: { userId?: string } },
): Promise<Delivery> => {
  const userId = draft.recipient.userId;
  if (!userId || isMandatory(draft.kind) || !deps.preferences) return "immediate";
  return deliveryOf(draft.kind, await deps.preferences.get(userId));
};

export interface NotificationQuery {
  limit?: number;
  cursor?: string;
  proposalId?: string;
}

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 100;

/**
 * Staff read every notification, optionally one proposal's; everyone else only the ones
 * addressed to their own user id, so an applicant cannot read another's decision by naming
 * its proposal.
 */
export const listNotifications = async (
  deps: { notifications: NotificationRepository },
  actor: Actor,
  query: NotificationQuery = {},
): Promise<Page<Notification>> => {
  const limit = query.limit ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) {
    throw validationError("The page size is invalid", [
      { field: "limit", message: `must be a whole number from 1 to ${MAX_PAGE_SIZE}` },
    ]);
  }
  const options = { limit, cursor: query.cursor, proposalId: query.proposalId };
  return actor.role === "staff"
    ? deps.notifications.listAll(options)
    : deps.notifications.listForRecipient(actor.userId, options);
};
