/**
 * A service's `setup` runs once its `ready` probe passed; without one, as soon as its container started,
 * when the service may not answer yet (a database still initialising), so the commands fail by turns.
 */
import type { TestPlan } from './plan.js';
import type { PlanWarning } from './plan-warning.js';

export function setupWarnings(plan: TestPlan): PlanWarning[] {
  return Object.entries(plan.services)
    .filter(([, service]) => service.setup.length > 0 && !service.ready)
    .map(([name]) => ({
      path: `services.${name}.setup`,
      message:
        `runs as soon as the service started, before it may answer: '${name}' has no 'ready'. ` +
        `Give it one (e.g. ready: { preset: 'postgres' } or { tcp: <port> }) so setup waits for it.`,
    }));
}
