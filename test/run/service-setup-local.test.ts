/**
 * Service setup under `--driver local`: the commands run as host processes with the service's env,
 * in the plan's folder, with `${svc.port}` the service's free port, before the phase that uses it.
 */
import t from 'tap';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compilePlan } from '../../src/compile/compile.js';
import { LocalDriver } from '../../src/drivers/local/local-driver.js';
import { validatePlan } from '../../src/dsl/validate/index.js';
import type { RunEvent } from '../../src/execute/events.js';
import { runIdentity } from '../../src/run/run-identity.js';
import { runPlan } from '../../src/run/run-plan.js';
import { userEnv } from '../drivers/local/real-process-helpers.js';
import { tempDir } from '../helpers/temp-dir.js';

const SERVER = `"${process.execPath}" -e "require('http').createServer((q, r) => r.end('ok')).listen(Number(process.argv[1]))" \${port}`;

async function runLocal(setup: readonly (string | readonly string[])[]) {
  const dir = tempDir('local-setup');
  const plan = validatePlan(
    {
      name: 'local-setup',
      services: {
        api: {
          image: 'node:20',
          ports: [8080],
          env: { SEED_NAME: 'widgets', SEED_TOKEN: { secret: 'seed-token-5e1b' } },
          ready: { http: { port: 8080, path: '/' } },
          mounts: [{ source: '.', target: '/srv' }],
          setup,
          local: { command: SERVER },
        },
      },
      phases: {
        check: { image: 'node:20', services: ['api'], run: 'cat seeded.txt', local: { run: 'cat seeded.txt' } },
      },
    },
    { file: join(dir, 'local-setup.plan.yaml'), dir },
    {},
  );
  const events: RunEvent[] = [];
  const driver = new LocalDriver({ cwd: dir, baseEnv: userEnv(), graceMs: 500 });
  const results = await runPlan({
    plan,
    graph: compilePlan(plan),
    driver,
    run: runIdentity(plan.name, `local-setup-${process.pid}`, join(dir, 'out')),
    signal: new AbortController().signal,
    onEvent: (e) => events.push(e),
  });
  return { results, dir, events };
}

t.test(
  'setup runs on the host with the service env and its free port, in the plan folder, before the phase',
  async (t) => {
    const { results, dir, events } = await runLocal([
      'echo "seeding $SEED_NAME on ${api.host}:${api.port} with $SEED_TOKEN" | tee seeded.txt',
    ]);
    t.equal(results.exitCode, 0, results.message ?? '');
    const seeded = readFileSync(join(dir, 'seeded.txt'), 'utf8');
    const port = /:(\d+) /.exec(seeded)?.[1];
    t.match(seeded, /^seeding widgets on 127\.0\.0\.1:\d+ with seed-token-5e1b\n$/);
    t.not(port, '8080', 'the free port, not the declared one');
    t.match(results.services[0]?.setup, { commands: 1, ran: 1, passed: true });
    const logged = events.flatMap((e) => (e.kind === 'log' && e.step?.kind === 'setup-service' ? [e.line] : []));
    t.same(logged, [seeded.trim().replace('seed-token-5e1b', '***')], 'its output is logged, the secret masked');
    t.ok(
      events.some((e) => e.kind === 'log' && /mount .* → \/srv is not applied under --driver local/.test(e.line)),
      'the service mount is reported as not applied',
    );
  },
);

t.test('a failing setup command on the host: exit 3, the phase skipped', async (t) => {
  const { results } = await runLocal(['echo "no such table"; exit 5']);
  t.equal(results.exitCode, 3);
  t.match(results.services[0]?.message, /setup command 1 of 1 \(echo "no such table"; exit 5\) exited with code 5/);
  t.match(results.phases[0], { status: 'skipped' });
});
