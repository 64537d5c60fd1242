/**
 * NetworkAnchors on a fake swarm (no engine): one global idle service per run on the run's network, and no
 * return until every schedulable node's NetworkDB lists every schedulable node as joined; a node that never
 * does is SWARM_NETWORK_UNSETTLED; an image that cannot idle leaves the run unanchored until another image.
 */
import t from 'tap';
import type { RunIdentity } from '../../../src/drivers/driver.js';
import type { SwarmPort, SwarmServiceSpec, TaskStatus } from '../../../src/drivers/docker/engine/swarm.js';
import { networkName } from '../../../src/drivers/docker/labels.js';
import type { Clock } from '../../../src/drivers/shared/clock.js';
import { NetworkAnchors } from '../../../src/drivers/swarm/network-anchor.js';

const run: RunIdentity = { runId: 'r-1', plan: 'p', labels: {}, outDir: '/tmp/x' };
const NET = networkName(run.runId);
const NODES = [
  { id: 'n1', hostname: 'a', address: '10.0.0.1', schedulable: true, labels: {} },
  { id: 'n2', hostname: 'b', address: '10.0.0.2', schedulable: true, labels: {} },
  { id: 'n3', hostname: 'c', address: '10.0.0.3', schedulable: true, labels: {} },
  // Drained: Swarm puts no global task there, so it is neither waited for nor expected as a peer.
  { id: 'n4', hostname: 'd', address: '10.0.0.4', schedulable: false, labels: {} },
];
const ALL = ['10.0.0.1', '10.0.0.2', '10.0.0.3'];

interface FakeSwarm {
  swarm: SwarmPort;
  created: SwarmServiceSpec[];
  removed: string[];
  /** Peers each node reports for NET, per poll (the last one repeats). */
  peers: Map<string, (string[] | undefined)[]>;
  peerCalls: Map<string, number>;
  /** State of every anchor task, per image. */
  taskState: (image: string) => TaskStatus['state'];
}

function fakeSwarm(): FakeSwarm {
  const f: FakeSwarm = {
    created: [],
    removed: [],
    peers: new Map(),
    peerCalls: new Map(),
    taskState: () => 'running',
    swarm: undefined as unknown as SwarmPort,
  };
  const unused = () => Promise.reject(new Error('not used'));
  f.swarm = {
    createService: async (spec) => {
      f.created.push(spec);
      return `svc-${f.created.length}`;
    },
    removeService: async (id) => {
      f.removed.push(id);
    },
    listServices: unused,
    tasks: async (id) => {
      const spec = f.created[Number(id.slice(4)) - 1]!;
      const state = f.taskState(spec.image);
      return NODES.filter((n) => n.schedulable).map((n) => ({
        id: `${id}-${n.id}`,
        nodeId: n.id,
        state,
        rawState: state,
        at: new Date(0).toISOString(),
        message: '',
        ...(state === 'running' ? { containerId: `c-${n.id}` } : { error: 'exec: "sh": not found' }),
      }));
    },
    nodes: async () => NODES,
    createOverlay: unused,
    networkPeers: unused,
    tag: unused,
    push: unused,
  };
  return f;
}

function nodeViews(f: FakeSwarm) {
  return {
    swarmOf: async (nodeId: string): Promise<SwarmPort> => ({
      ...f.swarm,
      networkPeers: async (name: string) => {
        if (name !== NET) throw new Error(`asked about ${name}`);
        const calls = f.peerCalls.get(nodeId) ?? 0;
        f.peerCalls.set(nodeId, calls + 1);
        const seq = f.peers.get(nodeId) ?? [ALL];
        return seq[Math.min(calls, seq.length - 1)];
      },
    }),
  };
}

/** Time moves only when the code under test sleeps. */
function steppedClock(): Clock {
  let now = 0;
  return {
    now: () => now,
    sleep: async (ms) => {
      now += ms;
    },
  };
}

t.test('one global idle service on the run network; returns once every node sees every schedulable node', async (t) => {
  const f = fakeSwarm();
  // n2 first has not joined, then sees only itself, then n1 too, then everyone.
  f.peers.set('n2', [undefined, ['10.0.0.2'], ['10.0.0.2', '10.0.0.1'], ALL]);
  const anchors = new NetworkAnchors({ swarm: f.swarm, nodes: nodeViews(f), clock: steppedClock() });
  await anchors.ensure(run, 'img-a', new AbortController().signal);
  t.equal(f.created.length, 1);
  t.match(f.created[0], { image: 'img-a', network: NET, global: true, job: false, command: ['sh', '-c', /trap/] });
  t.equal(f.peerCalls.get('n2'), 4, 'asked n2 until it saw all three');
  t.notOk(f.peerCalls.has('n4'), 'the drained node is not asked');

  await anchors.ensure(run, 'img-b', new AbortController().signal);
  t.equal(f.created.length, 1, 'once per run');
  await anchors.remove(run.runId);
  t.same(f.removed, ['svc-1'], 'remove takes the anchor service away');
});

t.test('a node that never sees another: SWARM_NETWORK_UNSETTLED naming both, anchor removed', async (t) => {
  const f = fakeSwarm();
  f.peers.set('n3', [['10.0.0.2', '10.0.0.3']]);
  const anchors = new NetworkAnchors({ swarm: f.swarm, nodes: nodeViews(f), clock: steppedClock() });
  await t.rejects(anchors.ensure(run, 'img-a', new AbortController().signal), {
    code: 'SWARM_NETWORK_UNSETTLED',
    message: /node c \(10\.0\.0\.3\) to see 10\.0\.0\.1 joined.*7946/s,
  });
  t.same(f.removed, ['svc-1']);
});

t.test(
  'an image that cannot idle leaves the run unanchored; another image is tried, the same one not again',
  async (t) => {
    const f = fakeSwarm();
    f.taskState = (image) => (image === 'distroless' ? 'failed' : 'running');
    const anchors = new NetworkAnchors({ swarm: f.swarm, nodes: nodeViews(f), clock: steppedClock() });
    await anchors.ensure(run, 'distroless', new AbortController().signal);
    t.same(f.removed, ['svc-1'], 'the failed anchor is removed');
    await anchors.ensure(run, 'distroless', new AbortController().signal);
    t.equal(f.created.length, 1, 'not tried twice with the same image');
    await anchors.ensure(run, 'with-sh', new AbortController().signal);
    t.equal(f.created.length, 2);
    t.equal(f.created[1]!.image, 'with-sh');
    await anchors.ensure(run, 'other', new AbortController().signal);
    t.equal(f.created.length, 2, 'anchored: no more');
  },
);
