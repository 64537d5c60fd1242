/**
 * The bad-input bar: every malformed plan under fixtures/plans/invalid/ fails to load with
 * exactly these problems (one line each, as the CLI prints them) and exit code 2.
 */
import t from 'tap';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadPlanFile } from '../../src/load/load-plan.js';
import { PlanInvalidError, formatProblem } from '../../src/errors.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
process.chdir(root);
const folder = 'fixtures/plans/invalid';

/** Each problem line without the leading file name (which is `folder/file`). */
const cases: readonly { file: string; problems: readonly string[] }[] = [
  {
    file: 'bad-duration.plan.yaml',
    problems: [
      ":3:44: phases.unit.timeout: must be a duration like '250ms', '30s', '5m' or '1h', not '5 minutes'",
      ":5:15: gates.duration.max: must be a duration like '250ms', '30s', '5m' or '1h', not 10",
    ],
  },
  {
    file: 'bad-enum.plan.yaml',
    problems: [
      ":3:32: images.tools.pull: must be 'never', 'missing' or 'always', not 'sometimes'",
      ":8:17: phases.unit.coverage.format: must be 'lcov', 'cobertura', 'istanbul-summary' or 'istanbul-final', not 'lcov2': did you mean 'lcov'?",
      ":9:5: phases.unit.results: must be a results file: { junit: '/out/junit.xml' }, { tap: '/out/results.tap' } or what the runner prints: { text: { preset: 'pytest' } }, not an object with 'xunit': did you mean 'junit'?",
      ":11:17: acceptance[0].kind: must be 'functional' or 'non-functional', not 'functinal': did you mean 'functional'?",
    ],
  },
  {
    file: 'bad-probe.plan.yaml',
    problems: [
      ":3:36: services.db.ready.preset: must be 'postgres' or 'redis', not 'mysql'",
      ":4:28: services.api.ready: must be a ready probe: one of exec, tcp, http, log or preset ('postgres' | 'redis'), not an object with 'exce': did you mean 'exec'?",
      ":5:66: services.web.ready.timeout: must be a duration like '250ms', '30s', '5m' or '1h', not '1 minute'",
    ],
  },
  {
    file: 'bad-regex.plan.yaml',
    problems: [
      ':3:37: services.api.ready.log: Invalid regular expression: /[listening/: Unterminated character class: fix the pattern (escape special characters with a backslash)',
      ':7:53: acceptance[0].verifiedBy.tests: Invalid regular expression: /upload(/: Unterminated group: fix the pattern (escape special characters with a backslash)',
    ],
  },
  {
    file: 'criterion-evidence.plan.yaml',
    problems: [
      ":7:5: acceptance[2]: 'verifiedBy' is missing: add the evidence that verifies it: { phases, tests, gates or command }",
      ":5:66: acceptance[0].verifiedBy.phases[0]: unknown phase 'unti': did you mean 'unit'?",
      ':6:51: acceptance[1].verifiedBy: names no evidence: add phases, tests, gates or command',
    ],
  },
  {
    file: 'depends-on-cycle.plan.ts',
    problems: [': services.a.dependsOn: dependency cycle: a → b → c → a: remove one of these dependsOn entries'],
  },
  {
    file: 'duplicate-criterion.plan.yaml',
    problems: [
      ":7:7: acceptance[2].id: duplicate criterion id 'FR-1' (also acceptance[0]): give each criterion its own id",
    ],
  },
  {
    file: 'duplicate-key.plan.yaml',
    problems: [':4:3: YAML syntax error: Map keys must be unique; fix the YAML and run plan check again'],
  },
  {
    file: 'gate-phase-keys.plan.yaml',
    problems: [
      ":6:25: gates.coverage.phases.unti: unknown phase 'unti': did you mean 'unit'?",
      ":7:25: gates.duration.phases.intgration: unknown phase 'intgration': did you mean 'integration'?",
    ],
  },
  {
    file: 'invalid-name.plan.yaml',
    problems: [
      ":3:3: phases[\"my unit\"]: name 'my unit' is not allowed: use letters, digits, '.', '_' and '-', starting with a letter or digit",
    ],
  },
  {
    file: 'js-unknown-image.plan.js',
    problems: [
      ": phases.unit.image: unknown image 'apps': did you mean 'app'? (for the external image, write 'apps:latest')",
    ],
  },
  {
    file: 'localhost-ports.plan.yaml',
    problems: [
      ":7:90: phases.integration.services[2]: services 'pg' and 'pg-replica' both listen on port 5432, and this phase reaches its services on localhost (one shared network namespace): change one service's port or remove 'localhost: true'",
    ],
  },
  {
    file: 'missing-name.plan.yaml',
    problems: [":1:1: 'name' is missing: add the plan name"],
  },
  {
    file: 'needs-cycle.plan.yaml',
    problems: [':3:44: phases.unit.needs: dependency cycle: unit → integration → unit: remove one of these needs'],
  },
  {
    file: 'negative-counts.plan.yaml',
    problems: [
      ':3:54: services.redis.ready.retries: must be a whole number of 0 or more, not 1.5',
      ':5:44: phases.unit.retries: must be a whole number from 0 to 10, not -1',
      ':7:12: gates.tests.failed: must be a whole number of 0 or more, not -1',
      ':7:24: gates.tests.minExecuted: must be a whole number of 0 or more, not 2.5',
    ],
  },
  {
    file: 'no-phases.plan.yaml',
    problems: [
      ":2:1: phases: the plan has no phases: add at least one, e.g. unit: { image: 'node:20', run: 'npm test' }",
    ],
  },
  {
    file: 'not-a-mapping.plan.yaml',
    problems: [
      ":1:1: the plan must be an object, not a list: write a mapping with 'name' and 'phases' (in TypeScript: export default defineTestPlan({ name, phases }))",
    ],
  },
  {
    file: 'port-range.plan.yaml',
    problems: [
      ':3:36: services.api.ports[0]: must be a port number from 1 to 65535, not 0',
      ':3:45: services.api.ports[2]: must be a port number from 1 to 65535, not 70000',
      ':3:69: services.api.ready.tcp.port: must be a port number from 1 to 65535, not 65536',
    ],
  },
  {
    file: 'run-not-command.plan.yaml',
    problems: [
      ':3:29: phases.unit.run: must be a command: a string (run with sh -c) or a list of strings, not 42',
      ":4:40: phases.lint.run[1]: must be a string, not an object with 'run'",
    ],
  },
  {
    file: 'secret-env.plan.ts',
    problems: [
      ": services.pg.env.POSTGRES_PASSWORD: secret from environment variable 'TESTPLAN_FIXTURE_PG_PASSWORD' is not set: export TESTPLAN_FIXTURE_PG_PASSWORD before running the plan",
      ": phases.unit.env.TOKEN: secret from environment variable 'TESTPLAN_FIXTURE_TOKEN' is not set: export TESTPLAN_FIXTURE_TOKEN before running the plan",
    ],
  },
  {
    file: 'self-need.plan.yaml',
    problems: [':3:44: phases.unit.needs: dependency cycle: unit → unit: remove one of these needs'],
  },
  {
    file: 'template-check.plan.yaml',
    problems: [
      ":8:32: gates.commands.smoke.run: '${redis.host}' needs service 'redis': commands of gates and criteria run without services; move this command into a phase that lists 'redis' in its services",
    ],
  },
  {
    file: 'template-field.plan.yaml',
    problems: [":5:36: phases.integration.run: '${redis.hots}' uses unknown field 'hots': did you mean 'host'?"],
  },
  {
    file: 'template-not-in-phase.plan.yaml',
    problems: [
      ":8:19: phases.integration.run[2]: '${pg.host}' needs service 'pg': add 'pg' to phases.integration.services",
    ],
  },
  {
    file: 'template-own-port.plan.yaml',
    problems: [
      ":5:29: phases.unit.run: '${port}' is only available in services.NAME.local.command: use '${SERVICE.port}' to reach a service",
      ":3:112: services.redis.local.env.PORT: '${port}' is only available in services.NAME.local.command: use '${SERVICE.port}' to reach a service",
    ],
  },
  {
    file: 'template-port-without-ports.plan.yaml',
    problems: [
      ":5:28: phases.e2e.run: '${api.port}' needs a port: declare ports (e.g. ports: [8080]) on service 'api'",
    ],
  },
  {
    file: 'template-service-depends-on.plan.yaml',
    problems: [
      ":4:50: services.api.env.DATABASE_URL: '${pg.host}' needs service 'pg': add 'pg' to services.api.dependsOn",
    ],
  },
  {
    file: 'template-unknown-service.plan.yaml',
    problems: [
      ":9:12: phases.integration.env.REDIS_URL: '${redsi.host}': unknown service 'redsi': did you mean 'redis'? (for a literal '${redsi.host}', write '$${redsi.host}')",
    ],
  },
  {
    file: 'threshold-range.plan.yaml',
    problems: [
      ':5:15: gates.coverage.lines: must be a percentage from 0 to 100, not 120',
      ':5:27: gates.coverage.branches: must be a percentage from 0 to 100, not -1',
      ':5:59: gates.coverage.phases.unit.functions: must be a percentage from 0 to 100, not 101',
    ],
  },
  {
    file: 'ts-no-default.plan.ts',
    problems: [": has no default export: write 'export default defineTestPlan({ … })'"],
  },
  {
    file: 'ts-not-a-plan.plan.ts',
    problems: [
      ": the plan must be an object, not a function: write a mapping with 'name' and 'phases' (in TypeScript: export default defineTestPlan({ name, phases }))",
    ],
  },
  {
    file: 'ts-syntax.plan.ts',
    problems: [':6:1: Expected "}" but found ")": fix this error in the plan file'],
  },
  {
    file: 'ts-throws.plan.ts',
    problems: [
      ": the plan file threw while loading: Expected property name or '}' in JSON at position 2; fix the error and run plan check again",
    ],
  },
  {
    file: 'unconfigured-gate.plan.yaml',
    problems: [
      ":7:62: acceptance[0].verifiedBy.gates[0]: gate 'coverage' is not configured: add it under 'gates.coverage' or remove it from this list",
    ],
  },
  {
    file: 'unknown-depends-on.plan.yaml',
    problems: [
      ":4:40: services.api.dependsOn[0]: unknown service 'postgres': use one of pg or define it under 'services'",
    ],
  },
  {
    file: 'unknown-gate.plan.yaml',
    problems: [
      ":8:65: acceptance[0].verifiedBy.gates[0]: unknown gate 'lnt': did you mean 'lint'?",
      ":8:70: acceptance[0].verifiedBy.gates[1]: unknown gate 'speed': use coverage, tests, duration or a key of 'gates.commands'",
    ],
  },
  {
    file: 'unknown-image.plan.yaml',
    problems: [
      ":5:11: phases.unit.image: unknown image 'ap': did you mean 'app'? (for the external image, write 'ap:latest')",
    ],
  },
  {
    file: 'unknown-needs.plan.ts',
    problems: [": phases.integration.needs[0]: unknown phase 'unti': did you mean 'unit'?"],
  },
  {
    file: 'unknown-phase-key.plan.yaml',
    problems: [":4:5: phases.unit.imge: unknown key 'imge': did you mean 'image'?"],
  },
  {
    file: 'unknown-service.plan.ts',
    problems: [": phases.integration.services[1]: unknown service 'redsi': did you mean 'redis'?"],
  },
  {
    file: 'unknown-top-key.plan.yaml',
    problems: [":2:1: phase: unknown key 'phase': did you mean 'phases'?"],
  },
  {
    file: 'yaml-syntax.plan.yaml',
    problems: [
      ':5:1: YAML syntax error: All mapping items must start at the same column; fix the YAML and run plan check again',
    ],
  },
];

t.test('every invalid fixture has a case, and there are at least 30 of them in TS, JS and YAML', async (t) => {
  const files = readdirSync(folder).sort();
  t.same(files, cases.map((c) => c.file).sort());
  t.ok(files.length >= 30, `${files.length} fixtures`);
  t.ok(
    files.some((f) => f.endsWith('.ts')) &&
      files.some((f) => f.endsWith('.yaml')) &&
      files.some((f) => f.endsWith('.js')),
  );
});

for (const { file, problems } of cases) {
  t.test(file, async (t) => {
    const error = await loadPlanFile(`${folder}/${file}`, { env: {} }).then(
      () => undefined,
      (e: unknown) => e,
    );
    if (!(error instanceof PlanInvalidError)) return t.fail(`expected PlanInvalidError, got ${String(error)}`);
    t.equal(error.exitCode, 2);
    t.equal(error.code, 'PLAN_INVALID');
    t.same(
      error.problems.map(formatProblem),
      problems.map((p) => `${folder}/${file}${p}`),
    );
  });
}
