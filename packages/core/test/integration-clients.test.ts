import { type Actor, DomainError } from "@allot/core";
import {
  authenticateClient,
  clientSecretMatches,
  createClient,
  hashClientSecret,
  type IntegrationClient,
  type IntegrationClientRepository,
  revokeClient,
} from "@allot/core/integration";
import { describe, expect, it } from "vitest";

const memoryClients = (): IntegrationClientRepository => {
  const items = new Map<string, IntegrationClient>();
  return {
    get: async (id) => items.get(id),
    create: async (c) => {
      if (items.has(c.clientId)) throw new DomainError("conflict", "exists");
      items.set(c.clientId, c);
    },
    update: async (c, expected) => {
      if (items.get(c.clientId)?.revision !== expected) throw new DomainError("conflict", "changed");
      items.set(c.clientId, c);
    },
    list: async () => ({ items: [...items.values()] }),
  };
};

const staff: Actor = { userId: "sam", role: "staff" };
const input = { name: "Billing", contactEmail: "ops@billing.example", scopes: ["usage:write" as const] };

describe("integration clients", () => {
  it("hashes the secret with its own salt and checks it", () => {
    const a = hashClientSecret("s3cret");
    expect(a).toMatch(/^scrypt\$[\w-]+\$[\w-]+$/);
    expect(hashClientSecret("s3cret")).not.toBe(a);
    expect(clientSecretMatches("s3cret", a)).toBe(true);
    expect(clientSecretMatches("s3creT", a)).toBe(false);
    expect(clientSecretMatches("s3cret", "plain")).toBe(false);
  });

  it("creates once per operation, shows the secret once, authenticates, and refuses after revocation", async () => {
    const deps = { clients: memoryClients(), clock: { now: () => new Date("2026-11-30T12:00:00Z") } };
    const { client, clientSecret } = await createClient(deps, staff, input, "op-1");
    expect(client).not.toHaveProperty("secretHash");
    await expect(createClient(deps, staff, input, "op-1")).rejects.toMatchObject({ kind: "conflict" });
    await expect(
      createClient(deps, { userId: "x", role: "integration" }, input, "op-2"),
    ).rejects.toMatchObject({ kind: "forbidden" });

    expect((await authenticateClient(deps.clients, client.clientId, clientSecret))?.clientId).toBe(
      client.clientId,
    );
    expect(await authenticateClient(deps.clients, client.clientId, `${clientSecret}x`)).toBeUndefined();
    expect(await authenticateClient(deps.clients, "cli_unknown", clientSecret)).toBeUndefined();

    const revoked = await revokeClient(deps, staff, client.clientId);
    expect(revoked).toMatchObject({ status: "revoked", revokedBy: "sam", revision: 2 });
    expect(await revokeClient(deps, staff, client.clientId)).toEqual(revoked);
    expect(await authenticateClient(deps.clients, client.clientId, clientSecret)).toBeUndefined();
  });
});
