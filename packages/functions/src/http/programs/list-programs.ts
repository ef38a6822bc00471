import { listPrograms } from "@allot/core/program";
import { programDeps } from "../../lib/deps-programs.js";
import { httpHandler } from "../../lib/http.js";

export const handler = httpHandler({
  handle: async ({ actor }) => ({ body: { items: await listPrograms(programDeps(), actor) } }),
});
