// The dialog's per-group overrides as they travel in a form field (JSON): checked here, for the plan route and the
// label action alike. Shared by server and browser.
import { z } from "zod";
import { PACKAGE_TYPES } from "../ports";
import { RULE_MAX_COLLI } from "./rule";
import type { GroupOverride } from "./plan.server";

const Override = z.object({
  service: z.string().trim().min(1).max(200).nullable(),
  packageType: z.enum(PACKAGE_TYPES).nullable(),
  colli: z.number().int().min(1).max(RULE_MAX_COLLI).nullable(),
});
const Overrides = z.record(z.string().max(200), Override).refine((o) => Object.keys(o).length <= 100);

/** Absent or empty → {}; unreadable → null (the caller answers "invalid"). */
export function parseGroupOverrides(value: FormDataEntryValue | null): Record<string, GroupOverride> | null {
  if (value === null || value === "") return {};
  if (typeof value !== "string" || value.length > 50_000) return null;
  try {
    const parsed = Overrides.safeParse(JSON.parse(value));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
