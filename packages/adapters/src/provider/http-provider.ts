import { type ComputeProvider, type ProjectRequest, ProviderError } from "@allot/core/award";
import {
  amiePaths,
  errorBodySchema,
  modifyProjectSchema,
  projectRequestSchema,
  requestAcceptedSchema,
} from "./protocol.js";
import { SIGNATURE_HEADER, signPayload } from "./signature.js";

export interface HttpComputeProviderOptions {
  /** The provider's endpoint, e.g. http://127.0.0.1:4600 for the local stand-in. */
  baseUrl: string;
  /** Shared with the provider; signs every request. */
  secret: string;
  /** For the whole call, connection to last byte of the answer. */
  timeoutMs: number;
  fetch?: typeof fetch;
}

const networkReason = (error: unknown): string => {
  const cause = (error as { cause?: { code?: string; message?: string } } | null)?.cause;
  return cause?.code ?? cause?.message ?? (error as Error | null)?.message ?? String(error);
};

const parseJson = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
};

// 408 and 429 are the two 4xx answers in which HTTP itself says "try again later"; every other
// 4xx means the request as sent will never succeed, and retrying it would only delay the
// compensation.
const isPermanentStatus = (status: number) =>
  status >= 400 && status < 500 && status !== 408 && status !== 429;

/**
 * The ComputeProvider port over the provider's AMIE-over-HTTP protocol (./protocol.ts). It does
 * not retry: a transient ProviderError goes back to the workflow, whose retry policy owns the
 * backoff, and every call is idempotent by award id on the provider's side.
 */
export const httpComputeProvider = (options: HttpComputeProviderOptions): ComputeProvider => {
  const send = options.fetch ?? globalThis.fetch;
  const base = options.baseUrl.replace(/\/+$/, "");

  const post = async (
    operation: string,
    path: string,
    awardId: string,
    payload: unknown,
  ): Promise<unknown> => {
    const body = JSON.stringify(payload);
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), options.timeoutMs);
    let status: number;
    let text: string;
    try {
      const response = await send(`${base}${path}`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          [SIGNATURE_HEADER]: signPayload(options.secret, body, Date.now() / 1000),
        },
        body,
        signal: controller.signal,
      });
      status = response.status;
      text = await response.text();
    } catch (error) {
      const reason = controller.signal.aborted
        ? `no answer within ${options.timeoutMs} ms`
        : `unreachable (${networkReason(error)})`;
      throw new ProviderError(false, `${operation} for award ${awardId}: the provider is ${reason}`);
    } finally {
      clearTimeout(timer);
    }
    const json = parseJson(text);
    if (status >= 200 && status < 300) return json;
    const detail = errorBodySchema.safeParse(json);
    const what = detail.success ? `${detail.data.error}: ${detail.data.reason}` : text.slice(0, 200);
    throw new ProviderError(
      isPermanentStatus(status),
      `${operation} for award ${awardId} failed with HTTP ${status}${what ? ` (${what})` : ""}`,
    );
  };

  return {
    async requestProject(request: ProjectRequest) {
      const valid = projectRequestSchema.safeParse(request);
      if (!valid.success) {
        const issues = valid.error.issues.map((i) => `${i.path.join(".") || "request"}: ${i.message}`);
        throw new ProviderError(
          true,
          `request_project_create for award ${request.awardId}: invalid request (${issues.join("; ")})`,
        );
      }
      const answer = await post(
        "request_project_create",
        amiePaths.requestProjectCreate,
        request.awardId,
        valid.data,
      );
      // A 2xx we cannot read may come from something in between; asking again is harmless.
      if (!requestAcceptedSchema.safeParse(answer).success) {
        throw new ProviderError(
          false,
          `request_project_create for award ${request.awardId}: unexpected answer ${JSON.stringify(answer)}`,
        );
      }
      return { accepted: true } as const;
    },

    async completeTransaction(awardId: string) {
      await post("inform_transaction_complete", amiePaths.informTransactionComplete, awardId, { awardId });
    },

    async deprovision(awardId: string, reason: string) {
      await post("request_project_inactivate", amiePaths.requestProjectInactivate, awardId, {
        awardId,
        reason,
      });
    },

    async setAccess(awardId: string, access: "suspended" | "active") {
      if (access === "suspended") {
        await post("request_project_suspend", amiePaths.requestProjectSuspend, awardId, { awardId });
      } else {
        await post("request_project_reactivate", amiePaths.requestProjectReactivate, awardId, { awardId });
      }
    },

    async inactivate(awardId: string, reason: string) {
      await post("request_project_inactivate", amiePaths.requestProjectInactivate, awardId, {
        awardId,
        reason,
        reversible: true,
      });
    },

    async reactivate(awardId: string) {
      await post("request_project_reactivate", amiePaths.requestProjectReactivate, awardId, {
        awardId,
        lift: "inactivation",
      });
    },

    async modifyProject(awardId, modification) {
      const valid = modifyProjectSchema.safeParse({ awardId, ...modification });
      if (!valid.success) {
        const issues = valid.error.issues.map((i) => `${i.path.join(".") || "request"}: ${i.message}`);
        throw new ProviderError(
          true,
          `modify_project for award ${awardId}: invalid request (${issues.join("; ")})`,
        );
      }
      await post("modify_project", amiePaths.modifyProject, awardId, valid.data);
    },
  };
};
