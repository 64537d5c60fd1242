import t from 'tap';
import { execFileSync } from 'node:child_process';
import { hostProbeArgv } from '../../../src/drivers/local/ready-probes.js';
import { argvToScript } from '../../../src/drivers/local/shell-quote.js';
import { localServiceScript } from '../../../src/drivers/local/local-service.js';

t.test('an argv survives the trip through sh -c unchanged', async (t) => {
  const argv = ['printf', '%s\\n', "it's", 'a b', '$HOME', '`id`', '"q"', '', 'plain-1.0'];
  const out = execFileSync('/bin/sh', ['-c', argvToScript(argv)], { encoding: 'utf8' });
  t.same(out.split('\n').slice(0, -1), argv.slice(2));
});

t.test('exec probe arguments: declared ports and ${port} become the free port, other numbers stay', async (t) => {
  t.same(hostProbeArgv(['pg_isready', '-p', '5432', '-h', '127.0.0.1'], 40001, [5432]), [
    'pg_isready',
    '-p',
    '40001',
    '-h',
    '127.0.0.1',
  ]);
  t.same(hostProbeArgv(['redis-cli', '-p', '${port}', 'ping'], 40002, []), ['redis-cli', '-p', '40002', 'ping']);
  t.same(hostProbeArgv(['curl', 'http://127.0.0.1:${port}/x', '--retry', '3'], 40003, [8080]), [
    'curl',
    'http://127.0.0.1:40003/x',
    '--retry',
    '3',
  ]);
  t.same(hostProbeArgv(['cmd', '-p5432'], 40004, [5432]), ['cmd', '-p5432'], 'only whole arguments are port numbers');
});

t.test('${port} in a local command becomes the free port, every time it appears', async (t) => {
  t.equal(
    localServiceScript('redis-server --port ${port} --logfile r-${port}.log', 41000),
    'redis-server --port 41000 --logfile r-41000.log',
  );
});
