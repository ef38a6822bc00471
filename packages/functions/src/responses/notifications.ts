import { Notification } from "@allot/core/notification";
import { z } from "zod";

export const NotificationPage = z
  .object({
    items: z.array(Notification),
    nextCursor: z.string().nullable().meta({ description: "Pass it as `cursor` for the next page" }),
  })
  .meta({ id: "NotificationPage" });
