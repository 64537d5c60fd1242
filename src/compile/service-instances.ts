/**
 * Service instances: one running copy of a service. A run-scoped service has one, shared by the run;
 * a phase-scoped one (`scope: 'phase'`) has one per phase that uses it, with its own container or
 * process, readiness wait and teardown. An instance is a service × the phase that owns it.
 */
import { createHash } from 'node:crypto';
import type { TestPlan } from '../dsl/plan.js';

export interface ServiceInstance {
  readonly service: string;
  /** The phase that owns this instance; absent for the run's shared instance. */
  readonly forPhase?: string;
}

/** Key of an instance in maps; unique because names cannot contain `@`. Never parsed back. */
export function instanceKey(instance: ServiceInstance): string {
  return instance.forPhase === undefined ? instance.service : `${instance.service}@${instance.forPhase}`;
}

/** The instance a `start-service`, `wait-ready` or `stop-service` step acts on. */
export function instanceOf(step: { readonly service: string; readonly forPhase?: string }): ServiceInstance {
  return step.forPhase === undefined ? { service: step.service } : { service: step.service, forPhase: step.forPhase };
}

/** How people read it: `postgres`, `postgres (for unit)`. */
export function instanceLabel(instance: ServiceInstance): string {
  return instance.forPhase === undefined ? instance.service : `${instance.service} (for ${instance.forPhase})`;
}

const MAX_ALIAS = 63;

/**
 * The instance's network name (container name part and network alias, what `${svc.host}` gives):
 * `postgres`, `postgres--unit`; shortened with a digest past 63 characters (a DNS label).
 */
export function instanceAlias(instance: ServiceInstance): string {
  if (instance.forPhase === undefined) return instance.service;
  const full = `${instance.service}--${instance.forPhase}`;
  if (full.length <= MAX_ALIAS) return full;
  const digest = createHash('sha256').update(full).digest('hex').slice(0, 10);
  return `${full.slice(0, MAX_ALIAS - digest.length - 1)}-${digest}`;
}

/** The instance of `service` that `phase` reaches: its own for a phase-scoped service, else the shared one. */
export function instanceFor(plan: TestPlan, service: string, phase: string | undefined): ServiceInstance {
  return plan.services[service]!.scope === 'phase' && phase !== undefined ? { service, forPhase: phase } : { service };
}

/** The instances `instance` depends on (validation guarantees a shared instance depends only on shared ones). */
export function instanceDependencies(plan: TestPlan, instance: ServiceInstance): ServiceInstance[] {
  return plan.services[instance.service]!.dependsOn.map((dep) => instanceFor(plan, dep, instance.forPhase));
}

/**
 * Every instance a run starts, in start order: the shared instances of the selected run-scoped services
 * (plan order), then each selected phase's own instances with the phase-scoped services they depend on.
 */
export function serviceInstances(
  plan: TestPlan,
  phases: readonly string[],
  services: readonly string[],
): ServiceInstance[] {
  const shared = services.filter((s) => plan.services[s]!.scope === 'run').map((service) => ({ service }));
  const own = phases.flatMap((phase) => {
    const needed = new Set<string>();
    const visit = (service: string): void => {
      if (plan.services[service]!.scope !== 'phase' || needed.has(service)) return;
      needed.add(service);
      plan.services[service]!.dependsOn.forEach(visit);
    };
    plan.phases[phase]!.services.forEach(visit);
    return Object.keys(plan.services)
      .filter((s) => needed.has(s))
      .map((service) => ({ service, forPhase: phase }));
  });
  return [...shared, ...own];
}
