import { z } from "zod";
import catalog from "../../../../../docs/events/catalog.json" with { type: "json" };
import { httpHandler } from "../../lib/http.js";
import { catalogCacheControl } from "./cache-control.js";

const Entry = z
  .looseObject({
    source: z.string(),
    detailType: z.string(),
    version: z.number().int(),
    description: z.string(),
    deprecatedBy: z.number().int().optional(),
    deprecatedUntil: z.string().optional(),
    schema: z.object({
      detail: z
        .looseObject({})
        .meta({ description: "JSON Schema (draft 2020-12) of the bus event's detail" }),
      webhook: z.looseObject({}).meta({ description: "JSON Schema (draft 2020-12) of the webhook body" }),
    }),
    example: z.object({ detail: z.looseObject({}), webhook: z.looseObject({}) }),
  })
  .meta({ description: "One event, per source, detail-type and version" });

// The committed catalog (`npm run catalog`), so the bundle carries JSON rather than the generator.
export const handler = httpHandler({
  public: true,
  responses: { 200: z.array(Entry).meta({ description: "Every event Allot publishes, sorted" }) },
  handle: async () => ({ body: catalog, headers: { "cache-control": catalogCacheControl } }),
});
