/**
 * Loads a plan to export it. Secret values are never exported: `secretFromEnv('NAME')` is read as a
 * marker naming its variable (so the export can write `${NAME}` / `${{ secrets.NAME }}`, and the plan
 * loads without the variable set); a literal `secret('…')` is replaced by a variable named after its key.
 */
import { loadPlanFile } from '../../load/load-plan.js';
import { Secret } from '../../dsl/secret.js';
import type { EnvValueSpec, TestPlan } from '../../dsl/plan.js';

const MARKER = '\u0000testplan-secret-from-env:';

export async function loadForExport(file: string): Promise<TestPlan> {
  return loadPlanFile(file, { env: {}, envMarker: MARKER });
}

export type ExportedValue =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'variable'; readonly name: string; readonly literal: boolean };

/** A plan env value as an export sees it: plain text, or the variable a secret must come from. */
export function exportedValue(key: string, value: EnvValueSpec): ExportedValue {
  if (!(value instanceof Secret)) return { kind: 'text', text: value };
  const revealed = value.reveal();
  if (revealed.startsWith(MARKER)) return { kind: 'variable', name: revealed.slice(MARKER.length), literal: false };
  return { kind: 'variable', name: key.toUpperCase().replace(/[^A-Z0-9_]/g, '_'), literal: true };
}
