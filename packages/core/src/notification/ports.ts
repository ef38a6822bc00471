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
  /** Records a notification unless one with its id exists; true when this call created it. */
  putIfAbsent(notification: Notification): Promise<boolean>;
  /** Throws DomainError "not_found" for an unknown id; marking twice keeps the first sentAt. */
  markSent(notificationId: string, sentAt: string): Promise<void>;
  get(notificationId: string): Promise<Notification | undefined>;
  listForRecipient(userId: string, options: ListOptions): Promise<Page<Notification>>;
  listAll(options: ListOptions): Promise<Page<Notification>>;
}
