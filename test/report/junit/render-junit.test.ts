import t from 'tap';
import { SaxesParser } from 'saxes';
import { renderJunit } from '../../../src/report/junit/render-junit.js';
import type { RunResults } from '../../../src/report/results.js';
import { FIXTURE_NAMES, loadFixture, mutableCopy } from '../fixtures.js';

interface Element {
  readonly name: string;
  readonly attributes: Record<string, string>;
  readonly children: Element[];
  text: string;
}

/** Parses with a conforming XML parser (throws on malformed XML) into a small tree. */
function parseXml(xml: string): Element {
  const parser = new SaxesParser();
  const root: Element = { name: '#root', attributes: {}, children: [], text: '' };
  const stack: Element[] = [root];
  parser.on('error', (e) => {
    throw e;
  });
  parser.on('opentag', (tag) => {
    const el: Element = {
      name: tag.name,
      attributes: tag.attributes as Record<string, string>,
      children: [],
      text: '',
    };
    stack[stack.length - 1]!.children.push(el);
    stack.push(el);
  });
  parser.on('text', (text) => {
    stack[stack.length - 1]!.text += text;
  });
  parser.on('closetag', () => void stack.pop());
  parser.write(xml).close();
  return root.children[0]!;
}

const suite = (doc: Element, name: string): Element => {
  const found = doc.children.find((s) => s.attributes.name === name);
  if (!found) throw new Error(`no testsuite ${name}`);
  return found;
};

for (const name of FIXTURE_NAMES) {
  t.test(
    `junit.xml of the ${name} run is well-formed; the root counts real test cases as the report does`,
    async (t) => {
      const results = loadFixture(name);
      const doc = parseXml(renderJunit(results));
      t.equal(doc.name, 'testsuites');
      t.equal(
        Number(doc.attributes.tests),
        results.tests.total,
        "the report's Tests total, not inflated by gate and criterion cases",
      );
      t.equal(Number(doc.attributes.failures), results.tests.failed);
      t.equal(Number(doc.attributes.errors), results.tests.errored);
      t.equal(Number(doc.attributes.skipped), results.tests.skipped);
      for (const s of doc.children) {
        const cases = s.children.filter((c) => c.name === 'testcase');
        t.equal(Number(s.attributes.tests), cases.length, `suite ${s.attributes.name} counts its own cases`);
      }
    },
  );
}

t.test('one testsuite per phase, then services, gates and acceptance', async (t) => {
  const doc = parseXml(renderJunit(loadFixture('failing')));
  t.same(
    doc.children.map((s) => s.attributes.name),
    ['unit', 'integration', 'testplan.services', 'testplan.gates', 'testplan.acceptance'],
  );
  const integration = suite(doc, 'integration');
  t.equal(integration.attributes.tests, '8');
  t.equal(integration.attributes.failures, '1');
  t.equal(integration.attributes.errors, '1');
  const failed = integration.children.find((c) => c.attributes.name === 'test_upload_persists_metadata');
  t.equal(failed?.attributes.file, 'tests/integration/test_pipeline.py');
  t.equal(failed?.children[0]?.attributes.message, "AssertionError: assert 'text/csv' == 'application/octet-stream'");
  t.match(failed?.children[0]?.text, /assert row\.content_type == 'application\/octet-stream'/);
  t.equal(suite(doc, 'unit').attributes.skipped, '1');
});

t.test('failing gates and criteria are failures; passing ones are not', async (t) => {
  const failing = parseXml(renderJunit(loadFixture('failing')));
  t.equal(suite(failing, 'testplan.gates').attributes.failures, '2');
  t.equal(suite(failing, 'testplan.acceptance').attributes.failures, '2');
  const passing = parseXml(renderJunit(loadFixture('passing')));
  t.equal(passing.attributes.failures, '0');
  t.equal(passing.attributes.errors, '0');
  const unverified = parseXml(renderJunit(loadFixture('unverified')));
  const fr3 = suite(unverified, 'testplan.acceptance').children.find((c) => c.attributes.name?.startsWith('FR-3'));
  t.equal(fr3?.children[0]?.name, 'failure', 'an unverified criterion is a failure');
  t.equal(fr3?.children[0]?.text, 'no matching evidence');
});

t.test('a service that never became ready and criteria not run are errors', async (t) => {
  const doc = parseXml(renderJunit(loadFixture('error')));
  const postgres = suite(doc, 'testplan.services').children.find((c) => c.attributes.name === 'postgres ready');
  t.equal(postgres?.children[0]?.name, 'error');
  t.equal(suite(doc, 'testplan.acceptance').attributes.errors, '2', 'FR-2 and NFR-1 are not run: never a pass');
  const cancelled = suite(doc, 'integration').children.find((c) => c.attributes.name === 'phase integration');
  t.equal(cancelled?.children[0]?.name, 'error', 'a phase that never ran is not silently empty');
});

t.test('a phase that failed without a failing case gets a failing case of its own', async (t) => {
  const r = mutableCopy(loadFixture('passing'));
  r.phases[0]!.status = 'failed';
  r.phases[0]!.attempts = [{ attempt: 1, exitCode: null, timedOut: true, durationMs: 300000 }];
  const unit = suite(parseXml(renderJunit(r as RunResults)), 'unit');
  const phaseCase = unit.children.find((c) => c.attributes.name === 'phase unit');
  t.equal(phaseCase?.children[0]?.name, 'failure');
  t.equal(phaseCase?.children[0]?.attributes.message, 'timed out');
});

t.test('markup, quotes, ANSI and characters XML forbids are escaped or dropped', async (t) => {
  const r = mutableCopy(loadFixture('failing'));
  const test = r.phases[1]!.failures[0]!;
  r.phases[1]!.tests = r.phases[1]!.tests.map((c) =>
    c.name === test.name
      ? { ...c, name: 'a<b>&"c"\'d', message: 'm\u0000\u0007 <x/> \u001b[31mred\u001b[0m', details: ']]> & </failure>' }
      : c,
  );
  const xml = renderJunit(r as RunResults);
  const doc = parseXml(xml);
  const c = suite(doc, 'integration').children.find((x) => x.attributes.name === 'a<b>&"c"\'d');
  t.ok(c, 'the name survives the round trip');
  t.equal(c?.children[0]?.attributes.message, 'm <x/> red');
  t.equal(c?.children[0]?.text, ']]> & </failure>');
});

t.test('not-selected gates and criteria are skipped, not-run ones errors: never a passing case', async (t) => {
  const results = mutableCopy(loadFixture('passing'));
  results.gates[0]!.status = 'not-selected';
  results.gates[1]!.status = 'not-run';
  results.acceptance[0]!.status = 'not-selected';
  const doc = parseXml(renderJunit(results as RunResults));
  const gates = suite(doc, 'testplan.gates');
  t.equal(gates.attributes.skipped, '1');
  t.equal(gates.attributes.errors, '1');
  t.equal(suite(doc, 'testplan.acceptance').attributes.skipped, '1');
});
