import { resolve } from "node:path";
import { asyncApiDocument, eventCatalogDocument } from "@allot/core/events";
import { eventCatalog } from "@allot/stacks";

const root = resolve(import.meta.dirname, "../../../..");

/** Where the event catalog and its AsyncAPI document are committed (and served from). */
export const catalogPaths = {
  catalog: resolve(root, "docs/events/catalog.json"),
  asyncapi: resolve(root, "docs/events/asyncapi.json"),
};

/** Both documents as `npm run catalog` writes them: sorted, stable, one trailing newline. */
export const renderCatalogArtifacts = () => ({
  catalog: `${JSON.stringify(eventCatalogDocument(eventCatalog), null, 2)}\n`,
  asyncapi: `${JSON.stringify(asyncApiDocument(eventCatalog), null, 2)}\n`,
});
