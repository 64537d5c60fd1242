/** Which running service a phase or service instance reaches under each service name. */
import { instanceFor, instanceKey } from '../compile/service-instances.js';
import type { TestPlan } from '../dsl/plan.js';
import type { ServiceHandle } from '../drivers/driver.js';
import type { ServiceState } from './run-state.js';

/**
 * Handles by service name as `owner` sees them (for `${svc.host}`, `${svc.port}`): its own instance of
 * a phase-scoped service, the shared one otherwise. `owner` undefined: the shared instances only.
 */
export function handlesFor(
  plan: TestPlan,
  services: ReadonlyMap<string, ServiceState>,
  owner: string | undefined,
): Map<string, ServiceHandle> {
  const handles = new Map<string, ServiceHandle>();
  for (const name of Object.keys(plan.services)) {
    const handle = services.get(instanceKey(instanceFor(plan, name, owner)))?.handle;
    if (handle) handles.set(name, handle);
  }
  return handles;
}
