import { defineConfig } from "vitest/config";
import base from "../../vitest.config.js";

// The project's own configuration (its global setup and teardown included), running only the fixture.
export default defineConfig({ ...base, test: { ...base.test, include: ["test/cleanup/*.fixture.ts"] } });
