/** `plan init`: runners, evidence flags and thresholds from the project's own config; images; never overwriting; plans type-check. */
import t from 'tap';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkTypes, cli, writeTree } from './helpers.js';

async function init(
  files: Record<string, string>,
  args: string[] = [],
): Promise<{ dir: string; out: string; plan: string; err: string; code: number }> {
  const dir = writeTree(files, 'init');
  const res = await cli(['init', ...args], dir);
  const plans = existsSync(join(dir, 'plans')) ? (await import('node:fs')).readdirSync(join(dir, 'plans')) : [];
  const plan = plans[0] ? readFileSync(join(dir, 'plans', plans[0]), 'utf8') : '';
  if (res.code === 0) {
    const check = await checkTypes(join(dir, 'plans', plans[0]!));
    if (check.code !== 0) throw new Error(`generated plan does not type-check:\n${check.stderr}\n${plan}`);
  }
  return { dir, out: res.stdout, plan, err: res.stderr, code: res.code };
}

const pkg = (extra: object): string => JSON.stringify({ name: '@acme/app', version: '1.0.0', ...extra }, null, 2);

t.test(
  'jest: coverageThreshold from package.json, jest-junit named as a guess, Dockerfile.test generated',
  async (t) => {
    const r = await init({
      'package.json': pkg({
        scripts: { test: 'jest' },
        devDependencies: { jest: '^29' },
        jest: { coverageThreshold: { global: { lines: 85, branches: 70 } } },
      }),
      'package-lock.json': '{}',
    });
    t.equal(r.code, 0, r.err);
    t.match(r.plan, /name: 'app'/, 'the npm scope is dropped from the name');
    t.match(
      r.plan,
      /JEST_JUNIT_OUTPUT_FILE=\/out\/junit\.xml jest --ci --reporters=default --reporters=jest-junit --coverage/,
    );
    t.match(r.plan, /coverage: \{ lines: 85, branches: 70 \}/);
    t.match(r.plan, /pathMap: \{ '\/app\/': '' \}/);
    t.match(r.out, /jest-junit/);
    t.match(r.out, /wrote Dockerfile\.test/);
    const dockerfile = readFileSync(join(r.dir, 'Dockerfile.test'), 'utf8');
    t.match(dockerfile, /ARG BASE=node:20-bookworm-slim\nFROM \$\{BASE\} AS test/);
    t.match(dockerfile, /COPY package\.json package-lock\.json \.\/\nRUN npm ci/);
    t.ok(existsSync(join(r.dir, '.dockerignore')));
  },
);

t.test('vitest thresholds from vitest.config.ts; c8 and nyc check-coverage configs', async (t) => {
  const vitest = await init({
    'package.json': pkg({ scripts: { test: 'vitest' }, devDependencies: { vitest: '^2' } }),
    'vitest.config.ts':
      "export default { test: { coverage: { provider: 'v8', thresholds: { lines: 90, functions: 80 } } } };\n",
  });
  t.match(vitest.plan, /vitest run --reporter=default --reporter=junit --outputFile\.junit=\/out\/junit\.xml/);
  t.match(vitest.plan, /coverage: \{ lines: 90, functions: 80 \}/);
  const c8 = await init({
    'package.json': pkg({ scripts: { test: 'mocha' }, devDependencies: { mocha: '^10', c8: '^9' } }),
    '.c8rc.json': JSON.stringify({ 'check-coverage': true, lines: 75 }),
  });
  t.match(c8.plan, /c8 --reporter=lcov --reporter=text --report-dir=\/out\/coverage mocha --reporter tap/);
  t.match(c8.plan, /coverage: \{ lines: 75 \}/);
  t.match(c8.plan, /results: \{ tap: '\/out\/results\.tap' \}/);
  const nyc = await init({
    'package.json': pkg({
      scripts: { test: 'tap' },
      devDependencies: { tap: '^18', nyc: '^15' },
      nyc: { 'check-coverage': false, lines: 99 },
    }),
  });
  t.notMatch(nyc.plan, /lines: 99/, 'thresholds nyc does not check are not gates');
  t.match(readFileSync(join(nyc.dir, 'Dockerfile.test'), 'utf8'), /RUN npm install/, 'no lockfile: npm install');
});

