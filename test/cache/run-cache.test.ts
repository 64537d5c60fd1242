/**
 * The phase cache around whole runs on the recording fake driver: a second run of an unchanged plan
 * restores every phase and starts nothing; a changed mount re-runs exactly its phase and what needs it;
 * failing phases, `cache: false` and `--no-cache` are never served from the cache.
 */
import t from 'tap';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { LocalStore } from '../../src/cache/local-store.js';
import type { CacheSettings } from '../../src/cache/phase-cache.js';
import { compilePlan } from '../../src/compile/compile.js';
import type { ImageSpec, TestPlan } from '../../src/dsl/plan.js';
import type { ImageHandle, StepContext } from '../../src/drivers/driver.js';
import type { RunResults } from '../../src/report/results.js';
import { runIdentity } from '../../src/run/run-identity.js';
import { runPlan } from '../../src/run/run-plan.js';
import { FakeDriver, type FakeBehaviour } from '../helpers/fake-driver.js';
import { phase, plan as buildPlan, service } from '../helpers/plan-builder.js';
import { tempDir } from '../helpers/temp-dir.js';

/** The fake, with image ids that change when `imageVersion` does. */
class CachingFake extends FakeDriver {
  override readonly capabilities = {
    imageBuild: true,
    sharedNamespace: true,
    isolatedNetwork: true,
    serviceMounts: true,
    contentAddressedImages: true,
  };
  constructor(
    behaviour: FakeBehaviour,
    private readonly imageVersion = 1,
  ) {
    super(behaviour);
  }
  override async prepareImage(spec: ImageSpec, ctx: StepContext): Promise<ImageHandle> {
    const handle = await super.prepareImage(spec, ctx);
    return { ...handle, ref: `${handle.ref}-v${this.imageVersion}` };
  }
}

const JUNIT = '<testsuites><testsuite name="s"><testcase classname="s" name="works"/></testsuite></testsuites>';

function fixture(): { plan: TestPlan; srcA: string; srcB: string; cacheDir: string } {
  const root = tempDir('cache-run');
  const srcA = path.join(root, 'a');
  const srcB = path.join(root, 'b');
  mkdirSync(srcA);
  mkdirSync(srcB);
  writeFileSync(path.join(srcA, 'a.ts'), 'a');
  writeFileSync(path.join(srcB, 'b.ts'), 'b');
  const junit = { format: 'junit' as const, path: '/out/junit.xml' };
  const plan = buildPlan({
    phases: [
      phase('unit', { mounts: [{ source: srcA, target: '/src', readOnly: true }], results: junit }),
      phase('integ', { needs: ['unit'], services: ['db'], results: junit }),
      phase('lint', { mounts: [{ source: srcB, target: '/src', readOnly: true }], results: junit }),
    ],
    services: [service('db')],
    gates: { tests: { failed: 0, minExecuted: 3 }, phaseCoverage: {}, commands: {} },
    acceptance: [
      { id: 'FR-1', requirement: 'works', kind: 'functional', verifiedBy: { tests: /works/, phases: ['integ'] } },
    ],
  });
  return { plan, srcA, srcB, cacheDir: path.join(root, 'cache') };
}

let runs = 0;
async function run(
  plan: TestPlan,
  driver: FakeDriver,
  cacheDir: string,
  settings: Partial<CacheSettings> = {},
): Promise<{ results: RunResults; outDir: string }> {
  const outDir = tempDir('cache-out');
  const results = await runPlan({
    plan,
    graph: compilePlan(plan),
    driver,
    run: runIdentity(plan.name, `run-${++runs}`, outDir),
    signal: new AbortController().signal,
    onEvent: () => {},
    cache: { store: new LocalStore(cacheDir), reuse: true, statCacheDir: path.join(cacheDir, '.stat'), ...settings },
  });
  return { results, outDir };
}

const behaviour: FakeBehaviour = { files: { '/out/junit.xml': JUNIT } };
const ran = (d: FakeDriver): string[] =>
  d.calls.filter((c) => c.startsWith('run ')).map((c) => c.slice(4).split('#')[0]!);
const marks = (r: RunResults): Record<string, string | undefined> =>
  Object.fromEntries(r.phases.map((p) => [p.name, p.cache?.status]));
/** The results without what legitimately differs between runs: ids, times, cache marks, step list. */
function comparable(r: RunResults): unknown {
  return {
    verdict: r.verdict,
    exitCode: r.exitCode,
    tests: r.tests,
    gates: r.gates.map((g) => ({ ...g, actual: g.gate === 'duration' ? '' : g.actual })),
    acceptance: r.acceptance,
    phases: r.phases.map(({ cache: _c, ...p }) => p),
  };
}

