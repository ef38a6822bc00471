import { describe, expect, it } from "vitest";
import { parseArxivFeed, parseCrossrefWork, parseDataciteDoi } from "../src/verification/shapes.js";

// Fixtures in the services' real shapes (abridged from their documentation and live answers):
// the fields verification reads, surrounded by the ones it must ignore.

const crossrefWork = {
  status: "ok",
  "message-type": "work",
  "message-version": "1.0.0",
  message: {
    indexed: { "date-parts": [[2024, 3, 1]], "date-time": "2024-03-01T06:41:49Z", timestamp: 1709275309230 },
    "reference-count": 12,
    publisher: "Wiley",
    issue: "3",
    "short-container-title": ["Phys. Status Solidi C"],
    "published-print": { "date-parts": [[2013, 3]] },
    DOI: "10.1002/pssc.201200953",
    type: "journal-article",
    page: "319-322",
    source: "Crossref",
    title: [" The quantum-confined Stark effect in\n  AlGaN quantum wells "],
    prefix: "10.1002",
    volume: "10",
    author: [
      { given: "E. A.", family: "Shevchenko", sequence: "first", affiliation: [] },
      {
        given: "V. N.",
        family: "Jmerik",
        sequence: "additional",
        affiliation: [{ name: "Ioffe Institute" }],
      },
      { name: "The AlGaN Consortium", sequence: "additional", affiliation: [] },
    ],
    member: "311",
    "container-title": ["physica status solidi (c)"],
    issued: { "date-parts": [[2013, 2, 7]] },
    URL: "https://doi.org/10.1002/pssc.201200953",
  },
};

const dataciteDoi = {
  data: {
    id: "10.5438/0012",
    type: "dois",
    attributes: {
      doi: "10.5438/0012",
      prefix: "10.5438",
      suffix: "0012",
      identifiers: [],
      creators: [
        {
          name: "Fenner, Martin",
          nameType: "Personal",
          givenName: "Martin",
          familyName: "Fenner",
          affiliation: [],
          nameIdentifiers: [
            { nameIdentifier: "https://orcid.org/0000-0003-1419-2405", nameIdentifierScheme: "ORCID" },
          ],
        },
        {
          name: "DataCite Metadata Working Group",
          nameType: "Organizational",
          affiliation: [],
          nameIdentifiers: [],
        },
      ],
      titles: [
        { title: "DataCite Metadata Schema, a subtitle", titleType: "Subtitle" },
        {
          title:
            "DataCite Metadata Schema Documentation for the Publication and Citation of Research Data v4.0",
        },
      ],
      publisher: "DataCite e.V.",
      container: {},
      publicationYear: 2016,
      types: { resourceTypeGeneral: "Text", resourceType: "Documentation" },
      url: "https://schema.datacite.org/meta/kernel-4.0/index.html",
      state: "findable",
    },
    relationships: { client: { data: { id: "datacite.datacite", type: "clients" } } },
  },
};

const arxivFeed = (entries: string) => `<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <link href="http://arxiv.org/api/query?id_list%3D1706.03762" rel="self" type="application/atom+xml"/>
  <title type="html">ArXiv Query: id_list=1706.03762</title>
  <id>http://arxiv.org/api/abc</id>
  <updated>2024-01-01T00:00:00-05:00</updated>
  <opensearch:totalResults xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">${entries ? 1 : 0}</opensearch:totalResults>
  <opensearch:startIndex xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">0</opensearch:startIndex>
  <opensearch:itemsPerPage xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">1</opensearch:itemsPerPage>${entries}
</feed>`;

const arxivEntry = `
  <entry>
    <id>http://arxiv.org/abs/1706.03762v7</id>
    <updated>2023-08-02T00:41:18Z</updated>
    <published>2017-06-12T17:57:34Z</published>
    <title>Attention Is All
  You Need</title>
    <summary>  The dominant sequence transduction models ... </summary>
    <author>
      <name>Ashish Vaswani</name>
    </author>
    <author>
      <name>Noam Shazeer</name>
      <arxiv:affiliation xmlns:arxiv="http://arxiv.org/schemas/atom">Google</arxiv:affiliation>
    </author>
    <arxiv:comment xmlns:arxiv="http://arxiv.org/schemas/atom">15 pages, 5 figures</arxiv:comment>
    <arxiv:journal_ref xmlns:arxiv="http://arxiv.org/schemas/atom">Advances in Neural Information Processing Systems 30 (2017)</arxiv:journal_ref>
    <link href="http://arxiv.org/abs/1706.03762v7" rel="alternate" type="text/html"/>
    <link title="pdf" href="http://arxiv.org/pdf/1706.03762v7" rel="related" type="application/pdf"/>
    <arxiv:primary_category xmlns:arxiv="http://arxiv.org/schemas/atom" term="cs.CL" scheme="http://arxiv.org/schemas/atom"/>
    <category term="cs.CL" scheme="http://arxiv.org/schemas/atom"/>
  </entry>`;

