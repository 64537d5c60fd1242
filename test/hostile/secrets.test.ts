/**
 * Hostile input for secrets and reporters: each case runs the built CLI (`--driver local`, no engine)
 * and asserts the exit code and the words of its outputs. A secret must never appear in stdout, stderr,
 * run.log, results.json, report.md, junit.xml or the step summary, in any form; and a secret equal to
 * a name of the plan must not change the run's structure or crash it.
 */
import t, { type Test } from 'tap';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, tempDir, writePlan, type CliResult } from '../cli/e2e-helpers.js';
import type { RunResults } from '../../src/report/results.js';

interface Run extends CliResult {
  readonly out: string;
  readonly files: Record<string, string>;
  readonly results: RunResults | undefined;
  /** Every output together: stdout, stderr and each file written. */
  readonly all: Record<string, string>;
}

/** A one-phase plan (and optional extras) run with --driver local under GitHub Actions. */
async function runPlan(
  name: string,
  plan: Record<string, unknown>,
  args: string[] = [],
  env: NodeJS.ProcessEnv = {},
): Promise<Run> {
  const dir = tempDir(`hostile-secrets-${name}`);
  const file = writePlan({ name, ...plan }, dir);
  const out = join(dir, 'out');
  const summary = join(dir, 'summary.md');
  const res = await runCli(['run', file, '--driver', 'local', '--verbose', '--out', out, ...args], {
    env: { GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summary, ...env },
  });
  const files: Record<string, string> = {};
  for (const f of ['run.log', 'results.json', 'report.md', 'junit.xml'])
    if (existsSync(join(out, f))) files[f] = readFileSync(join(out, f), 'utf8');
  if (existsSync(summary)) files['step summary'] = readFileSync(summary, 'utf8');
  const results = files['results.json'] ? (JSON.parse(files['results.json']) as RunResults) : undefined;
  return { ...res, out, files, results, all: { stdout: res.stdout, stderr: res.stderr, ...files } };
}

const sh = (s: string): string => `'${s.replace(/'/g, `'"'"'`)}'`;
/** A phase printing each of `lines` and writing a JUnit file (one passing test unless told otherwise). */
function phase(
  lines: string[],
  options: { junit?: string; exit?: number; env?: Record<string, unknown> } = {},
): Record<string, unknown> {
  const junit =
    options.junit ??
    '<testsuites><testsuite name="s"><testcase classname="s" name="test_ok"/></testsuite></testsuites>';
  const script = [
    ...lines.map((l) => `printf '%s\\n' ${sh(l)}`),
    `mkdir -p "$TESTPLAN_OUT"`,
    `printf '%s' ${sh(junit)} > "$TESTPLAN_OUT/junit.xml"`,
    `exit ${options.exit ?? 0}`,
  ];
  return {
    image: 'alpine:3',
    run: 'true',
    env: options.env ?? {},
    local: { run: script.join(' && ') },
    results: { junit: '/out/junit.xml' },
  };
}

function assertAbsent(t: Test, run: Run, needles: readonly string[]): void {
  t.ok(Object.keys(run.files).length >= 5, `every output was written (${Object.keys(run.files).join(', ')})`);
  for (const [where, text] of Object.entries(run.all))
    for (const needle of needles) t.notOk(text.includes(needle), `${where} holds no ${JSON.stringify(needle)}`);
}

t.test('1. a secret equal to a phase name (`unit`) masks the log line; the phase keeps its name', async (t) => {
  const r = await runPlan('hostile-s1', { phases: { unit: phase(['pw=unit'], { env: { T: { secret: 'unit' } } }) } });
  t.equal(r.code, 0, r.stderr);
  t.equal(r.results?.phases[0]?.name, 'unit');
  t.match(r.stderr, '[unit] pw=***');
  t.match(r.files['report.md'], '| unit |');
  t.match(r.stdout, '✔ PASSED');
  t.notMatch(r.stderr, /Cannot read properties|internal error/);
});

t.test('2. a secret `tests` (a key of results.json) leaves every key intact and the run does not crash', async (t) => {
  const r = await runPlan('hostile-s2', {
    phases: { unit: phase(['token=tests'], { env: { T: { secret: 'tests' } } }) },
  });
  t.equal(r.code, 0, r.stderr);
  t.same(Object.keys(r.results!.tests), ['total', 'passed', 'failed', 'errored', 'skipped']);
  t.ok('tests' in r.results!.phases[0]!, 'phases[].tests is still called tests');
  t.match(r.stderr, 'token=***');
  t.match(r.stdout, 'tests: 1 passed, 0 failed, 0 skipped');
});

