import { IDEMPOTENCY_HEADER, idempotencyKey, operationIdOf } from "@allot/core/idempotency";
import { CreateClientInput, createClient } from "@allot/core/integration";
import { integrationClientDeps } from "../../lib/deps-integrations.js";
import { httpHandler } from "../../lib/http.js";
import { CreatedIntegrationClient } from "../../responses/integrations.js";

// The Idempotency-Key is required but its answer is not kept (the idempotency store would keep
// the secret): the key names the client id, and a retry of a create that went through is a 409.
export const handler = httpHandler({
  responses: { 201: CreatedIntegrationClient },
  errors: [409],
  body: CreateClientInput,
  handle: async ({ actor, body, event }) => {
    const key = idempotencyKey(event.headers?.[IDEMPOTENCY_HEADER.toLowerCase()]);
    const operationId = operationIdOf({ actorId: actor.userId, route: event.routeKey, key });
    const created = await createClient(integrationClientDeps(), actor, body, operationId);
    return {
      status: 201,
      body: created,
      headers: { location: `/integrations/clients/${created.client.clientId}`, "cache-control": "no-store" },
    };
  },
});
