import { httpHandler } from "../lib/http.js";
import { openApiDocument } from "../lib/openapi.js";

export const handler = httpHandler({
  public: true,
  handle: async () => ({ body: openApiDocument() }),
});
