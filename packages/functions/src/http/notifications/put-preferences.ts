import { systemClock } from "@allot/core";
import { NotificationPreferencesInput, setPreferences } from "@allot/core/notification";
import { notificationPreferences } from "../../lib/deps-notifications.js";
import { httpHandler } from "../../lib/http.js";
import { NotificationPreferencesView } from "../../responses/notifications.js";

// The body replaces the caller's own preferences (a kind left out is immediate again), so the
// same PUT twice is the same state: no Idempotency-Key needed.
export const handler = httpHandler({
  responses: { 200: NotificationPreferencesView },
  body: NotificationPreferencesInput,
  handle: async ({ actor, body }) => ({
    body: await setPreferences({ preferences: notificationPreferences(), clock: systemClock }, actor, body),
  }),
});
