/**
 * A second, throw-away Docker daemon for tests of how the driver connects (and, later, of several
 * engines): its own data, exec root and pid file in a temp folder, no iptables rules, listening on
 * a unix socket there or on tcp://127.0.0.1:<free port>. It has no images. `stop()` ends it (and
 * the containerd it started) by pid, deletes its bridge and removes its folder; every wait is bounded.
 *
 * Its default bridge is one of its own (`tpd<hex>`, made here with an address in 10.251.0.0/16,
 * outside Docker's default pools). Never `--bridge=none`: a daemon started so DELETES the host's
 * `docker0` interface (libnetwork's removeDefaultBridgeInterface), which breaks the main daemon's
 * default network (builds with RUN steps, `docker run`) for everyone on the machine.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, openSync, closeSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Test } from 'tap';
import { requireOrSkip } from './engine.js';

export interface TestDaemon {
  /** What DOCKER_HOST would say: `unix:///tmp/…/docker.sock` or `tcp://127.0.0.1:<port>`. */
  readonly host: string;
  readonly dir: string;
  readonly pid: number;
  stop(): Promise<void>;
}

const START_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 10_000;

export const DOCKERD_SKIP_REASON =
  'a second dockerd cannot start here (needs root, `dockerd` and `ip` on PATH): run as root on a machine with docker.io';

/** Whether this machine can start a second daemon: dockerd on PATH and root. */
export function canStartDockerd(): boolean {
  if (process.getuid?.() !== 0) return false;
  try {
    execFileSync('dockerd', ['--version'], { stdio: 'ignore', timeout: 10_000 });
    execFileSync('ip', ['-V'], { stdio: 'ignore', timeout: 10_000 });
    return true;
  } catch {
    return false;
  }
}

/** True when the test may start a daemon; otherwise it skips (plan 0) or, under CI=true, fails. */
export function requireDockerd(t: Pick<Test, 'plan' | 'fail'>): boolean {
  return requireOrSkip(t, canStartDockerd(), DOCKERD_SKIP_REASON);
}

export async function startDockerd(listen: 'unix' | 'tcp'): Promise<TestDaemon> {
  const dir = mkdtempSync(join(tmpdir(), 'testplan-dockerd-'));
  const bridge = ownBridge();
  const host = listen === 'unix' ? `unix://${join(dir, 'docker.sock')}` : `tcp://127.0.0.1:${await freePort()}`;
  const log = openSync(join(dir, 'dockerd.log'), 'a');
  const args = [
    `--data-root=${join(dir, 'data')}`,
    `--exec-root=${join(dir, 'exec')}`,
    `--pidfile=${join(dir, 'dockerd.pid')}`,
    `-H=${host}`,
    `--bridge=${bridge}`,
    '--iptables=false',
    '--ip6tables=false',
  ];
  const child = spawn('dockerd', args, { stdio: ['ignore', log, log], detached: true });
  closeSync(log);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const daemon: TestDaemon = { host, dir, pid: child.pid ?? -1, stop: () => stop(child, exited, dir, bridge) };
  try {
    await waitForPing(host, child);
  } catch (err) {
    const tail = readLog(dir).split('\n').slice(-15).join('\n');
    await daemon.stop();
    throw new Error(`${err instanceof Error ? err.message : String(err)}\n${tail}`);
  }
  return daemon;
}

async function waitForPing(host: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(`dockerd for ${host} exited (${child.exitCode ?? child.signalCode})`);
    if (await ping(host)) return;
    await sleep(100);
  }
  throw new Error(`dockerd for ${host} did not answer _ping within ${START_TIMEOUT_MS} ms`);
}

function ping(host: string): Promise<boolean> {
  const target = host.startsWith('unix://')
    ? { socketPath: host.slice('unix://'.length) }
    : { host: '127.0.0.1', port: Number(new URL(host.replace(/^tcp:/, 'http:')).port) };
  return new Promise((resolve) => {
    const req = request({ ...target, path: '/_ping', timeout: 1000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
    req.end();
  });
}

async function stop(child: ChildProcess, exited: Promise<void>, dir: string, bridge: string): Promise<void> {
  // The containerd this daemon started: read before the daemon goes (it may leave it behind when killed).
  const containerdPid = Number.parseInt(readText(join(dir, 'exec', 'containerd', 'containerd.pid')), 10);
  if (child.exitCode === null && child.signalCode === null) {
    child.kill('SIGTERM');
    const ended = await Promise.race([exited.then(() => true), bound().then(() => false)]);
    if (!ended) {
      child.kill('SIGKILL');
      await Promise.race([exited, bound()]);
    }
  }
  if (Number.isInteger(containerdPid) && containerdPid > 0) await killOurs(containerdPid, dir);
  try {
    execFileSync('ip', ['link', 'delete', bridge, 'type', 'bridge'], { stdio: 'ignore', timeout: 10_000 });
  } catch {
    // gone already
  }
  for (let attempt = 0; attempt < 20; attempt++) {
    try {
      rmSync(dir, { recursive: true, force: true });
      return;
    } catch {
      await sleep(100); // a socket or file still held for a moment
    }
  }
}

/** Ends `pid` only while it is still a process of this daemon (its command line names our folder): never a reused pid. */
/** A bridge for the daemon alone, with a /24 of 10.251.0.0/16 that no route on this host uses yet. */
function ownBridge(): string {
  const name = `tpd${randomBytes(3).toString('hex')}`;
  const routes = execFileSync('ip', ['-4', 'route', 'show'], { encoding: 'utf8', timeout: 10_000 });
  const free = [...Array(256).keys()].filter((n) => !routes.includes(`10.251.${n}.`));
  const n = free[randomBytes(1)[0]! % Math.max(1, free.length)] ?? 0;
  execFileSync('ip', ['link', 'add', 'name', name, 'type', 'bridge'], { stdio: 'ignore', timeout: 10_000 });
  execFileSync('ip', ['addr', 'add', `10.251.${n}.1/24`, 'dev', name], { stdio: 'ignore', timeout: 10_000 });
  return name;
}

/** The longest wait for a process to end; unref'd, so a race it lost does not hold the test process open. */
function bound(): Promise<void> {
  return sleep(STOP_TIMEOUT_MS, undefined, { ref: false });
}

async function killOurs(pid: number, dir: string): Promise<void> {
  const ours = () => readText(`/proc/${pid}/cmdline`).includes(dir);
  const signal = (name: NodeJS.Signals) => {
    try {
      if (ours()) process.kill(pid, name);
    } catch {
      // gone meanwhile
    }
  };
  signal('SIGTERM');
  const deadline = Date.now() + STOP_TIMEOUT_MS;
  while (ours() && Date.now() < deadline) await sleep(100);
  signal('SIGKILL');
}

function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

function readLog(dir: string): string {
  return readText(join(dir, 'dockerd.log'));
}

/** A loopback port nothing listens on (just now). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return typeof address === 'object' && address ? address.port : 0;
}