t.test(
  'python: pytest with coverage.py fail_under in setup.cfg, the test stage of an existing Dockerfile',
  async (t) => {
    const r = await init({
      'setup.cfg':
        '[metadata]\nname = billing\n\n[options.extras_require]\ntest = pytest; pytest-cov\n\n[coverage:report]\nfail_under = 92\n',
      Dockerfile: 'FROM python:3.12 AS base\nWORKDIR /srv\nFROM base AS test\nRUN pip install pytest\n',
    });
    t.equal(r.code, 0, r.err);
    t.match(r.plan, /name: 'billing'/);
    t.match(r.plan, /test: \{ build: \{ context: '\.\.', target: 'test' \} \}/);
    t.match(r.plan, /python3 -m pytest --junitxml=\/out\/junit\.xml --cov --cov-report=xml:\/out\/coverage\.xml/);
    t.match(r.plan, /coverage: \{ lines: 92 \}/);
    t.notOk(existsSync(join(r.dir, 'Dockerfile.test')), 'an existing test stage: nothing generated');
    const addopts = await init({
      'pytest.ini': '[pytest]\naddopts = --cov=shop --cov-fail-under=70\n',
      'requirements.txt': 'pytest-cov\n',
    });
    t.match(addopts.plan, /coverage: \{ lines: 70 \}/);
    t.match(addopts.plan, /--cov=shop/);
    const unittest = await init({ 'requirements.txt': 'requests\n' });
    t.match(unittest.out, /unittest tests run under pytest/);
  },
);

t.test('go: gotestsum JUnit and cobertura coverage, golang image from go.mod', async (t) => {
  const r = await init({ 'go.mod': 'module example.com/acme/ledger\n\ngo 1.22\n' });
  t.equal(r.code, 0, r.err);
  t.match(r.plan, /name: 'ledger'/);
  t.match(r.plan, /gotestsum@v[\d.]+ --junitfile \/out\/junit\.xml/);
  t.match(readFileSync(join(r.dir, 'Dockerfile.test'), 'utf8'), /ARG BASE=golang:1\.22-bookworm/);
});

t.test('maven: Surefire reports gathered into one JUnit file; gradle with its wrapper', async (t) => {
  const maven = await init({
    'pom.xml':
      '<project><parent><artifactId>parent</artifactId></parent><artifactId>ledger-api</artifactId></project>\n',
  });
  t.equal(maven.code, 0, maven.err);
  t.match(maven.plan, /name: 'ledger-api'/);
  t.match(
    maven.plan,
    /run: 'mkdir -p \/out && mvn -B test; status=\$\?; \{ echo \\'<testsuites>\\'; for f in target\/surefire-reports\/TEST-\*\.xml/,
  );
  t.match(maven.plan, /results: \{ junit: '\/out\/junit\.xml' \}/);
  t.match(maven.out, /JaCoCo coverage is no format the plan reads/);
  t.match(readFileSync(join(maven.dir, 'Dockerfile.test'), 'utf8'), /maven:3\.9-eclipse-temurin-21/);
  const gradle = await init({ 'build.gradle.kts': 'plugins { java }\n', gradlew: '#!/bin/sh\n' });
  t.match(gradle.plan, /\.\/gradlew test --no-daemon; status=\$\?; .*build\/test-results\/test\/TEST-\*\.xml/);
});

t.test('--base sets the generated image; nothing is overwritten without --force; no project is exit 2', async (t) => {
  const r = await init({ 'package.json': pkg({ scripts: { test: 'node --test' } }) }, [
    '--base',
    'registry.local/node:20',
  ]);
  t.match(readFileSync(join(r.dir, 'Dockerfile.test'), 'utf8'), /ARG BASE=registry\.local\/node:20/);
  writeFileSync(join(r.dir, 'Dockerfile.test'), '# mine\n');
  const again = await cli(['init'], r.dir);
  t.equal(again.code, 2);
  t.match(again.stderr, /plans\/app\.plan\.ts already exists: nothing was written\. Pass --force/);
  t.notMatch(again.stderr, /Dockerfile\.test/, 'the existing Dockerfile.test is now the test image, not regenerated');
  t.equal(readFileSync(join(r.dir, 'Dockerfile.test'), 'utf8'), '# mine\n');
  t.equal((await cli(['init', '--force'], r.dir)).code, 0);
  const empty = await cli(['init'], writeTree({ 'README.md': 'hi' }));
  t.equal(empty.code, 2);
  t.match(
    empty.stderr,
    /no Node\.js \(package\.json\), Python .*, Go \(go\.mod\) or JVM \(pom\.xml, build\.gradle\) project found/,
  );
});
