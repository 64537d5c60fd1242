import t from 'tap';
import { validatePlan } from '../../src/dsl/validate/index.js';
import { Secret } from '../../src/dsl/secret.js';
import type { PlanInput } from '../../src/dsl/types.js';

const source = { file: '/repo/plans/app.plan.ts', dir: '/repo/plans' };

t.test('defaults: a minimal plan gets every default spelled out', async (t) => {
  const plan = validatePlan({ name: 'min', phases: { unit: { image: 'node:20', run: 'npm test' } } }, source, {});
  t.strictSame(plan, {
    name: 'min',
    file: '/repo/plans/app.plan.ts',
    dir: '/repo/plans',
    images: {},
    services: {},
    phases: {
      unit: {
        name: 'unit',
        image: { kind: 'ref', ref: 'node:20' },
        command: ['sh', '-c', 'npm test'],
        env: {},
        mounts: [],
        services: [],
        localhost: false,
        needs: [],
        after: [],
        retries: 0,
        artifacts: [],
        profiles: [],
      },
    },
    gates: { phaseCoverage: {}, commands: {} },
    checks: {},
    acceptance: [],
    secrets: [],
  });
  t.notOk('description' in plan);
  t.notOk('timeoutMs' in plan.phases['unit']!);
});

t.test('images: build contexts resolve against the plan folder, dockerfile and pull get defaults', async (t) => {
  const plan = validatePlan(
    {
      name: 'img',
      images: {
        app: { build: { context: '..' } },
        abs: { build: { context: '/src', dockerfile: 'ci/Dockerfile', target: 't', args: { A: '1' } } },
        base: { ref: 'debian:12' },
      },
      phases: { unit: { image: 'app', run: ['make', 'test'] } },
    },
    source,
    {},
  );
  t.strictSame(plan.images, {
    app: { kind: 'build', name: 'app', context: '/repo', dockerfile: 'Dockerfile', args: {} },
    abs: { kind: 'build', name: 'abs', context: '/src', dockerfile: 'ci/Dockerfile', target: 't', args: { A: '1' } },
    base: { kind: 'ref', name: 'base', ref: 'debian:12', pull: 'missing' },
  });
  t.strictSame(plan.phases['unit']?.image, { kind: 'plan', name: 'app' });
  t.strictSame(plan.phases['unit']?.command, ['make', 'test']);
});