t.test('a second run of an unchanged plan restores every phase and starts nothing', async (t) => {
  const { plan, cacheDir } = fixture();
  const first = await run(plan, new CachingFake(behaviour), cacheDir);
  t.equal(first.results.verdict, 'passed');
  t.same(marks(first.results), { unit: 'stored', integ: 'stored', lint: 'stored' });

  const driver = new CachingFake(behaviour);
  const second = await run(plan, driver, cacheDir);
  t.same(ran(driver), [], 'no phase ran');
  t.notOk(
    driver.calls.some((c) => c.startsWith('start ') || c === 'network create'),
    'no service, no network',
  );
  t.same(marks(second.results), { unit: 'hit', integ: 'hit', lint: 'hit' });
  t.same(comparable(second.results), comparable(first.results), 'same verdict, tests, gates, criteria and phases');
  t.equal(second.results.phases[0]!.cache?.from?.runId, first.results.runId, 'provenance: the run that stored it');
  t.same(second.results.services, [], 'the service only cached phases used is not listed as started');
  t.equal(
    readFileSync(path.join(second.outDir, 'phases/unit/files/out/junit.xml'), 'utf8'),
    JUNIT,
    'the evidence is restored into this run',
  );
  t.match(
    second.results.steps.find((s) => s.id === 'run-phase:unit')?.message,
    /^cached — from run run-\d+, /,
    'the step says where it came from',
  );
});

t.test('a changed source file re-runs exactly its phase and the phases that need it', async (t) => {
  const { plan, srcA, cacheDir } = fixture();
  await run(plan, new CachingFake(behaviour), cacheDir);
  writeFileSync(path.join(srcA, 'a.ts'), 'changed');
  const driver = new CachingFake(behaviour);
  const { results } = await run(plan, driver, cacheDir);
  t.same(ran(driver).sort(), ['integ', 'unit']);
  t.same(marks(results), { unit: 'stored', integ: 'stored', lint: 'hit' });
  t.ok(driver.calls.includes('start db'), 'the service integ uses starts again');
});

t.test('a changed image re-runs every phase on it', async (t) => {
  const { plan, cacheDir } = fixture();
  await run(plan, new CachingFake(behaviour, 1), cacheDir);
  const driver = new CachingFake(behaviour, 2);
  await run(plan, driver, cacheDir);
  t.same(ran(driver).sort(), ['integ', 'lint', 'unit']);
});

t.test('a failing phase is never stored, and what needs it is not cached either', async (t) => {
  const { plan, cacheDir } = fixture();
  const first = await run(plan, new CachingFake({ ...behaviour, exitCodes: { lint: [1] } }), cacheDir);
  t.equal(first.results.phases.find((p) => p.name === 'lint')?.cache?.status, 'miss');
  const driver = new CachingFake({ ...behaviour, exitCodes: { lint: [1] } });
  const second = await run(plan, driver, cacheDir);
  t.same(ran(driver), ['lint'], 'the failed phase runs again; the passing ones are restored');
  t.equal(second.results.verdict, 'failed', 'and still fails the run');
});

t.test('a phase with zero tests (a failure) is not stored either', async (t) => {
  const { plan, cacheDir } = fixture();
  const empty = { files: { '/out/junit.xml': '<testsuites/>' } };
  await run(plan, new CachingFake(empty), cacheDir);
  const driver = new CachingFake(behaviour);
  await run(plan, driver, cacheDir);
  t.same(ran(driver).sort(), ['integ', 'lint', 'unit']);
});

t.test('cache: false runs every time, and so does every phase that needs it', async (t) => {
  const { plan: base, cacheDir } = fixture();
  const plan = { ...base, phases: { ...base.phases, unit: { ...base.phases.unit!, cache: false } } };
  const first = await run(plan, new CachingFake(behaviour), cacheDir);
  t.match(first.results.phases.find((p) => p.name === 'integ')?.cache, { status: 'off', reason: /needs unit/ });
  const driver = new CachingFake(behaviour);
  await run(plan, driver, cacheDir);
  t.same(ran(driver).sort(), ['integ', 'unit']);
});

t.test('--no-cache reuses nothing but still stores', async (t) => {
  const { plan, cacheDir } = fixture();
  const driver = new CachingFake(behaviour);
  const first = await run(plan, driver, cacheDir, { reuse: false });
  t.same(ran(driver).sort(), ['integ', 'lint', 'unit']);
  t.same(marks(first.results), { unit: 'stored', integ: 'stored', lint: 'stored' });
  const again = new CachingFake(behaviour);
  await run(plan, again, cacheDir);
  t.same(ran(again), []);
});

t.test('a driver whose images are not content-addressed caches nothing', async (t) => {
  const { plan, cacheDir } = fixture();
  await run(plan, new FakeDriver(behaviour), cacheDir);
  const driver = new FakeDriver(behaviour);
  const { results } = await run(plan, driver, cacheDir);
  t.same(ran(driver).sort(), ['integ', 'lint', 'unit']);
  t.equal(results.phases[0]!.cache, undefined);
});

