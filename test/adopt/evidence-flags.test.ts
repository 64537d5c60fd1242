import t from 'tap';
import { looksLikeTests, thresholdsIn, withEvidence } from '../../src/adopt/evidence-flags.js';
import { tempDir } from '../helpers/temp-dir.js';

t.test('pytest gets JUnit into /out, and coverage XML when it measures coverage', async (t) => {
  const plain = withEvidence('python3 -m pytest -q tests');
  t.equal(plain.run, 'mkdir -p /out && python3 -m pytest --junitxml=/out/junit.xml -q tests');
  t.same(plain.results, { junit: '/out/junit.xml' });
  t.equal(plain.coverage, undefined, 'no coverage asked, none claimed');
  const cov = withEvidence('pytest --cov=app --cov-fail-under=85');
  t.match(cov.run, /--cov-report=xml:\/out\/coverage\.xml/);
  t.same(cov.coverage, { format: 'cobertura', path: '/out/coverage.xml' });
  t.same(cov.thresholds, { lines: 85 });
  const bare = withEvidence('pytest --cov=app --cov-report=xml --cov-report=term');
  t.notMatch(
    bare.run,
    /--cov-report=xml(\s|$)/,
    'a bare xml report (./coverage.xml, last one wins) is pointed at /out',
  );
  const own = withEvidence('pytest --junitxml=reports/j.xml');
  t.same(own.results, { junit: 'reports/j.xml' }, "the project's own results path is kept");
  t.equal(withEvidence('pytest', { coverage: true, coverSource: 'shop' }).coverage?.format, 'cobertura');
  t.match(withEvidence('pytest', { coverage: true, coverSource: 'shop' }).run, /--cov=shop/);
});

t.test('node runners: vitest, jest, node:test, mocha (TAP), tap; c8 and nyc wrap them', async (t) => {
  t.match(
    withEvidence('npx vitest').run,
    /vitest run --reporter=default --reporter=junit --outputFile\.junit=\/out\/junit\.xml --coverage\.enabled/,
  );
  const jest = withEvidence('jest --runInBand');
  t.match(
    jest.run,
    /^mkdir -p \/out && JEST_JUNIT_OUTPUT_FILE=\/out\/junit\.xml jest --ci --reporters=default --reporters=jest-junit --coverage .* --runInBand$/,
  );
  t.ok(
    jest.guesses.some((g) => /jest-junit/.test(g)),
    'says that jest-junit must be installed',
  );
  const node = withEvidence('node --test test/', { coverage: true });
  t.match(
    node.run,
    /node --test --test-reporter=spec --test-reporter-destination=stdout --test-reporter=junit --test-reporter-destination=\/out\/junit\.xml --experimental-test-coverage --test-reporter=lcov --test-reporter-destination=\/out\/lcov\.info test\//,
  );
  t.same(withEvidence('mocha test').results, { tap: '/out/results.tap' });
  t.match(withEvidence('npx tap').run, /cp \.tap\/report\/lcov\.info \/out\/lcov\.info; exit \$status$/);
  const c8 = withEvidence('c8 --check-coverage --lines 90 --branches 80 mocha');
  t.same(c8.thresholds, { lines: 90, branches: 80 });
  t.same(c8.coverage, { format: 'lcov', path: '/out/coverage/lcov.info' });
  t.match(c8.run, /c8 --reporter=lcov --reporter=text --report-dir=\/out\/coverage --check-coverage/);
  t.same(withEvidence('nyc mocha').coverage, { format: 'lcov', path: '/out/coverage/lcov.info' });
});

t.test('go test becomes JUnit and cobertura; unknown commands are left alone', async (t) => {
  const go = withEvidence('go test -json ./...');
  t.match(go.run, /gotestsum@v[\d.]+ --junitfile \/out\/junit\.xml -- -coverprofile=\/out\/cover\.out \.\/\.\.\./);
  t.same(go.coverage, { format: 'cobertura', path: '/out/coverage.xml' });
  const unknown = withEvidence('make check');
  t.equal(unknown.run, 'make check');
  t.equal(unknown.results, undefined);
});

t.test('what counts as running tests', async (t) => {
  for (const c of [
    'pytest',
    'npm test',
    'npm run test',
    'go test ./...',
    'python -m unittest',
    'mvn -B verify',
    './gradlew test',
    'yarn test',
  ])
    t.ok(looksLikeTests(c), c);
  for (const c of [
    'pip install -e .',
    'python3 -m pytest --version',
    'npm ci',
    'redis-server',
    'python3 -m http.server',
  ])
    t.notOk(looksLikeTests(c), c);
  t.same(thresholdsIn('nyc --check-coverage --functions 70 npm test'), { functions: 70 });
  t.same(thresholdsIn('c8 --lines 90 npm test'), {}, 'c8 thresholds without --check-coverage are not enforced');
});

t.test(
  'Maven: the gathered Surefire reports parse as one JUnit file with every class, and the build status is kept',
  async (t) => {
    const { mkdirSync, copyFileSync, readFileSync } = await import('node:fs');
    const { join, resolve } = await import('node:path');
    const { spawnSync } = await import('node:child_process');
    const { parseTestReport } = await import('../../src/evidence/parsers.js');
    const dir = tempDir('adopt-surefire');
    const reports = join(dir, 'target/surefire-reports');
    mkdirSync(reports, { recursive: true });
    const fixture = resolve(import.meta.dirname, '../../fixtures/evidence/surefire/TEST-demo.CalcTest.xml');
    copyFileSync(fixture, join(reports, 'TEST-demo.CalcTest.xml'));
    copyFileSync(fixture, join(reports, 'TEST-demo.CalcTest2.xml'));
    // The build itself is replaced by a command that fails, as a failing `mvn test` does.
    const evidence = withEvidence('mvn -B test');
    const script = evidence.run.replace('mkdir -p /out && mvn -B test', 'false').replaceAll('/out/', `${dir}/`);
    t.equal(spawnSync('sh', ['-c', script], { cwd: dir }).status, 1, "the build's exit status survives the gathering");
    const gathered = parseTestReport(readFileSync(join(dir, 'junit.xml'), 'utf8'), 'junit');
    t.ok(gathered.ok, 'parses');
    const single = parseTestReport(readFileSync(fixture, 'utf8'), 'junit');
    if (gathered.ok && single.ok)
      t.equal(gathered.value.cases.length, 2 * single.value.cases.length, 'both classes are counted');
  },
);