t.test('probes: timing defaults, every kind, presets become TCP exec probes with their ports', async (t) => {
  const plan = validatePlan(
    {
      name: 'probes',
      services: {
        pg: { image: 'postgres:15', ready: { preset: 'postgres' } },
        pg2: {
          image: 'postgres:15',
          ports: [5433],
          ready: {
            preset: 'postgres',
            port: 5433,
            user: 'u',
            database: 'd',
            interval: '1s',
            timeout: '2m',
            retries: 3,
          },
        },
        redis: { image: 'redis:7', ports: [6379], ready: { preset: 'redis' } },
        redis2: { image: 'redis:7', ready: { preset: 'redis', port: 7000 } },
        sh: { image: 'a:1', ready: { exec: 'test -f /ready' } },
        argv: { image: 'a:1', ready: { exec: ['cat', '/ok'], expect: '^ok$' } },
        tcp: { image: 'a:1', ready: { tcp: { port: 9000 } } },
        http: { image: 'a:1', ready: { http: { port: 80 } } },
        http2: { image: 'a:1', ready: { http: { port: 80, path: '/health', status: 204 } } },
        log: { image: 'a:1', ready: { log: 'listening' } },
        log2: { image: 'a:1', ready: { log: { pattern: 'ready', times: 2 } } },
        none: { image: 'a:1' },
      },
      phases: { unit: { image: 'node:20', run: 'true' } },
    },
    source,
    {},
  );
  const s = plan.services;
  const timing = { intervalMs: 50, timeoutMs: 60_000 };
  t.strictSame(s['pg']?.ready, { ...timing, kind: 'exec', command: ['pg_isready', '-h', '127.0.0.1', '-p', '5432'] });
  t.strictSame(s['pg']?.ports, [5432]);
  t.strictSame(s['pg2']?.ready, {
    intervalMs: 1000,
    timeoutMs: 120_000,
    retries: 3,
    kind: 'exec',
    command: ['pg_isready', '-h', '127.0.0.1', '-p', '5433', '-U', 'u', '-d', 'd'],
  });
  t.strictSame(s['pg2']?.ports, [5433]);
  t.strictSame(s['redis']?.ready, { ...timing, kind: 'redis', port: 6379 });
  t.strictSame(s['redis']?.ports, [6379]);
  t.strictSame(s['redis2']?.ports, [7000]);
  t.strictSame(s['sh']?.ready, { ...timing, kind: 'exec', command: ['sh', '-c', 'test -f /ready'] });
  t.strictSame(s['argv']?.ready, { ...timing, kind: 'exec', command: ['cat', '/ok'], expect: '^ok$' });
  t.strictSame(s['tcp']?.ready, { ...timing, kind: 'tcp', port: 9000 });
  t.strictSame(s['http']?.ready, { ...timing, kind: 'http', port: 80, path: '/' });
  t.strictSame(s['http2']?.ready, { ...timing, kind: 'http', port: 80, path: '/health', status: 204 });
  t.strictSame(s['log']?.ready, { ...timing, kind: 'log', pattern: 'listening', times: 1 });
  t.strictSame(s['log2']?.ready, { ...timing, kind: 'log', pattern: 'ready', times: 2 });
  t.notOk('ready' in s['none']!);
  t.notOk('command' in s['none']!);
});

t.test('env: scalars become strings, secrets become Secret objects listed in plan.secrets', async (t) => {
  const plan = validatePlan(
    {
      name: 'env',
      services: {
        db: {
          image: 'postgres:15',
          env: { PW: { secret: 'hunter2' } },
          local: { command: 'run', env: { TOKEN: { secretFromEnv: 'CI_TOKEN' } } },
        },
      },
      phases: { unit: { image: 'node:20', run: 'true', env: { N: 3, B: true, S: 'x' } } },
      gates: { commands: { lint: { image: 'node:20', run: 'lint', env: { K: { secret: 'k' } } } } },
    },
    source,
    { CI_TOKEN: 'from-env' },
  );
  t.strictSame(plan.phases['unit']?.env, { N: '3', B: 'true', S: 'x' });
  const pw = plan.services['db']?.env['PW'];
  const token = plan.services['db']?.local?.env['TOKEN'];
  t.ok(pw instanceof Secret && token instanceof Secret);
  t.equal((pw as Secret).reveal(), 'hunter2');
  t.equal((pw as Secret).source, 'services.db.env.PW');
  t.equal((token as Secret).reveal(), 'from-env');
  t.strictSame(
    plan.secrets.map((s) => s.reveal()),
    ['hunter2', 'from-env', 'k'],
  );
  t.equal(JSON.stringify(plan).includes('hunter2'), false);
});

t.test('phases: mounts resolve, durations become ms, results and coverage are tagged', async (t) => {
  const plan = validatePlan(
    {
      name: 'phases',
      phases: {
        unit: {
          image: 'node:20',
          run: 'npm test',
          mounts: [
            { source: './src', target: '/app/src' },
            { source: '/etc/ssl', target: '/etc/ssl', readOnly: true },
          ],
          timeout: '1.5s',
          results: { tap: '/out/r.tap' },
          coverage: { format: 'cobertura', path: '/out/c.xml' },
          workdir: '/app',
          local: { run: 'npm test', workdir: '.' },
        },
      },
    },
    source,
    {},
  );
  const unit = plan.phases['unit']!;
  t.strictSame(unit.mounts, [
    { source: '/repo/plans/src', target: '/app/src', readOnly: false },
    { source: '/etc/ssl', target: '/etc/ssl', readOnly: true },
  ]);
  t.equal(unit.timeoutMs, 1500);
  t.strictSame(unit.results, { format: 'tap', path: '/out/r.tap' });
  t.strictSame(unit.coverage, { format: 'cobertura', path: '/out/c.xml', pathMap: {} });
  t.equal(unit.workdir, '/app');
  t.strictSame(unit.local, { run: 'npm test', workdir: '.' });
});

