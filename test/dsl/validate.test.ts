import t from 'tap';
import { validatePlan, findPlanProblems, formatPath } from '../../src/dsl/validate/index.js';
import { findCycles } from '../../src/dsl/validate/rule-cycles.js';
import { PlanInvalidError, formatProblem } from '../../src/errors.js';

const source = { file: 'plans/app.plan.yaml', dir: '/repo/plans' };
const unit = { image: 'node:20', run: 'npm test' };

function problems(input: unknown, env: NodeJS.ProcessEnv = {}): string[] {
  try {
    validatePlan(input, source, env);
  } catch (error) {
    if (error instanceof PlanInvalidError) return error.problems.map(formatProblem);
    throw error;
  }
  return [];
}

t.test('every problem of every rule is reported in one pass, each with file and path', async (t) => {
  const found = problems({
    name: 'many',
    services: { redis: { image: 'redis:7', envv: {} } },
    phases: { unit: { ...unit, needs: ['unti'], timeout: '1 hour' } },
    acceptance: [{ id: 'A', requirement: 'r', verifiedBy: { gates: ['tests'] } }],
  });
  t.same(found, [
    "plans/app.plan.yaml: services.redis.envv: unknown key 'envv': did you mean 'env'?",
    "plans/app.plan.yaml: phases.unit.timeout: must be a duration like '250ms', '30s', '5m' or '1h', not '1 hour'",
    "plans/app.plan.yaml: phases.unit.needs[0]: unknown phase 'unti': the only phase is 'unit' itself; define 'unti' under 'phases'",
    "plans/app.plan.yaml: acceptance[0].verifiedBy.gates[0]: gate 'tests' is not configured: add it under 'gates.tests' or remove it from this list",
  ]);
});

t.test('a value that is not a plan at all gets one problem that says what to write', async (t) => {
  for (const input of [null, 42, 'name: x', [], () => 1]) {
    const [only, ...rest] = findPlanProblems(input, {});
    t.same(rest, []);
    t.match(only?.message, /^the plan must be an object, not .*: write a mapping with 'name' and 'phases'/);
  }
});

t.test('unknown keys without a close match list the allowed keys', async (t) => {
  t.same(problems({ name: 'x', phases: { unit: { ...unit, zzzz: 1 } } }), [
    "plans/app.plan.yaml: phases.unit.zzzz: unknown key 'zzzz': remove it; allowed here: image, run, env, workdir, mounts, services, localhost, needs, after, timeout, retries, results, coverage, artifacts, profiles, local, shard, cache",
  ]);
});

t.test('wrong types inside unions and records say what is expected', async (t) => {
  t.same(problems({ name: '', phases: { unit: { ...unit, env: { A: ['x'], B: { secret: 1 } }, mounts: 'src' } } }), [
    'plans/app.plan.yaml: name: must not be empty: write the plan name',
    'plans/app.plan.yaml: phases.unit.env.A: must be a string, number, boolean or secret, not a list',
    'plans/app.plan.yaml: phases.unit.env.B.secret: must be a string, not 1',
    "plans/app.plan.yaml: phases.unit.mounts: must be a list of mounts, not 'src'",
  ]);
});

t.test('a probe mixing two kinds is judged as the kind it names most', async (t) => {
  t.same(
    problems({
      name: 'x',
      services: { s: { image: 'a:1', ready: { exec: 'true', tcp: { port: 1 } } } },
      phases: { unit },
    }),
    [
      "plans/app.plan.yaml: services.s.ready.tcp: unknown key 'tcp': remove it; allowed here: interval, timeout, retries, exec, expect",
    ],
  );
  t.same(problems({ name: 'x', services: { s: { image: 'a:1', ready: { interval: '1s' } } }, phases: { unit } }), [
    "plans/app.plan.yaml: services.s.ready: must be a ready probe: one of exec, tcp, http, log or preset ('postgres' | 'redis'), not an object with 'interval'",
  ]);
});

t.test('references: unknown names list the choices when nothing is close; no names at all says so', async (t) => {
  t.same(
    problems({ name: 'x', phases: { unit: { ...unit, services: ['kafka'] }, e2e: { ...unit, needs: ['zzz'] } } }),
    [
      "plans/app.plan.yaml: phases.unit.services[0]: unknown service 'kafka': the plan defines no services; define it under 'services'",
      "plans/app.plan.yaml: phases.e2e.needs[0]: unknown phase 'zzz': use one of unit or define it under 'phases'",
    ],
  );
});