t.test('results read from the output are read again from the restored log', async (t) => {
  const { plan: base, cacheDir } = fixture();
  const plan = {
    ...base,
    phases: {
      ...base.phases,
      lint: { ...base.phases.lint!, results: { format: 'text' as const, text: { preset: 'per-file' as const } } },
    },
  };
  const logs = { logs: { lint: ['src/a.test.js', '  adds ✔', '  subtracts ✔'] } };
  const first = await run(plan, new CachingFake({ ...behaviour, ...logs }), cacheDir);
  const lint = (r: RunResults) => r.phases.find((p) => p.name === 'lint')!;
  t.equal(lint(first.results).counts?.passed, 2);
  const second = await run(plan, new CachingFake({ ...behaviour, ...logs }), cacheDir);
  t.equal(lint(second.results).cache?.status, 'hit');
  t.same(lint(second.results).counts, lint(first.results).counts);
  t.match(readFileSync(path.join(second.outDir, 'phases/lint/log.txt'), 'utf8'), /adds ✔/, 'its log is restored');
});

t.test('runs share results through a real OCI registry', async (t) => {
  const { startRegistry } = await import('../helpers/registry.js');
  const { OciStore } = await import('../../src/cache/oci-store.js');
  const registry = await startRegistry(t);
  if (!registry) return;
  const { plan, cacheDir } = fixture();
  const store = new OciStore(`registry://${registry.host}/team/phases`);
  const first = await run(plan, new CachingFake(behaviour), cacheDir, { store });
  t.same(marks(first.results), { unit: 'stored', integ: 'stored', lint: 'stored' });
  // Another machine: its own local folder (empty), the same registry.
  const driver = new CachingFake(behaviour);
  const second = await run(plan, driver, path.join(tempDir('other-machine'), 'cache'), { store });
  t.same(ran(driver), [], 'nothing ran');
  t.same(marks(second.results), { unit: 'hit', integ: 'hit', lint: 'hit' });
  t.equal(readFileSync(path.join(second.outDir, 'phases/unit/files/out/junit.xml'), 'utf8'), JUNIT);
  await registry.stop();
  const offline = new CachingFake(behaviour);
  const third = await run(plan, offline, cacheDir, { store });
  t.same(ran(offline).sort(), ['integ', 'lint', 'unit'], 'a registry gone is a miss: every phase runs');
  t.equal(third.results.verdict, 'passed');
  t.match(third.results.phases[0]!.cache?.reason, /not stored in registry:/, 'and says the store failed');
});

t.test('a mounted folder that cannot be read makes its phase uncacheable, never the run fail', async (t) => {
  const { resolveKeys } = await import('../../src/cache/resolve-keys.js');
  const { TreeDigester } = await import('../../src/cache/tree-digest.js');
  const { plan, srcB } = fixture();
  class Unreadable extends TreeDigester {
    override async digest(source: string, excluded: readonly string[] = []): Promise<string> {
      if (source === srcB) throw new Error(`EACCES: permission denied, scandir '${source}/inner'`);
      return super.digest(source, excluded);
    }
  }
  const found = await resolveKeys({
    plan,
    graph: compilePlan(plan),
    driver: new CachingFake(behaviour),
    run: runIdentity(plan.name, 'run-x', tempDir('cache-out')),
    signal: new AbortController().signal,
    onEvent: () => {},
    now: Date.now,
    digester: new Unreadable(undefined),
  });
  t.match(found.uncached.get('lint'), /a mounted folder could not be read: EACCES/);
  t.same([...found.keys.keys()].sort(), ['integ', 'unit'], 'the other phases keep their keys');
});

t.test('a secret is never stored in the cache: the key holds its hash, the log its mask', async (t) => {
  const { Secret } = await import('../../src/dsl/secret.js');
  const { readdirSync, statSync } = await import('node:fs');
  const value = 'sup3r-s3cret-t0ken-value';
  const token = new Secret(value, 'env TOKEN');
  const { plan: base, cacheDir } = fixture();
  const plan = {
    ...base,
    secrets: [token],
    phases: { ...base.phases, unit: { ...base.phases.unit!, env: { TOKEN: token } } },
  };
  const { results } = await run(
    plan,
    new CachingFake({ ...behaviour, logs: { unit: [`token is ${value}`] } }),
    cacheDir,
  );
  t.equal(results.phases.find((p) => p.name === 'unit')?.cache?.status, 'stored');
  const files = (dir: string): string[] =>
    readdirSync(dir).flatMap((n) => {
      const p = path.join(dir, n);
      return statSync(p).isDirectory() ? files(p) : [p];
    });
  const all = files(cacheDir);
  t.ok(all.length > 0);
  for (const file of all)
    t.notOk(readFileSync(file).includes(value), `${path.relative(cacheDir, file)} holds no secret`);
  const other = await run(
    { ...plan, phases: { ...plan.phases, unit: { ...plan.phases.unit!, env: { TOKEN: new Secret('another', 'x') } } } },
    new CachingFake(behaviour),
    cacheDir,
  );
  t.equal(
    other.results.phases.find((p) => p.name === 'unit')?.cache?.status,
    'stored',
    'another secret value: another key',
  );
});
