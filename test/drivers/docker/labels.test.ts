import t from 'tap';
import { LABEL, networkName, resourceLabels, safeName } from '../../../src/drivers/docker/labels.js';
import { labelFilter } from '../../../src/drivers/docker/engine/dockerode-calls.js';
import { containerName } from '../../../src/drivers/docker/container-config.js';

const run = {
  runId: 'r1',
  plan: 'shop',
  labels: { [LABEL.run]: 'r1', [LABEL.plan]: 'shop', [LABEL.pid]: '42', [LABEL.host]: 'box' },
  outDir: '/tmp/r1',
};

t.test('resources carry the run identity plus role and name', async (t) => {
  t.same(resourceLabels(run, 'service', 'redis'), {
    'testplan.run': 'r1',
    'testplan.plan': 'shop',
    'testplan.pid': '42',
    'testplan.host': 'box',
    'testplan.role': 'service',
    'testplan.name': 'redis',
  });
});

t.test('engine filters and names', async (t) => {
  t.equal(labelFilter({ a: 'b', c: undefined }), '{"label":["a=b","c"]}');
  t.equal(networkName('run/1 x'), 'testplan-run-1-x');
  t.equal(safeName('--x'), 'x');
  t.match(containerName('r1', 'phase', 'unit tests', 2), /^testplan-r1-phase-unit-tests-2$/);
  t.not(
    containerName('r1', 'phase', 'a', 1),
    containerName('r2', 'phase', 'a', 1),
    'runs never share a container name',
  );
});
