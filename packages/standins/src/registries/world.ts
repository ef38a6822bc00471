import { createHash } from "node:crypto";
import { normalizeArxivId, normalizeDoi } from "@allot/core/output";
import {
  type Fault,
  type Paper,
  type RegistryService,
  type Repository,
  type RequestCounts,
  registryServices,
} from "./admin.js";

// What the stand-in's registries and GitHub know, in memory: tests and the e2e program it
// through the admin API after start, so a restarted stand-in is an empty world on purpose.

export interface StoredRepository extends Repository {
  commitSha: string;
  /** When the head commit last changed, for the commit's dates. */
  committedAt: string;
  createdAt: string;
}

type ActiveFault = Fault & { remaining: number };

const repoKey = (owner: string, name: string) => `${owner}/${name}`.toLowerCase();
/** DOIs are case-insensitive; the admin API may be given any of the forms grantees paste. */
export const doiKey = (doi: string) => normalizeDoi(doi) ?? doi.trim().toLowerCase();
export const arxivKey = (id: string) => normalizeArxivId(id) ?? id.trim();

export class RegistriesWorld {
  private readonly papers = new Map<string, Paper>();
  private readonly repositories = new Map<string, StoredRepository>();
  private readonly faults = new Map<RegistryService, ActiveFault>();
  private counts = RegistriesWorld.zeroCounts();
  private changes = 0;

  private static zeroCounts(): RequestCounts {
    return Object.fromEntries(registryServices.map((s) => [s, 0])) as RequestCounts;
  }

  putPaper(paper: Paper): Paper {
    const key =
      paper.registry === "arxiv"
        ? `arxiv:${arxivKey(paper.arxivId ?? "")}`
        : `${paper.registry}:${doiKey(paper.doi ?? "")}`;
    this.papers.set(key, paper);
    return paper;
  }

  paper(registry: Paper["registry"], id: string): Paper | undefined {
    return this.papers.get(registry === "arxiv" ? `arxiv:${arxivKey(id)}` : `${registry}:${doiKey(id)}`);
  }

  putRepository(repository: Repository): StoredRepository {
    const key = repoKey(repository.owner, repository.name);
    const previous = this.repositories.get(key);
    const now = new Date().toISOString();
    const changed =
      !previous ||
      previous.spdxId !== repository.spdxId ||
      previous.visibility !== repository.visibility ||
      previous.defaultBranch !== repository.defaultBranch;
    // A license change is a commit: a new head unless the caller names one.
    const commitSha =
      repository.commitSha ??
      (changed || !previous
        ? createHash("sha1")
            .update(`${key}#${++this.changes}#${now}`)
            .digest("hex")
        : previous.commitSha);
    const stored: StoredRepository = {
      ...repository,
      commitSha,
      committedAt: commitSha === previous?.commitSha ? previous.committedAt : now,
      createdAt: previous?.createdAt ?? now,
    };
    this.repositories.set(key, stored);
    return stored;
  }

  repository(owner: string, name: string): StoredRepository | undefined {
    return this.repositories.get(repoKey(owner, name));
  }

  deleteRepository(owner: string, name: string): boolean {
    return this.repositories.delete(repoKey(owner, name));
  }

  putFault(fault: Fault): Fault {
    this.faults.set(fault.service, { ...fault, remaining: fault.times });
    return fault;
  }

  clearFaults() {
    this.faults.clear();
  }

  /** Counts a request to `service` and returns the fault it is to suffer, if one is left. */
  receive(service: RegistryService): Fault | undefined {
    this.counts[service] += 1;
    const fault = this.faults.get(service);
    if (!fault) return undefined;
    fault.remaining -= 1;
    if (fault.remaining <= 0) this.faults.delete(service);
    return fault;
  }

  requests(): RequestCounts {
    return { ...this.counts };
  }

  resetRequests() {
    this.counts = RegistriesWorld.zeroCounts();
  }

  reset() {
    this.papers.clear();
    this.repositories.clear();
    this.clearFaults();
    this.resetRequests();
  }
}