t.test('3. a secret equal to the plan name keeps the plan name in results, report and labels', async (t) => {
  const r = await runPlan('hostile-s3', {
    phases: { unit: phase(['hello hostile-s3'], { env: { T: { secret: 'hostile-s3' } } }) },
  });
  t.equal(r.code, 0, r.stderr);
  t.equal(r.results?.plan.name, 'hostile-s3');
  t.match(r.files['report.md'], '# Test report: hostile-s3');
  t.match(r.stderr, '[unit] hello ***');
});

t.test('4. a secret equal to the image reference keeps phases[].image', async (t) => {
  const r = await runPlan('hostile-s4', {
    phases: { unit: phase(['image alpine:3 here'], { env: { T: { secret: 'alpine:3' } } }) },
  });
  t.equal(r.code, 0, r.stderr);
  t.equal(r.results?.phases[0]?.image, 'alpine:3');
  t.match(r.stderr, '[unit] image *** here');
});

t.test('5. a secret printed URL-encoded is masked in the console and run.log', async (t) => {
  const secret = 'p@ss/w:rd 1';
  const r = await runPlan('hostile-s5', {
    phases: { unit: phase([`url=postgres://u:${encodeURIComponent(secret)}@db/x`], { env: { T: { secret } } }) },
  });
  t.equal(r.code, 0, r.stderr);
  t.match(r.stderr, 'url=postgres://u:***@db/x');
  t.match(r.files['run.log'], 'url=postgres://u:***@db/x');
  assertAbsent(t, r, [secret, encodeURIComponent(secret)]);
});

t.test('6. a secret printed form-encoded (spaces as +) is masked', async (t) => {
  const secret = 'two words&more';
  const form = new URLSearchParams({ v: secret }).toString().slice(2);
  const r = await runPlan('hostile-s6', { phases: { unit: phase([`body: pw=${form}`], { env: { T: { secret } } }) } });
  t.equal(r.code, 0, r.stderr);
  t.match(r.stderr, 'body: pw=***');
  assertAbsent(t, r, [secret, form]);
});

t.test('7. a secret printed JSON-escaped is masked', async (t) => {
  const secret = 'q"uo\\te';
  const escaped = JSON.stringify(secret).slice(1, -1);
  const r = await runPlan('hostile-s7', {
    phases: { unit: phase([`{"password":"${escaped}"}`], { env: { T: { secret } } }) },
  });
  t.equal(r.code, 0, r.stderr);
  t.match(r.stderr, '{"password":"***"}');
  assertAbsent(t, r, [secret, escaped]);
});

t.test('8. a secret inside a base64 basic-auth header is masked', async (t) => {
  const secret = 'basic-auth-S3cret';
  const header = Buffer.from(`admin:${secret}`).toString('base64');
  const r = await runPlan('hostile-s8', {
    phases: { unit: phase([`Authorization: Basic ${header}`], { env: { T: { secret } } }) },
  });
  t.equal(r.code, 0, r.stderr);
  t.match(r.stderr, 'Authorization: Basic ');
  assertAbsent(t, r, [secret, header]);
});

