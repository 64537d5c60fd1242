/** Labels on everything the driver creates, so a run's resources can be found and removed by label. */
import type { RunIdentity } from '../driver.js';

export const LABEL = {
  run: 'testplan.run',
  plan: 'testplan.plan',
  pid: 'testplan.pid',
  host: 'testplan.host',
  role: 'testplan.role',
  name: 'testplan.name',
} as const;

export type ResourceRole = 'service' | 'phase' | 'check' | 'network';

export function runLabels(run: RunIdentity): Record<string, string> {
  return { ...run.labels, [LABEL.run]: run.runId, [LABEL.plan]: run.plan };
}

export function resourceLabels(run: RunIdentity, role: ResourceRole, name: string): Record<string, string> {
  return { ...runLabels(run), [LABEL.role]: role, [LABEL.name]: name };
}

/** Names safe for the engine: `[a-zA-Z0-9][a-zA-Z0-9_.-]*`. */
export function safeName(s: string): string {
  const cleaned = s.replace(/[^a-zA-Z0-9_.-]+/g, '-').replace(/^[^a-zA-Z0-9]+/, '');
  return cleaned || 'x';
}

export function networkName(runId: string): string {
  return `testplan-${safeName(runId)}`;
}
