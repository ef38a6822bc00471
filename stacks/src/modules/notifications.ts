import { AwardCommitRefused, AwardOffered, CreditsProvisioned, ProvisioningFailed } from "@allot/core/award";
import { patternFor } from "@allot/core/events";
import { DecisionRecorded, ProposalScreened, ProposalSubmitted } from "@allot/core/proposal";
import { ReservationGranted } from "@allot/core/reservation";
import { ReviewersAssigned, ReviewersNeeded, ReviewReminderDue } from "@allot/core/review";
import { CreditThresholdCrossed } from "@allot/core/usage";
import { WebhookSubscriptionDisabled } from "@allot/core/webhook";
import { fn, tableRead, tableReadWrite } from "../links.js";
import { bus } from "../table.js";
import type { Link, RuleSpec } from "../topology.js";
import { defaultRetry, type StackModule } from "./module.js";

/** For functions that send notifications: SES on AWS, the outbox folder locally. */
export const mailSend: Link = { kind: "mail" };

// One consumer per event, each subscribed by its own rule: a failing template or recipient
// retries and dead-letters alone, without holding back the other notifications.
const consumers = [
  ["notify-proposal-received", ProposalSubmitted, "Tells the applicant their proposal arrived"],
  ["notify-screening-outcome", ProposalScreened, "Tells the applicant the screening outcome, with reasons"],
  ["notify-decision", DecisionRecorded, "Sends the decision with the rationale and anonymized feedback"],
  ["notify-reviewers-assigned", ReviewersAssigned, "Tells each reviewer about a new assignment"],
  ["notify-review-reminder", ReviewReminderDue, "Reminds a reviewer of a review coming due"],
  ["notify-reviewers-needed", ReviewersNeeded, "Asks staff to extend a call's reviewer pool"],
  ["notify-award-offered", AwardOffered, "Sends the award letter to the grantee"],
  [
    "notify-credits-provisioned",
    CreditsProvisioned,
    "Tells the grantee how to reach the cluster, with their credits",
  ],
  [
    "notify-provisioning-failed",
    ProvisioningFailed,
    "Tells staff a provisioning failed for good and was compensated",
  ],
  ["notify-commit-refused", AwardCommitRefused, "Tells staff an approval did not fit the budget"],
  [
    "notify-webhook-subscription-disabled",
    WebhookSubscriptionDisabled,
    "Tells the integration's contact and staff a webhook subscription was disabled, and how to resume it",
  ],
  [
    "notify-credit-threshold",
    CreditThresholdCrossed,
    "Tells the grantee the credit thresholds crossed, one notice per batch",
  ],
  ["notify-reservation-granted", ReservationGranted, "Tells the grantee a queued reservation was granted"],
] as const;

/** Consumers that take only some of their event's occurrences: the rule filters, not the function. */
const narrowed = (event: Parameters<typeof patternFor>[0], data: Record<string, unknown[]>) => {
  const pattern = patternFor(event);
  return { ...pattern, detail: { ...(pattern.detail as object), data } };
};
const patterns: Partial<Record<(typeof consumers)[number][0], Record<string, unknown>>> = {
  // A grant at once was answered by its 201; only a queued request's grant is news.
  "notify-reservation-granted": narrowed(ReservationGranted, { fromQueue: [true] }),
};

export const notifications: StackModule = {
  functions: [
    fn(
      "list-notifications",
      "http/notifications/list-notifications.ts",
      "List notifications: staff read all (or one proposal's), everyone else their own",
      [tableRead],
    ),
    fn(
      "get-notification-preferences",
      "http/notifications/get-preferences.ts",
      "Read one's own notification preferences per kind, and the kinds always sent at once",
      [tableRead],
    ),
    fn(
      "put-notification-preferences",
      "http/notifications/put-preferences.ts",
      "Set one's own notification preferences per kind: immediate, daily digest or off",
      [tableReadWrite],
    ),
    fn(
      "send-notification-digests",
      "schedules/send-notification-digests.ts",
      "Mails each user with notices waiting their daily digest, one message, then marks the notices sent",
      [tableReadWrite, mailSend],
      { timeoutSeconds: 900 },
    ),
    ...consumers.map(([name, , description]) =>
      fn(name, `events/${name}.ts`, description, [tableReadWrite, mailSend]),
    ),
  ],
  schedules: [
    {
      name: "notification-digests",
      description: "The daily digest of the notices users chose to receive once a day",
      // Early morning in Europe, the night before in the Americas: read with the day's first mail.
      expression: "cron(0 6 * * ? *)",
      function: "send-notification-digests",
      // A re-run the same day mails nothing twice (core/notification/digest.ts), so retrying is
      // safe; a few retries within hours, as the next day's run finishes whatever is left.
      retry: { maximumRetryAttempts: 3, maximumEventAgeSeconds: 6 * 3600 },
    },
  ],
  routes: [
    {
      method: "GET",
      path: "/notifications",
      function: "list-notifications",
      roles: ["staff", "reviewer", "applicant", "integration"],
      // An integration has no mail of its own; reading its (empty) list is an events read.
      scopes: ["events:read"],
    },
    // Everyone who receives mail as themselves; integrations receive none.
    {
      method: "GET",
      path: "/notifications/preferences",
      function: "get-notification-preferences",
      roles: ["staff", "reviewer", "applicant"],
    },
    {
      method: "PUT",
      path: "/notifications/preferences",
      function: "put-notification-preferences",
      roles: ["staff", "reviewer", "applicant"],
    },
  ],
  rules: consumers.map(
    ([name, event, description]): RuleSpec => ({
      name,
      bus: bus.name,
      description,
      pattern: patterns[name] ?? patternFor(event),
      targets: [{ kind: "function", function: name, retry: defaultRetry }],
    }),
  ),
};