t.test(
  'images: plan images, tagged, digest and untagged references are fine; a near-miss of an image key is a typo; command checks are checked too',
  async (t) => {
    const plan = {
      name: 'x',
      images: { app: { build: { context: '.' } } },
      services: {
        a: { image: 'app' },
        b: { image: 'redis@sha256:abababababababababababababababababababababababababababababababab' },
      },
      phases: { unit: { image: 'registry.local:5000/app:1', run: 'true' } },
      gates: { commands: { lint: { image: 'ap', run: 'lint' } } },
      acceptance: [{ id: 'X', requirement: 'r', verifiedBy: { command: { image: 'tools', run: 'x' } } }],
    };
    t.same(problems(plan), [
      "plans/app.plan.yaml: gates.commands.lint.image: unknown image 'ap': did you mean 'app'? (for the external image, write 'ap:latest')",
    ]);
  },
);

t.test('templates are fine where the service is reachable, and ${port} in a local command', async (t) => {
  const plan = {
    name: 'x',
    services: {
      pg: { image: 'postgres:15', ready: { preset: 'postgres' }, local: { command: 'pg-local --port ${port}' } },
      api: {
        image: 'node:20',
        ports: [8080],
        dependsOn: ['pg'],
        env: { DB: '${pg.host}:${pg.port}' },
        command: ['node', 'server.js', '--db=${pg.host}'],
      },
    },
    phases: {
      e2e: {
        image: 'node:20',
        run: 'curl ${api.host}:${api.port} $HOME ${HOME}',
        services: ['api', 'pg'],
        env: { PG: '${pg.port}', S: { secret: '${x.y}' } },
      },
    },
    gates: { commands: { ok: { image: 'node:20', run: 'echo ${NOT_A_TEMPLATE}' } } },
  };
  t.same(problems(plan), []);
});

t.test('localhost phases may use services on distinct ports; a clash is reported once per pair', async (t) => {
  const services = {
    a: { image: 'a:1', ports: [80, 81] },
    b: { image: 'b:1', ports: [82] },
    c: { image: 'c:1', ports: [81] },
  };
  t.same(problems({ name: 'x', services, phases: { unit: { ...unit, localhost: true, services: ['a', 'b'] } } }), []);
  t.same(problems({ name: 'x', services, phases: { unit: { ...unit, localhost: false, services: ['a', 'c'] } } }), []);
  t.same(problems({ name: 'x', services, phases: { unit: { ...unit, localhost: true, services: ['a', 'c', 'a'] } } }), [
    "plans/app.plan.yaml: phases.unit.services[1]: services 'a' and 'c' both listen on port 81, and this phase reaches its services on localhost (one shared network namespace): change one service's port or remove 'localhost: true'",
  ]);
});

t.test('secretFromEnv passes when the variable is set, even to an empty string', async (t) => {
  const plan = { name: 'x', phases: { unit: { ...unit, env: { T: { secretFromEnv: 'TOKEN' } } } } };
  t.same(problems(plan, { TOKEN: '' }), []);
  t.same(problems(plan, {}), [
    "plans/app.plan.yaml: phases.unit.env.T: secret from environment variable 'TOKEN' is not set: export TOKEN before running the plan",
  ]);
});

t.test('regexes: probe expect and log pattern objects are compiled too; RegExp objects from TS pass', async (t) => {
  const plan = {
    name: 'x',
    services: {
      a: { image: 'a:1', ready: { exec: 'x', expect: '*' } },
      b: { image: 'b:1', ready: { log: { pattern: '(', times: 2 } } },
    },
    phases: { unit },
    acceptance: [{ id: 'A', requirement: 'r', verifiedBy: { tests: /ok/ } }],
  };
  t.same(problems(plan), [
    'plans/app.plan.yaml: services.a.ready.expect: Invalid regular expression: /*/: Nothing to repeat: fix the pattern (escape special characters with a backslash)',
    'plans/app.plan.yaml: services.b.ready.log.pattern: Invalid regular expression: /(/: Unterminated group: fix the pattern (escape special characters with a backslash)',
  ]);
});

t.test('findCycles reports each cycle once and ignores acyclic graphs', async (t) => {
  t.same(
    findCycles(
      new Map([
        ['a', ['b']],
        ['b', ['c']],
        ['c', []],
      ]),
    ),
    [],
  );
  t.same(
    findCycles(
      new Map([
        ['a', ['b']],
        ['b', ['a', 'c']],
        ['c', ['c']],
      ]),
    ),
    [
      ['a', 'b', 'a'],
      ['c', 'c'],
    ],
  );
});

t.test('formatPath quotes keys that are not plain names', async (t) => {
  t.equal(formatPath(['phases', 'integration', 'services', 1]), 'phases.integration.services[1]');
  t.equal(formatPath(['phases', 'unit', 'coverage', 'pathMap', '/app/']), 'phases.unit.coverage.pathMap["/app/"]');
  t.equal(formatPath([]), '');
});
