import type { RouteSpec } from "./topology.js";

export const routes: RouteSpec[] = [
  { method: "GET", path: "/openapi.json", function: "openapi", roles: [], public: true },
  { method: "POST", path: "/proposals", function: "submit-proposal", roles: ["applicant"] },
  { method: "GET", path: "/proposals/{proposalId}", function: "get-proposal", roles: ["applicant", "staff"] },
  { method: "POST", path: "/proposals/{proposalId}/decision", function: "record-decision", roles: ["staff"] },
  { method: "GET", path: "/proposals/{proposalId}/history", function: "get-proposal-history", roles: ["staff"] },
];
