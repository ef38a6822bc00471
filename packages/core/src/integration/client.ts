import { z } from "zod";
import { Text } from "../bounds.js";
import { IntegrationScope } from "../roles.js";

// An integration's OAuth 2.0 client (client credentials). Locally Allot's issuer checks the secret
// and mints the token; on AWS a Cognito app client plays this part (README, "Integrations on AWS").
// The client id is the subject of the integration's tokens, so it is the owner of its webhook
// subscriptions and the actor on what it does.

export const ClientId = z
  .string()
  .max(64, "must be a client id (cli_ and 26 letters or digits)")
  .regex(/^cli_[0-9a-z]{26}$/, "must be a client id (cli_ and 26 letters or digits)");

export const ClientStatus = z.enum(["active", "revoked"]);

export const IntegrationClient = z.object({
  clientId: ClientId,
  name: Text(120, 1),
  /** Who to tell when something needs the integration's attention (a disabled subscription). */
  contactEmail: z.email().max(254),
  scopes: z.array(IntegrationScope).min(1).max(IntegrationScope.options.length),
  status: ClientStatus,
  /** `scrypt$<salt b64>$<hash b64>`; the secret itself is shown once, at creation. */
  secretHash: z.string().max(200),
  createdAt: z.iso.datetime(),
  createdBy: z.string().max(128),
  revokedAt: z.iso.datetime().optional(),
  revokedBy: z.string().max(128).optional(),
  revision: z.number().int().positive(),
});
export type IntegrationClient = z.infer<typeof IntegrationClient>;

/** The client records (DynamoDB). */
export interface IntegrationClientRepository {
  get(clientId: string): Promise<IntegrationClient | undefined>;
  create(client: IntegrationClient): Promise<void>;
  update(client: IntegrationClient, expectedRevision: number): Promise<void>;
  list(query: { limit: number; cursor?: string }): Promise<{ items: IntegrationClient[]; cursor?: string }>;
}
