// Locally there is no X-Ray daemon and no CloudWatch: the functions' Powertools Tracer and
// Metrics are off, by their documented switches. And the X-Ray SDK, which the tracer loads, runs
// in its manual mode: in its default (automatic) mode it installs a process-wide async hook as it
// loads, which makes every promise of this one process (edge, emulators, every function) about
// ten times slower. Every local function gets these variables (topology-to-aws-local.ts), and
// `npm start` sets them on its own process first (telemetry-off.ts), since whichever code loads
// the SDK first decides its mode. On AWS none is set.
export const LOCAL_TELEMETRY_ENV = {
  POWERTOOLS_TRACE_ENABLED: "false",
  POWERTOOLS_METRICS_DISABLED: "true",
  AWS_XRAY_MANUAL_MODE: "true",
} as const;
