import t from 'tap';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderAnnotations, renderLogGroups } from '../../src/report/github/annotations.js';
import { renderStepSummary } from '../../src/report/github/step-summary.js';
import { renderJunit } from '../../src/report/junit/render-junit.js';
import { renderMarkdown } from '../../src/report/markdown/render-markdown.js';
import { makeRedactor, redactResults } from '../../src/report/redact-results.js';
import type { RunResults } from '../../src/report/results.js';
import { serializeResults, writeReports } from '../../src/report/write-reports.js';
import { loadFixture, mutableCopy } from './fixtures.js';
import { tempDir } from '../helpers/temp-dir.js';

const SECRET = 'Pa55:w0rd@db/9';
const ENCODED = encodeURIComponent(SECRET); // as it appears inside a URL

/** The failing run with the secret planted everywhere a leak has been seen in practice. */
function leakyResults(): RunResults {
  const r = mutableCopy(loadFixture('failing'));
  const it = r.phases[1]!;
  it.logTail.push(`DATABASE_URL=postgresql://test_user:${SECRET}@postgres:5432/ingester_test`);
  it.logTail.push(`connecting with password \u001b[33m${SECRET.slice(0, 4)}\u001b[0m${SECRET.slice(4)}`); // split by a colour code
  it.logTail.push(`url=postgresql://test_user:${ENCODED}@postgres/ingester_test`);
  it.failures[0]!.message = `psycopg.OperationalError: password authentication failed for "${SECRET}"`;
  it.failures[0]!.details = `env: {'POSTGRES_PASSWORD': '${SECRET}'}`;
  it.tests[0]!.name = `test_login[${SECRET}]`;
  it.message = `pytest exited 1 (POSTGRES_PASSWORD=${SECRET})`;
  r.services[0]!.logTail.push(`FATAL: password authentication failed; POSTGRES_PASSWORD=${SECRET}`);
  r.services[0]!.message = `probe env PGPASSWORD=${SECRET}`;
  r.gates[2]!.message = `see ${SECRET}`;
  r.acceptance[0]!.evidence.push(`tests::test_login[${SECRET}] failed`);
  r.acceptance[1]!.reason = `1 of 1 matching tests was failing: test_login[${SECRET}]`;
  it.errorLines = [`Error: password authentication failed for ${SECRET}`];
  r.steps[1]!.message = `build arg DB_PASSWORD=${SECRET}`;
  r.message = `run message ${SECRET}`;
  return r as RunResults;
}

function allOutputs(results: RunResults): Record<string, string> {
  return {
    markdown: renderMarkdown(results),
    junit: renderJunit(results),
    stepSummary: renderStepSummary(results),
    annotations: renderAnnotations(results).join('\n'),
    logGroups: renderLogGroups(results, { token: 't' }).join('\n'),
    resultsJson: serializeResults(results),
  };
}

function leaks(text: string): boolean {
  return text.includes(SECRET) || text.includes(ENCODED) || text.includes(SECRET.slice(4));
}

t.test('without redaction the planted secret does show up (the check below can fail)', async (t) => {
  const outputs = allOutputs(leakyResults());
  for (const [name, text] of Object.entries(outputs)) t.ok(leaks(text), `${name} contains the secret before redaction`);
});

t.test('after redaction no rendered output holds the secret, plain, URL-encoded or split by ANSI', async (t) => {
  const outputs = allOutputs(redactResults(leakyResults(), [SECRET]));
  for (const [name, text] of Object.entries(outputs)) {
    t.notOk(leaks(text), `${name} holds no trace of the secret`);
  }
  t.match(outputs.markdown, /postgresql:\/\/test_user:\*\*\*@postgres:5432/);
});

t.test('writeReports with the secret values writes no file that holds them', async (t) => {
  const dir = tempDir('redact');
  const summary = join(dir, 'step-summary.md');
  await writeReports(
    leakyResults(),
    join(dir, 'out'),
    { GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summary },
    { secretValues: [SECRET] },
  );
  const files = [...readdirSync(join(dir, 'out')).map((f) => join(dir, 'out', f)), summary];
  t.equal(files.length, 4);
  for (const file of files) t.notOk(leaks(readFileSync(file, 'utf8')), `${file} holds no trace of the secret`);
});

