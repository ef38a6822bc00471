import { getClient } from "@allot/core/integration";
import { integrationClientDeps } from "../../lib/deps-integrations.js";
import { httpHandler } from "../../lib/http.js";
import { IntegrationClientView } from "../../responses/integrations.js";

export const handler = httpHandler({
  responses: { 200: IntegrationClientView },
  handle: async ({ actor, path }) => ({
    body: await getClient(integrationClientDeps(), actor, path.clientId ?? ""),
  }),
});
