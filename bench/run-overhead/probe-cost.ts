/**
 * What one readiness probe of a ready Redis costs: the driver's exec probe (exec create → start →
 * stream end → inspect, as the `redis` preset does) against a RESP `PING` over TCP from the runner
 * to the container's address on the run network. Tells how much of the notice latency is the probe.
 */
import { execFileSync } from 'node:child_process';
import { connect } from 'node:net';
import { performance } from 'node:perf_hooks';
import { connectEngine } from '../../src/drivers/docker/connect.js';
import { median } from './measure.js';
import { IMAGES } from './workloads.js';

export interface ProbeCost {
  readonly execMs: number;
  readonly respMs: number;
}

function respPing(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    let reply = '';
    socket.setTimeout(2000, () => socket.destroy());
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (d) => {
      reply += d.toString();
      if (reply.includes('\r\n')) socket.end();
    });
    socket.on('close', () => resolve(reply.startsWith('+PONG')));
    socket.on('error', () => resolve(false));
  });
}

async function timeEach(times: number, probe: () => Promise<boolean>): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < times; i++) {
    const t0 = performance.now();
    if (!(await probe())) throw new Error('probe-cost: a probe of the ready Redis failed');
    samples.push(performance.now() - t0);
  }
  return median(samples);
}

export async function measureProbeCost(times = 10): Promise<ProbeCost> {
  const name = `testplan-bench-probe-${process.pid}`;
  const { engine } = connectEngine();
  try {
    execFileSync('docker', ['network', 'create', name], { stdio: 'pipe' });
    execFileSync('docker', ['run', '-d', '--name', name, '--network', name, IMAGES.redis], { stdio: 'pipe' });
    const ip = execFileSync(
      'docker',
      ['inspect', '--format', `{{(index .NetworkSettings.Networks "${name}").IPAddress}}`, name],
      { encoding: 'utf8' },
    ).trim();
    const exec = async () =>
      (await engine.exec.run(name, ['redis-cli', '-h', '127.0.0.1', 'ping'])).output.includes('PONG');
    const deadline = Date.now() + 10_000;
    while (!(await respPing(ip, 6379))) {
      if (Date.now() > deadline) throw new Error(`probe-cost: Redis at ${ip}:6379 never answered`);
      await new Promise((r) => setTimeout(r, 20));
    }
    return { execMs: await timeEach(times, exec), respMs: await timeEach(times, () => respPing(ip, 6379)) };
  } finally {
    for (const args of [
      ['rm', '-f', name],
      ['network', 'rm', name],
    ]) {
      try {
        execFileSync('docker', args, { stdio: 'pipe' });
      } catch {
        // not created
      }
    }
  }
}
