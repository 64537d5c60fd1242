/** Our ContainerSpec as the engine's create options: what the adapter sends for services and phases. */
import t from 'tap';
import { createOptions } from '../../../src/drivers/docker/engine/dockerode-create-options.js';
import type { ContainerSpec } from '../../../src/drivers/docker/engine/engine.js';

const base: ContainerSpec = {
  name: 'testplan-r1-service-redis',
  image: 'sha256:abc',
  env: { A: '1', B: 'x=y' },
  labels: { 'testplan.run': 'r1' },
  placement: { network: 'testplan-r1', aliases: ['redis'] },
  publish: [6379],
  binds: [],
  anonymousVolumes: ['/data'],
};

t.test(
  'on the run network: aliases, ports published on free 127.0.0.1 host ports, labelled anonymous volumes',
  async (t) => {
    t.same(
      createOptions({
        ...base,
        command: ['redis-server'],
        workdir: '/srv',
        binds: [{ source: '/h', target: '/c', readOnly: true }],
      }),
      {
        name: 'testplan-r1-service-redis',
        Image: 'sha256:abc',
        Cmd: ['redis-server'],
        Env: ['A=1', 'B=x=y'],
        WorkingDir: '/srv',
        Labels: { 'testplan.run': 'r1' },
        ExposedPorts: { '6379/tcp': {} },
        HostConfig: {
          NetworkMode: 'testplan-r1',
          PortBindings: { '6379/tcp': [{ HostIp: '127.0.0.1', HostPort: '' }] },
          Mounts: [
            { Type: 'bind', Source: '/h', Target: '/c', ReadOnly: true },
            {
              Type: 'volume',
              Source: '',
              Target: '/data',
              VolumeOptions: {
                NoCopy: false,
                Labels: { 'testplan.run': 'r1' },
                DriverConfig: { Name: 'local', Options: {} },
              },
            },
          ],
        },
        NetworkingConfig: { EndpointsConfig: { 'testplan-r1': { Aliases: ['redis'] } } },
      },
    );
  },
);

t.test("in another container's namespace: no ports, no aliases, the image's own command", async (t) => {
  const joined = createOptions({ ...base, placement: { joinNamespaceOf: 'owner-id' }, anonymousVolumes: [] });
  t.equal(joined.HostConfig?.NetworkMode, 'container:owner-id');
  t.notOk(joined.ExposedPorts);
  t.notOk(joined.HostConfig?.PortBindings);
  t.notOk(joined.NetworkingConfig);
  t.notOk('Cmd' in joined);
});
