import { openApiDocument } from "../lib/openapi.js";
import { httpHandler } from "../lib/http.js";

export const handler = httpHandler({
  public: true,
  handle: async () => ({ body: openApiDocument() }),
});
