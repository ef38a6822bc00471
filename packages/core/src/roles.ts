import { z } from "zod";

export const Role = z.enum(["staff", "reviewer", "applicant", "integration"]);
export type Role = z.infer<typeof Role>;

/**
 * What an integration's token may do (OAuth 2.0 client-credentials scopes). A route that admits
 * the `integration` role names the scopes that open it (stacks/, RouteSpec.scopes); an integration
 * token needs one of them. People's tokens carry roles, not scopes.
 */
export const IntegrationScope = z.enum(["usage:write", "events:subscribe", "events:read", "programs:read"]);
export type IntegrationScope = z.infer<typeof IntegrationScope>;
