import type { Notification } from "./schema.js";

/** One mail to send; `date` is the notification's creation time, so a re-send renders the same message. */
export interface OutgoingMail {
  notificationId: string;
  /** `"Name <address>"` or a bare address. */
  from: string;
  to: { email: string; name?: string };
  subject: string;
  text: string;
  date: Date;
}

/**
 * Hands a message to a transport. Implementations are idempotent by `notificationId` where the
 * transport allows it (a file per id locally); where it does not (SES), `notify` keeps re-sends rare.
 */
export interface Mailer {
  send(message: OutgoingMail): Promise<void>;
}

export interface Page<T> {
  items: T[];
  /** Opaque; absent on the last page. */
  nextCursor?: string;
}

export interface ListOptions {
  limit: number;
  cursor?: string;
  proposalId?: string;
}

/** Newest first, in every listing. */
export interface NotificationRepository {
  /**
   * Records a notification unless one with its id exists; true when this call created it. A
   * `queued` one joins its recipient's digest queue in the same write.
   */
  putIfAbsent(notification: Notification): Promise<boolean>;
  /** Throws DomainError "not_found" for an unknown id; marking twice keeps the first sentAt. */
  markSent(notificationId: string, sentAt: string): Promise<void>;
  get(notificationId: string): Promise<Notification | undefined>;
  listForRecipient(userId: string, options: ListOptions): Promise<Page<Notification>>;
  listAll(options: ListOptions): Promise<Page<Notification>>;
  /** The first user id after `after` (in id order) with a notice waiting for the digest. */
  nextQueuedRecipient(after?: string): Promise<string | undefined>;
  /** Up to `limit` of a user's notices waiting for the digest, oldest first, read consistently. */
  listQueued(userId: string, limit: number): Promise<Notification[]>;
  /**
   * Marks a queued notice sent inside a digest and takes it off the queue, in one write; again
   * keeps the first sentAt and digest.
   */
  markDigested(notification: Notification, digestId: string, sentAt: string): Promise<void>;
}
