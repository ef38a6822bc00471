import { writeFileSync } from "node:fs";
import { relative } from "node:path";
import { artifactPaths, renderArtifacts } from "./artifacts.js";

// `npm run openapi`: regenerates the committed document and the client's types after a route,
// a handler's schemas or a core schema changed (a test fails until they are regenerated).
const rendered = await renderArtifacts();
for (const key of ["document", "types"] as const) {
  writeFileSync(artifactPaths[key], rendered[key]);
  console.info(`wrote ${relative(process.cwd(), artifactPaths[key])}`);
}
