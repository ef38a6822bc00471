import { listPrograms } from "@allot/core/program";
import { programDeps } from "../../lib/deps-programs.js";
import { httpHandler } from "../../lib/http.js";
import { itemsOf } from "../../responses/common.js";
import { ProgramView } from "../../responses/programs.js";

export const handler = httpHandler({
  responses: { 200: itemsOf(ProgramView) },
  handle: async ({ actor }) => ({ body: { items: await listPrograms(programDeps(), actor) } }),
});
