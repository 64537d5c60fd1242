/**
 * The graph left to execute once some phases are restored from the cache: their run and collect steps
 * go, so do the services only they used (with what those depend on) and the build steps of images
 * already prepared. Phases stay listed in `graph.phases` (their results are reported); the needs of
 * what remains lose the dropped steps, which count as done. Pure.
 */
import type { TestPlan } from '../dsl/plan.js';
import type { Step, StepGraph } from './graph.js';

export function dropCachedPhases(
  plan: TestPlan,
  graph: StepGraph,
  cached: ReadonlySet<string>,
  preparedImages: ReadonlySet<string>,
): StepGraph {
  const running = graph.phases.filter((p) => !cached.has(p));
  const services = new Set<string>();
  const use = (name: string): void => {
    if (services.has(name) || !graph.services.includes(name)) return;
    services.add(name);
    plan.services[name]!.dependsOn.forEach(use);
  };
  for (const phase of running) plan.phases[phase]!.services.forEach(use);
  const checks = graph.steps.some((s) => s.kind === 'run-check');
  const needsNetwork = running.length > 0 || services.size > 0 || checks;

  const keep = (step: Step): boolean => {
    switch (step.kind) {
      case 'run-phase':
      case 'collect-artifacts':
        return !cached.has(step.phase);
      case 'start-service':
      case 'wait-ready':
      case 'setup-service':
      case 'stop-service':
        // A phase's own instance (scope: 'phase') goes with its phase.
        return services.has(step.service) && (step.forPhase === undefined || !cached.has(step.forPhase));
      case 'build-image':
        return !preparedImages.has(step.image);
      case 'create-network':
      case 'remove-network':
        return needsNetwork;
      default:
        return true;
    }
  };
  const kept = graph.steps.filter(keep);
  const ids = new Set(kept.map((s) => s.id));
  return {
    ...graph,
    services: graph.services.filter((s) => services.has(s)),
    images: graph.images.filter((i) => !preparedImages.has(i)),
    instances: graph.instances.filter(
      (i) => services.has(i.service) && (i.forPhase === undefined || !cached.has(i.forPhase)),
    ),
    steps: kept.map((s) => withoutDropped(s, ids)),
  };
}

/** A kept step no longer waits for, is ordered after, or takes the slot of a dropped one. */
function withoutDropped(step: Step, ids: ReadonlySet<string>): Step {
  const { slotOf, after, ...rest } = step;
  const keptAfter = after?.filter((a) => ids.has(a));
  return {
    ...rest,
    needs: step.needs.filter((n) => ids.has(n)),
    ...(keptAfter?.length ? { after: keptAfter } : {}),
    ...(slotOf !== undefined && ids.has(slotOf) ? { slotOf } : {}),
  } as Step;
}
