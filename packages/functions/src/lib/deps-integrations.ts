import { dynamoIntegrationClientRepository } from "@allot/adapters";
import { systemClock } from "@allot/core";
import type { IntegrationClientDeps } from "@allot/core/integration";
import { doc, once, tableName } from "./deps.js";

export const integrationClientDeps = once(
  (): IntegrationClientDeps => ({
    clients: dynamoIntegrationClientRepository(doc(), tableName()),
    clock: systemClock,
  }),
);
