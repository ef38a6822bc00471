import { createProgram, Program } from "@allot/core/program";
import { z } from "zod";
import { programDeps } from "../../lib/deps-programs.js";
import { httpHandler } from "../../lib/http.js";
import { ProgramView } from "../../responses/programs.js";

// The body is validated in core, caps against pools included, so one answer names every problem.
export const handler = httpHandler({
  responses: { 201: ProgramView, 200: ProgramView },
  body: z.unknown(),
  bodyValidatedInCore: Program,
  handle: async ({ actor, body }) => {
    const { program, created } = await createProgram(programDeps(), actor, body);
    return {
      status: created ? 201 : 200,
      body: program,
      headers: { location: `/programs/${program.programId}` },
    };
  },
});