t.test('redaction masks every secret, the longest first, and leaves other text alone', async (t) => {
  const redact = makeRedactor(['abc', 'abcdef', '']);
  t.equal(redact('x abcdef y abc z'), 'x *** y *** z');
  t.equal(redact('nothing to hide'), 'nothing to hide');
  const r = redactResults(loadFixture('passing'), []);
  t.same(r, loadFixture('passing'), 'no secrets: results unchanged');
});

t.test(
  'redaction never touches keys, names, images or step ids: a secret equal to one of them only masks free text',
  async (t) => {
    for (const secret of ['test', 'postgres', 'unit', 'passed', 'tests']) {
      const leaky = mutableCopy(loadFixture('failing'));
      leaky.phases[0]!.logTail.push(`password=${secret}`);
      const r = redactResults(leaky as RunResults, [secret]);
      t.same(Object.keys(r), Object.keys(leaky), `${secret}: keys intact`);
      t.same(
        r.phases.map((p) => [p.name, p.image]),
        leaky.phases.map((p) => [p.name, p.image]),
        `${secret}: phase names and images intact`,
      );
      t.same(
        r.services.map((s) => [s.name, s.image]),
        leaky.services.map((s) => [s.name, s.image]),
        `${secret}: service names and images intact`,
      );
      t.same(
        r.steps.map((s) => s.id),
        leaky.steps.map((s) => s.id),
        `${secret}: step ids intact`,
      );
      t.equal(r.plan.name, leaky.plan.name);
      t.equal(r.phases[0]!.logTail.at(-1), 'password=***', `${secret}: masked in the log line`);
      for (const render of [renderMarkdown, renderJunit, renderStepSummary])
        t.doesNotThrow(() => render(r), `${secret}: ${render.name} renders`);
    }
  },
);

t.test(
  'every masked form: raw, URL-encoded, form-encoded, JSON-escaped, base64 at any alignment, split by ANSI',
  async (t) => {
    const secret = 'p@ss word/"q"';
    const redact = makeRedactor([secret]);
    const forms = {
      raw: secret,
      url: encodeURIComponent(secret),
      form: new URLSearchParams({ v: secret }).toString().slice(2),
      json: JSON.stringify(secret).slice(1, -1),
      ansi: `p@ss\u001b[31m wo\u001b[0mrd/"q"`,
    };
    for (const [name, form] of Object.entries(forms)) t.equal(redact(`a ${form} b`), 'a *** b', name);
    for (const prefix of ['', 'x', 'xy', 'user:']) {
      const encoded = Buffer.from(`${prefix}${secret} and more`).toString('base64');
      t.notOk(
        redact(encoded).includes(Buffer.from(secret).toString('base64').slice(4, 12)),
        `base64 after ${prefix.length} bytes`,
      );
      t.match(redact(encoded), /\*\*\*/, `base64 after ${prefix.length} bytes is masked`);
    }
    t.equal(
      redact('\u001b[32mgreen\u001b[0m text'),
      '\u001b[32mgreen\u001b[0m text',
      'colours without a secret are kept',
    );
  },
);

t.test(
  'masking is idempotent: masked text masked again stays the same, even for a secret made of asterisks',
  async (t) => {
    for (const secret of ['*', '**', 'a*b', 'hunter2']) {
      const redact = makeRedactor([secret]);
      const once = redact(`x ${secret} y`);
      t.equal(redact(once), once, JSON.stringify(secret));
    }
  },
);

t.test('warnings are free text: masked', async (t) => {
  const r = { ...loadFixture('passing'), warnings: [`phase unit: pathMap ${SECRET} matched nothing`] } as RunResults;
  t.same(redactResults(r, [SECRET]).warnings, ['phase unit: pathMap *** matched nothing']);
});

t.test('deny by default: a text field the redactor has never heard of is masked; identifiers are not', async (t) => {
  const r = mutableCopy(loadFixture('failing')) as unknown as Record<string, unknown> & {
    acceptance: Record<string, unknown>[];
    phases: { name: string }[];
  };
  r.acceptance[0]!.someFutureReason = `1 of 1 matching tests was failing: token check got ${SECRET}`;
  r.acceptance[0]!.reason = `quoted ${SECRET}`;
  const masked = redactResults(r as unknown as RunResults, [SECRET, r.phases[0]!.name]);
  const text = JSON.stringify(masked);
  t.notOk(text.includes(SECRET), 'no field holds the secret');
  t.equal(masked.phases[0]!.name, r.phases[0]!.name, 'a secret equal to a phase name leaves the name alone');
  t.same(Object.keys(masked), Object.keys(r), 'keys are never touched');
});
