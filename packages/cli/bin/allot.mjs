#!/usr/bin/env node
// The workspace ships TypeScript sources: tsx compiles the entry (and what it imports) on load.
import { tsImport } from "tsx/esm/api";

await tsImport("../src/main.ts", import.meta.url);
