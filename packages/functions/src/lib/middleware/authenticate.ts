import { type Actor, IntegrationScope, Role } from "@allot/core";
import type { RouteSpec } from "@allot/stacks";
import { routes } from "@allot/stacks/routes";
import type { APIGatewayProxyEventV2WithJWTAuthorizer } from "aws-lambda";
import { HttpError } from "../http-answer.js";
import type { HttpMiddleware, HttpMiddlewareRequest } from "./http-context.js";

// The caller from the JWT the gateway verified, allowed only the roles its route names in
// stacks/ (the gateway checks the signature, the roles are ours). Public routes (the provider's
// signed callbacks) carry no token and act as an anonymous applicant.
const anonymous: Actor = { userId: "anonymous", role: "applicant" };

type Claims = Record<string, unknown>;

/** The integration scopes a `scope` claim grants: a space-separated string or a list (as gateways pass it). */
const scopesOf = (claim: unknown): IntegrationScope[] => {
  const raw = Array.isArray(claim) ? claim.map(String) : typeof claim === "string" ? claim.split(/\s+/) : [];
  // A Cognito resource-server scope reads `<identifier>/usage:write`: the part after the last "/".
  const names = raw.map((s) => s.slice(s.lastIndexOf("/") + 1));
  return [
    ...new Set(names.flatMap((s) => (IntegrationScope.safeParse(s).success ? [s as IntegrationScope] : []))),
  ];
};

const actorOf = (event: APIGatewayProxyEventV2WithJWTAuthorizer): Actor => {
  const claims: Claims = event.requestContext?.authorizer?.jwt?.claims ?? {};
  // A Cognito client-credentials access token has no Allot role: it is an integration, and its
  // subject is the app client's id.
  if (
    claims["allot:role"] === undefined &&
    claims.token_use === "access" &&
    typeof claims.client_id === "string"
  ) {
    return { userId: claims.client_id, role: "integration", scopes: scopesOf(claims.scope) };
  }
  const role = Role.safeParse(claims["allot:role"]);
  if (typeof claims.sub !== "string" || !claims.sub || !role.success) {
    throw new HttpError(401, "A valid bearer token with a subject and an Allot role is required");
  }
  return role.data === "integration"
    ? { userId: claims.sub, role: role.data, scopes: scopesOf(claims.scope) }
    : { userId: claims.sub, role: role.data };
};

/** An integration needs one of the route's scopes; people's roles carry no scopes. */
const checkScopes = (actor: Actor, route: RouteSpec, routeKey: string) => {
  if (actor.role !== "integration") return;
  const needed = route.scopes ?? [];
  if (!needed.some((s) => actor.scopes?.includes(s))) {
    throw new HttpError(
      403,
      `This token lacks the scope ${routeKey} needs: ${needed.join(" or ") || "(none is granted to integrations)"}`,
    );
  }
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
    checkScopes(actor, route, event.routeKey);
    request.context.actor = actor;
  },
});
