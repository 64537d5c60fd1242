/** Validated plan → step graph. Pure: no I/O, same input gives the same graph. */
import type { TestPlan } from '../dsl/plan.js';
import { GRAPH_VERSION, type Step, type StepGraph } from './graph.js';
import { selectForRun, type SelectOptions } from './select.js';
import { runWideServices, shardServiceOrder } from './shards.js';

export const stepId = {
  build: (image: string) => `build-image:${image}`,
  network: 'create-network',
  start: (service: string) => `start-service:${service}`,
  ready: (service: string) => `wait-ready:${service}`,
  phase: (phase: string) => `run-phase:${phase}`,
  collect: (phase: string) => `collect-artifacts:${phase}`,
  check: (check: string) => `run-check:${check}`,
  stop: (service: string) => `stop-service:${service}`,
  removeNetwork: 'remove-network',
} as const;

/** What a step acts on (its image, service, phase or check); undefined for the network steps. Read, never parsed from an id. */
export function stepSubject(step: Step): string | undefined {
  switch (step.kind) {
    case 'build-image':
      return step.image;
    case 'start-service':
    case 'wait-ready':
    case 'stop-service':
      return step.service;
    case 'run-phase':
    case 'collect-artifacts':
      return step.phase;
    case 'run-check':
      return step.check;
    default:
      return undefined;
  }
}

export function compilePlan(plan: TestPlan, options: SelectOptions = {}): StepGraph {
  const selection = selectForRun(plan, options);
  const steps: Step[] = [];
  const imageNeeds = (use: { kind: string; name?: string }): string[] =>
    use.kind === 'plan' && use.name ? [stepId.build(use.name)] : [];
  /** A service counts as up once its readiness probe passed (or it started, when it has none). */
  const upStep = (service: string): string =>
    plan.services[service]!.ready ? stepId.ready(service) : stepId.start(service);

  for (const image of selection.images) steps.push({ id: stepId.build(image), kind: 'build-image', image, needs: [] });
  steps.push({ id: stepId.network, kind: 'create-network', needs: [] });

  // A sharded phase starts its own instances of its services, one set per shard (execute/run-shards.ts).
  const services = runWideServices(plan, selection.phases, selection.services);
  for (const name of services) {
    const service = plan.services[name]!;
    steps.push({
      id: stepId.start(name),
      kind: 'start-service',
      service: name,
      needs: [stepId.network, ...imageNeeds(service.image), ...service.dependsOn.map(upStep)],
    });
    if (service.ready)
      steps.push({ id: stepId.ready(name), kind: 'wait-ready', service: name, needs: [stepId.start(name)] });
  }

  for (const name of selection.phases) {
    const phase = plan.phases[name]!;
    const serviceNeeds = phase.shard
      ? [...new Set(shardServiceOrder(plan, name).flatMap((s) => imageNeeds(plan.services[s]!.image)))]
      : phase.services.map(upStep);
    steps.push({
      id: stepId.phase(name),
      kind: 'run-phase',
      phase: name,
      ...(phase.shard ? { shards: phase.shard.count } : {}),
      needs: [stepId.network, ...imageNeeds(phase.image), ...serviceNeeds, ...phase.needs.map(stepId.phase)],
    });
    steps.push({ id: stepId.collect(name), kind: 'collect-artifacts', phase: name, needs: [stepId.phase(name)] });
  }

  const allCollected = selection.phases.map(stepId.collect);
  for (const name of selection.checks) {
    steps.push({
      id: stepId.check(name),
      kind: 'run-check',
      check: name,
      needs: [stepId.network, ...imageNeeds(plan.checks[name]!.image), ...allCollected],
    });
  }

  // Teardown in reverse dependency order: a service stops after every phase using it and every service depending on it.
  // In a shared namespace the first service owns the network of all of them, so none stops before every service user is done.
  const sharedNamespace = selection.phases.some((p) => plan.phases[p]!.localhost);
  const usesService = (phase: string, service: string): boolean =>
    !plan.phases[phase]!.shard &&
    (sharedNamespace ? plan.phases[phase]!.services.length > 0 : plan.phases[phase]!.services.includes(service));
  for (const name of [...services].reverse()) {
    const users = selection.phases.filter((p) => usesService(p, name)).map(stepId.collect);
    const dependents = services.filter((s) => plan.services[s]!.dependsOn.includes(name)).map(stepId.stop);
    steps.push({
      id: stepId.stop(name),
      kind: 'stop-service',
      service: name,
      needs: [upStep(name), ...users, ...dependents],
    });
  }
  steps.push({
    id: stepId.removeNetwork,
    kind: 'remove-network',
    needs: [...allCollected, ...selection.checks.map(stepId.check), ...services.map(stepId.stop)],
  });

  return {
    version: GRAPH_VERSION,
    plan: plan.name,
    phases: selection.phases,
    services,
    images: selection.images,
    profiles: selection.profiles,
    sharedNamespace,
    steps: topologicalOrder(steps),
  };
}

/** Stable topological order (Kahn; among ready steps, insertion order wins). Validation has already rejected cycles. */
function topologicalOrder(steps: readonly Step[]): Step[] {
  const index = new Map(steps.map((s, i) => [s.id, i]));
  const pending = steps.map((s) => s.needs.length);
  const dependents: number[][] = steps.map(() => []);
  steps.forEach((s, i) => s.needs.forEach((need) => dependents[index.get(need)!]!.push(i)));
  const ordered: Step[] = [];
  const placed = new Array<boolean>(steps.length).fill(false);
  // Lowest ready index first keeps the order stable and close to the plan's own order.
  let ready = steps.map((_, i) => i).filter((i) => pending[i] === 0);
  while (ready.length > 0) {
    const next: number[] = [];
    for (const i of ready) {
      ordered.push(steps[i]!);
      placed[i] = true;
      for (const d of dependents[i]!) if (--pending[d]! === 0) next.push(d);
    }
    ready = next.sort((a, b) => a - b);
  }
  if (ordered.length < steps.length) {
    const stuck = steps.filter((_, i) => !placed[i]).map((s) => s.id);
    throw new Error(`BUG: cycle in the step graph (${stuck.join(', ')}); validation should have caught it`);
  }
  return ordered;
}
