import t from 'tap';
import { addedFile, parseUnifiedDiff, unquote } from '../../src/evidence/changed-lines/diff-parser.js';
import { lineRanges } from '../../src/evidence/changed-lines/changed-coverage.js';
import { gitRepo } from '../helpers/git-repo.js';

const DIFF = ['diff', '-U0', '-M', '--no-color', '--no-ext-diff', '--src-prefix=a/', '--dst-prefix=b/', '-c'] as const;
const diffOf = (repo: ReturnType<typeof gitRepo>, base: string): string =>
  repo.git('-c', 'core.quotePath=false', ...DIFF.slice(0, -1), base, '--');

const lines = (n: number, word = 'line'): string =>
  `${Array.from({ length: n }, (_, i) => `${word} ${i + 1}`).join('\n')}\n`;

t.test('real git diff: edits, additions, deletions, a rename with edits, an uncommitted change', async (t) => {
  const repo = gitRepo('diff');
  repo.write('a.js', lines(10));
  repo.write('gone.js', lines(5));
  repo.write('old-name.js', lines(30, 'stable'));
  const base = repo.commit('base');
  const edited = lines(10).replace('line 3\n', 'line three\n').replace('line 7\n', 'line 7\nnew 7a\n\nnew 7b\n');
  repo.write('a.js', edited);
  repo.remove('gone.js');
  repo.git('mv', 'old-name.js', 'new-name.js');
  repo.write('new-name.js', lines(30, 'stable').replace('stable 12\n', 'edited 12\n'));
  repo.write('added.js', 'one\n\ntwo\n');
  repo.commit('feature');
  repo.write('a.js', `${edited}tail\n`); // uncommitted
  const files = parseUnifiedDiff(diffOf(repo, base));
  t.same(
    files.map((f) => f.path),
    ['a.js', 'added.js', 'new-name.js'],
    'a deleted file gains nothing and is absent',
  );
  // a.js: line 3 edited, lines 8-10 added (9 blank, not counted), the uncommitted tail at 14.
  t.same(files[0]!.lines, [3, 8, 10, 14]);
  t.same(files[1]!.lines, [1, 3], 'a new file: its non-blank lines');
  t.same(files[2], { path: 'new-name.js', from: 'old-name.js', lines: [12] }, 'a rename counts only its edit');
});

t.test('real git diff: a removed line that reads like a header is not taken for one; no newline at end', async (t) => {
  const repo = gitRepo('diff-hdr');
  repo.write('x.txt', '-- a/evil\n++ b/evil\nkeep\nlast');
  const base = repo.commit('base');
  repo.write('x.txt', 'keep\nlast\nmore');
  const files = parseUnifiedDiff(diffOf(repo, base));
  t.same(files, [{ path: 'x.txt', lines: [2, 3] }]);
});

t.test('real git diff: paths git quotes (spaces, quotes, non-ASCII, a newline-free tab)', async (t) => {
  const repo = gitRepo('diff-quote');
  const names = ['with space.js', 'qu"ote.js', 'tést.js', 'tab\there.js'];
  for (const name of names) repo.write(name, 'a\n');
  const base = repo.commit('base');
  for (const name of names) repo.write(name, 'a\nb\n');
  const files = parseUnifiedDiff(diffOf(repo, base));
  t.same(files.map((f) => f.path).sort(), [...names].sort());
  t.equal(unquote('"b/t\\303\\251st.js"'), 'b/tést.js');
});

t.test('a whole new file and line ranges', async (t) => {
  t.same(addedFile('n.js', 'a\n\n  \nb\nc\n'), { path: 'n.js', lines: [1, 4, 5], untracked: true });
  t.same(lineRanges([1, 2, 3, 5, 7, 8]), ['1-3', '5', '7-8']);
  t.same(lineRanges([]), []);
});
