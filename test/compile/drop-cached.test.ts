/** The graph left once some phases are restored: their steps and the services only they used go. */
import t from 'tap';
import { compilePlan } from '../../src/compile/compile.js';
import { dropCachedPhases } from '../../src/compile/drop-cached.js';
import { phase, plan, service } from '../helpers/plan-builder.js';

const demo = plan({
  phases: [
    phase('unit'),
    phase('integ', { needs: ['unit'], services: ['api'] }),
    phase('e2e', { needs: ['integ'], services: ['db'] }),
  ],
  services: [service('db'), service('api', { dependsOn: ['db'] })],
});
const graph = compilePlan(demo);

t.test(
  'a cached phase and the services only it used leave the graph; what remains loses them from its needs',
  async (t) => {
    const left = dropCachedPhases(demo, graph, new Set(['unit', 'integ']), new Set(['app']));
    const ids = left.steps.map((s) => s.id);
    t.notOk(
      ids.some((id) => /unit|integ|build-image|:api/.test(id)),
      'no step of unit, integ, api, nor the prepared build',
    );
    t.ok(ids.includes('start-service:db') && ids.includes('run-phase:e2e'), 'db stays: e2e uses it');
    t.same(left.phases, graph.phases, 'every phase is still reported');
    t.same(left.services, ['db']);
    const e2e = left.steps.find((s) => s.id === 'run-phase:e2e')!;
    t.same(
      e2e.needs.filter((n) => n.startsWith('run-phase')),
      [],
      'the cached phase it needs counts as done',
    );
    for (const step of left.steps)
      for (const need of step.needs) t.ok(ids.includes(need), `${step.id} needs only steps that remain`);
  },
);

t.test('a service that a running service depends on stays', async (t) => {
  const left = dropCachedPhases(demo, graph, new Set(['unit', 'e2e']), new Set());
  t.same(left.services, ['db', 'api'], 'integ uses api, which depends on db');
});

t.test('with every phase cached, nothing is started, not even the network', async (t) => {
  const left = dropCachedPhases(demo, graph, new Set(['unit', 'integ', 'e2e']), new Set(['app']));
  t.same(left.steps, []);
});

t.test(
  "a cached phase's own service instance, its setup and its slot go with it; a running phase keeps its own",
  async (t) => {
    const isolated = plan({
      phases: [phase('unit', { services: ['db'] }), phase('e2e', { services: ['db'], after: ['unit'] })],
      services: [service('db', { scope: 'phase', scopeWritten: true, setup: [['createdb', 'app']] })],
    });
    const left = dropCachedPhases(isolated, compilePlan(isolated), new Set(['unit']), new Set(['app']));
    const ids = left.steps.map((s) => s.id);
    t.notOk(
      ids.some((id) => id.includes('(for unit)')),
      `no step of unit's own instance is left (${ids.join(', ')})`,
    );
    t.ok(
      ids.includes('setup-service:db (for e2e)') && ids.includes('start-service:db (for e2e)'),
      "e2e's own instance stays",
    );
    t.same(left.instances, [{ service: 'db', forPhase: 'e2e' }]);
    for (const step of left.steps) {
      for (const id of [...step.needs, ...(step.after ?? []), ...(step.slotOf ? [step.slotOf] : [])])
        t.ok(ids.includes(id), `${step.id} refers only to steps that remain (${id})`);
    }
  },
);
