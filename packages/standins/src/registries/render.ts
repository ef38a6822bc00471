import { createHash } from "node:crypto";
import type { Paper } from "./admin.js";
import type { StoredRepository } from "./world.js";

// The services' answers in their real shapes (abridged to the fields that matter, in their
// order and types), from the services' documentation and live answers.

const splitName = (display: string) => {
  const parts = display.trim().split(/\s+/);
  const family = parts.pop() ?? "";
  return { given: parts.join(" "), family };
};

/** Crossref REST API, GET /works/{doi}. */
export const crossrefWork = (doi: string, paper: Paper) => ({
  status: "ok",
  "message-type": "work",
  "message-version": "1.0.0",
  message: {
    indexed: { "date-parts": [[2026, 1, 1]], "date-time": "2026-01-01T00:00:00Z", timestamp: 1767225600000 },
    publisher: paper.venue ?? "Allot Stand-in Press",
    DOI: doi,
    type: "journal-article",
    title: [paper.title],
    author: paper.authors.map((name, i) => ({
      ...splitName(name),
      sequence: i === 0 ? "first" : "additional",
      affiliation: [],
    })),
    "container-title": paper.venue ? [paper.venue] : [],
    ...(paper.year ? { issued: { "date-parts": [[paper.year]] } } : { issued: { "date-parts": [[null]] } }),
    URL: `https://doi.org/${doi}`,
  },
});

/** DataCite REST API, GET /dois/{doi} (JSON:API). */
export const dataciteDoi = (doi: string, paper: Paper) => {
  const [prefix = "", ...suffix] = doi.split("/");
  return {
    data: {
      id: doi,
      type: "dois",
      attributes: {
        doi,
        prefix,
        suffix: suffix.join("/"),
        identifiers: [],
        creators: paper.authors.map((name) => {
          const { given, family } = splitName(name);
          return {
            name: given ? `${family}, ${given}` : family,
            nameType: "Personal",
            givenName: given,
            familyName: family,
            affiliation: [],
            nameIdentifiers: [],
          };
        }),
        titles: [{ title: paper.title }],
        publisher: paper.venue ?? "Allot Stand-in Repository",
        container: {},
        publicationYear: paper.year ?? null,
        types: { resourceTypeGeneral: "Text", resourceType: "Preprint" },
        url: `https://example.org/${doi}`,
        state: "findable",
      },
      relationships: { client: { data: { id: "allot.standin", type: "clients" } } },
    },
  };
};

export const DATACITE_NOT_FOUND = {
  errors: [{ status: "404", title: "The resource you are looking for doesn't exist." }],
};

const xmlEscape = (text: string) =>
  text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

const feed = (query: string, total: number, entries: string) => `<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/" xmlns:arxiv="http://arxiv.org/schemas/atom">
  <id>https://arxiv.org/api/${createHash("sha1").update(query).digest("base64url")}</id>
  <title>arXiv Query: ${xmlEscape(query)}</title>
  <updated>2026-01-01T00:00:00Z</updated>
  <link href="https://arxiv.org/api/query?${xmlEscape(query)}" type="application/atom+xml"/>
  <opensearch:itemsPerPage>1</opensearch:itemsPerPage>
  <opensearch:totalResults>${total}</opensearch:totalResults>
  <opensearch:startIndex>0</opensearch:startIndex>${entries}
</feed>
`;

/** arXiv API, GET /api/query?id_list={id}: an Atom feed with the paper's entry, or none. */
export const arxivFeed = (query: string, id: string, paper: Paper | undefined) => {
  if (!paper) return feed(query, 0, "");
  const published = `${paper.year ?? 2026}-01-15T00:00:00Z`;
  const authors = paper.authors
    .map((name) => `\n    <author>\n      <name>${xmlEscape(name)}</name>\n    </author>`)
    .join("");
  return feed(
    query,
    1,
    `
  <entry>
    <id>http://arxiv.org/abs/${xmlEscape(id)}v1</id>
    <title>${xmlEscape(paper.title)}</title>
    <updated>${published}</updated>
    <link href="https://arxiv.org/abs/${xmlEscape(id)}v1" rel="alternate" type="text/html"/>
    <link href="https://arxiv.org/pdf/${xmlEscape(id)}v1" rel="related" type="application/pdf" title="pdf"/>
    <summary>A paper the stand-in was told about.</summary>
    <category term="cs.LG" scheme="http://arxiv.org/schemas/atom"/>
    <published>${published}</published>
    <arxiv:comment>stand-in</arxiv:comment>${paper.venue ? `\n    <arxiv:journal_ref>${xmlEscape(paper.venue)}</arxiv:journal_ref>` : ""}
    <arxiv:primary_category term="cs.LG"/>${authors}
  </entry>`,
  );
};

