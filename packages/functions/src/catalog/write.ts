import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, relative } from "node:path";
import { type CatalogEntry, versioningProblems } from "@allot/core/events";
import { catalogPaths, renderCatalogArtifacts } from "./artifacts.js";

// `npm run catalog`: regenerates the committed event catalog and AsyncAPI document after an event
// changed (a test fails until they are regenerated). It refuses to overwrite the committed catalog
// with a change the versioning policy forbids (README, "Event versioning"), so a breaking change
// cannot be committed by regenerating: it needs a new version.
const rendered = renderCatalogArtifacts();
if (existsSync(catalogPaths.catalog)) {
  const committed = JSON.parse(readFileSync(catalogPaths.catalog, "utf8")) as CatalogEntry[];
  const problems = versioningProblems(committed, JSON.parse(rendered.catalog) as CatalogEntry[]);
  if (problems.length) {
    console.error('The events changed in ways the versioning policy forbids (README, "Event versioning"):');
    for (const problem of problems) console.error(`  - ${problem}`);
    process.exit(1);
  }
}
for (const key of ["catalog", "asyncapi"] as const) {
  mkdirSync(dirname(catalogPaths[key]), { recursive: true });
  writeFileSync(catalogPaths[key], rendered[key]);
  console.info(`wrote ${relative(process.cwd(), catalogPaths[key])}`);
}
