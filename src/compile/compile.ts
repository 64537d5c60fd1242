/** Validated plan → step graph. Pure: no I/O, same input gives the same graph. */
import type { TestPlan } from '../dsl/plan.js';
import { GRAPH_VERSION, type Step, type StepGraph } from './graph.js';
import { selectForRun, type SelectOptions } from './select.js';
import {
  instanceDependencies,
  instanceFor,
  instanceKey,
  instanceLabel,
  serviceInstances,
  type ServiceInstance,
} from './service-instances.js';
import { runWideServices, shardServiceOrder } from './shards.js';

export const stepId = {
  build: (image: string) => `build-image:${image}`,
  network: 'create-network',
  start: (instance: ServiceInstance) => `start-service:${instanceLabel(instance)}`,
  ready: (instance: ServiceInstance) => `wait-ready:${instanceLabel(instance)}`,
  setup: (instance: ServiceInstance) => `setup-service:${instanceLabel(instance)}`,
  phase: (phase: string) => `run-phase:${phase}`,
  collect: (phase: string) => `collect-artifacts:${phase}`,
  check: (check: string) => `run-check:${check}`,
  stop: (instance: ServiceInstance) => `stop-service:${instanceLabel(instance)}`,
  removeNetwork: 'remove-network',
} as const;

