import { DomainError } from "@allot/core";
import type { IntegrationClient } from "@allot/core/integration";
import { mainTable } from "@allot/stacks";
import { ensureTable } from "aws-local";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestDynamo, type TestDynamo } from "../../aws-local/test/support/dynamo.js";
import { dynamoIntegrationClientRepository } from "../src/index.js";

const table = mainTable.name;
let dynamo: TestDynamo;
let repo: ReturnType<typeof dynamoIntegrationClientRepository>;

const client = (n: number): IntegrationClient => ({
  clientId: `cli_${String(n).padStart(26, "0")}`,
  name: `Billing ${n}`,
  contactEmail: `ops${n}@billing.example`,
  scopes: ["usage:write"],
  status: "active",
  secretHash: "scrypt$c2FsdA$aGFzaA",
  createdAt: `2026-11-30T10:00:0${n}.000Z`,
  createdBy: "sam",
  revision: 1,
});

const kindOf = async (p: Promise<unknown>) => {
  const error = await p.catch((e) => e);
  return error instanceof DomainError ? error.kind : "no error";
};

beforeAll(async () => {
  dynamo = await startTestDynamo();
  await ensureTable(dynamo.client, mainTable);
  repo = dynamoIntegrationClientRepository(dynamo.doc, table);
});
afterAll(() => dynamo?.stop());

describe("the DynamoDB integration client repository", () => {
  it("creates once, reads back, updates on the revision read", async () => {
    await repo.create(client(1));
    expect(await repo.get(client(1).clientId)).toEqual(client(1));
    expect(await repo.get(client(9).clientId)).toBeUndefined();
    expect(await kindOf(repo.create(client(1)))).toBe("conflict");

    const revoked = {
      ...client(1),
      status: "revoked" as const,
      revokedAt: "2026-11-30T11:00:00.000Z",
      revision: 2,
    };
    await repo.update(revoked, 1);
    expect(await repo.get(client(1).clientId)).toEqual(revoked);
    expect(await kindOf(repo.update({ ...revoked, revision: 3 }, 1))).toBe("conflict");
  });

  it("lists in creation order, page by page", async () => {
    for (const n of [2, 3, 4]) await repo.create(client(n));
    const first = await repo.list({ limit: 2 });
    expect(first.items.map((c) => c.clientId)).toEqual([client(1).clientId, client(2).clientId]);
    expect(first.cursor).toBeDefined();
    const second = await repo.list({ limit: 2, cursor: first.cursor });
    expect(second.items.map((c) => c.clientId)).toEqual([client(3).clientId, client(4).clientId]);
    expect(await kindOf(repo.list({ limit: 2, cursor: "bm9wZQ" }))).toBe("validation");
  });
});
