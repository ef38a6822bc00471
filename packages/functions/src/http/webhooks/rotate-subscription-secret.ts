import { RotateSecretInput, rotateSecret } from "@allot/core/webhook";
import { z } from "zod";
import { subscriptionDeps } from "../../lib/deps-webhooks.js";
import { httpHandler } from "../../lib/http.js";
import { RotatedSecret } from "../../responses/webhooks.js";

export const handler = httpHandler({
  responses: { 200: RotatedSecret },
  body: RotateSecretInput.optional(),
  handle: async ({ actor, path, body }) => ({
    body: await rotateSecret(subscriptionDeps(), actor, path.subscriptionId ?? "", body?.overlapSeconds),
  }),
});