/** The arXiv API's answer to a malformed id: HTTP 400 and an entry describing the error. */
export const arxivError = (query: string, id: string) =>
  feed(
    query,
    1,
    `
  <entry>
    <id>http://arxiv.org/api/errors#incorrect_id_format_for_${xmlEscape(id)}</id>
    <title>Error</title>
    <summary>incorrect id format for ${xmlEscape(id)}</summary>
    <updated>2026-01-01T00:00:00Z</updated>
    <link href="http://arxiv.org/api/errors#incorrect_id_format_for_${xmlEscape(id)}" rel="alternate" type="text/html"/>
    <author>
      <name>arXiv api core</name>
    </author>
  </entry>`,
  );

const LICENSE_NAMES: Record<string, { key: string; name: string }> = {
  MIT: { key: "mit", name: "MIT License" },
  "Apache-2.0": { key: "apache-2.0", name: "Apache License 2.0" },
  "BSD-2-Clause": { key: "bsd-2-clause", name: 'BSD 2-Clause "Simplified" License' },
  "BSD-3-Clause": { key: "bsd-3-clause", name: 'BSD 3-Clause "New" or "Revised" License' },
  "GPL-3.0": { key: "gpl-3.0", name: "GNU General Public License v3.0" },
  NOASSERTION: { key: "other", name: "Other" },
};
const licenseObject = (spdxId: string) => {
  const known = LICENSE_NAMES[spdxId] ?? { key: spdxId.toLowerCase(), name: spdxId };
  return {
    key: known.key,
    name: known.name,
    spdx_id: spdxId,
    url: spdxId === "NOASSERTION" ? null : `https://api.github.com/licenses/${known.key}`,
    node_id: `MDc6TGljZW5zZ${known.key}`,
  };
};

const repoId = (repo: StoredRepository) =>
  Number.parseInt(
    createHash("sha1").update(`${repo.owner}/${repo.name}`.toLowerCase()).digest("hex").slice(0, 8),
    16,
  );

/** GitHub REST, GET /repos/{owner}/{repo}. */
export const githubRepository = (api: string, repo: StoredRepository) => {
  const fullName = `${repo.owner}/${repo.name}`;
  return {
    id: repoId(repo),
    node_id: `R_${repoId(repo).toString(36)}`,
    name: repo.name,
    full_name: fullName,
    private: repo.visibility === "private",
    owner: { login: repo.owner, id: repoId(repo) + 1, type: "User", url: `${api}/users/${repo.owner}` },
    html_url: `https://github.com/${fullName}`,
    description: null,
    fork: false,
    url: `${api}/repos/${fullName}`,
    created_at: repo.createdAt,
    updated_at: repo.committedAt,
    pushed_at: repo.committedAt,
    archived: false,
    disabled: false,
    visibility: repo.visibility,
    license: repo.spdxId ? licenseObject(repo.spdxId) : null,
    default_branch: repo.defaultBranch,
  };
};

/** GitHub REST, GET /repos/{owner}/{repo}/license (only when the repository has a license file). */
export const githubLicense = (api: string, repo: StoredRepository, spdxId: string) => {
  const fullName = `${repo.owner}/${repo.name}`;
  const content = `${spdxId} license text (stand-in)\n`;
  return {
    name: "LICENSE",
    path: "LICENSE",
    sha: createHash("sha1").update(`${repo.commitSha}:LICENSE`).digest("hex"),
    size: content.length,
    url: `${api}/repos/${fullName}/contents/LICENSE?ref=${repo.defaultBranch}`,
    html_url: `https://github.com/${fullName}/blob/${repo.defaultBranch}/LICENSE`,
    type: "file",
    content: Buffer.from(content).toString("base64"),
    encoding: "base64",
    license: licenseObject(spdxId),
  };
};

/** GitHub REST, GET /repos/{owner}/{repo}/commits/{ref}. */
export const githubCommit = (api: string, repo: StoredRepository) => {
  const fullName = `${repo.owner}/${repo.name}`;
  const person = {
    name: repo.owner,
    email: `${repo.owner}@users.noreply.github.com`,
    date: repo.committedAt,
  };
  return {
    sha: repo.commitSha,
    node_id: `C_${repo.commitSha.slice(0, 12)}`,
    commit: {
      author: person,
      committer: person,
      message: "Update LICENSE",
      tree: {
        sha: createHash("sha1").update(repo.commitSha).digest("hex"),
        url: `${api}/repos/${fullName}/git/trees`,
      },
    },
    url: `${api}/repos/${fullName}/commits/${repo.commitSha}`,
    html_url: `https://github.com/${fullName}/commit/${repo.commitSha}`,
    parents: [],
  };
};

export const githubNotFound = (documentation: string) => ({
  message: "Not Found",
  documentation_url: `https://docs.github.com/rest/${documentation}`,
  status: "404",
});
