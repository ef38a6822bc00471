import { ProposalId } from "@allot/core";
import { listNotifications, MAX_PAGE_SIZE } from "@allot/core/notification";
import { z } from "zod";
import { notificationRepository } from "../../lib/deps-notifications.js";
import { httpHandler } from "../../lib/http.js";
import { NotificationPage } from "../../responses/notifications.js";

export const NotificationListQuery = z.object({
  proposalId: ProposalId.optional(),
  limit: z.coerce.number().int("must be a whole number").min(1).max(MAX_PAGE_SIZE).optional(),
  cursor: z.string().min(1).max(1024, "is not a cursor this listing returned").optional(),
});

export const handler = httpHandler({
  responses: { 200: NotificationPage },
  query: NotificationListQuery,
  handle: async ({ actor, query }) => {
    const page = await listNotifications({ notifications: notificationRepository() }, actor, query);
    return { body: { items: page.items, nextCursor: page.nextCursor ?? null } };
  },
});
