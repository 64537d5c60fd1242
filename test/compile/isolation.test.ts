import t from 'tap';
import { compilePlan } from '../../src/compile/compile.js';
import type { Step } from '../../src/compile/graph.js';
import { renderGraph } from '../../src/compile/render-graph.js';
import { selectionNotes } from '../../src/compile/select.js';
import { instanceAlias } from '../../src/compile/service-instances.js';
import { sharingWarnings } from '../../src/compile/sharing-warnings.js';
import { UsageError } from '../../src/errors.js';
import { phase, plan, service } from '../helpers/plan-builder.js';

const find = (steps: readonly Step[], id: string): Step => {
  const step = steps.find((s) => s.id === id);
  if (!step) throw new Error(`no step ${id} in ${steps.map((s) => s.id).join(', ')}`);
  return step;
};

const isolated = plan({
  services: [
    service('db', { scope: 'phase', scopeWritten: true }),
    service('cache', { scope: 'phase', scopeWritten: true, dependsOn: ['db'] }),
    service('queue'),
  ],
  phases: [
    phase('build'),
    phase('unit', { needs: ['build'], services: ['cache', 'queue'] }),
    phase('e2e', { services: ['db', 'queue'] }),
  ],
});

t.test('a phase-scoped service gets one instance per phase that uses it, with typed steps', async (t) => {
  const graph = compilePlan(isolated);
  t.same(graph.instances, [
    { service: 'queue' },
    { service: 'db', forPhase: 'unit' },
    { service: 'cache', forPhase: 'unit' },
    { service: 'db', forPhase: 'e2e' },
  ]);
  const start = find(graph.steps, 'start-service:db (for unit)');
  t.match(start, { kind: 'start-service', service: 'db', forPhase: 'unit' });
  t.same(
    find(graph.steps, 'start-service:cache (for unit)').needs,
    ['create-network', 'wait-ready:db (for unit)', 'build-image:app', 'wait-ready:queue', 'run-phase:build'],
    "the instance's own dependency is the phase's instance, and it waits for everything else the phase waits for",
  );
  t.equal(start.slotOf, 'run-phase:unit', "it takes its phase's concurrency slot");
  t.equal(find(graph.steps, 'start-service:queue').slotOf, undefined, 'a shared instance takes none');
  t.same(find(graph.steps, 'run-phase:unit').needs, [
    'create-network',
    'build-image:app',
    'wait-ready:cache (for unit)',
    'wait-ready:queue',
    'run-phase:build',
  ]);
  t.same(find(graph.steps, 'run-phase:e2e').needs, [
    'create-network',
    'build-image:app',
    'wait-ready:db (for e2e)',
    'wait-ready:queue',
  ]);
  t.same(
    find(graph.steps, 'stop-service:db (for unit)').needs,
    ['wait-ready:db (for unit)', 'collect-artifacts:unit', 'stop-service:cache (for unit)'],
    "a phase's instance stops once that phase's files are collected, after the instances depending on it",
  );
  t.same(find(graph.steps, 'stop-service:queue').needs, [
    'wait-ready:queue',
    'collect-artifacts:unit',
    'collect-artifacts:e2e',
  ]);
  t.match(renderGraph(graph, 'text'), /start-service:db \(for e2e\)/, 'plan graph shows the instances');
  t.match(renderGraph(graph, 'mermaid'), /"stop-service:cache \(for unit\)"/);
});

t.test('instance aliases are DNS labels, unique per instance', async (t) => {
  t.equal(instanceAlias({ service: 'db' }), 'db');
  t.equal(instanceAlias({ service: 'db', forPhase: 'unit' }), 'db--unit');
  const long = instanceAlias({ service: 'a'.repeat(63), forPhase: 'b'.repeat(63) });
  const other = instanceAlias({ service: 'a'.repeat(63), forPhase: `${'b'.repeat(62)}c` });
  t.ok(long.length <= 63 && other.length <= 63);
  t.not(long, other);
});

t.test('exclusive services become locks on the phases using them; after becomes ordering, not a need', async (t) => {
  const p = plan({
    services: [service('redis', { exclusive: true }), service('pg')],
    phases: [
      phase('a', { services: ['redis', 'pg'] }),
      phase('b', { services: ['redis'], after: ['a'] }),
      phase('c', { services: ['pg'] }),
    ],
  });
  const graph = compilePlan(p);
  t.same(find(graph.steps, 'run-phase:a').locks, ['redis']);
  t.same(find(graph.steps, 'run-phase:b').locks, ['redis']);
  t.equal(find(graph.steps, 'run-phase:c').locks, undefined);
  t.same(find(graph.steps, 'run-phase:b').after, ['run-phase:a']);
  t.notOk(find(graph.steps, 'run-phase:b').needs.includes('run-phase:a'));
  t.same(compilePlan(p, { phases: ['b'] }).phases, ['b'], '--phase does not pull in after phases');
  t.equal(find(compilePlan(p, { phases: ['b'] }).steps, 'run-phase:b').after, undefined);
});

