import t from 'tap';
import path from 'node:path';
import { cli as runCli } from '../helpers/in-process-cli.js';
import { tempDir } from '../helpers/temp-dir.js';

const repo = path.resolve(import.meta.dirname, '../..');

const cli = (argv: string[], cwd = repo) => runCli(argv, cwd);

t.test('plan check validates the bundled plan and --types type-checks it', async (t) => {
  const r = await cli(['check', '--types']);
  t.equal(r.code, 0, r.stderr);
  t.match(
    r.stdout,
    /plans\/testplan\.plan\.ts: plan testplan is valid \(2 phase\(s\), 2 service\(s\), 7 criteria\), types check/,
  );
});

t.test('plan check on an invalid plan prints every problem and exits 2', async (t) => {
  const file = path.join(repo, 'fixtures/plans/invalid');
  const { readdirSync } = await import('node:fs');
  const yaml = readdirSync(file).find((f) => f.endsWith('.yaml'))!;
  const r = await cli(['check', path.join(file, yaml)]);
  t.equal(r.code, 2);
  t.match(r.stderr, /^✖ the plan is invalid \(\d+ problems?\); nothing was started:\n/);
  t.notMatch(r.stderr, /\n\s+at /, 'no stack trace');
});

t.test('plan graph prints text, mermaid and json; --phase narrows it', async (t) => {
  const text = await cli(['graph']);
  t.match(text.stdout, /^plan testplan: 2 phase\(s\), 2 service\(s\), 4 image\(s\) to build\n/);
  t.match((await cli(['graph', '--format', 'mermaid'])).stdout, /^flowchart TD\n/);
  const json = JSON.parse((await cli(['graph', '--format', 'json', '--phase', 'unit'])).stdout);
  t.same(json.phases, ['unit']);
  t.same(json.services, []);
});

t.test('usage errors exit 2 with what to do', async (t) => {
  t.match(await cli(['graph', '--format', 'svg']), {
    code: 2,
    stderr: /--format svg: expected one of text, mermaid, json\./,
  });
  t.match(await cli(['run', '--concurrency', '0']), {
    code: 2,
    stderr: /--concurrency 0: expected a whole number of at least 1\./,
  });
  t.match(await cli(['run', '--bogus']), { code: 2, stderr: /plan run: Unknown option '--bogus'/ });
  t.match(await cli(['frobnicate']), { code: 2, stderr: /unknown command 'frobnicate'/ });
  t.match(await cli(['run', '--phase', 'unti']), { code: 2, stderr: /Did you mean 'unit'\?/ });
  t.match(await cli(['report']), { code: 2, stderr: /expected one results\.json/ });
  t.match(await cli(['check'], path.join(repo, 'fixtures')), { code: 2, stderr: /no plan file found/ });
  t.match(await cli([]), { code: 2, stdout: /Usage: plan <command>/ });
  t.match(await cli(['help']), { code: 0, stdout: /Exit codes: 0 passed/ });
});

t.test('plan list names the plans and their phases', async (t) => {
  const r = await cli(['list']);
  t.match(
    r.stdout,
    /plans\/testplan\.plan\.ts {2}testplan\n {2}phases: {3}unit, smoke\n {2}services: redis, postgres\n/,
  );
});

t.test('plan report re-renders from results.json without running anything', async (t) => {
  const { readFileSync } = await import('node:fs');
  const out = tempDir('report');
  const r = await cli(['report', path.join(repo, 'fixtures/results/failing.json'), '--out', out]);
  t.equal(r.code, 0, r.stderr);
  t.equal(
    readFileSync(path.join(out, 'report.md'), 'utf8'),
    readFileSync(path.join(repo, 'fixtures/results/failing.md'), 'utf8'),
  );
  t.match(await cli(['report', path.join(out, 'nope.json')]), { code: 2 });
});
