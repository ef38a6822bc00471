import { z } from "zod";

export const Role = z.enum(["staff", "reviewer", "applicant", "integration"]);
export type Role = z.infer<typeof Role>;
