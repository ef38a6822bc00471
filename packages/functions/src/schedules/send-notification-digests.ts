import { sendDigests } from "@allot/core/notification";
import { notificationDeps } from "../lib/deps-notifications.js";
import { scheduleHandler } from "../lib/schedule.js";

export const handler = scheduleHandler("notification digests", () => sendDigests(notificationDeps()));
