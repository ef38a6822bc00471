import type { IntegrationScope, Role } from "./roles.js";

/** Who is acting: read from verified token claims at the boundary, never from a request body. */
export interface Actor {
  userId: string;
  role: Role;
  /** An integration's granted scopes (client credentials); absent for people. */
  scopes?: IntegrationScope[];
}
