import { LOCAL_TELEMETRY_ENV } from "./local-telemetry.js";

// Imported first by main.ts, before anything loads the X-Ray SDK (see local-telemetry.ts).
// A variable you set yourself wins.
for (const [name, value] of Object.entries(LOCAL_TELEMETRY_ENV)) process.env[name] ??= value;
