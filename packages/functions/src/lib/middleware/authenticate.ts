import { type Actor, Role } from "@allot/core";
import { routes } from "@allot/stacks/routes";
import type { APIGatewayProxyEventV2WithJWTAuthorizer } from "aws-lambda";
import { HttpError } from "../http-answer.js";
import type { HttpMiddleware, HttpMiddlewareRequest } from "./http-context.js";

// The caller from the JWT the gateway verified, allowed only the roles its route names in
// stacks/ (the gateway checks the signature, the roles are ours). Public routes (the provider's
// signed callbacks) carry no token and act as an anonymous applicant.
const anonymous: Actor = { userId: "anonymous", role: "applicant" };

const actorOf = (event: APIGatewayProxyEventV2WithJWTAuthorizer): Actor => {
  const claims = event.requestContext?.authorizer?.jwt?.claims ?? {};
  const role = Role.safeParse(claims["allot:role"]);
  if (typeof claims.sub !== "string" || !claims.sub || !role.success) {
    throw new HttpError(401, "A valid bearer token with a subject and an Allot role is required");
  }
  return { userId: claims.sub, role: role.data };
};

export const authenticate = (options: { public?: boolean }): HttpMiddleware => ({
  before: (request: HttpMiddlewareRequest) => {
    if (options.public) {
      request.context.actor = anonymous;
      return;
    }
    const { event } = request;
    const actor = actorOf(event);
    const route = routes.find((r) => `${r.method} ${r.path}` === event.routeKey);
    if (!route) throw new Error(`No route in stacks/ for ${event.routeKey}`);
    if (!route.roles.includes(actor.role)) {
      throw new HttpError(403, `The ${actor.role} role may not call ${event.routeKey}`);
    }
    request.context.actor = actor;
  },
});
