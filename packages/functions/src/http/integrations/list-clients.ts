import { listClients } from "@allot/core/integration";
import { z } from "zod";
import { integrationClientDeps } from "../../lib/deps-integrations.js";
import { httpHandler } from "../../lib/http.js";
import { IntegrationClientPage } from "../../responses/integrations.js";

export const IntegrationClientListQuery = z.object({
  limit: z.coerce.number().int("must be a whole number").min(1).max(100).optional(),
  cursor: z.string().min(1).max(1024, "is not a cursor this listing returned").optional(),
});

export const handler = httpHandler({
  responses: { 200: IntegrationClientPage },
  query: IntegrationClientListQuery,
  handle: async ({ actor, query }) => {
    const page = await listClients(integrationClientDeps(), actor, {
      limit: query.limit ?? 50,
      cursor: query.cursor,
    });
    return { body: { items: page.items, nextCursor: page.cursor ?? null } };
  },
});
