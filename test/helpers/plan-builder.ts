/** Builds normalised TestPlans for tests of the pure core, without going through validation. */
import type { PhaseSpec, ServiceSpec, TestPlan } from '../../src/dsl/plan.js';

type PhaseOverrides = Partial<PhaseSpec>;
type ServiceOverrides = Partial<ServiceSpec>;

export function phase(name: string, overrides: PhaseOverrides = {}): PhaseSpec {
  return {
    name,
    image: { kind: 'plan', name: 'app' },
    command: ['sh', '-c', `echo ${name}`],
    env: {},
    mounts: [],
    services: [],
    localhost: false,
    needs: [],
    after: [],
    retries: 0,
    artifacts: [],
    profiles: [],
    ...overrides,
  };
}

export function service(name: string, overrides: ServiceOverrides = {}): ServiceSpec {
  return {
    name,
    image: { kind: 'ref', ref: `${name}:latest` },
    env: {},
    ports: [1000],
    ready: { kind: 'tcp', port: 1000, intervalMs: 50, timeoutMs: 1000 },
    dependsOn: [],
    profiles: [],
    scope: 'run',
    scopeWritten: false,
    exclusive: false,
    ...overrides,
  };
}

export function plan(
  parts: { phases: PhaseSpec[]; services?: ServiceSpec[] } & Partial<Omit<TestPlan, 'phases' | 'services'>>,
): TestPlan {
  const { phases, services = [], ...rest } = parts;
  return {
    name: 'demo',
    file: '/plans/demo.plan.ts',
    dir: '/plans',
    images: { app: { kind: 'build', name: 'app', context: '/repo', dockerfile: 'Dockerfile', args: {} } },
    gates: { phaseCoverage: {}, commands: {} },
    checks: {},
    acceptance: [],
    secrets: [],
    ...rest,
    phases: Object.fromEntries(phases.map((p) => [p.name, p])),
    services: Object.fromEntries(services.map((s) => [s.name, s])),
  };
}
