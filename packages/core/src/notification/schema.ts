import { z } from "zod";
import { deterministicId } from "../ids.js";

/** What a notification is about; add a kind here together with its template. */
export const NotificationKind = z.enum([
  "proposal-received",
  "screening-outcome",
  "decision",
  "reviewer-assigned",
  "review-reminder",
  "reviewers-needed",
  "award-offer",
  "credits-provisioned",
  "provisioning-failed",
  "credits-delayed",
  "commit-refused",
  "credit-threshold",
  "reservation-granted",
  "closeout-started",
  "final-report-requested",
  "award-closed",
  "closeout-failed",
  "change-requested",
  "change-decided",
  "award-topped-up",
  "award-extended",
  "award-suspended",
  "award-resumed",
  "award-revoked",
  "project-inactivated",
  "project-reactivated",
  "output-verified",
  "output-rejected",
  "compliance-changed",
  "obligation-reminder",
  "obligation-overdue",
  // An integration's webhook subscription disabled after its deliveries kept failing.
  "webhook-subscription-disabled",
  // The daily digest itself: the one message that carries the notices its recipient chose to
  // receive once a day (digest.ts).
  "digest",
]);
export type NotificationKind = z.infer<typeof NotificationKind>;

/** The most notices one digest lists; more wait for the next. */
export const MAX_DIGEST_NOTICES = 50;

export const NotificationId = z.string().regex(/^ntf_[0-9a-z]{26}$/, "must be a notification id (ntf_…)");

export const Recipient = z.object({
  /** Absent for a mailbox that is nobody's login (the staff list); such mail is not listable by its reader. */
  userId: z.string().min(1).optional(),
  email: z.email("must be an email address"),
  name: z.string().trim().min(1).optional(),
});
export type Recipient = z.infer<typeof Recipient>;

/** The program staff's shared mailbox: nobody's login, so its mail is not listable by a reader. */
export const staffMailbox = (deps: { staffEmail: string }): Recipient => ({
  email: deps.staffEmail,
  name: "Program staff",
});

export const Related = z.object({
  proposalId: z.string().min(1).optional(),
  callId: z.string().min(1).optional(),
  awardId: z.string().min(1).optional(),
});

export const NotificationDraft = z.object({
  notificationId: NotificationId,
  kind: NotificationKind,
  recipient: Recipient,
  // A header line cannot carry a line break; the mail renderer would fold it away silently.
  subject: z
    .string()
    .trim()
    .min(1)
    .max(500)
    .refine((s) => !/[\r\n]/.test(s), "must be one line"),
  text: z.string().min(1),
  related: Related.default({}),
  /** A digest's notices, by id: what a re-run of the same digest marks sent. */
  covers: z.array(NotificationId).max(MAX_DIGEST_NOTICES).optional(),
});
export type NotificationDraft = z.input<typeof NotificationDraft>;

/**
 * `pending`: to be mailed at once; `queued`: waits for its recipient's daily digest; `muted`:
 * recorded and listable, never mailed, because its recipient turned the kind off; `sent`: mailed,
 * alone or (with `digestId`) inside a digest.
 */
export const NotificationStatus = z.enum(["pending", "queued", "muted", "sent"]);
export type NotificationStatus = z.infer<typeof NotificationStatus>;

export const Notification = NotificationDraft.extend({
  related: Related,
  createdAt: z.iso.datetime(),
  status: NotificationStatus,
  sentAt: z.iso.datetime().optional(),
  /** The digest that carried it, for a notice sent in one. */
  digestId: NotificationId.optional(),
});
export type Notification = z.infer<typeof Notification>;

/**
 * One id per cause, kind and recipient: the event that caused it is redelivered, the workflow
 * task retried, and each lands on the notification already recorded instead of a second mail.
 */
export const notificationIdFor = (
  cause: string,
  kind: NotificationKind,
  recipient: Pick<Recipient, "userId" | "email">,
) => deterministicId("ntf", cause, kind, recipient.userId ?? `email:${recipient.email.toLowerCase()}`);

/** A draft for `notify`, its id derived from `cause` (an event id, or a task's natural key). */
export const draftNotification = (input: {
  cause: string;
  kind: NotificationKind;
  recipient: Recipient;
  message: { subject: string; text: string };
  related?: z.input<typeof Related>;
}): NotificationDraft => ({
  notificationId: notificationIdFor(input.cause, input.kind, input.recipient),
  kind: input.kind,
  recipient: input.recipient,
  subject: input.message.subject,
  text: input.message.text,
  related: input.related ?? {},
});
