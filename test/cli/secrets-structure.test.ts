/**
 * Secrets end to end under --driver local (no engine needed): a secret equal to a name used in the
 * plan masks only free text and leaves the run intact; a secret printed URL-encoded, form-encoded,
 * JSON-escaped, base64-encoded and split by ANSI codes appears in no output at all.
 */
import t from 'tap';
import { join } from 'node:path';
import { everyOutput, readResults, runCli, tempDir, writePlan } from './e2e-helpers.js';

/** A JUnit file with a failing test_login whose failure text is `before`, the variable's value, `after`. */
const junitScript = (before: string, variable: string, after = ''): string =>
  `mkdir -p "$TESTPLAN_OUT" && printf '%s' '<testsuites><testsuite name="s"><testcase classname="s" name="test_login"><failure message="bad">${before}'"$${variable}"'${after}</failure></testcase><testcase classname="s" name="test_ok"/></testsuite></testsuites>' > "$TESTPLAN_OUT/junit.xml"`;

t.test(
  "a secret named like the plan's service (`postgres`) masks free text only: names, keys and ids are intact",
  async (t) => {
    const dir = tempDir('secret-postgres');
    const file = writePlan(
      {
        name: 'e2e-secret-postgres',
        services: {
          postgres: {
            image: 'postgres:15',
            env: { POSTGRES_PASSWORD: { secret: 'postgres' } },
            local: { command: 'echo "postgres service password is $POSTGRES_PASSWORD"; exec sleep 60' },
          },
        },
        phases: {
          postgres: {
            image: 'postgres:15',
            services: ['postgres'],
            env: { PGPASSWORD: { secret: 'postgres' } },
            run: 'true',
            local: {
              run: `echo "connecting with password=$PGPASSWORD" && ${junitScript('password ', 'PGPASSWORD', ' rejected')}`,
            },
            results: { junit: '/out/junit.xml' },
          },
        },
        gates: { tests: { failed: 0 } },
        acceptance: [{ id: 'FR-1', requirement: 'login works', verifiedBy: { tests: 'test_login' } }],
      },
      dir,
    );
    const out = join(dir, 'out');
    const summary = join(dir, 'summary.md');
    const res = await runCli(['run', file, '--driver', 'local', '--verbose', '--out', out], {
      env: { GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summary },
    });
    t.equal(res.code, 1, `exit 1 (a failing test), not a crash\n${res.stderr}`);
    t.notMatch(res.stderr, /Cannot read properties|internal error/);
    const results = readResults(out);
    t.equal(results.plan.name, 'e2e-secret-postgres');
    t.same(
      results.services.map((s) => [s.name, s.image]),
      [['postgres', 'postgres:15']],
    );
    t.same(
      results.phases.map((p) => [p.name, p.image]),
      [['postgres', 'postgres:15']],
    );
    t.ok(
      results.steps.some((s) => s.id === 'run-phase:postgres'),
      'step ids intact',
    );
    t.same(Object.keys(results.tests), ['total', 'passed', 'failed', 'errored', 'skipped']);
    t.equal(results.tests.failed, 1);
    t.equal(results.acceptance[0]!.status, 'fail');
    const all = everyOutput(out, res, summary);
    t.match(all.stderr, 'connecting with password=***');
    t.match(all['run.log'], 'connecting with password=***');
    t.match(all['results.json'], 'password *** rejected');
    for (const [name, text] of Object.entries(all)) {
      t.notMatch(text, /password[= ]postgres/, `${name}: the password is masked in free text`);
    }
    t.match(all['report.md'], /Phase `postgres`/, 'the report still names the phase');
  },
);

t.test(
  'a secret printed URL-encoded, form-encoded, JSON-escaped, base64 and split by ANSI codes is in no output',
  async (t) => {
    const secret = 'S3cr3t p@ss/w"rd';
    const forms = [
      secret,
      encodeURIComponent(secret),
      new URLSearchParams({ v: secret }).toString().slice(2),
      JSON.stringify(secret).slice(1, -1),
      Buffer.from(secret).toString('base64').slice(0, 20),
    ];
    const dir = tempDir('secret-forms');
    const printf = (s: string): string => `printf '%s\\n' '${s.replace(/'/g, `'"'"'`)}'`;
    const lines = [
      printf(`url=postgres://u:${encodeURIComponent(secret)}@db/x`),
      printf(`form: pw=${new URLSearchParams({ v: secret }).toString().slice(2)}`),
      printf(`json: {"pw":"${JSON.stringify(secret).slice(1, -1)}"}`),
      printf(`basic auth: ${Buffer.from(`user:${secret}`).toString('base64')}`),
      `printf 'ansi: S3cr\\033[31m3t p@ss\\033[0m/w"rd\\n'`,
    ];
    const file = writePlan(
      {
        name: 'e2e-secret-forms',
        phases: {
          leaky: {
            image: 'alpine:3',
            env: { TOKEN: { secret } },
            run: 'true',
            local: { run: `${lines.join(' && ')} && ${junitScript('got ', 'TOKEN')} && exit 1` },
            results: { junit: '/out/junit.xml' },
          },
        },
      },
      dir,
    );
    const out = join(dir, 'out');
    const summary = join(dir, 'summary.md');
    const res = await runCli(['run', file, '--driver', 'local', '--verbose', '--out', out], {
      env: { GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summary },
    });
    t.equal(res.code, 1, res.stderr);
    const all = everyOutput(out, res, summary);
    t.match(all.stderr, 'url=postgres://u:***@db/x', 'the phase output reached the console, masked');
    t.match(all['run.log'], 'ansi: ***');
    for (const [name, text] of Object.entries(all)) {
      for (const form of forms) t.notOk(text.includes(form), `${name} does not contain ${JSON.stringify(form)}`);
      t.notOk(
        text.replace(/\u001b\[[0-9;]*m/g, '').includes(secret),
        `${name}: not even once the colour codes are removed`,
      );
    }
    t.equal(readResults(out).phases[0]!.name, 'leaky');
  },
);
