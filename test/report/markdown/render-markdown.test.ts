import t from 'tap';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { parse } from 'yaml';
import { renderMarkdown } from '../../../src/report/markdown/render-markdown.js';
import type { RunResults } from '../../../src/report/results.js';
import { FIXTURE_NAMES, fixturePath, loadFixture, mutableCopy } from '../fixtures.js';

// The goldens stay plain markdown files (fixtures/results/*.md, also the documented examples): tap's own
// snapshot files are JS modules where every backtick and `${` of a report is escaped, unreadable for
// a format made of code spans and fences. Updating them is tap's snapshot mode: `tap --snapshot`.
const update = t.writeSnapshot;

function frontMatterOf(markdown: string): Record<string, unknown> {
  const match = /^---\n([\s\S]*?)\n---\n/.exec(markdown);
  if (!match?.[1]) throw new Error('report.md has no front matter');
  return parse(match[1]) as Record<string, unknown>;
}

for (const name of FIXTURE_NAMES) {
  t.test(`report.md of the ${name} run matches its golden file`, async (t) => {
    const rendered = renderMarkdown(loadFixture(name));
    const golden = fixturePath(name, 'md');
    if (update) writeFileSync(golden, rendered);
    t.ok(
      existsSync(golden),
      `${golden} exists (create it with: npx tap --snapshot test/report/markdown/render-markdown.test.ts)`,
    );
    if (!existsSync(golden)) return;
    t.equal(
      rendered,
      readFileSync(golden, 'utf8'),
      'after an intended change rerun with `npx tap --snapshot`, and review the diff',
    );
  });
}

t.test('front matter states the verdict, criteria counts and gate groups', async (t) => {
  t.same(frontMatterOf(renderMarkdown(loadFixture('passing'))), {
    status: 'passed',
    acceptance_passed: 3,
    acceptance_total: 3,
    quality_gates: { coverage: 'pass', tests: 'pass', duration: 'pass' },
  });
  t.same(frontMatterOf(renderMarkdown(loadFixture('failing'))), {
    status: 'failed',
    acceptance_passed: 1,
    acceptance_total: 3,
    quality_gates: { coverage: 'fail', tests: 'fail', duration: 'pass' },
  });
  t.same(frontMatterOf(renderMarkdown(loadFixture('error'))), {
    status: 'error',
    acceptance_passed: 1,
    acceptance_total: 3,
    quality_gates: { coverage: 'not-run', tests: 'not-run', duration: 'not-run' },
  });
  t.same(frontMatterOf(renderMarkdown(loadFixture('unverified'))), {
    status: 'failed',
    acceptance_passed: 3,
    acceptance_total: 4,
    quality_gates: { coverage: 'pass', tests: 'pass', duration: 'pass' },
  });
  t.equal(frontMatterOf(renderMarkdown(loadFixture('interrupted'))).status, 'interrupted');
});

t.test('a passing run made worse by one failing criterion reports failed', async (t) => {
  const passing = loadFixture('passing');
  t.equal(frontMatterOf(renderMarkdown(passing)).status, 'passed');
  const worse = mutableCopy(passing);
  worse.acceptance[0]!.status = 'fail';
  const markdown = renderMarkdown(worse as RunResults);
  t.equal(frontMatterOf(markdown).status, 'failed', 'the recorded verdict `passed` does not override the evidence');
  t.equal(frontMatterOf(markdown).acceptance_passed, 2);
  t.match(markdown, /results\.json recorded `passed`, but 1 criterion not passing/);
  t.match(markdown, /\| FR-1 \| Upload stores the file and its metadata \| ❌ fail \|/);
});

t.test('a passing run with one gate in error reports failed and the group as error', async (t) => {
  const worse = mutableCopy(loadFixture('passing'));
  worse.gates[1]!.status = 'error';
  const fm = frontMatterOf(renderMarkdown(worse as RunResults));
  t.equal(fm.status, 'failed');
  t.same(fm.quality_gates, { coverage: 'error', tests: 'pass', duration: 'pass' });
});

