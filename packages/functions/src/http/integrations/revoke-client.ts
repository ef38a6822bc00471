import { revokeClient } from "@allot/core/integration";
import { integrationClientDeps } from "../../lib/deps-integrations.js";
import { httpHandler } from "../../lib/http.js";
import { IntegrationClientView } from "../../responses/integrations.js";

// Revoking twice answers the revoked client again: safe to retry.
export const handler = httpHandler({
  responses: { 200: IntegrationClientView },
  handle: async ({ actor, path }) => ({
    body: await revokeClient(integrationClientDeps(), actor, path.clientId ?? ""),
  }),
});
