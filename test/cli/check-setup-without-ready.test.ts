/** `plan check` warns (exit 0) about a service whose `setup` would run before the service may answer (no `ready`). */
import t from 'tap';
import { dirname } from 'node:path';
import { cli } from '../helpers/in-process-cli.js';
import { writePlan } from './e2e-helpers.js';

const planWith = (pg: Record<string, unknown>) =>
  writePlan({
    name: 'setup-ready',
    services: { pg: { image: 'postgres:16', setup: ['createdb app_test'], ...pg } },
    phases: { unit: { image: 'node:20', run: 'true', services: ['pg'] } },
  });

t.test(
  "setup without ready: a warning naming the file, the service's setup and what to add; still exit 0",
  async (t) => {
    const file = planWith({});
    const res = await cli(['check', file], dirname(file));
    t.equal(res.code, 0);
    t.match(
      res.stderr,
      /^warning: setup-ready\.plan\.yaml: services\.pg\.setup: runs as soon as the service started.*'pg' has no 'ready'.*ready: \{ preset: 'postgres' \}/m,
    );
    t.match(res.stdout, /is valid/);
  },
);

t.test('no warning with a ready probe, or without setup', async (t) => {
  for (const [what, pg] of [
    ['ready', { ready: { preset: 'postgres' } }],
    ['no setup', { setup: [] }],
  ] as const) {
    const file = planWith(pg);
    const res = await cli(['check', file], dirname(file));
    t.equal(res.code, 0, what);
    t.equal(res.stderr, '', `${what}: no warning`);
  }
});
