import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import type { CatalogEntry } from "@allot/core/events";
import { Parser } from "@asyncapi/parser";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, QueryCommand } from "@aws-sdk/lib-dynamodb";
import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { archiveDay, archivePk } from "../../packages/aws-local/src/eventbridge/keys.js";
import { runtimeTable } from "../../packages/local/src/runtime-table.js";
import { actAs, activeAward, ok, openCall } from "../support/allot.js";
import { type RuntimeProcess, startRuntimeProcess } from "../support/runtime.js";

// The catalog as the running stack serves it, and what the stack really publishes checked against
// it: every Allot event on the bus during a grant's way to an active award is in the catalog and
// validates against its published JSON Schema.

const committed = (file: string) =>
  JSON.parse(readFileSync(resolve(import.meta.dirname, "../../docs/events", file), "utf8"));
const PROGRAM = "e2e-catalog";
const CALL = "e2e-catalog-call";

let runtime: RuntimeProcess;
let startedAt: number;
beforeAll(async () => {
  startedAt = Date.now();
  runtime = await startRuntimeProcess();
}, 120_000);
afterAll(async () => {
  await runtime?.stop();
});

/** Every event the local bus archived since the test started (the archive is keyed by day). */
const archivedEvents = async () => {
  const doc = DynamoDBDocumentClient.from(new DynamoDBClient(runtime.dynamodbConfig));
  const events: Array<{ source: string; "detail-type": string; detail: { version: number } }> = [];
  for (let day = Date.parse(archiveDay(startedAt)); day <= Date.now(); day += 86_400_000) {
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await doc.send(
        new QueryCommand({
          TableName: runtimeTable.name,
          KeyConditionExpression: "pk = :pk",
          ExpressionAttributeValues: { ":pk": archivePk("allot", archiveDay(day)) },
          ExclusiveStartKey: startKey,
        }),
      );
      // An archive item holds the events of one PutEvents call (aws-local's archive-batch.ts).
      for (const item of page.Items ?? []) {
        const texts = Array.isArray(item.events) ? (item.events as string[]) : [item.event as string];
        for (const text of texts) events.push(JSON.parse(text));
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey);
  }
  return events;
};

describe("the event catalog on the local stack", () => {
  it("serves GET /events/catalog and GET /asyncapi.json without a token, cached, as committed", async () => {
    for (const [path, file] of [
      ["/events/catalog", "catalog.json"],
      ["/asyncapi.json", "asyncapi.json"],
    ] as const) {
      const response = await fetch(`${runtime.http}${path}`);
      expect(response.status, path).toBe(200);
      expect(response.headers.get("cache-control"), path).toMatch(/^public, max-age=\d+/);
      expect(await response.json(), path).toEqual(committed(file));
    }
    const served = await (await fetch(`${runtime.http}/asyncapi.json`)).text();
    const { diagnostics } = await new Parser().parse(served);
    expect(diagnostics.filter((d) => d.severity === 0)).toEqual([]);
  });

  it("describes every event the stack publishes, which validates against the published schema", async () => {
    const staff = await actAs(runtime, "sam", "staff");
    await ok(
      staff.POST("/programs", {
        body: {
          programId: PROGRAM,
          name: "Catalog test program",
          pools: { cashCents: 30_000_000, creditsCents: 100_000_000 },
          caps: {
            maxGrantCashCents: 20_000_000,
            maxGrantCreditsCents: 40_000_000,
            maxPartnerCreditsCents: 90_000_000,
          },
          cluster: { chips: 1_000 },
          creditRate: { centsPerChipHour: 200 },
        },
      }),
    );
    await openCall(staff, {
      programId: PROGRAM,
      callId: CALL,
      title: "Catalog e2e call",
      reviewerPool: ["rev-ada"],
    });
    await activeAward(runtime, CALL, "cora", 1_000_000, ["rev-ada"]);

    const catalog = committed("catalog.json") as CatalogEntry[];
    const ajv = new Ajv2020({ strict: true, allErrors: true });
    addFormats(ajv);
    const schemas = new Map(
      catalog.map((e) => [`${e.source}|${e.detailType}|${e.version}`, ajv.compile(e.schema.detail)]),
    );
    const published = (await archivedEvents()).filter((e) => e.source.startsWith("allot."));
    const seen = new Set<string>();
    for (const event of published) {
      const key = `${event.source}|${event["detail-type"]}|${event.detail.version}`;
      const validate = schemas.get(key);
      expect(validate, `${key} is not in the catalog`).toBeDefined();
      expect(validate?.(event.detail) ? [] : validate?.errors, key).toEqual([]);
      seen.add(event["detail-type"]);
    }
    expect([...seen]).toEqual(
      expect.arrayContaining([
        "Program Created",
        "Call Created",
        "Proposal Submitted",
        "Reviewers Assigned",
        "Decision Recorded",
        "Budget Committed",
        "Award Offered",
        "Award Accepted",
        "Credits Provisioned",
      ]),
    );
  }, 180_000);
});