t.test('9. a secret split by ANSI colour codes is masked', async (t) => {
  const secret = 'colourful-S3cret';
  const r = await runPlan('hostile-s9', {
    phases: { unit: phase([`pw: colour\u001b[31mful-S3\u001b[0mcret`], { env: { T: { secret } } }) },
  });
  t.equal(r.code, 0, r.stderr);
  t.match(r.stderr, '[unit] pw: ***');
  for (const [where, text] of Object.entries(r.all))
    t.notOk(text.replace(/\u001b\[[0-9;]*m/g, '').includes(secret), `${where}: not even without the colour codes`);
});

t.test(
  '10. a secret in a failure message and its details is masked in results.json, report.md and junit.xml',
  async (t) => {
    const secret = 'failure-S3cret-99';
    const junit = `<testsuites><testsuite name="s"><testcase classname="s" name="test_login"><failure message="login with ${secret} failed">expected ${secret}</failure></testcase></testsuite></testsuites>`;
    const r = await runPlan('hostile-s10', { phases: { unit: phase([], { junit, env: { T: { secret } } }) } });
    t.equal(r.code, 1, r.stderr);
    t.match(r.files['report.md'], 'login with *** failed');
    t.match(r.files['junit.xml'], 'login with *** failed');
    t.match(r.stdout, '✖ FAILED');
    assertAbsent(t, r, [secret]);
  },
);

t.test('11. a secret in a test name (a parametrized test) is masked in annotations and junit.xml', async (t) => {
  const secret = 'param-S3cret';
  const junit = `<testsuites><testsuite name="s"><testcase classname="s" name="test_login[${secret}]" file="t.py"><failure message="no">x</failure></testcase></testsuite></testsuites>`;
  const r = await runPlan('hostile-s11', { phases: { unit: phase([], { junit, env: { T: { secret } } }) } });
  t.equal(r.code, 1, r.stderr);
  t.match(r.stdout, '::error file=t.py,title=Test failed in unit%3A s > test_login[***]');
  t.match(r.files['junit.xml'], 'name="test_login[***]"');
  assertAbsent(t, r, [secret]);
});

t.test('12. the GitHub step summary holds no secret', async (t) => {
  const secret = 'summary-S3cret';
  const r = await runPlan('hostile-s12', {
    phases: { unit: phase([`pw ${secret}`], { exit: 1, env: { T: { secret } } }) },
  });
  t.equal(r.code, 1, r.stderr);
  t.match(r.files['step summary'], 'pw ***');
  assertAbsent(t, r, [secret]);
});

t.test('13. a secretFromEnv value is masked like a literal one', async (t) => {
  const secret = 'from-env-S3cret';
  const r = await runPlan(
    'hostile-s13',
    { phases: { unit: phase(['pw=$T'.replace('$T', secret)], { env: { T: { secretFromEnv: 'HOSTILE_TOKEN' } } }) } },
    [],
    { HOSTILE_TOKEN: secret },
  );
  t.equal(r.code, 0, r.stderr);
  t.match(r.stderr, 'pw=***');
  assertAbsent(t, r, [secret]);
});

t.test('14. regular-expression characters in a secret are taken literally', async (t) => {
  const secret = 'a.b*c(d)[e]$^';
  const r = await runPlan('hostile-s14', {
    phases: { unit: phase([`x ${secret} y`, 'axb not masked'], { env: { T: { secret } } }) },
  });
  t.equal(r.code, 0, r.stderr);
  t.match(r.stderr, 'x *** y');
  t.match(r.stderr, 'axb not masked');
  assertAbsent(t, r, [secret]);
});

t.test('15. each line of a multi-line secret (a key file) is masked', async (t) => {
  const secret = '-----BEGIN KEY-----\nMIIBsecretline1\nMIIBsecretline2\n-----END KEY-----';
  const r = await runPlan('hostile-s15', {
    phases: { unit: phase(['key:', 'MIIBsecretline1', 'MIIBsecretline2'], { env: { T: { secret } } }) },
  });
  t.equal(r.code, 0, r.stderr);
  t.match(r.stderr, '[unit] ***');
  assertAbsent(t, r, ['MIIBsecretline1', 'MIIBsecretline2']);
});

t.test('16. an empty secret masks nothing and breaks nothing', async (t) => {
  const r = await runPlan('hostile-s16', { phases: { unit: phase(['plain output'], { env: { T: { secret: '' } } }) } });
  t.ok(r.code === 0 || r.code === 2, `exit 0 or a validation error, never a crash (${r.code})`);
  t.notMatch(r.stderr, /internal error|Cannot read/);
  if (r.code === 0) t.match(r.stderr, '[unit] plain output');
  else t.match(r.stderr, 'secret');
});

t.test('17. a secret containing another is masked whole, not leaving a tail', async (t) => {
  const r = await runPlan('hostile-s17', {
    phases: {
      unit: phase(['long=abcdef-S3cret short=abcdef'], {
        env: { A: { secret: 'abcdef' }, B: { secret: 'abcdef-S3cret' } },
      }),
    },
  });
  t.equal(r.code, 0, r.stderr);
  t.match(r.stderr, 'long=*** short=***');
  assertAbsent(t, r, ['-S3cret']);
});

t.test('18. a non-ASCII secret is masked raw and URL-encoded', async (t) => {
  const secret = 'pässwörd€';
  const r = await runPlan('hostile-s18', {
    phases: { unit: phase([`raw ${secret} url ${encodeURIComponent(secret)}`], { env: { T: { secret } } }) },
  });
  t.equal(r.code, 0, r.stderr);
  t.match(r.stderr, 'raw *** url ***');
  assertAbsent(t, r, [secret, encodeURIComponent(secret)]);
});

t.test('19. --reporter json: only JSON lines on stdout, secrets masked in them, then run-finished', async (t) => {
  const secret = 'json-S3cret';
  const r = await runPlan(
    'hostile-s19',
    { phases: { unit: phase([`pw ${secret}`], { env: { T: { secret } } }) } },
    ['--reporter', 'json'],
    { GITHUB_ACTIONS: '' },
  );
  t.equal(r.code, 0, r.stderr);
  const lines = r.stdout.trimEnd().split('\n');
  const parsed = lines.map((l) => JSON.parse(l) as { kind: string; line?: string; verdict?: string });
  t.ok(
    parsed.some((e) => e.kind === 'log' && e.line === 'pw ***'),
    'the log event is masked',
  );
  t.match(parsed.at(-1), { kind: 'run-finished', verdict: 'passed', exitCode: 0 });
  t.equal(r.stderr, '', 'nothing for people on stderr');
  t.notOk(r.stdout.includes(secret));
});

t.test('20. --reporter with an unknown name: exit 2, names the choices, nothing started', async (t) => {
  const r = await runPlan('hostile-s20', { phases: { unit: phase(['never printed']) } }, ['--reporter', 'fancy']);
  t.equal(r.code, 2);
  t.match(r.stderr, '--reporter fancy: expected one of live, plain, github, json.');
  t.notMatch(r.stderr, /never printed|\n\s+at /);
  t.same(Object.keys(r.files), [], 'no output file');
});

t.test('21. --reporter json,plain: JSON events on stdout, plain lines on stderr, secret in neither', async (t) => {
  const secret = 'both-S3cret';
  const r = await runPlan(
    'hostile-s21',
    { phases: { unit: phase([`pw ${secret}`], { env: { T: { secret } } }) } },
    ['--reporter', 'json,plain'],
    { GITHUB_ACTIONS: '' },
  );
  t.equal(r.code, 0, r.stderr);
  t.match(r.stderr, '[unit] pw ***');
  t.match(r.stdout, '"kind":"run-finished"');
  t.match(r.stdout, '✔ PASSED');
  assertAbsent(t, { ...r, files: { ...r.files, x: '' } }, [secret]);
});

t.test("22. a secret in a service's output (--verbose) is masked, and the service keeps its name", async (t) => {
  const secret = 'service-S3cret';
  const r = await runPlan('hostile-s22', {
    services: {
      cache: { image: 'redis:7', env: { PW: { secret } }, local: { command: `echo "cache pw $PW"; exec sleep 30` } },
    },
    phases: { unit: { ...phase(['hi']), services: ['cache'] } },
  });
  t.equal(r.code, 0, r.stderr);
  t.match(r.stderr, 'cache pw ***');
  t.equal(r.results?.services[0]?.name, 'cache');
  assertAbsent(t, r, [secret]);
});

t.test(
  "23. a secret in a probe's output of a service that never becomes ready: exit 3, masked in the message",
  async (t) => {
    const secret = 'probe-S3cret';
    const r = await runPlan('hostile-s23', {
      services: {
        db: {
          image: 'postgres:15',
          env: { PW: { secret } },
          local: { command: 'exec sleep 30' },
          ready: { exec: `echo "auth failed for ${secret}"; exit 1`, timeout: '1s' },
        },
      },
      phases: { unit: { ...phase(['hi']), services: ['db'] } },
    });
    t.equal(r.code, 3, r.stderr);
    t.match(r.files['report.md'], 'auth failed for ***');
    t.match(r.stdout, '✖ ERROR');
    assertAbsent(t, r, [secret]);
  },
);

t.test('24. plan run --help prints the options and starts nothing', async (t) => {
  const r = await runCli(['run', '--help']);
  t.equal(r.code, 0);
  t.match(r.stdout, 'Usage: plan run [file] [options]');
  t.match(r.stdout, '--reporter NAME');
  t.equal(r.stderr, '');
});
