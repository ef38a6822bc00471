import { z } from "zod";
import document from "../../openapi.json" with { type: "json" };
import { httpHandler } from "../lib/http.js";

// The committed document (`npm run openapi`), so the bundle carries JSON rather than the generator.
export const handler = httpHandler({
  public: true,
  responses: { 200: z.looseObject({ openapi: z.string() }).meta({ description: "This document" }) },
  handle: async () => ({ body: document }),
});
