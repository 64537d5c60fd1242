/**
 * Property test of cache keys: over many random phases, every input a key must cover changes it, and
 * every other change leaves it alone. Hand-rolled generator with a seeded PRNG (no fast-check: one
 * more dependency for a generator of a few lines; a failing case prints its seed and mutation).
 */
import t from 'tap';
import type { PhaseSpec, ServiceSpec } from '../../src/dsl/plan.js';
import { Secret } from '../../src/dsl/secret.js';
import { phaseKey, serviceKey, type PhaseKeyInputs } from '../../src/cache/phase-key.js';
import { phaseCollectPaths } from '../../src/execute/plan-step-runner.js';
import { phase as phaseSpec, service as serviceSpec } from '../helpers/plan-builder.js';

function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let x = Math.imul(s ^ (s >>> 15), 1 | s);
    x ^= x + Math.imul(x ^ (x >>> 7), 61 | x);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

interface Case {
  spec: PhaseSpec;
  inputs: PhaseKeyInputs;
}

function generate(rand: () => number): Case {
  const word = (): string => Math.floor(rand() * 1e9).toString(36);
  const few = <T>(make: () => T, max = 3): T[] => Array.from({ length: Math.floor(rand() * (max + 1)) }, make);
  const env: Record<string, string | Secret> = {};
  for (const k of few(word)) env[`K${k}`] = rand() < 0.3 ? new Secret(word(), `env ${k}`) : word();
  const mounts = few(() => ({ source: `/src/${word()}`, target: `/m/${word()}`, readOnly: rand() < 0.5 }));
  const services = [...new Set(few(() => `svc${Math.floor(rand() * 4)}`))];
  const needs = [...new Set(few(() => `ph${Math.floor(rand() * 4)}`))];
  const spec = phaseSpec('p', {
    command: ['sh', '-c', word()],
    env,
    ...(rand() < 0.5 ? { workdir: `/w/${word()}` } : {}),
    mounts,
    services,
    needs,
    localhost: rand() < 0.3,
    results: { format: 'junit', path: `/out/${word()}.xml` },
    ...(rand() < 0.5 ? { coverage: { format: 'lcov' as const, path: `/out/${word()}.info`, pathMap: {} } } : {}),
    artifacts: few(() => `/out/${word()}`),
    timeoutMs: 1000 + Math.floor(rand() * 1000),
    retries: Math.floor(rand() * 3),
  });
  return {
    spec,
    inputs: {
      image: `sha256:${word()}`,
      mounts: mounts.map(() => `tree:${word()}`),
      services: Object.fromEntries(services.map((s) => [s, word()])),
      needs: Object.fromEntries(needs.map((n) => [n, word()])),
    },
  };
}

const keyOf = (c: Case): string => phaseKey(c.spec, phaseCollectPaths(c.spec), c.inputs);

type Mutation = (c: Case) => Case | undefined;
const withSpec = (c: Case, spec: Partial<PhaseSpec>): Case => ({ ...c, spec: { ...c.spec, ...spec } });
const firstKey = (o: Readonly<Record<string, unknown>>): string | undefined => Object.keys(o)[0];

const MUST_CHANGE: Record<string, Mutation> = {
  'image content': (c) => ({ ...c, inputs: { ...c.inputs, image: `${c.inputs.image}x` } }),
  command: (c) => withSpec(c, { command: [...c.spec.command, 'x'] }),
  'env value': (c) => {
    const k = firstKey(c.spec.env);
    return k === undefined ? undefined : withSpec(c, { env: { ...c.spec.env, [k]: 'changed' } });
  },
  'env added': (c) => withSpec(c, { env: { ...c.spec.env, NEW: '1' } }),
  'secret value': (c) => {
    const k = Object.entries(c.spec.env).find(([, v]) => v instanceof Secret)?.[0];
    return k === undefined ? undefined : withSpec(c, { env: { ...c.spec.env, [k]: new Secret('other', 'x') } });
  },
  workdir: (c) => withSpec(c, { workdir: `${c.spec.workdir ?? ''}/x` }),
  'mount content': (c) =>
    c.inputs.mounts.length
      ? { ...c, inputs: { ...c.inputs, mounts: [`${c.inputs.mounts[0]}x`, ...c.inputs.mounts.slice(1)] } }
      : undefined,
  'mount target': (c) =>
    c.spec.mounts.length
      ? withSpec(c, { mounts: [{ ...c.spec.mounts[0]!, target: '/else' }, ...c.spec.mounts.slice(1)] })
      : undefined,
  'mount read-only': (c) =>
    c.spec.mounts.length
      ? withSpec(c, {
          mounts: [{ ...c.spec.mounts[0]!, readOnly: !c.spec.mounts[0]!.readOnly }, ...c.spec.mounts.slice(1)],
        })
      : undefined,
  'service key': (c) => {
    const s = firstKey(c.inputs.services);
    return s === undefined
      ? undefined
      : { ...c, inputs: { ...c.inputs, services: { ...c.inputs.services, [s]: 'changed' } } };
  },
  'needed phase key': (c) => {
    const n = firstKey(c.inputs.needs);
    return n === undefined
      ? undefined
      : { ...c, inputs: { ...c.inputs, needs: { ...c.inputs.needs, [n]: 'changed' } } };
  },
  localhost: (c) => withSpec(c, { localhost: !c.spec.localhost }),
  'results path': (c) => withSpec(c, { results: { format: 'junit', path: '/out/other.xml' } }),
  'artifact added': (c) => withSpec(c, { artifacts: [...c.spec.artifacts, '/out/more'] }),
  // Another feature's field, unknown to this code: covered by default.
  'a field added later': (c) => withSpec(c, { setup: ['migrate'] } as Partial<PhaseSpec>),
};

