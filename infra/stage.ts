// What differs between stages, as plain data (no SST or Pulumi imports, so tests can read it).
// `sst.config.ts` repeats the two production switches (`protect`, `removal: "retain"`) inline,
// because SST evaluates `app()` before any import is allowed; a test keeps the two in step.

/** Stages that hold real data. Every other stage is a developer's personal (or a preview) stage. */
export const PRODUCTION_STAGES = ["production"] as const;
export const SHARED_STAGES = ["staging", "production"] as const;

/** CloudWatch Logs retention, as SST's `logging.retention` keys; days are in `retentionDays`. */
export type LogRetention = "2 weeks" | "3 months" | "1 year";

export const retentionDays: Record<LogRetention, number> = {
  "2 weeks": 14,
  "3 months": 90,
  "1 year": 365,
};

export interface StageSettings {
  stage: string;
  /** Production: `sst remove` refused, resources retained on removal, table deletion protection. */
  production: boolean;
  /** Staging and production: shared by people and integrations, longer logs. */
  shared: boolean;
  logRetention: LogRetention;
  /** DynamoDB deletion protection (on top of SST's `protect`, which only guards `sst remove`). */
  tableDeletionProtection: boolean;
}

export const stageSettings = (stage: string): StageSettings => {
  const production = (PRODUCTION_STAGES as readonly string[]).includes(stage);
  const shared = (SHARED_STAGES as readonly string[]).includes(stage);
  return {
    stage,
    production,
    shared,
    logRetention: production ? "1 year" : shared ? "3 months" : "2 weeks",
    tableDeletionProtection: production,
  };
};
