import type { CodeHost, RepositoryLookup } from "@allot/core/output";
import { VerificationUnavailable } from "@allot/core/output";
import {
  type HttpClientOptions,
  type HttpGet,
  httpClient,
  jsonBody,
  startBudget,
  unexpected,
} from "./http.js";
import { githubCommit, githubLicense, githubRepository } from "./shapes.js";

export interface GitHubOptions {
  apiUrl: string;
  userAgent: string;
  /**
   * The token, read when first needed (a secret on AWS) and kept: without one GitHub allows 60
   * requests an hour per IP and answers 404 for private repositories.
   */
  token?: () => Promise<string | undefined>;
  http?: Omit<HttpClientOptions, "service" | "headers">;
  now?: () => Date;
}

/** The REST API version this adapter was written against (GitHub's dated versions). */
export const GITHUB_API_VERSION = "2022-11-28";

const shaped = <T>(parse: () => T): T => {
  try {
    return parse();
  } catch {
    throw new VerificationUnavailable("github", "github answered in an unexpected shape");
  }
};

/**
 * GitHub REST: the repository (existence, visibility, canonical name after renames, default
 * branch), the head commit of the default branch, and the license GitHub detects at that
 * commit, so the SPDX id and the commit recorded belong together.
 */
export const gitHubCodeHost = (options: GitHubOptions): CodeHost => {
  const now = options.now ?? (() => new Date());
  const get: HttpGet = httpClient({
    ...options.http,
    service: "github",
    headers: {
      accept: "application/vnd.github+json",
      "x-github-api-version": GITHUB_API_VERSION,
      "user-agent": options.userAgent,
    },
  });
  let token: Promise<string | undefined> | undefined;
  const authorization = async (): Promise<Record<string, string>> => {
    token ??= (options.token?.() ?? Promise.resolve(undefined)).catch((error: unknown) => {
      token = undefined;
      throw new VerificationUnavailable("github", `the GitHub token could not be read: ${String(error)}`);
    });
    const value = await token;
    return value ? { authorization: `Bearer ${value}` } : {};
  };
  return {
    async lookUp({ owner, name }): Promise<RepositoryLookup> {
      const deadline = startBudget(options.http?.policy);
      const api = async (path: string) => get(`${options.apiUrl}${path}`, await authorization(), deadline);
      const base = `/repos/${encodeURIComponent(owner)}/${encodeURIComponent(name)}`;
      const repoAnswer = await api(base);
      // 404: absent, or private to this token; 451: blocked (DMCA). Neither is public code.
      if (repoAnswer.status === 404 || repoAnswer.status === 451 || repoAnswer.status === 410)
        return { found: false, checkedAt: now().toISOString() };
      if (repoAnswer.status !== 200) throw unexpected("github", repoAnswer);
      const repo = shaped(() => githubRepository.parse(jsonBody("github", repoAnswer)));
      // Renames and transfers redirect; from here on the canonical name is used.
      const canonical = `/repos/${repo.full_name.split("/").map(encodeURIComponent).join("/")}`;

      let commitSha: string | undefined;
      if (repo.default_branch) {
        const commitAnswer = await api(`${canonical}/commits/${encodeURIComponent(repo.default_branch)}`);
        // 409: an empty repository has no commit (and so no license either).
        if (commitAnswer.status === 200)
          commitSha = shaped(() => githubCommit.parse(jsonBody("github", commitAnswer))).sha;
        else if (commitAnswer.status !== 409 && commitAnswer.status !== 404)
          throw unexpected("github", commitAnswer);
      }

      const licenseAnswer = await api(`${canonical}/license${commitSha ? `?ref=${commitSha}` : ""}`);
      let spdxId: string | null = null;
      if (licenseAnswer.status === 200)
        spdxId =
          shaped(() => githubLicense.parse(jsonBody("github", licenseAnswer))).license?.spdx_id ?? null;
      else if (licenseAnswer.status !== 404) throw unexpected("github", licenseAnswer);

      return {
        found: true,
        public: !repo.private && (repo.visibility ?? "public") === "public",
        spdxId,
        ...(commitSha ? { commitSha } : {}),
        ...(repo.default_branch ? { defaultBranch: repo.default_branch } : {}),
        fullName: repo.full_name,
        checkedAt: now().toISOString(),
      };
    },
  };
};
