import { listPartnerInstitutions } from "@allot/core/program";
import { programDeps } from "../../lib/deps-programs.js";
import { httpHandler } from "../../lib/http.js";
import { itemsOf } from "../../responses/common.js";
import { PartnerInstitutionView } from "../../responses/programs.js";

export const handler = httpHandler({
  responses: { 200: itemsOf(PartnerInstitutionView) },
  handle: async ({ actor, path }) => ({
    body: { items: await listPartnerInstitutions(programDeps(), actor, path.programId ?? "") },
  }),
});