t.test('--phase says which needs it pulled in; --no-needs runs the phase alone', async (t) => {
  const p = plan({
    phases: [
      phase('build'),
      phase('migrate', { needs: ['build'] }),
      phase('e2e', { needs: ['migrate'] }),
      phase('lint'),
    ],
  });
  const pulled = compilePlan(p, { phases: ['e2e'] });
  t.same(pulled.phases, ['build', 'migrate', 'e2e']);
  t.same(pulled.selection, {
    requested: ['e2e'],
    pulledIn: [
      { phase: 'build', neededBy: ['migrate'] },
      { phase: 'migrate', neededBy: ['e2e'] },
    ],
    notRun: [],
  });
  t.same(selectionNotes(pulled.selection), ['also running build (needed by migrate), migrate (needed by e2e)']);

  const alone = compilePlan(p, { phases: ['e2e'], needs: false });
  t.same(alone.phases, ['e2e']);
  t.same(find(alone.steps, 'run-phase:e2e').needs, ['create-network', 'build-image:app']);
  t.same(alone.selection.notRun, [{ phase: 'migrate', neededBy: ['e2e'] }]);
  t.same(selectionNotes(alone.selection), ['not running migrate (needed by e2e): --no-needs counts them as satisfied']);

  const both = compilePlan(p, { phases: ['e2e', 'migrate'], needs: false });
  t.ok(find(both.steps, 'run-phase:e2e').needs.includes('run-phase:migrate'), 'needs among selected phases hold');
  t.same(compilePlan(p).selection, { requested: [], pulledIn: [], notRun: [] });
  t.throws(() => compilePlan(p, { needs: false }), UsageError, '--no-needs without --phase is a usage error');
});

t.test('sharing warnings: parallel phases on one shared service, unless the plan says how it is shared', async (t) => {
  const phases = [phase('a', { services: ['redis'] }), phase('b', { services: ['redis'] })];
  const warnings = sharingWarnings(plan({ services: [service('redis')], phases }));
  t.equal(warnings.length, 1);
  t.equal(warnings[0]!.path, 'services.redis');
  t.match(warnings[0]!.message, /phases a and b can run at the same time and share one redis/);
  t.match(warnings[0]!.message, /scope: 'phase'.*exclusive: true.*scope: 'run'/);

  const quiet = (s: Parameters<typeof service>[1], ps = phases, concurrency?: number) =>
    sharingWarnings(plan({ services: [service('redis', s)], phases: ps }), undefined, concurrency);
  t.same(quiet({ exclusive: true }), [], 'exclusive');
  t.same(quiet({ scope: 'phase', scopeWritten: true }), [], "scope: 'phase'");
  t.same(quiet({ scopeWritten: true }), [], "scope: 'run' written out");
  t.same(quiet({}, phases, 1), [], 'concurrency 1');
  t.same(quiet({}, [phases[0]!, phase('b', { services: ['redis'], after: ['a'] })]), [], 'ordered by after');
  t.same(
    quiet({}, [
      phases[0]!,
      phase('m'),
      phase('b', { services: ['redis'], needs: ['m'] }),
      phase('m2', { needs: ['a'] }),
    ]).length,
    1,
    'a need on an unrelated phase does not order them',
  );
  t.same(
    quiet({}, [
      phase('a', { services: ['redis'] }),
      phase('m', { needs: ['a'] }),
      phase('b', { services: ['redis'], needs: ['m'] }),
    ]),
    [],
    'ordered through another phase',
  );
  t.equal(
    sharingWarnings(plan({ services: [service('redis')], phases }), ['a']).length,
    0,
    'only the phases of the run count',
  );
});

t.test('plan graph shows after (ordering) and exclusive locks', async (t) => {
  const graph = compilePlan(
    plan({
      services: [service('redis', { exclusive: true })],
      phases: [phase('a', { services: ['redis'] }), phase('b', { services: ['redis'], after: ['a'] })],
    }),
  );
  const text = renderGraph(graph, 'text');
  t.match(text, /run-phase:b {2}← .*\(after run-phase:a; one at a time: redis\)/);
  const waveOf = (id: string) => text.split(/^wave /m).findIndex((w) => w.includes(`  ${id}  `));
  t.ok(waveOf('run-phase:b') > waveOf('run-phase:a'), 'b is drawn in a later wave than a');
  t.match(renderGraph(graph, 'mermaid'), /s\d+ -\.-> s\d+/);
});