// One ranking for gate groups and criteria (evidence/status.ts): a row that could not be judged is worse than one that failed.
t.test('a gate group is error when one row fails and another errors', async (t) => {
  const worse = mutableCopy(loadFixture('passing'));
  worse.gates[0]!.status = 'error';
  worse.gates[1]!.status = 'fail';
  t.same(frontMatterOf(renderMarkdown(worse as RunResults)).quality_gates, {
    coverage: 'error',
    tests: 'pass',
    duration: 'pass',
  });
});

t.test('error and interrupted runs say so at the top with the message', async (t) => {
  const error = renderMarkdown(loadFixture('error'));
  const firstSection = error.slice(0, error.indexOf('## Summary'));
  t.match(firstSection, /🟥 error — the run could not complete:\*\* service postgres did not become ready within 30s/);
  const interrupted = renderMarkdown(loadFixture('interrupted'));
  t.match(
    interrupted.slice(0, interrupted.indexOf('## Summary')),
    /⏹️ interrupted — the run was stopped before it finished:\*\* interrupted by SIGINT/,
  );
  t.notMatch(renderMarkdown(loadFixture('passing')), /^> /m, 'a passing run has no banner');
});

t.test('table cells escape pipes and newlines so a row stays one row', async (t) => {
  const r = mutableCopy(loadFixture('passing'));
  r.acceptance[0]!.requirement = 'Accepts a|b\nand c';
  r.gates[0]!.actual = '88%\n(merged)';
  const markdown = renderMarkdown(r as RunResults);
  t.match(markdown, /\| FR-1 \| Accepts a\\\|b and c \| ✅ pass \|/);
  t.match(markdown, /\| coverage\.lines \| ≥ 80% \| 88% \(merged\) \| ✅ pass \|/);
});

t.test('failures list failing tests with messages and ANSI-free log tails', async (t) => {
  const markdown = renderMarkdown(loadFixture('failing'));
  t.match(
    markdown,
    /> AssertionError: assert 'text\/csv' == 'application\/octet-stream'\n\n- ❌ fail `tests\.integration\.test_pipeline > test_upload_persists_metadata` \(`tests\/integration\/test_pipeline\.py`\)/,
  );
  t.match(markdown, /🟥 error `tests\.integration\.test_pipeline > test_worker_processes_job`/);
  t.match(markdown, /tests\/integration\/test_pipeline\.py F\.\.E\.\.\.\./);
  t.notMatch(markdown, /\u001b/, 'no escape character anywhere');
  t.match(markdown, /❌ failed \(after 2 attempts, exit 1\)/);
});

t.test('a log line holding a code fence cannot close the fenced block early', async (t) => {
  const r = mutableCopy(loadFixture('failing'));
  r.phases[1]!.logTail = ['before', '```', 'after'];
  const markdown = renderMarkdown(r as RunResults);
  t.match(markdown, /````text\nbefore\n```\nafter\n````/);
});

t.test('the timeline is a mermaid gantt of started steps, failed ones marked crit', async (t) => {
  const markdown = renderMarkdown(loadFixture('error'));
  t.match(markdown, /```mermaid\ngantt\n/);
  t.match(markdown, / {2}postgres :crit, 28820, 58820/);
  t.notMatch(markdown, / {2}integration :/, 'a step that never started has no bar');
});

t.test('a run over an hour draws its timeline on the wall clock', async (t) => {
  const r = mutableCopy(loadFixture('passing'));
  const step = r.steps.find((s) => s.id === 'run-phase:integration')!;
  step.finishedAt = new Date(Date.parse(r.startedAt) + 2 * 3_600_000).toISOString();
  const markdown = renderMarkdown(r as RunResults);
  t.match(markdown, /title Run timeline \(local time\)\n {2}dateFormat x\n {2}axisFormat %H:%M:%S/);
  t.match(
    markdown,
    new RegExp(`  integration :done, ${Date.parse(r.startedAt) + 41030}, ${Date.parse(r.startedAt) + 7_200_000}`),
  );
});