/** What a step acts on (its image, service, phase or check); undefined for the network steps. Read, never parsed from an id. */
export function stepSubject(step: Step): string | undefined {
  switch (step.kind) {
    case 'build-image':
      return step.image;
    case 'start-service':
    case 'wait-ready':
    case 'setup-service':
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

/** The phase owning the service instance a service step acts on (`scope: 'phase'`); undefined otherwise. */
export function stepOwner(step: Step): string | undefined {
  return 'forPhase' in step ? step.forPhase : undefined;
}

export function compilePlan(plan: TestPlan, options: SelectOptions = {}): StepGraph {
  const selection = selectForRun(plan, options);
  const steps: Step[] = [];
  const imageNeeds = (use: { kind: string; name?: string }): string[] =>
    use.kind === 'plan' && use.name ? [stepId.build(use.name)] : [];
  /** The instance has started, and passed its readiness probe when it has one. */
  const readyStep = (instance: ServiceInstance): string =>
    plan.services[instance.service]!.ready ? stepId.ready(instance) : stepId.start(instance);
  /** An instance counts as up once it is ready and its setup commands (if any) succeeded. */
  const upStep = (instance: ServiceInstance): string =>
    plan.services[instance.service]!.setup.length > 0 ? stepId.setup(instance) : readyStep(instance);
  const onInstance = (instance: ServiceInstance) => ({
    service: instance.service,
    ...(instance.forPhase !== undefined ? { forPhase: instance.forPhase } : {}),
  });
  // A sharded phase starts its own instances of its services, one set per shard (execute/run-shards.ts).
  const instances = serviceInstances(
    plan,
    selection.phases.filter((p) => !plan.phases[p]!.shard),
    runWideServices(plan, selection.phases, selection.services),
  );
  const selected = new Set(selection.phases);
  /** Needs left out with --no-needs count as satisfied. */
  const phaseNeeds = (phase: string): string[] =>
    plan.phases[phase]!.needs.filter((p) => selected.has(p)).map(stepId.phase);
  const phaseAfter = (phase: string): string[] =>
    plan.phases[phase]!.after.filter((p) => selected.has(p)).map(stepId.phase);
  /** Everything a phase waits for but its own service instances. */
  const phaseWaitsFor = (phase: string): string[] => {
    const spec = plan.phases[phase]!;
    const shared = spec.services.filter((s) => plan.services[s]!.scope === 'run').map((service) => upStep({ service }));
    return [stepId.network, ...imageNeeds(spec.image), ...shared, ...phaseNeeds(phase)];
  };

  for (const image of selection.images) steps.push({ id: stepId.build(image), kind: 'build-image', image, needs: [] });
  steps.push({ id: stepId.network, kind: 'create-network', needs: [] });

  for (const instance of instances) {
    const service = plan.services[instance.service]!;
    const owner = instance.forPhase;
    const needs = [stepId.network, ...imageNeeds(service.image), ...instanceDependencies(plan, instance).map(upStep)];
    // A phase's own instance starts once its phase could otherwise start (never for a phase that will be skipped),
    // and takes the phase's concurrency slot: no more phases' instances run than phases may.
    const after = owner === undefined ? [] : phaseAfter(owner);
    steps.push({
      id: stepId.start(instance),
      kind: 'start-service',
      ...onInstance(instance),
      needs: owner === undefined ? needs : [...new Set([...needs, ...phaseWaitsFor(owner)])],
      ...(after.length ? { after } : {}),
      ...(owner !== undefined ? { slotOf: stepId.phase(owner) } : {}),
    });
    if (service.ready)
      steps.push({
        id: stepId.ready(instance),
        kind: 'wait-ready',
        ...onInstance(instance),
        needs: [stepId.start(instance)],
      });
    if (service.setup.length > 0)
      steps.push({
        id: stepId.setup(instance),
        kind: 'setup-service',
        ...onInstance(instance),
        needs: [readyStep(instance)],
      });
  }

  for (const name of selection.phases) {
    const phase = plan.phases[name]!;
    const serviceNeeds = phase.shard
      ? [...new Set(shardServiceOrder(plan, name).flatMap((s) => imageNeeds(plan.services[s]!.image)))]
      : phase.services.map((s) => upStep(instanceFor(plan, s, name)));
    const after = phaseAfter(name);
    const locks = phase.shard
      ? []
      : phase.services.filter((s) => plan.services[s]!.scope === 'run' && plan.services[s]!.exclusive);
    steps.push({
      id: stepId.phase(name),
      kind: 'run-phase',
      phase: name,
      ...(phase.shard ? { shards: phase.shard.count } : {}),
      needs: [stepId.network, ...imageNeeds(phase.image), ...serviceNeeds, ...phaseNeeds(name)],
      ...(after.length ? { after } : {}),
      ...(locks.length ? { locks } : {}),
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

  // Teardown in reverse dependency order: an instance stops after every phase using it and every instance depending on it.
  // A phase's own instance stops once that phase's files are collected.
  // In a shared namespace the first service owns the network of all of them, so none stops before every service user is done.
  const sharedNamespace = selection.phases.some((p) => plan.phases[p]!.localhost);
  const usesService = (phase: string, service: string): boolean =>
    !plan.phases[phase]!.shard &&
    (sharedNamespace ? plan.phases[phase]!.services.length > 0 : plan.phases[phase]!.services.includes(service));
  const stopsOfDependents = new Map<string, string[]>();
  for (const other of instances) {
    for (const dep of instanceDependencies(plan, other)) {
      const key = instanceKey(dep);
      stopsOfDependents.set(key, [...(stopsOfDependents.get(key) ?? []), stepId.stop(other)]);
    }
  }
  for (const instance of [...instances].reverse()) {
    const users =
      instance.forPhase !== undefined
        ? [stepId.collect(instance.forPhase)]
        : selection.phases.filter((p) => usesService(p, instance.service)).map(stepId.collect);
    const dependents = stopsOfDependents.get(instanceKey(instance)) ?? [];
    steps.push({
      id: stepId.stop(instance),
      kind: 'stop-service',
      ...onInstance(instance),
      needs: [upStep(instance), ...users, ...dependents],
    });
  }
  steps.push({
    id: stepId.removeNetwork,
    kind: 'remove-network',
    needs: [...allCollected, ...selection.checks.map(stepId.check), ...instances.map(stepId.stop)],
  });

  return {
    version: GRAPH_VERSION,
    plan: plan.name,
    phases: selection.phases,
    services: selection.services,
    instances,
    images: selection.images,
    profiles: selection.profiles,
    selection: selection.info,
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
