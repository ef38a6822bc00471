import { systemClock } from "@allot/core";
import { getPreferences } from "@allot/core/notification";
import { notificationPreferences } from "../../lib/deps-notifications.js";
import { httpHandler } from "../../lib/http.js";
import { NotificationPreferencesView } from "../../responses/notifications.js";

export const handler = httpHandler({
  responses: { 200: NotificationPreferencesView },
  handle: async ({ actor }) => ({
    body: await getPreferences({ preferences: notificationPreferences(), clock: systemClock }, actor),
  }),
});
