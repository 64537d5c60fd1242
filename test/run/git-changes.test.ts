/** The changed-lines gate on real git repositories made here, with lcov written by real c8. */
import t from 'tap';
import { changedLinesGate } from '../../src/evidence/gates-changed.js';
import { parseCoverage } from '../../src/evidence/parsers.js';
import type { ChangedLinesGateInput } from '../../src/dsl/types.js';
import { readChanges } from '../../src/run/git-changes.js';
import { phase } from '../evidence/builders.js';
import { gitRepo, type GitRepo } from '../helpers/git-repo.js';

const MATH = `export function add(a, b) {
  return a + b;
}
`;
const UTIL = `${Array.from({ length: 20 }, (_, i) => `export const k${i} = () => ${i};`).join('\n')}\n`;

/** main: a small module, a util file, a test file and a README; the feature branch changes them all. */
function feature(): GitRepo {
  const repo = gitRepo('changed');
  repo.write('.gitignore', '.cov/\n');
  repo.write('src/math.mjs', MATH);
  repo.write('src/util.mjs', UTIL);
  repo.write('test/math.test.mjs', 'import "../src/math.mjs";\n');
  repo.write('README.md', '# demo\n');
  repo.write('run.mjs', 'import { add } from "./src/math.mjs";\nadd(1, 2);\n');
  repo.commit('base');
  repo.git('checkout', '-q', '-b', 'feature');
  // mul is called by run.mjs, div is not.
  repo.write(
    'src/math.mjs',
    `${MATH}export function mul(a, b) {\n  return a * b;\n}\nexport function div(a, b) {\n  return a / b;\n}\n`,
  );
  repo.git('mv', 'src/util.mjs', 'src/helpers.mjs');
  repo.write('src/helpers.mjs', UTIL.replace('k3 = () => 3', 'k3 = () => 33'));
  repo.write('README.md', '# demo\n\nmore words\n');
  repo.write('test/math.test.mjs', 'import "../src/math.mjs";\n// more test\n');
  repo.write(
    'run.mjs',
    'import { add, mul } from "./src/math.mjs";\nimport { k3 } from "./src/helpers.mjs";\nadd(1, 2);\nmul(2, 3);\nk3();\n',
  );
  repo.commit('feature');
  // Uncommitted: one more line in math, and a new module nobody loads (untracked).
  repo.write('src/math.mjs', `${repo.git('show', 'HEAD:src/math.mjs')}export const unused = () => 0;\n`);
  repo.write('src/orphan.mjs', 'export function orphan() {\n  return 1;\n}\n');
  return repo;
}

const spec = (over: Partial<ChangedLinesGateInput> = {}): ChangedLinesGateInput => ({
  lines: 90,
  base: 'main',
  ...over,
});

async function gate(repo: GitRepo, over: Partial<ChangedLinesGateInput> = {}, lcov = repo.c8('run.mjs')) {
  const coverage = parseCoverage(lcov, 'lcov');
  return changedLinesGate({
    spec: spec(over),
    phases: [phase('unit', { coverage })],
    changes: await readChanges(repo.dir, over.base ?? 'main'),
    planDir: repo.dir,
  });
}

t.test('committed, uncommitted and untracked changes measured against real c8 coverage', async (t) => {
  const repo = feature();
  const { row, report } = await gate(repo);
  t.ok(report, row.message ?? '');
  const byPath = Object.fromEntries(report!.files.map((f) => [f.path, f]));
  t.same(Object.keys(byPath).sort(), ['run.mjs', 'src/helpers.mjs', 'src/math.mjs', 'src/orphan.mjs']);
  t.same([...report!.notCounted].sort(), ['README.md', 'test/math.test.mjs'], 'docs and tests are not counted');
  t.match(
    byPath['src/helpers.mjs'],
    { from: 'src/util.mjs', changed: 1, executable: 1, covered: 1 },
    'a rename counts its edit only',
  );
  t.match(byPath['src/orphan.mjs'], { noRecord: true, untracked: true, executable: 3, covered: 0, uncovered: ['1-3'] });
  const math = byPath['src/math.mjs']!;
  t.equal(math.changed, 7, 'six committed lines and one uncommitted');
  t.ok(
    math.uncovered.includes('8-9'),
    `div's body is uncovered (V8 counts its declaration line as run): ${math.uncovered.join(', ')}`,
  );
  t.equal(row.status, 'fail');
  t.match(
    row.message,
    /changed lines covered in 4 files since main \(merge-base [0-9a-f]{12}\); no coverage record, counted uncovered: src\/orphan\.mjs/,
  );
  t.equal(
    row.actual,
    `${Math.floor((report!.covered * 1000) / report!.executable) / 10}%`.replace(/^(\d+)%$/, '$1.0%'),
  );

  // The same change with every new line run passes; take one call away and it fails again.
  repo.write(
    'run.mjs',
    'import { add, mul, div, unused } from "./src/math.mjs";\nimport { k3 } from "./src/helpers.mjs";\nimport { orphan } from "./src/orphan.mjs";\nadd(1, 2);\nmul(2, 3);\ndiv(1, 1);\nunused();\nk3();\norphan();\n',
  );
  const better = await gate(repo);
  t.equal(better.row.status, 'pass', better.row.message ?? '');
  t.equal(better.row.actual, '100.0%');
  t.equal(better.report!.files.find((f) => f.path === 'src/orphan.mjs')!.noRecord, undefined);
  const worse = await gate(
    repo,
    {},
    repo.c8('run.mjs').replace(/^DA:(\d+),\d+$/gm, (line, n) => (n === '2' ? 'DA:2,0' : line)),
  );
  t.not(worse.row.status, 'pass', 'an uncovered changed line made worse goes red');
});

