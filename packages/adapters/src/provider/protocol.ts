import type { ProjectRequest, ProviderAnswer } from "@allot/core/award";
import { z } from "zod";

/*
 * The wire protocol between Allot and the compute provider: AMIE's handshake over HTTP/JSON.
 * Both the adapter (packages/adapters) and the local stand-in (packages/standins) import it, so
 * the two cannot drift apart.
 *
 * Allot → provider, each POST signed (`x-allot-signature`, see ./signature.ts):
 *   POST /amie/v1/request_project_create        ProjectRequest    → 202 { transactionId, state: "accepted" }
 *        Idempotent by awardId: a repeat answers 202 with the same transaction and re-sends the
 *        answer; it never creates a second project. A request that reached the provider before
 *        the award's project was inactivated is refused (409), so a late duplicate cannot bring
 *        back what compensation removed; one that reached it afterwards (a re-drive) reactivates.
 *   POST /amie/v1/inform_transaction_complete   { awardId }         → 200 ProjectAck
 *   POST /amie/v1/request_project_inactivate    { awardId, reason } → 200 ProjectAck, also for a missing project
 *        (deprovision: for good). With `reversible: true` (inactivate: the credits are used up)
 *        the project stays, to be reactivated; a missing project is 404.
 *   POST /amie/v1/request_project_suspend       { awardId }         → 200 ProjectAck (setAccess "suspended")
 *   POST /amie/v1/request_project_reactivate    { awardId }         → 200 ProjectAck (setAccess "active")
 *        With `lift: "inactivation"` (reactivate) it lifts a reversible inactivation instead of a
 *        suspension; a project inactivated for good stays so (409).
 *   POST /amie/v1/modify_project                { awardId, creditsCents, chipHours, endsAt }
 *                                                                  → 200 ProjectAck (a supplement or an
 *        extension: AMIE's request_project_create with AllocationType supplement/extension on the
 *        existing project); sets the allocation to these totals, so a repeat changes nothing; 404
 *        without a project, 409 on an inactive one.
 *   GET  /amie/v1/projects/{awardId}            → 200 ProjectView | 404
 *   GET  /amie/v1/projects                      → 200 { projects: ProjectView[] }
 *
 * provider → Allot, asynchronously, retried with backoff until a 2xx, signed the same way:
 *   POST <callbackUrl>   NotifyProjectCreate { type: "notify_project_create", awardId, projectId, access, sentAt }
 *
 * Errors carry { error, reason }. 5xx, timeouts and refused connections are transient; 4xx are
 * permanent (400 invalid, 401 unauthorized, 404 not_found, 409 conflict, 422 rejected), except
 * 408 and 429, which say "later" in HTTP's own words.
 */

export const AMIE_PREFIX = "/amie/v1";

export const amiePaths = {
  requestProjectCreate: `${AMIE_PREFIX}/request_project_create`,
  informTransactionComplete: `${AMIE_PREFIX}/inform_transaction_complete`,
  requestProjectInactivate: `${AMIE_PREFIX}/request_project_inactivate`,
  requestProjectSuspend: `${AMIE_PREFIX}/request_project_suspend`,
  requestProjectReactivate: `${AMIE_PREFIX}/request_project_reactivate`,
  modifyProject: `${AMIE_PREFIX}/modify_project`,
  projects: `${AMIE_PREFIX}/projects`,
  project: (awardId: string) => `${AMIE_PREFIX}/projects/${encodeURIComponent(awardId)}`,
} as const;

const awardId = z.string().min(1).max(200);
const isoDate = z.union([z.iso.datetime({ offset: true }), z.iso.date()]);

export const projectRequestSchema = z.object({
  awardId,
  grantee: z.object({
    userId: z.string().min(1),
    name: z.string().min(1),
    email: z.email(),
    institution: z.string().min(1),
  }),
  creditsCents: z.number().int().nonnegative(),
  chipHours: z.number().nonnegative(),
  startsAt: isoDate,
  endsAt: isoDate,
  callbackUrl: z.url({ protocol: /^https?$/ }),
}) satisfies z.ZodType<ProjectRequest>;

export const requestAcceptedSchema = z.object({
  transactionId: z.string().min(1),
  state: z.literal("accepted"),
});
export type RequestAccepted = z.infer<typeof requestAcceptedSchema>;

export const informTransactionCompleteSchema = z.object({ awardId });
export const requestProjectInactivateSchema = z.object({
  awardId,
  reason: z.string().min(1).max(2000),
  reversible: z.boolean().optional(),
});
export const requestProjectSuspendSchema = z.object({ awardId });
export const requestProjectReactivateSchema = z.object({
  awardId,
  lift: z.enum(["suspension", "inactivation"]).optional(),
});
export const modifyProjectSchema = z.object({
  awardId,
  creditsCents: z.number().int().nonnegative(),
  chipHours: z.number().nonnegative(),
  endsAt: isoDate,
});
export type ModifyProject = z.infer<typeof modifyProjectSchema>;

export const projectStateSchema = z.enum(["provisioned", "complete", "inactive", "suspended"]);
export type ProjectState = z.infer<typeof projectStateSchema>;

/** The answer to every POST but request_project_create: where the project stands now. */
export const projectAckSchema = z.object({ awardId, state: projectStateSchema });
export type ProjectAck = z.infer<typeof projectAckSchema>;

const accessSchema = z.object({
  loginHost: z.string().min(1).max(253),
  account: z.string().min(1).max(200),
  instructions: z.string().max(5000),
});

export const notifyProjectCreateSchema = z.object({
  type: z.literal("notify_project_create"),
  awardId,
  projectId: z.string().min(1).max(200),
  access: accessSchema,
  sentAt: z.iso.datetime(),
});
export type NotifyProjectCreate = z.infer<typeof notifyProjectCreateSchema>;

/** The part of a notification the port cares about. */
export const answerOf = (notice: NotifyProjectCreate): ProviderAnswer => ({
  awardId: notice.awardId,
  projectId: notice.projectId,
  access: notice.access,
});

export const callbackStatusSchema = z.enum(["pending", "sending", "delivered", "expired", "cancelled"]);

export const projectViewSchema = z.object({
  awardId,
  projectId: z.string(),
  state: projectStateSchema,
  transaction: z.object({
    id: z.string(),
    state: z.enum(["accepted", "notified", "complete"]),
  }),
  request: projectRequestSchema,
  access: accessSchema,
  createdAt: z.iso.datetime(),
  completedAt: z.iso.datetime().optional(),
  suspendedAt: z.iso.datetime().optional(),
  /** When a supplement or an extension last changed `request`'s allocation. */
  modifiedAt: z.iso.datetime().optional(),
  inactivatedAt: z.iso.datetime().optional(),
  inactiveReason: z.string().optional(),
  callback: z.object({
    status: callbackStatusSchema,
    url: z.string(),
    attempts: z.number().int(),
    dueAt: z.iso.datetime().optional(),
    deliveredAt: z.iso.datetime().optional(),
    lastError: z.string().optional(),
  }),
});
export type ProjectView = z.infer<typeof projectViewSchema>;

export const projectListSchema = z.object({ projects: z.array(projectViewSchema) });

export const errorCodeSchema = z.enum([
  "invalid",
  "unauthorized",
  "not_found",
  "conflict",
  "rejected",
  "unavailable",
  "internal",
]);
export const errorBodySchema = z.object({ error: errorCodeSchema, reason: z.string() });
export type ErrorBody = z.infer<typeof errorBodySchema>;
