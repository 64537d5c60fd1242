import t from 'tap';
import { compilePlan } from '../../src/compile/compile.js';
import { renderGraph } from '../../src/compile/render-graph.js';
import { Secret } from '../../src/dsl/secret.js';
import { renderMarkdown } from '../../src/report/markdown/render-markdown.js';
import { serializeResults } from '../../src/report/write-reports.js';
import { phase, plan, service } from '../helpers/plan-builder.js';
import { runOnFake } from '../helpers/run-on-fake.js';

const secret = new Secret('s3cr3t-setup-pw', 'services.pg.env.PGPASSWORD');
const setupPlan = () =>
  plan({
    services: [
      service('pg', {
        ports: [5432],
        setup: [
          ['sh', '-c', 'createuser app'],
          ['psql', '-c', 'create database app owner app'],
        ],
      }),
      service('api', { ready: undefined, dependsOn: ['pg'] }),
    ],
    phases: [phase('unit', { services: ['pg'] }), phase('e2e', { services: ['api'] })],
    secrets: [secret],
  });

t.test(
  'setup is a step of its own after readiness: phases and dependent services need it, teardown waits for it',
  async (t) => {
    const graph = compilePlan(setupPlan());
    const step = (id: string) => graph.steps.find((s) => s.id === id);
    t.same(step('setup-service:pg'), {
      id: 'setup-service:pg',
      kind: 'setup-service',
      service: 'pg',
      needs: ['wait-ready:pg'],
    });
    t.ok(step('run-phase:unit')?.needs.includes('setup-service:pg'));
    t.notOk(step('run-phase:unit')?.needs.includes('wait-ready:pg'), 'readiness alone is not enough');
    t.ok(step('start-service:api')?.needs.includes('setup-service:pg'));
    t.ok(step('stop-service:pg')?.needs.includes('setup-service:pg'));
    t.notOk(step('setup-service:api'), 'no setup commands, no step');
    t.match(renderGraph(graph, 'text'), /setup-service:pg {2}← wait-ready:pg/);
  },
);

t.test(
  'setup commands that pass: the service is ready, results.json and the report show the setup and its duration',
  async (t) => {
    const { results } = await runOnFake(setupPlan(), {});
    t.equal(results.exitCode, 0);
    const pg = results.services.find((s) => s.name === 'pg')!;
    t.equal(pg.status, 'ready');
    t.match(pg.setup, { commands: 2, ran: 2, passed: true });
    t.type(pg.setup?.durationMs, 'number');
    const step = results.steps.find((s) => s.id === 'setup-service:pg')!;
    t.match(step, {
      kind: 'setup-service',
      subject: 'pg',
      status: 'passed',
      message: /^2 setup command\(s\) in \d+ ms$/,
    });
    const report = renderMarkdown(results);
    t.match(report, /\| Service \| Image \| Ready in \| Probes \| Setup \| Status \|/);
    t.match(report, /\| pg \| pg:latest \| .* \| 2 commands in [^|]+\| .*ready/);
  },
);

t.test(
  'a failing setup command: the service is not ready, exit 3, phases using it skipped with the reason, output masked',
  async (t) => {
    const { results } = await runOnFake(setupPlan(), {
      failSetup: {
        'create database app owner app': {
          exitCode: 3,
          output: ['connecting with password s3cr3t-setup-pw', 'ERROR:  role "app" does not exist'],
        },
      },
    });
    t.equal(results.exitCode, 3);
    t.equal(results.verdict, 'error');
    const pg = results.services.find((s) => s.name === 'pg')!;
    t.equal(pg.status, 'not-ready');
    t.match(pg.setup, { commands: 2, ran: 2, passed: false });
    t.match(
      pg.message,
      /^service pg: setup command 2 of 2 \(psql -c create database app owner app\) exited with code 3, so the service is not ready\. Its last output:\n {2}\| connecting with password \*\*\*\n {2}\| ERROR: {2}role "app" does not exist\nFix services\.pg\.setup\[1\]/,
    );
    t.match(results.message, /setup command 2 of 2 .* exited with code 3/);
    const unit = results.phases.find((p) => p.name === 'unit')!;
    t.equal(unit.status, 'skipped');
    t.match(
      results.steps.find((s) => s.id === 'run-phase:unit'),
      { status: 'skipped', message: 'setup-service:pg failed' },
    );
    t.match(
      results.steps.find((s) => s.id === 'start-service:api'),
      { status: 'skipped' },
    );
    t.match(
      results.steps.find((s) => s.id === 'stop-service:pg'),
      { status: 'passed' },
      'the service is still stopped',
    );
    const json = serializeResults(results);
    t.notMatch(json, /s3cr3t-setup-pw/);
    const report = renderMarkdown(results);
    t.notMatch(report, /s3cr3t-setup-pw/);
    t.match(report, /command 2 of 2 failed after/);
    t.match(report, /### Service `pg` — .*not ready/i);
  },
);
