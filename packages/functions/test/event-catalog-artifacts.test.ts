import { readFileSync } from "node:fs";
import { type CatalogEntry, versioningProblems } from "@allot/core/events";
import { describe, expect, it } from "vitest";
import { catalogPaths, renderCatalogArtifacts } from "../src/catalog/artifacts.js";
import { handler as asyncapiHandler } from "../src/http/catalog/asyncapi.js";
import { handler as catalogHandler } from "../src/http/catalog/events-catalog.js";
import { httpEvent, lambdaContext } from "./support/lambda.js";

const rendered = renderCatalogArtifacts();
const committed = (key: keyof typeof catalogPaths) => readFileSync(catalogPaths[key], "utf8");

describe("the committed event catalog", () => {
  it("is committed as generated (else run `npm run catalog`)", () => {
    expect(committed("catalog") === rendered.catalog, "docs/events/catalog.json is stale").toBe(true);
    expect(committed("asyncapi") === rendered.asyncapi, "docs/events/asyncapi.json is stale").toBe(true);
  });

  it("is kept by the current events under the versioning policy (README, Event versioning)", () => {
    const before = JSON.parse(committed("catalog")) as CatalogEntry[];
    const now = JSON.parse(rendered.catalog) as CatalogEntry[];
    expect(versioningProblems(before, now)).toEqual([]);
  });

  it("is served publicly, cached, by GET /events/catalog and GET /asyncapi.json", async () => {
    for (const [handler, route, file] of [
      [catalogHandler, "GET /events/catalog", "catalog"],
      [asyncapiHandler, "GET /asyncapi.json", "asyncapi"],
    ] as const) {
      const answer = await handler(httpEvent(route), lambdaContext());
      expect(answer.statusCode, file).toBe(200);
      expect(answer.headers?.["cache-control"], file).toMatch(/^public, max-age=\d+/);
      expect(JSON.parse(answer.body ?? "")).toEqual(JSON.parse(committed(file)));
    }
  });
});
