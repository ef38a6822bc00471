// Logical (Pulumi) and physical (AWS) names, the limits AWS puts on them, handler paths.

/** "a-kebab-name" → "AKebabName" (Pulumi logical names). */
export const pascal = (name: string): string =>
  name
    .split(/[^a-zA-Z0-9]+/)
    .filter(Boolean)
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join("");

export const physical = (app: string, stage: string, name: string) => `${app}-${stage}-${name}`;

/** AWS name limits we rely on (explicit physical names), checked for the stage being deployed. */
export const NAME_LIMITS = {
  function: { max: 64, pattern: /^[a-zA-Z0-9_-]+$/ },
  rule: { max: 64, pattern: /^[.\-_A-Za-z0-9]+$/ },
  stateMachine: { max: 80, pattern: /^[a-zA-Z0-9_-]+$/ },
  table: { max: 255, pattern: /^[a-zA-Z0-9_.-]+$/ },
  bus: { max: 256, pattern: /^[.\-_A-Za-z0-9]+$/ },
  archive: { max: 48, pattern: /^[.\-_A-Za-z0-9]+$/ },
  targetId: { max: 64, pattern: /^[.\-_A-Za-z0-9]+$/ },
} as const;

const HANDLER = /^(?<file>(?<base>.+)\.(?:ts|mts|js|mjs))#(?<export>[A-Za-z_$][\w$]*)$/;

export const parseHandler = (handler: string): { sourceFile: string; bundleHandler: string } | undefined => {
  const groups = HANDLER.exec(handler)?.groups;
  if (!groups?.file || !groups.base || !groups.export) return undefined;
  return { sourceFile: groups.file, bundleHandler: `${groups.base}.${groups.export}` };
};