const MUST_NOT_CHANGE: Record<string, Mutation> = {
  name: (c) => withSpec(c, { name: 'renamed' }),
  timeout: (c) => withSpec(c, { timeoutMs: (c.spec.timeoutMs ?? 0) + 1 }),
  retries: (c) => withSpec(c, { retries: c.spec.retries + 1 }),
  profiles: (c) => withSpec(c, { profiles: ['other'] }),
  'cache flag': (c) => withSpec(c, { cache: true }),
  'local run': (c) => withSpec(c, { local: { run: 'x' } }),
  'mount source path (same content)': (c) =>
    c.spec.mounts.length
      ? withSpec(c, { mounts: c.spec.mounts.map((m) => ({ ...m, source: `${m.source}-moved` })) })
      : undefined,
  'env order': (c) => withSpec(c, { env: Object.fromEntries(Object.entries(c.spec.env).reverse()) }),
  'needs order': (c) => withSpec(c, { needs: [...c.spec.needs].reverse() }),
  'results format (same file)': (c) => withSpec(c, { results: { format: 'tap', path: c.spec.results!.path! } }),
  'coverage pathMap': (c) =>
    c.spec.coverage ? withSpec(c, { coverage: { ...c.spec.coverage, pathMap: { '/app/': '' } } }) : undefined,
  'secret object, same value': (c) =>
    withSpec(c, {
      env: Object.fromEntries(
        Object.entries(c.spec.env).map(([k, v]) => [k, v instanceof Secret ? new Secret(v.reveal(), 'elsewhere') : v]),
      ),
    }),
};

const SEEDS = 300;

t.test('each input a phase key covers changes it', async (t) => {
  for (const [what, mutate] of Object.entries(MUST_CHANGE)) {
    let applied = 0;
    for (let seed = 1; seed <= SEEDS; seed++) {
      const base = generate(prng(seed));
      const changed = mutate(base);
      if (!changed) continue;
      applied++;
      if (keyOf(changed) === keyOf(base)) t.fail(`${what} did not change the key (seed ${seed})`);
    }
    t.ok(applied > 20, `${what}: tried on ${applied} random phases`);
  }
});

t.test('nothing else changes a phase key', async (t) => {
  for (const [what, mutate] of Object.entries(MUST_NOT_CHANGE)) {
    let applied = 0;
    for (let seed = 1; seed <= SEEDS; seed++) {
      const base = generate(prng(seed));
      const changed = mutate(base);
      if (!changed) continue;
      applied++;
      if (keyOf(changed) !== keyOf(base)) t.fail(`${what} changed the key (seed ${seed})`);
    }
    t.ok(applied > 20, `${what}: tried on ${applied} random phases`);
  }
});

t.test('a secret enters the key only as a hash', async (t) => {
  const value = 'hunter2-very-secret';
  const c = generate(prng(7));
  const spec = { ...c.spec, env: { TOKEN: new Secret(value, 'env TOKEN') } };
  const key = phaseKey(spec, [], c.inputs);
  t.notMatch(key, value);
  t.match(key, /^[0-9a-f]{64}$/);
});

t.test('a service key covers its whole definition, its image and what it depends on', async (t) => {
  const base: ServiceSpec = serviceSpec('db', { dependsOn: ['net'], command: ['serve'] });
  const key = (
    s: ServiceSpec,
    image = 'sha256:a',
    deps: Record<string, string> = { net: 'k1' },
    mounts: readonly string[] = s.mounts.map(() => 'content-1'),
  ): string => serviceKey(s, image, deps, mounts);
  const k0 = key(base);
  t.equal(key({ ...base }), k0, 'same definition, same key');
  t.not(key(base, 'sha256:b'), k0, 'image content');
  t.not(key(base, undefined, { net: 'k2' }), k0, 'a dependency changed');
  t.not(key({ ...base, env: { A: '1' } }), k0, 'env');
  t.not(key({ ...base, command: ['other'] }), k0, 'command');
  t.not(key({ ...base, ports: [2000] }), k0, 'ports');
  const mounted: ServiceSpec = {
    ...base,
    mounts: [{ source: '/plan/db/pg_hba.conf', target: '/etc/pg_hba.conf', readOnly: true }],
  };
  t.not(key(mounted), k0, 'a service mount');
  t.not(key(mounted, undefined, undefined, ['content-2']), key(mounted), "a mounted file's content");
  t.equal(
    key({ ...mounted, mounts: [{ ...mounted.mounts[0]!, source: '/elsewhere/pg_hba.conf' }] }),
    key(mounted),
    'where the mounted file lives on the host does not count, its content does',
  );
  t.not(key({ ...base, setup: [['createdb', 'app']] }), k0, 'setup commands');
  // A field this code does not know yet (another feature's) is covered without naming it.
  t.not(key({ ...base, futureField: 1 } as unknown as ServiceSpec), k0, 'an unknown field');
  t.not(key({ ...base, scope: 'phase' }), k0, 'scope');
  t.not(
    key({ ...base, env: { P: new Secret('a', 'x') } }),
    key({ ...base, env: { P: new Secret('b', 'x') } }),
    'secret',
  );
});
