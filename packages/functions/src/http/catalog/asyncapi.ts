import { z } from "zod";
import document from "../../../../../docs/events/asyncapi.json" with { type: "json" };
import { httpHandler } from "../../lib/http.js";
import { catalogCacheControl } from "./cache-control.js";

// The committed document (`npm run catalog`), so the bundle carries JSON rather than the generator.
export const handler = httpHandler({
  public: true,
  responses: {
    200: z.looseObject({ asyncapi: z.string() }).meta({ description: "The AsyncAPI 3.0 document" }),
  },
  handle: async () => ({ body: document, headers: { "cache-control": catalogCacheControl } }),
});
