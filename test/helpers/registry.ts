/**
 * A real OCI registry for tests (scripts/registry.sh: Debian's docker-registry, the CNCF distribution
 * registry) on a free loopback port with its own temp storage, stopped afterwards. Installed when
 * missing; under CI=true a registry that cannot be had fails the test instead of skipping it.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import type { Test } from 'tap';
import { requireOrSkip } from './engine.js';
import { tempDir } from './temp-dir.js';

const SCRIPT = path.resolve(import.meta.dirname, '../../scripts/registry.sh');

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

async function answers(port: number): Promise<boolean> {
  try {
    return (await fetch(`http://127.0.0.1:${port}/v2/`)).status === 200;
  } catch {
    return false;
  }
}

export interface TestRegistry {
  /** `127.0.0.1:PORT`. */
  readonly host: string;
  stop(): Promise<void>;
}

/** Starts a registry for this test (stopped at its end), or skips / fails as requireOrSkip does. */
export async function startRegistry(t: Test): Promise<TestRegistry | undefined> {
  let installed = true;
  try {
    execFileSync('bash', [SCRIPT, 'install'], { stdio: 'ignore', timeout: 300_000 });
  } catch {
    installed = false;
  }
  if (
    !requireOrSkip(
      t,
      installed,
      'the docker-registry package is not installed and could not be (bash scripts/registry.sh install)',
    )
  )
    return undefined;
  const port = await freePort();
  const child: ChildProcess = spawn('bash', [SCRIPT, 'run', tempDir('registry'), String(port)], { stdio: 'ignore' });
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  };
  t.teardown(stop);
  for (let i = 0; i < 300 && !(await answers(port)); i++) await new Promise((r) => setTimeout(r, 100));
  if (!(await answers(port))) {
    t.fail(`the registry did not answer on 127.0.0.1:${port}`);
    return undefined;
  }
  return { host: `127.0.0.1:${port}`, stop };
}
