import type { Logger } from "aws-local";
import { startRegistriesServer } from "./server.js";
import { RegistriesWorld } from "./world.js";

export {
  type Fault,
  type PaperInput,
  type RegistriesAdmin,
  type RegistryService,
  type RepositoryInput,
  type RequestCounts,
  registriesAdmin,
  registryServices,
} from "./admin.js";

export interface RegistriesStandIn {
  /** The server's root; each service's base URL is `${url}/${service}` (see `registriesBaseUrls`). */
  url: string;
  stop(): Promise<void>;
}

/** The base URL each adapter is given, for a stand-in at `url`. */
export const registriesBaseUrls = (url: string) => ({
  crossref: `${url}/crossref`,
  datacite: `${url}/datacite`,
  arxiv: `${url}/arxiv`,
  github: `${url}/github`,
});

/**
 * Crossref, DataCite, arXiv and GitHub's REST API in one process, answering in the real shapes
 * what the admin API told it, with injected rate limits, outages and slow answers.
 */
export const startRegistriesStandIn = async (options: {
  host: string;
  /** 0 for any free port; the chosen one is in `url`. */
  port: number;
  logger?: Logger;
}): Promise<RegistriesStandIn> => {
  const world = new RegistriesWorld();
  const server = await startRegistriesServer({ ...options, world });
  options.logger
    ?.child({ component: "registries-stand-in" })
    .info("registries stand-in listening", { url: server.url });
  return { url: server.url, stop: () => server.close() };
};
