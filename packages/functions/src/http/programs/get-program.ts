import { getProgram } from "@allot/core/program";
import { programDeps } from "../../lib/deps-programs.js";
import { httpHandler } from "../../lib/http.js";
import { ProgramView } from "../../responses/programs.js";

export const handler = httpHandler({
  responses: { 200: ProgramView },
  handle: async ({ actor, path }) => ({ body: await getProgram(programDeps(), actor, path.programId ?? "") }),
});
