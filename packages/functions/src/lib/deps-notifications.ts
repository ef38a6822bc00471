import { dynamoNotificationRepository, mailerFromEnv } from "@allot/adapters";
import { systemClock } from "@allot/core";
import type { NotificationRepository, NotifyDeps } from "@allot/core/notification";
import { doc, once, tableName } from "./deps.js";

export const notificationRepository = once(
  (): NotificationRepository => dynamoNotificationRepository(doc(), tableName()),
);

/** For functions that send mail: they need the table read-write and the mail link. */
export const notificationDeps = once((): NotifyDeps => {
  const { mailer, from } = mailerFromEnv();
  return { notifications: notificationRepository(), mailer, clock: systemClock, from };
});
