/** `plan check` warns (exit 0) about parallel phases sharing a service nobody marked as shared. */
import t from 'tap';
import { dirname } from 'node:path';
import { cli } from '../helpers/in-process-cli.js';
import { writePlan } from './e2e-helpers.js';

const planWith = (redis: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  writePlan({
    name: 'sharing',
    ...extra,
    services: { redis: { image: 'redis:7', ...redis } },
    phases: {
      a: { image: 'node:20', run: 'true', services: ['redis'] },
      b: { image: 'node:20', run: 'true', services: ['redis'] },
    },
  });

t.test('a warning naming the file, the service and the ways out; still exit 0', async (t) => {
  const file = planWith({});
  const res = await cli(['check', file], dirname(file));
  t.equal(res.code, 0);
  t.match(
    res.stderr,
    /^warning: sharing\.plan\.yaml: services\.redis: phases a and b can run at the same time and share one redis.*scope: 'phase'.*exclusive: true.*scope: 'run'/m,
  );
  t.match(res.stdout, /is valid/);
});

t.test('no warning once the plan says how the service is shared, or runs one phase at a time', async (t) => {
  for (const [what, redis, extra] of [
    ['exclusive', { exclusive: true }, {}],
    ["scope: 'phase'", { scope: 'phase' }, {}],
    ["scope: 'run' written out", { scope: 'run' }, {}],
    ['concurrency: 1', {}, { concurrency: 1 }],
  ] as const) {
    const file = planWith(redis, extra);
    const res = await cli(['check', file], dirname(file));
    t.equal(res.code, 0, what);
    t.equal(res.stderr, '', `${what}: no warning`);
  }
});
