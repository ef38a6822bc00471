import { z } from "zod";

// What each HTTP operation answers, as zod schemas the OpenAPI document is generated from and
// the e2e client checks every answer against. Views are loose objects: they name the fields a
// client relies on (the domain's own schemas where it has them) and tolerate fields added later,
// so a new field is not a breaking change but a renamed or retyped one fails a test.

export const IsoTime = z.string().meta({ format: "date-time" });

/** Every 4xx and 5xx answer. */
export const ErrorAnswer = z
  .object({
    message: z.string(),
    issues: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
    requestId: z.string().optional().meta({ description: "On a 500: quote it to support" }),
  })
  .meta({ id: "Error" });

export const itemsOf = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item) });

/** A status change kept forever: who, when and why. */
export const HistoryEntry = <S extends z.ZodType>(status: S) =>
  z.object({ at: IsoTime, status, actor: z.string(), reason: z.string() });