t.test(
  'gates and criteria: command gates and command criteria become named checks; test strings become RegExp',
  async (t) => {
    const input: PlanInput<'app', never, 'unit'> = {
      name: 'gates',
      images: { app: { build: { context: '.' } } },
      phases: { unit: { image: 'app', run: 'npm test' } },
      gates: {
        coverage: { phases: { unit: { lines: 90 } } },
        duration: { phases: { unit: '2m' } },
        commands: { lint: { image: 'app', run: 'npm run lint', timeout: '30s' } },
      },
      acceptance: [
        { id: 'FR-1', requirement: 'uploads', verifiedBy: { tests: 'upload.*works' } },
        { id: 'FR-2', requirement: 'regex', kind: 'functional', verifiedBy: { tests: /^api > /i } },
        {
          id: 'NFR-1',
          kind: 'non-functional',
          requirement: 'lint',
          verifiedBy: { gates: ['lint', 'duration', 'coverage'], command: { image: 'alpine:3', run: ['true'] } },
        },
      ],
    };
    const plan = validatePlan(input, source, {});
    const lint = {
      name: 'gate:lint',
      image: { kind: 'plan', name: 'app' },
      command: ['sh', '-c', 'npm run lint'],
      env: {},
      timeoutMs: 30_000,
    };
    t.strictSame(plan.gates, {
      coverage: {},
      phaseCoverage: { unit: { lines: 90 } },
      duration: { phasesMs: { unit: 120_000 } },
      commands: { lint },
    });
    t.strictSame(plan.checks, {
      'gate:lint': lint,
      'criterion:NFR-1': {
        name: 'criterion:NFR-1',
        image: { kind: 'ref', ref: 'alpine:3' },
        command: ['true'],
        env: {},
      },
    });
    t.strictSame(plan.acceptance[0], {
      id: 'FR-1',
      requirement: 'uploads',
      kind: 'functional',
      verifiedBy: { tests: /upload.*works/ },
    });
    t.ok(plan.acceptance[0]?.verifiedBy.tests?.test('upload of a file works'));
    t.equal(plan.acceptance[1]?.verifiedBy.tests?.flags, 'i');
    t.strictSame(plan.acceptance[2]?.verifiedBy, {
      gates: ['lint', 'duration', 'coverage'],
      command: 'criterion:NFR-1',
    });
    t.equal(plan.acceptance[2]?.kind, 'non-functional');
  },
);

t.test('an image reference without a tag means :latest, as in docker, unless it names a key of images', async (t) => {
  const plan = validatePlan(
    {
      name: 'tags',
      images: { cache: { ref: 'redis' }, app: { build: { context: '.' } } },
      services: { db: { image: 'postgres' }, fx: { image: 'testplan-fixture/redis' } },
      phases: { unit: { image: 'app', run: 'x' }, e2e: { image: `node@sha256:${'a'.repeat(64)}`, run: 'x' } },
    },
    { file: '/p/x.plan.yaml', dir: '/p' },
    {},
  );
  t.match(plan.images['cache'], { kind: 'ref', ref: 'redis:latest' });
  t.same(plan.services['db']?.image, { kind: 'ref', ref: 'postgres:latest' });
  t.same(plan.services['fx']?.image, { kind: 'ref', ref: 'testplan-fixture/redis:latest' });
  t.same(plan.phases['unit']?.image, { kind: 'plan', name: 'app' });
  t.same(plan.phases['e2e']?.image, { kind: 'ref', ref: `node@sha256:${'a'.repeat(64)}` });
});
