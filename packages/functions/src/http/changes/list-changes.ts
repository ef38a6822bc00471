import { ChangeStatus, listChanges, MAX_CHANGE_PAGE } from "@allot/core/award";
import { z } from "zod";
import { changeDeps } from "../../lib/deps-changes.js";
import { httpHandler } from "../../lib/http.js";
import { ChangeRequestPage, changeView } from "../../responses/changes.js";

export const ChangeListQuery = z.object({
  status: ChangeStatus.default("pending"),
  limit: z.coerce.number().int("must be a whole number").min(1).max(MAX_CHANGE_PAGE).optional(),
  cursor: z.string().min(1).max(1024, "is not a cursor this listing returned").optional(),
});

export const handler = httpHandler({
  responses: { 200: ChangeRequestPage },
  query: ChangeListQuery,
  handle: async ({ actor, query }) => {
    const page = await listChanges(changeDeps(), actor, query);
    return { body: { items: page.items.map(changeView), nextCursor: page.nextCursor ?? null } };
  },
});
