import { Delivery, Notification, NotificationKind } from "@allot/core/notification";
import { z } from "zod";

export const NotificationPage = z
  .object({
    items: z.array(Notification),
    nextCursor: z.string().nullable().meta({ description: "Pass it as `cursor` for the next page" }),
  })
  .meta({ id: "NotificationPage" });

export const NotificationPreferencesView = z
  .object({
    kinds: z
      .record(NotificationKind, Delivery)
      .meta({ description: "Every kind's delivery, defaults included" }),
    mandatory: z
      .partialRecord(NotificationKind, z.string())
      .meta({ description: "The kinds always sent immediately, each with the reason" }),
    updatedAt: z.iso
      .datetime()
      .nullable()
      .meta({ description: "Null until the user first sets preferences" }),
  })
  .meta({ id: "NotificationPreferences" });