describe("Crossref's work", () => {
  it("gives the title, the authors in order (people and organizations), the year issued and the journal", () => {
    expect(parseCrossrefWork(crossrefWork)).toEqual({
      title: "The quantum-confined Stark effect in AlGaN quantum wells",
      authors: ["E. A. Shevchenko", "V. N. Jmerik", "The AlGaN Consortium"],
      year: 2013,
      venue: "physica status solidi (c)",
      registry: "crossref",
    });
  });

  it("without authors, an issued year or a container it says so rather than inventing them", () => {
    const bare = {
      message: {
        ...crossrefWork.message,
        author: undefined,
        issued: { "date-parts": [[null]] },
        "container-title": [],
      },
    };
    const parsed = parseCrossrefWork(bare);
    expect(parsed.authors).toEqual([]);
    expect(parsed.year).toBeUndefined();
    // The publisher stands in for a venue (a book, a report).
    expect(parsed.venue).toBe("Wiley");
  });

  it("rejects a body that is not a work", () => {
    expect(() => parseCrossrefWork({ status: "ok", message: { title: "not an array" } })).toThrow();
  });
});

describe("DataCite's DOI", () => {
  it("gives the main title (not the subtitle), creators as 'Given Family' or the literal name, the year and the publisher", () => {
    expect(parseDataciteDoi(dataciteDoi)).toEqual({
      title: "DataCite Metadata Schema Documentation for the Publication and Citation of Research Data v4.0",
      authors: ["Martin Fenner", "DataCite Metadata Working Group"],
      year: 2016,
      venue: "DataCite e.V.",
      registry: "datacite",
    });
  });

  it("reads the publisher as an object too (schema 4.5 with ?publisher=true) and a year given as a string", () => {
    const v45 = structuredClone(dataciteDoi) as unknown as {
      data: { attributes: Record<string, unknown> };
    };
    v45.data.attributes.publisher = { name: "Zenodo", publisherIdentifier: "https://ror.org/00x" };
    v45.data.attributes.publicationYear = "2021";
    expect(parseDataciteDoi(v45)).toMatchObject({ venue: "Zenodo", year: 2021 });
  });
});

describe("arXiv's Atom feed", () => {
  it("gives the entry's title (whitespace folded), authors, year published and journal reference", () => {
    expect(parseArxivFeed(arxivFeed(arxivEntry))).toEqual({
      title: "Attention Is All You Need",
      authors: ["Ashish Vaswani", "Noam Shazeer"],
      year: 2017,
      venue: "Advances in Neural Information Processing Systems 30 (2017)",
      registry: "arxiv",
    });
  });

  it("names arXiv as the venue of a preprint without a journal reference", () => {
    const preprint = arxivEntry.replace(/<arxiv:journal_ref[\s\S]*?<\/arxiv:journal_ref>/, "");
    expect(parseArxivFeed(arxivFeed(preprint))?.venue).toBe("arXiv");
  });

  it("an unknown id answers a feed without entries: no paper", () => {
    expect(parseArxivFeed(arxivFeed(""))).toBeUndefined();
  });

  it("the error entry the API answers a malformed id with is no paper", () => {
    const error = `
  <entry>
    <id>http://arxiv.org/api/errors#incorrect_id_format_for_1706.0376</id>
    <title>Error</title>
    <summary>incorrect id format for 1706.0376</summary>
    <updated>2024-01-01T00:00:00-05:00</updated>
    <author><name>arXiv api core</name></author>
  </entry>`;
    expect(parseArxivFeed(arxivFeed(error))).toBeUndefined();
  });

  it("the empty entry older API versions answered an unknown id with is no paper", () => {
    const empty = `
  <entry>
    <id>http://arxiv.org/abs/2401.99999</id>
    <title></title>
    <summary></summary>
  </entry>`;
    expect(parseArxivFeed(arxivFeed(empty))).toBeUndefined();
  });
});
