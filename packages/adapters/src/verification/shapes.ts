import type { PaperMetadata } from "@allot/core/output";
import { XMLParser } from "fast-xml-parser";
import { z } from "zod";

// The registries' answers, read for what verification needs and nothing else. Schemas are
// loose on purpose (the services add fields all the time); a field of the wrong type is the
// service misbehaving, which the adapters report as unavailable, never as "not found".

const text = z.string().trim();
const clean = (value: string) => value.replace(/\s+/g, " ").trim();
const displayName = (given?: string | null, family?: string | null, literal?: string | null) =>
  clean([given, family].filter(Boolean).join(" ")) || clean(literal ?? "");

// Crossref REST API, GET /works/{doi}: https://api.crossref.org/swagger-ui/index.html
const crossrefWork = z.object({
  message: z.object({
    title: z.array(text).optional(),
    author: z
      .array(z.object({ given: text.nullish(), family: text.nullish(), name: text.nullish() }))
      .optional(),
    issued: z.object({ "date-parts": z.array(z.array(z.number().nullable())).optional() }).optional(),
    "container-title": z.array(text).optional(),
    publisher: text.optional(),
  }),
});

export const parseCrossrefWork = (body: unknown): PaperMetadata => {
  const { message } = crossrefWork.parse(body);
  const year = message.issued?.["date-parts"]?.[0]?.[0];
  const venue = message["container-title"]?.find((t) => t) ?? message.publisher;
  return {
    title: clean(message.title?.[0] ?? ""),
    authors: (message.author ?? []).map((a) => displayName(a.given, a.family, a.name)).filter(Boolean),
    ...(typeof year === "number" ? { year } : {}),
    ...(venue ? { venue: clean(venue) } : {}),
    registry: "crossref",
  };
};

// DataCite REST API, GET /dois/{doi} (JSON:API): https://support.datacite.org/docs/api-get-doi
const dataciteDoi = z.object({
  data: z.object({
    attributes: z.object({
      titles: z.array(z.object({ title: text, titleType: z.string().nullish() })).optional(),
      creators: z
        .array(z.object({ name: text.nullish(), givenName: text.nullish(), familyName: text.nullish() }))
        .optional(),
      publicationYear: z.union([z.number(), z.string()]).nullish(),
      // A string, or {name, …} when the caller asks for ?publisher=true (schema 4.5).
      publisher: z.union([text, z.object({ name: text })]).nullish(),
      container: z.object({ title: text.nullish() }).nullish(),
    }),
  }),
});

export const parseDataciteDoi = (body: unknown): PaperMetadata => {
  const { attributes } = dataciteDoi.parse(body).data;
  // The main title has no titleType; subtitles and translations do.
  const title = attributes.titles?.find((t) => !t.titleType) ?? attributes.titles?.[0];
  const year = Number(attributes.publicationYear);
  const publisher =
    typeof attributes.publisher === "string" ? attributes.publisher : attributes.publisher?.name;
  const venue = attributes.container?.title || publisher;
  return {
    title: clean(title?.title ?? ""),
    authors: (attributes.creators ?? [])
      .map((c) => displayName(c.givenName, c.familyName, c.name))
      .filter(Boolean),
    ...(Number.isInteger(year) && year > 0 ? { year } : {}),
    ...(venue ? { venue: clean(venue) } : {}),
    registry: "datacite",
  };
};

// arXiv API, GET /api/query?id_list=…: an Atom feed, https://info.arxiv.org/help/api/user-manual.html
const xml = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "@",
  removeNSPrefix: true,
  parseTagValue: false,
  isArray: (name) => name === "entry" || name === "author",
});

const atomText = z.union([z.string(), z.object({ "#text": z.string() }).transform((t) => t["#text"])]);
const arxivFeed = z.object({
  feed: z.object({
    entry: z
      .array(
        z.object({
          id: atomText.optional(),
          title: atomText.optional(),
          published: atomText.optional(),
          author: z.array(z.object({ name: atomText })).optional(),
          journal_ref: atomText.optional(),
        }),
      )
      .optional(),
  }),
});

/**
 * The paper the feed describes, or undefined when it describes none: no entry (an unknown id
 * today), or the entry the API answers an error with (id under /api/errors, title "Error").
 */
export const parseArxivFeed = (body: string): PaperMetadata | undefined => {
  const { feed } = arxivFeed.parse(xml.parse(body));
  const entry = feed.entry?.find((e) => e.id && !e.id.includes("/api/errors") && e.title?.trim());
  if (!entry) return undefined;
  const year = Number(entry.published?.slice(0, 4));
  return {
    title: clean(entry.title ?? ""),
    authors: (entry.author ?? []).map((a) => clean(a.name)).filter(Boolean),
    ...(Number.isInteger(year) && year > 0 ? { year } : {}),
    venue: entry.journal_ref ? clean(entry.journal_ref) : "arXiv",
    registry: "arxiv",
  };
};

// GitHub REST API: https://docs.github.com/en/rest/repos/repos#get-a-repository,
// …/licenses/licenses#get-the-license-for-a-repository, …/commits/commits#get-a-commit
export const githubRepository = z.object({
  full_name: z.string(),
  private: z.boolean(),
  visibility: z.string().optional(),
  default_branch: z.string().optional(),
});
export const githubLicense = z.object({
  license: z.object({ spdx_id: z.string().nullish() }).nullish(),
});
export const githubCommit = z.object({ sha: z.string() });
