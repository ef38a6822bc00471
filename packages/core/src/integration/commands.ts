import { z } from "zod";
import type { Actor } from "../actor.js";
import { Text } from "../bounds.js";
import type { Clock } from "../clock.js";
import { conflict, forbidden, notFound } from "../errors.js";
import { deterministicId } from "../ids.js";
import { IntegrationScope } from "../roles.js";
import { ClientId, type IntegrationClient, type IntegrationClientRepository } from "./client.js";
import { clientSecretMatches, hashClientSecret, newClientSecret } from "./secret.js";

export interface IntegrationClientDeps {
  clients: IntegrationClientRepository;
  clock: Clock;
}

export const CreateClientInput = z.strictObject({
  name: Text(120, 1),
  contactEmail: z.email().max(254),
  scopes: z
    .array(IntegrationScope)
    .min(1, "name at least one scope")
    .max(IntegrationScope.options.length)
    .refine((s) => new Set(s).size === s.length, "name each scope once"),
});
export type CreateClientInput = z.infer<typeof CreateClientInput>;

/** What the API shows of a client: everything but the secret's hash. */
export type IntegrationClientView = Omit<IntegrationClient, "secretHash">;
export const clientView = ({ secretHash: _hash, ...view }: IntegrationClient): IntegrationClientView => view;

const staffOnly = (actor: Actor) => {
  if (actor.role !== "staff") throw forbidden("Only program staff manage integration clients");
};

/**
 * A new client and its secret, shown this once. The id comes from the operation (the staff
 * member's Idempotency-Key), so a retry cannot make a second client; it cannot show the secret
 * again either (only its hash is kept), so a retry after the first answer is a 409 that says so.
 */
export const createClient = async (
  deps: IntegrationClientDeps,
  actor: Actor,
  input: CreateClientInput,
  operationId: string,
): Promise<{ client: IntegrationClientView; clientSecret: string }> => {
  staffOnly(actor);
  const clientId = deterministicId("cli", operationId);
  const existing = await deps.clients.get(clientId);
  if (existing)
    throw conflict(
      `This Idempotency-Key already created client ${clientId}; its secret was shown once. Revoke it and create a new client if the secret was lost`,
    );
  const clientSecret = newClientSecret();
  const client: IntegrationClient = {
    clientId,
    name: input.name,
    contactEmail: input.contactEmail,
    scopes: input.scopes,
    status: "active",
    secretHash: hashClientSecret(clientSecret),
    createdAt: deps.clock.now().toISOString(),
    createdBy: actor.userId,
    revision: 1,
  };
  await deps.clients.create(client);
  return { client: clientView(client), clientSecret };
};

const load = async (deps: IntegrationClientDeps, clientId: string) => {
  const client = ClientId.safeParse(clientId).success ? await deps.clients.get(clientId) : undefined;
  if (!client) throw notFound(`Integration client ${clientId}`);
  return client;
};

export const getClient = async (deps: IntegrationClientDeps, actor: Actor, clientId: string) => {
  staffOnly(actor);
  return clientView(await load(deps, clientId));
};

export const listClients = async (
  deps: IntegrationClientDeps,
  actor: Actor,
  query: { limit: number; cursor?: string },
) => {
  staffOnly(actor);
  const page = await deps.clients.list(query);
  return { items: page.items.map(clientView), ...(page.cursor ? { cursor: page.cursor } : {}) };
};

/** Revoked for good: its tokens are refused at the token endpoint from now on; the record stays. */
export const revokeClient = async (deps: IntegrationClientDeps, actor: Actor, clientId: string) => {
  staffOnly(actor);
  const client = await load(deps, clientId);
  if (client.status === "revoked") return clientView(client);
  const revoked: IntegrationClient = {
    ...client,
    status: "revoked",
    revokedAt: deps.clock.now().toISOString(),
    revokedBy: actor.userId,
    revision: client.revision + 1,
  };
  await deps.clients.update(revoked, client.revision);
  return clientView(revoked);
};

/** The active client these credentials name, or undefined (unknown, revoked or a wrong secret alike). */
export const authenticateClient = async (
  clients: IntegrationClientRepository,
  clientId: string,
  secret: string,
): Promise<IntegrationClient | undefined> => {
  const client = ClientId.safeParse(clientId).success ? await clients.get(clientId) : undefined;
  // A hash is computed even for an unknown id, so the answer's timing does not tell ids apart.
  const matches = clientSecretMatches(secret, client?.secretHash ?? "scrypt$AAAAAAAAAAAAAAAAAAAAAA$AAAA");
  return client?.status === "active" && matches ? client : undefined;
};
