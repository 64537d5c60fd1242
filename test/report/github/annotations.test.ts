import t from 'tap';
import { MAX_TEST_ANNOTATIONS, renderAnnotations, renderLogGroups } from '../../../src/report/github/annotations.js';
import { annotation, escapeData, escapeProperty, groupLines } from '../../../src/report/github/workflow-commands.js';
import type { RunResults } from '../../../src/report/results.js';
import { loadFixture, mutableCopy } from '../fixtures.js';

t.test('a passing run has no annotations', async (t) => {
  t.same(renderAnnotations(loadFixture('passing')), []);
});

t.test('a failing run annotates failing tests with their file, the phase, gates and criteria', async (t) => {
  const lines = renderAnnotations(loadFixture('failing'));
  t.ok(
    lines.every((l) => l.startsWith('::error ')),
    'every line is an ::error command',
  );
  t.ok(
    lines.every((l) => !l.includes('\n')),
    'each annotation is one line',
  );
  const failedTest = lines.find((l) => l.includes('test_upload_persists_metadata'));
  t.equal(
    failedTest?.split('%0A')[0],
    '::error file=tests/integration/test_pipeline.py,title=Test failed in integration%3A tests.integration.test_pipeline > test_upload_persists_metadata::' +
      "AssertionError: assert 'text/csv' == 'application/octet-stream'",
  );
  t.match(
    failedTest,
    /%0Adef test_upload_persists_metadata\(client, db\):%0A/,
    'the first detail lines follow the message',
  );
  t.match(
    lines.join('\n'),
    /::error title=Phase integration failed after 2 attempts::pytest exited with code 1 on both attempts/,
  );
  t.match(
    lines.join('\n'),
    /::error title=Gate coverage\.branches failed::68\.2%25 \(threshold ≥ 70%25\) — 1\.8 points below the threshold/,
  );
  t.match(lines.join('\n'), /::error title=Criterion FR-1 fail::Upload stores the file and its metadata%0A/);
  t.match(lines.join('\n'), /::error file=tests\/integration\/test_pipeline\.py,title=Test errored in integration%3A/);
});

t.test('an unverified criterion and an error run are annotated', async (t) => {
  t.match(
    renderAnnotations(loadFixture('unverified')).join('\n'),
    /::error title=Criterion FR-3 unverified::Files larger than 50 MB are rejected with 413%0Ano matching evidence/,
  );
  const error = renderAnnotations(loadFixture('error')).join('\n');
  t.match(error, /::error title=Run error::service postgres did not become ready within 30s/);
  t.match(error, /::error title=Service postgres not ready::/);
});

t.test('failing tests beyond the cap are summed up in one annotation', async (t) => {
  const r = mutableCopy(loadFixture('failing'));
  const template = r.phases[1]!.failures[0]!;
  r.phases[1]!.failures = Array.from({ length: 50 }, (_, i) => ({ ...template, name: `t${i}` }));
  const tests = renderAnnotations(r as RunResults).filter(
    (l) => l.includes('title=Test failed') || l.includes('failing tests'),
  );
  t.equal(tests.length, MAX_TEST_ANNOTATIONS + 1);
  t.match(tests[tests.length - 1], /::error title=50 failing tests::30 more failing tests: see the report/);
});

t.test('workflow command escaping follows the runner: %, CR, LF in data; also : and , in properties', async (t) => {
  t.equal(escapeData('100%\r\nnext'), '100%25%0Anext');
  t.equal(escapeData('10%\r20%'), '20%25', 'a bare CR rewrites the line like a terminal would');
  t.equal(escapeProperty('a:b,c%'), 'a%3Ab%2Cc%25');
  t.equal(
    annotation('error', 'x\ny', { file: 'a,b.py', title: 'T: 1', line: undefined }),
    '::error file=a%2Cb.py,title=T%3A 1::x%0Ay',
  );
  t.equal(annotation('warning', 'plain'), '::warning::plain');
});

t.test('groups wrap lines; lines that look like commands are neutralised with stop-commands', async (t) => {
  t.same(groupLines('phase unit', ['a', 'b']), ['::group::phase unit', 'a', 'b', '::endgroup::']);
  t.same(groupLines('phase unit', ['tests/a.py::test_x PASSED']), [
    '::group::phase unit',
    'tests/a.py::test_x PASSED',
    '::endgroup::',
  ]);
  t.same(groupLines('evil', ['ok', '  ::add-mask::x', '\u001b[31m::error::fake\u001b[0m'], { token: 'tok123' }), [
    '::group::evil',
    '::stop-commands::tok123',
    'ok',
    '  ::add-mask::x',
    '::error::fake',
    '::tok123::',
    '::endgroup::',
  ]);
  const random = groupLines('g', ['::warning::x']);
  t.match(random[1], /^::stop-commands::[0-9a-f]{32}$/);
  t.equal(random[3], `::${random[1]!.slice('::stop-commands::'.length)}::`);
});

t.test('log groups cover every service and phase with a log tail', async (t) => {
  const lines = renderLogGroups(loadFixture('failing'), { token: 't' });
  const titles = lines.filter((l) => l.startsWith('::group::'));
  t.same(titles, [
    '::group::service postgres (ready, ready in 1.6s)',
    '::group::service redis (ready, ready in 440ms)',
    '::group::phase unit (passed, 12.5s)',
    '::group::phase integration (failed, 1m 6s)',
  ]);
  t.equal(lines.filter((l) => l === '::endgroup::').length, 4);
});
