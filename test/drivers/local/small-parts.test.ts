import t from 'tap';
import { execFileSync } from 'node:child_process';
import { LineSplitter, LineTail } from '../../../src/drivers/local/line-tail.js';
import { hostProbeArgv } from '../../../src/drivers/local/ready-probes.js';
import { argvToScript } from '../../../src/drivers/local/shell-quote.js';
import { localServiceScript } from '../../../src/drivers/local/local-service.js';

t.test('an argv survives the trip through sh -c unchanged', async (t) => {
  const argv = ['printf', '%s\\n', "it's", 'a b', '$HOME', '`id`', '"q"', '', 'plain-1.0'];
  const out = execFileSync('/bin/sh', ['-c', argvToScript(argv)], { encoding: 'utf8' });
  t.same(out.split('\n').slice(0, -1), argv.slice(2));
});

t.test('the line tail keeps the last lines only', async (t) => {
  const tail = new LineTail(3);
  for (const n of [1, 2, 3, 4, 5]) tail.push(`l${n}`);
  t.same(tail.last(), ['l3', 'l4', 'l5']);
  t.same(tail.last(2), ['l4', 'l5']);
  t.same(tail.last(0), []);
});

t.test('the splitter joins lines across chunks, split characters and CRLF, and flushes the rest', async (t) => {
  const lines: string[] = [];
  const splitter = new LineSplitter((l) => lines.push(l));
  const euro = Buffer.from('€');
  splitter.write(Buffer.from('one\r\ntw'));
  splitter.write(Buffer.concat([Buffer.from('o '), euro.subarray(0, 1)]));
  splitter.write(Buffer.concat([euro.subarray(1), Buffer.from('\nlast')]));
  t.same(lines, ['one', 'two €']);
  splitter.flush();
  t.same(lines, ['one', 'two €', 'last']);
});

t.test('exec probe arguments: declared ports and ${port} become the free port, other numbers stay', async (t) => {
  t.same(hostProbeArgv(['pg_isready', '-p', '5432', '-h', '127.0.0.1'], 40001, [5432]), ['pg_isready', '-p', '40001', '-h', '127.0.0.1']);
  t.same(hostProbeArgv(['redis-cli', '-p', '${port}', 'ping'], 40002, []), ['redis-cli', '-p', '40002', 'ping']);
  t.same(hostProbeArgv(['curl', 'http://127.0.0.1:${port}/x', '--retry', '3'], 40003, [8080]), ['curl', 'http://127.0.0.1:40003/x', '--retry', '3']);
  t.same(hostProbeArgv(['cmd', '-p5432'], 40004, [5432]), ['cmd', '-p5432'], 'only whole arguments are port numbers');
});

t.test('${port} in a local command becomes the free port, every time it appears', async (t) => {
  t.equal(localServiceScript('redis-server --port ${port} --logfile r-${port}.log', 41000), 'redis-server --port 41000 --logfile r-41000.log');
});
