import { defineConfig } from "vitest/config";
import { integration } from "../../vitest.config.js";

// The integration project's configuration (its global setup and teardown included), on one
// worker, running only the fixture.
export default defineConfig({
  test: { ...integration.test, name: "fixture", include: ["test/cleanup/*.fixture.ts"], maxWorkers: 1 },
});
