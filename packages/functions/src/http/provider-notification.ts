import {
  answerOf,
  linkedSecret,
  notifyProjectCreateSchema,
  SIGNATURE_HEADER,
  verifySignature,
} from "@allot/adapters";
import { recordProviderAnswer } from "@allot/core/award";
import { providerEnv, providerSecrets } from "@allot/stacks/env";
import { awardDeps } from "../lib/deps-awards.js";
import { HttpError, httpHandler, issuesFromZod } from "../lib/http.js";
import { ProviderNotificationAnswer } from "../responses/awards.js";

// The provider's answers come without a bearer token: each is signed with the shared secret
// over the raw body and a timestamp, so it is checked before anything is parsed or stored.
export const handler = httpHandler({
  responses: { 200: ProviderNotificationAnswer },
  errors: [401],
  public: true,
  bodyValidatedInCore: notifyProjectCreateSchema,
  handle: async ({ event }) => {
    const raw = event.isBase64Encoded
      ? Buffer.from(event.body ?? "", "base64").toString("utf8")
      : (event.body ?? "");
    const signature = event.headers?.[SIGNATURE_HEADER] ?? "";
    const secret = linkedSecret(providerSecrets.secret, providerEnv.secret) ?? "";
    if (!secret || !verifySignature(secret, raw, signature, Math.floor(Date.now() / 1000))) {
      throw new HttpError(401, "The signature is missing, stale or wrong");
    }
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      throw new HttpError(400, "The request body is not valid JSON");
    }
    const parsed = notifyProjectCreateSchema.safeParse(json);
    if (!parsed.success)
      throw new HttpError(400, "Not a notify_project_create message", issuesFromZod(parsed.error));
    const award = await recordProviderAnswer(awardDeps(), answerOf(parsed.data));
    return { body: { awardId: award.awardId, received: true } };
  },
});
