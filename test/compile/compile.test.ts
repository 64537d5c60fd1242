import t from 'tap';
import { compilePlan } from '../../src/compile/compile.js';
import { renderGraph, waves } from '../../src/compile/render-graph.js';
import { PlanInvalidError, UsageError } from '../../src/errors.js';
import { phase, plan, service } from '../helpers/plan-builder.js';

const demo = plan({
  services: [
    service('postgres'),
    service('redis'),
    service('mock', { profiles: ['integration'], dependsOn: ['redis'] }),
  ],
  phases: [
    phase('unit'),
    phase('integration', { needs: ['unit'], services: ['postgres', 'redis'] }),
    phase('contract', { needs: ['unit'], services: ['mock'], profiles: ['integration'] }),
  ],
});

t.test('a phase runs after its services are ready, the phases it needs, and its image build', async (t) => {
  const graph = compilePlan(demo);
  const step = graph.steps.find((s) => s.id === 'run-phase:integration')!;
  t.same(step.needs, [
    'create-network',
    'build-image:app',
    'wait-ready:postgres',
    'wait-ready:redis',
    'run-phase:unit',
  ]);
  t.same(graph.phases, ['unit', 'integration'], 'the profiled phase is left out without its profile');
  t.same(graph.services, ['postgres', 'redis']);
});

t.test('steps come in an order where every need is before its step', async (t) => {
  const graph = compilePlan(demo, { profiles: ['integration'] });
  const seen = new Set<string>();
  for (const step of graph.steps) {
    for (const need of step.needs) t.ok(seen.has(need), `${need} before ${step.id}`);
    seen.add(step.id);
  }
  t.ok(graph.steps.some((s) => s.id === 'start-service:mock'));
  t.same(graph.steps.find((s) => s.id === 'start-service:mock')!.needs, ['create-network', 'wait-ready:redis']);
});

t.test('services stop after every phase that uses them and after the services that depend on them', async (t) => {
  const graph = compilePlan(demo, { profiles: ['integration'] });
  t.same(graph.steps.find((s) => s.id === 'stop-service:redis')!.needs, [
    'wait-ready:redis',
    'collect-artifacts:integration',
    'stop-service:mock',
  ]);
  t.equal(graph.steps.at(-1)!.id, 'remove-network');
});

t.test('--phase selects a phase and everything it needs, and only the services those use', async (t) => {
  const unitOnly = compilePlan(demo, { phases: ['unit'] });
  t.same(unitOnly.phases, ['unit']);
  t.same(unitOnly.services, [], 'no service starts for a phase that uses none');
  t.notOk(unitOnly.steps.some((s) => s.kind === 'start-service'));
  const integration = compilePlan(demo, { phases: ['integration'] });
  t.same(integration.phases, ['unit', 'integration']);
});

t.test('an unknown --phase is a usage error with a suggestion', async (t) => {
  t.throws(() => compilePlan(demo, { phases: ['integraton'] }), {
    constructor: UsageError,
    message:
      "--phase integraton: the plan demo has no phase 'integraton'. Did you mean 'integration'? Phases: unit, integration, contract.",
  });
});

t.test('a selected phase whose service is filtered out by profiles is invalid, naming the path', async (t) => {
  const p = plan({
    services: [service('mock', { profiles: ['integration'] })],
    phases: [phase('smoke', { services: ['mock'] })],
  });
  const error = t.throws(() => compilePlan(p)) as PlanInvalidError;
  t.type(error, PlanInvalidError);
  t.same(error.problems, [
    {
      file: '/plans/demo.plan.ts',
      path: 'phases.smoke.services[0]',
      message:
        "service 'mock' only runs with profile 'integration', which this run does not select. Add --profile integration or remove the reference.",
    },
  ]);
  t.doesNotThrow(() => compilePlan(p, { profiles: ['integration'] }));
});

t.test('a selected phase that needs a profiled-out phase is invalid', async (t) => {
  const p = plan({ phases: [phase('e2e', { profiles: ['slow'] }), phase('report', { needs: ['e2e'] })] });
  const error = t.throws(() => compilePlan(p)) as PlanInvalidError;
  t.equal(error.problems[0]!.path, 'phases.report.needs[0]');
});

t.test('localhost phases turn on the shared namespace', async (t) => {
  t.equal(compilePlan(demo).sharedNamespace, false);
  const p = plan({ services: [service('redis')], phases: [phase('legacy', { services: ['redis'], localhost: true })] });
  t.equal(compilePlan(p).sharedNamespace, true);
});

t.test('in a shared namespace no service stops before every phase using any service is done', async (t) => {
  const services = [service('anchor'), service('postgres')];
  const phases = [
    phase('first', { services: ['anchor'], localhost: true }),
    phase('later', { needs: ['first'], services: ['postgres'] }),
  ];
  const shared = compilePlan(plan({ services, phases }));
  t.same(shared.steps.find((s) => s.id === 'stop-service:anchor')!.needs, [
    'wait-ready:anchor',
    'collect-artifacts:first',
    'collect-artifacts:later',
  ]);
  const separate = compilePlan(plan({ services, phases: phases.map((p) => ({ ...p, localhost: false })) }));
  t.same(
    separate.steps.find((s) => s.id === 'stop-service:anchor')!.needs,
    ['wait-ready:anchor', 'collect-artifacts:first'],
    'own networks: each service stops when its phases are done',
  );
});

t.test('external image refs need no build step; command checks run after every phase', async (t) => {
  const p = plan({
    images: {},
    phases: [phase('unit', { image: { kind: 'ref', ref: 'node:20' } })],
    checks: {
      'gate:lint': {
        name: 'gate:lint',
        image: { kind: 'ref', ref: 'node:20' },
        command: ['npm', 'run', 'lint'],
        env: {},
      },
    },
  });
  const graph = compilePlan(p);
  t.same(graph.images, []);
  t.same(graph.steps.find((s) => s.id === 'run-check:gate:lint')!.needs, ['create-network', 'collect-artifacts:unit']);
});

t.test('graph renders as text waves, mermaid and json', async (t) => {
  const graph = compilePlan(demo);
  t.same(
    waves(graph).map((w) => w.map((s) => s.id)),
    [
      ['build-image:app', 'create-network'],
      ['start-service:postgres', 'start-service:redis', 'run-phase:unit'],
      ['wait-ready:postgres', 'wait-ready:redis', 'collect-artifacts:unit'],
      ['run-phase:integration'],
      ['collect-artifacts:integration'],
      ['stop-service:redis', 'stop-service:postgres'],
      ['remove-network'],
    ],
  );
  const text = renderGraph(graph, 'text');
  t.match(text, /^plan demo: 2 phase\(s\), 2 service\(s\), 1 image\(s\) to build\n/);
  t.match(
    text,
    /wave 4\n {2}run-phase:integration {2}← create-network, build-image:app, wait-ready:postgres, wait-ready:redis, run-phase:unit\n/,
  );
  const mermaid = renderGraph(graph, 'mermaid');
  t.match(mermaid, /^flowchart TD\n/);
  t.match(mermaid, /s\d+\["run-phase:unit"\]/);
  t.same(JSON.parse(renderGraph(graph, 'json')), JSON.parse(JSON.stringify(graph)));
});
