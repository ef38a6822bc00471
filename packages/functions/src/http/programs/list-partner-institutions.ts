import { listPartnerInstitutions } from "@allot/core/program";
import { programDeps } from "../../lib/deps-programs.js";
import { httpHandler } from "../../lib/http.js";

export const handler = httpHandler({
  handle: async ({ actor, path }) => ({
    body: { items: await listPartnerInstitutions(programDeps(), actor, path.programId ?? "") },
  }),
});
