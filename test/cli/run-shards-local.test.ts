/**
 * A sharded phase on `--driver local`: the files listed on the host (in the phase's local folder), two
 * shards at once, each with its own key-value store process on its own port (each claims the key
 * `owner` and checks it a second later: one shared store breaks that), TAP per shard merged.
 */
import t from 'tap';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readResults, REPO, runCli, tempDir, writePlan } from './e2e-helpers.js';

const KV = join(REPO, 'fixtures/local/kv-server.mjs');

const SHARD_SCRIPT = `import { connect } from 'node:net';
import { writeFileSync } from 'node:fs';
const [host, port] = process.argv.slice(2);
const me = process.env.TESTPLAN_SHARD_INDEX;
const files = process.env.TESTPLAN_SHARD_FILES.split('\\n');
const socket = connect(Number(port), host);
let buffered = '';
const replies = [];
let wake;
socket.on('data', (c) => { buffered += c; let i; while ((i = buffered.indexOf('\\n')) >= 0) { replies.push(buffered.slice(0, i)); buffered = buffered.slice(i + 1); } wake?.(); });
const ask = (line) => new Promise((resolve) => { wake = () => { if (replies.length) { wake = undefined; resolve(replies.shift()); } }; socket.write(line + '\\n'); });
await ask('SET owner ' + me);
await new Promise((r) => setTimeout(r, 1000));
const owner = await ask('GET owner');
socket.end();
const lines = files.map((f, i) => (owner === me ? 'ok ' : 'not ok ') + (i + 1) + ' - ' + f + ' (shard ' + me + ', owner ' + owner + ')');
writeFileSync(process.env.TESTPLAN_OUT + '/shard.tap', 'TAP version 13\\n' + lines.join('\\n') + '\\n1..' + files.length + '\\n');
process.exit(owner === me ? 0 : 1);
`;

t.test('two shards on the host, each with its own store process: merged counts, per-shard results', async (t) => {
  const dir = tempDir('shards-local-suite');
  mkdirSync(join(dir, 'cases'));
  for (const name of ['a', 'b', 'c', 'd']) writeFileSync(join(dir, 'cases', `${name}.case`), name.repeat(10));
  writeFileSync(join(dir, 'cases', 'notes.txt'), 'not a case');
  writeFileSync(join(dir, 'shard.mjs'), SHARD_SCRIPT);
  const file = writePlan({
    name: 'local-shards',
    services: {
      kv: {
        image: 'kv:latest',
        ports: [7000],
        ready: { tcp: { port: 7000 } },
        local: { command: `node ${KV} \${port}` },
      },
    },
    phases: {
      suite: {
        image: 'node:20',
        services: ['kv'],
        shard: { count: 2, files: 'cases/*.case' },
        run: 'node shard.mjs ${kv.host} ${kv.port}',
        local: { workdir: dir },
        results: { tap: '/out/shard.tap' },
      },
    },
  });
  const out = tempDir('shards-local-out');
  const res = await runCli([
    'run',
    file,
    '--driver',
    'local',
    '--reporter',
    'plain',
    '--out',
    out,
    '--concurrency',
    '2',
  ]);
  t.equal(res.code, 0, res.stderr);
  const phase = readResults(out).phases[0]!;
  t.same(phase.counts, { total: 4, passed: 4, failed: 0, errored: 0, skipped: 0 });
  t.same(
    phase.shards!.list.map((s) => s.files),
    [
      ['cases/a.case', 'cases/c.case'],
      ['cases/b.case', 'cases/d.case'],
    ],
    'equal sizes: by path, each to the lighter shard, ties to the first',
  );
  t.same(
    phase.shards!.list.map((s) => s.services.map((i) => i.instance)),
    [['kv--suite-s1'], ['kv--suite-s2']],
  );
});
