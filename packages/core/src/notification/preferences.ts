import { z } from "zod";
import type { Actor } from "../actor.js";
import type { Clock } from "../clock.js";
import { validationError } from "../errors.js";
import { NotificationKind } from "./schema.js";

/** How a recipient wants one kind of notice: mailed at once, gathered into the daily digest, or only recorded. */
export const Delivery = z.enum(["immediate", "digest", "off"]);
export type Delivery = z.infer<typeof Delivery>;

/**
 * The notices that are always mailed at once, whatever a preference says, each with the reason.
 * A recipient who muted one of these could miss a deadline or a decision about their money, and
 * nobody would notice until it is too late. Kinds are named as strings because other parts of the
 * system add some of them (`change-decided`, the obligation and closeout notices, …); a name that
 * is not (yet) a kind simply never matches. Every notification passes `deliveryOf`, so a new kind
 * is covered the moment its name is here.
 */
export const MANDATORY_KINDS: Readonly<Record<string, string>> = {
  decision: "the committee's decision on a proposal",
  "change-decided": "the decision on a change request",
  "award-offer": "the award letter, which lapses if it is not accepted in time",
  "review-reminder": "a review deadline",
  "obligation-reminder": "an obligation's due date",
  "obligation-overdue": "an obligation past its due date",
  "final-report-requested": "the final report's deadline",
  "award-suspended": "the award's suspension",
  "award-revoked": "the award's revocation",
  "project-inactivated": "the compute project's inactivation",
  "closeout-started": "the award's closeout",
  "award-closed": "the award's closing",
  "closeout-failed": "a closeout that stopped holds the award's money until staff resume it",
  "webhook-subscription-disabled":
    "the integration's events stop until someone resumes its subscription, so it must not wait for a digest",
  digest: "the digest is how the digested notices arrive; set those notices to off instead",
};

/** The body of `PUT /notifications/preferences`; kinds are checked in `setPreferences`, so one answer names every wrong one. */
export const NotificationPreferencesInput = z
  .object({
    kinds: z
      .record(z.string().min(1).max(64), Delivery)
      .refine((kinds) => Object.keys(kinds).length <= 100, "must name at most 100 kinds")
      .meta({ description: "Kind → immediate | digest | off; kinds left out are immediate" }),
  })
  .strict();

export const isMandatory = (kind: string): boolean => Object.hasOwn(MANDATORY_KINDS, kind);

export const NotificationPreferences = z.object({
  userId: z.string().min(1),
  kinds: z.partialRecord(NotificationKind, Delivery),
  updatedAt: z.iso.datetime(),
});
export type NotificationPreferences = z.infer<typeof NotificationPreferences>;

/** A user's own preferences; absent until they first set some, when every kind is immediate. */
export interface NotificationPreferenceRepository {
  get(userId: string): Promise<NotificationPreferences | undefined>;
  /** Replaces the user's preferences. */
  put(preferences: NotificationPreferences): Promise<void>;
}

/** How a notice of this kind reaches a user with these preferences: a mandatory kind always at once. */
export const deliveryOf = (kind: string, preferences?: Pick<NotificationPreferences, "kinds">): Delivery =>
  isMandatory(kind) ? "immediate" : (preferences?.kinds[kind as NotificationKind] ?? "immediate");

export interface PreferenceDeps {
  preferences: NotificationPreferenceRepository;
  clock: Clock;
}

/** What `GET /notifications/preferences` answers: every kind's delivery, and which kinds cannot be changed and why. */
export interface PreferencesView {
  kinds: Record<NotificationKind, Delivery>;
  mandatory: Partial<Record<NotificationKind, string>>;
  updatedAt: string | null;
}

const view = (stored?: NotificationPreferences): PreferencesView => {
  const kinds = {} as Record<NotificationKind, Delivery>;
  const mandatory: Partial<Record<NotificationKind, string>> = {};
  for (const kind of NotificationKind.options) {
    kinds[kind] = deliveryOf(kind, stored);
    if (isMandatory(kind)) mandatory[kind] = MANDATORY_KINDS[kind];
  }
  return { kinds, mandatory, updatedAt: stored?.updatedAt ?? null };
};

export const getPreferences = async (deps: PreferenceDeps, actor: Actor): Promise<PreferencesView> =>
  view(await deps.preferences.get(actor.userId));

/**
 * Replaces the actor's own preferences: a kind left out is immediate again, so the same body
 * twice leaves the same preferences. A mandatory kind may be named only as `immediate`.
 */
export const setPreferences = async (
  deps: PreferenceDeps,
  actor: Actor,
  input: { kinds: Record<string, Delivery> },
): Promise<PreferencesView> => {
  const issues: Array<{ field: string; message: string }> = [];
  const kinds: Partial<Record<NotificationKind, Delivery>> = {};
  for (const [name, delivery] of Object.entries(input.kinds)) {
    const kind = NotificationKind.safeParse(name);
    if (!kind.success) {
      issues.push({ field: `kinds.${name}`, message: "is not a notification kind" });
    } else if (isMandatory(name) && delivery !== "immediate") {
      issues.push({
        field: `kinds.${name}`,
        message: `is always sent immediately (${MANDATORY_KINDS[name]}); it cannot be set to ${delivery}`,
      });
    } else if (delivery !== "immediate") {
      kinds[kind.data] = delivery;
    }
  }
  if (issues.length) throw validationError("These notification preferences cannot be set", issues);
  const stored = await deps.preferences.get(actor.userId);
  if (stored && sameKinds(stored.kinds, kinds)) return view(stored);
  const preferences = { userId: actor.userId, kinds, updatedAt: deps.clock.now().toISOString() };
  await deps.preferences.put(preferences);
  return view(preferences);
};

const sameKinds = (a: Partial<Record<string, Delivery>>, b: Partial<Record<string, Delivery>>) => {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].every((k) => a[k] === b[k]);
};
