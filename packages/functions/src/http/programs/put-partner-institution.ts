import { PartnerInstitutionFields, putPartnerInstitution } from "@allot/core/program";
import { z } from "zod";
import { programDeps } from "../../lib/deps-programs.js";
import { httpHandler } from "../../lib/http.js";
import { PartnerInstitutionView } from "../../responses/programs.js";

// The body is validated in core against the path's ids and the program's caps, so one answer names every problem.
export const handler = httpHandler({
  responses: { 201: PartnerInstitutionView, 200: PartnerInstitutionView },
  body: z.unknown(),
  bodyValidatedInCore: PartnerInstitutionFields,
  handle: async ({ actor, body, path }) => {
    const { institution, created } = await putPartnerInstitution(
      programDeps(),
      actor,
      path.programId ?? "",
      path.institutionId ?? "",
      body,
    );
    return { status: created ? 201 : 200, body: institution };
  },
});
