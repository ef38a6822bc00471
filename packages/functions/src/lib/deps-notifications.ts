import {
  dynamoAwardRepository,
  dynamoNotificationPreferences,
  dynamoNotificationRepository,
  dynamoProgramRepository,
  dynamoUsageRepository,
  mailerFromEnv,
} from "@allot/adapters";
import { systemClock } from "@allot/core";
import type {
  AwardNotificationDeps,
  NotificationEventDeps,
  NotificationRepository,
  NotifyDeps,
  UsageNotificationDeps,
} from "@allot/core/notification";
import { doc, once, reviewDeps, tableName } from "./deps.js";
import { programThresholds } from "./deps-usage.js";

export const notificationRepository = once(
  (): NotificationRepository => dynamoNotificationRepository(doc(), tableName()),
);

export const notificationPreferences = once(() => dynamoNotificationPreferences(doc(), tableName()));

/** For functions that send mail: they need the table read-write and the mail link. */
export const notificationDeps = once((): NotifyDeps => {
  const { mailer, from } = mailerFromEnv();
  return {
    notifications: notificationRepository(),
    preferences: notificationPreferences(),
    mailer,
    clock: systemClock,
    from,
  };
});

/** What the event consumers that notify need: the records to read and the mail to send. */
export const notificationEventDeps = once((): NotificationEventDeps => {
  const { proposals, calls, reviewers, assignments, clock } = reviewDeps();
  return {
    proposals,
    calls,
    reviewers,
    assignments,
    clock,
    mail: notificationDeps(),
    staffEmail: process.env.ALLOT_STAFF_EMAIL ?? "program-staff@allot.local",
  };
});

export const awardNotificationDeps = once(
  (): AwardNotificationDeps => ({
    ...notificationEventDeps(),
    awards: dynamoAwardRepository(doc(), tableName()),
  }),
);

/** The burn-down notices: the award's usage markers and totals, and its program's thresholds. */
export const usageNotificationDeps = once(
  (): UsageNotificationDeps => ({
    ...awardNotificationDeps(),
    usage: dynamoUsageRepository(doc(), tableName()),
    thresholds: programThresholds(dynamoProgramRepository(doc(), tableName())),
  }),
);
