import { IntegrationClient } from "@allot/core/integration";
import { z } from "zod";

export const IntegrationClientView = IntegrationClient.omit({ secretHash: true }).meta({
  id: "IntegrationClient",
});

export const CreatedIntegrationClient = z
  .object({
    client: IntegrationClientView,
    clientSecret: z
      .string()
      .meta({ description: "Shown this once: only its hash is kept. Use it at POST /oauth2/token" }),
  })
  .meta({ id: "CreatedIntegrationClient" });

export const IntegrationClientPage = z
  .object({
    items: z.array(IntegrationClientView),
    nextCursor: z.string().nullable().meta({ description: "Pass it as `cursor` for the next page" }),
  })
  .meta({ id: "IntegrationClientPage" });
