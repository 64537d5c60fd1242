/**
 * Every parser on every file of the corpus of real tools' output (fixtures/evidence/corpus and the
 * files listed in its expectations.json), checked against the totals the tool itself printed.
 * Also: every corpus file is listed there, so a file added without an expectation fails here.
 */
import t from 'tap';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { readCoverage, readTestReport, summarize } from '../../src/evidence/index.js';
import type { CoverageFormat } from '../../src/dsl/types.js';
import { fixturePath } from './fixtures.js';

interface Expectation {
  readonly file: string;
  readonly format: 'junit' | CoverageFormat;
  readonly summary: string;
  readonly tests?: { total: number; passed: number; failed: number; errored: number; skipped: number };
  readonly lines?: [number, number];
  readonly branches?: [number, number];
  readonly functions?: [number, number];
  readonly statements?: [number, number];
  readonly linesPct?: number;
  readonly branchesPct?: number;
  readonly functionsPct?: number;
}

const expectations = JSON.parse(readFileSync(fixturePath('corpus/expectations.json'), 'utf8')) as Expectation[];
const PARSED_NAMES =
  /^(junit(-[a-z]+)?\.xml|xunit\.xml|lcov\.info|coverage\.lcov|cobertura-coverage\.xml|coverage\.xml|coverage-final\.json|coverage-summary\.json)$/;

t.test('every evidence file of the corpus has an expectation', async (t) => {
  const root = fixturePath('corpus');
  const listed = new Set(expectations.map((e) => e.file));
  for (const dir of readdirSync(root, { withFileTypes: true }).filter((d) => d.isDirectory())) {
    for (const name of readdirSync(join(root, dir.name)).filter((n) => PARSED_NAMES.test(n))) {
      const file = relative(fixturePath(''), join(root, dir.name, name));
      t.ok(listed.has(file), `${file} is in expectations.json`);
    }
  }
});

for (const e of expectations) {
  t.test(`${e.file} (${e.format}) agrees with the tool: ${e.summary}`, async (t) => {
    if (e.format === 'junit') {
      const r = await readTestReport(fixturePath(e.file), 'junit');
      if (!r.ok) return t.fail(r.error.message);
      t.same(r.value.counts, e.tests);
      t.equal(r.value.warnings, undefined, 'nothing to warn about in a normal run');
      return;
    }
    const r = await readCoverage(fixturePath(e.file), e.format);
    if (!r.ok) return t.fail(r.error.message);
    const s = summarize(r.value);
    for (const metric of ['lines', 'branches', 'functions', 'statements'] as const) {
      const want = e[metric];
      if (want !== undefined) t.same([s[metric].covered, s[metric].total], want, metric);
      const pct = e[`${metric}Pct` as 'linesPct'];
      if (pct !== undefined)
        t.equal(Math.round((s[metric].covered / s[metric].total) * 10_000) / 100, pct, `${metric} %`);
    }
  });
}