t.test('a changed file with no coverage record at all counts as uncovered, not vanishing', async (t) => {
  const repo = feature();
  // Coverage of run.mjs alone: every src file is record-less.
  const lcov = `${repo
    .c8('run.mjs')
    .split('end_of_record\n')
    .filter((r) => r.includes('SF:run.mjs'))
    .join('end_of_record\n')}end_of_record\n`;
  const { row, report } = await gate(repo, {}, lcov);
  t.equal(row.status, 'fail');
  t.same(
    report!.files
      .filter((f) => f.noRecord)
      .map((f) => f.path)
      .sort(),
    ['src/helpers.mjs', 'src/math.mjs', 'src/orphan.mjs'],
  );
  // include/exclude decide for themselves.
  const excluded = await gate(repo, { exclude: ['src/**'] }, lcov);
  t.same(
    excluded.report!.files.map((f) => f.path),
    ['run.mjs'],
  );
  const included = await gate(repo, { include: ['test/**'] }, lcov);
  t.same(
    included.report!.files.map((f) => f.path),
    ['test/math.test.mjs'],
  );
  t.match(included.report!.files[0], { noRecord: true, executable: 1 });
});

t.test('coverage paths that map into no repository file are an error, not a silent pass', async (t) => {
  const repo = feature();
  const lcov = repo.c8('run.mjs').replace(/^SF:/gm, 'SF:/app/');
  const { row } = await gate(repo, {}, lcov);
  t.equal(row.status, 'error');
  t.match(row.message, /none of the \d+ files in the coverage is inside the repository .*coverage\.pathMap/);
  t.match(parseCoverage(lcov, 'lcov', undefined, { '/app/': '' }), { ok: true });
  const mapped = await gate(repo, {}, '');
  t.ok(mapped.row); // empty lcov is unreadable evidence
});

t.test('nothing changed, only docs changed: pass with n/a; base unknown or no repository: error', async (t) => {
  const repo = feature();
  repo.git('add', '-A');
  repo.git('commit', '-q', '-m', 'all in');
  const same = await gate(repo, { base: 'HEAD' });
  t.match(same.row, { status: 'pass', actual: 'n/a', message: /no line changed since HEAD/ });
  repo.write('README.md', 'docs only\n');
  const docs = await gate(repo, { base: 'HEAD' });
  t.match(docs.row, { status: 'pass', actual: 'n/a', message: /no executable line changed \(0 measured and 1 other/ });
  const unknown = await gate(repo, { base: 'origin/nope' });
  t.match(unknown.row, {
    status: 'error',
    actual: 'n/a',
    message: /base 'origin\/nope' is not a commit in .*git fetch/,
  });
  const injected = await readChanges(repo.dir, '--output=/tmp/x');
  t.match(injected, { ok: false });
  const { tempDir } = await import('../helpers/temp-dir.js');
  const outside = await readChanges(tempDir('nogit'), 'main');
  t.match(outside, { ok: false, error: /is not inside a git repository/ });
});

t.test('unrelated histories: no merge-base is an error naming the fix', async (t) => {
  const repo = gitRepo('orphan-branch');
  repo.write('a.js', 'a\n');
  repo.commit('one');
  repo.git('checkout', '-q', '--orphan', 'other');
  repo.write('b.js', 'b\n');
  repo.commit('two');
  const changes = await readChanges(repo.dir, 'main');
  t.match(changes, { ok: false, error: /no merge-base of 'main' and HEAD/ });
});

t.test('untracked files: binary ones skipped, huge ones named in a note; ignored ones never read', async (t) => {
  const repo = gitRepo('untracked');
  repo.write('.gitignore', 'ignored/\n');
  repo.write('a.js', 'a\n');
  repo.commit('base');
  repo.write('bin.js', 'a\0b\n');
  repo.write('huge.js', 'x\n'.repeat(1_100_000));
  repo.write('ignored/x.js', 'x\n');
  repo.write('new.js', 'one\n\ntwo\n');
  const changes = await readChanges(repo.dir, 'main');
  t.ok(changes.ok);
  if (!changes.ok) return;
  t.same(
    changes.value.files.map((f) => f.path),
    ['new.js'],
  );
  t.match(changes.value.notes, [/untracked huge\.js \(2200000 bytes\) not read: larger than/]);
});
