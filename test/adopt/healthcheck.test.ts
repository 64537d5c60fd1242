import t from 'tap';
import { readyFromHealthcheck } from '../../src/adopt/compose/healthcheck.js';

t.test('test forms: CMD list, CMD-SHELL, a bare string, NONE, disable', async (t) => {
  t.same(readyFromHealthcheck({ test: ['CMD', '/bin/ok', '-v'] }, {}).ready?.exec, ['/bin/ok', '-v']);
  t.equal(readyFromHealthcheck({ test: ['CMD-SHELL', 'test -f /ready'] }, {}).ready?.exec, 'test -f /ready');
  t.equal(readyFromHealthcheck({ test: 'test -f /ready' }, {}).ready?.exec, 'test -f /ready', 'a string is CMD-SHELL');
  t.equal(readyFromHealthcheck({ test: ['NONE'] }, {}).ready, undefined);
  t.equal(readyFromHealthcheck({ test: ['CMD', 'x'], disable: true }, {}).ready, undefined);
  t.match(readyFromHealthcheck({}, {}).warnings[0], /without a test/);
});

t.test("timing: the give-up point is compose's, with its defaults", async (t) => {
  t.equal(readyFromHealthcheck({ test: 'x' }, {}).ready?.timeout, '3m', 'defaults: 3 × (30s + 30s)');
  t.equal(
    readyFromHealthcheck({ test: 'x', interval: '500ms', timeout: '1s', retries: 4, start_period: '1m30s' }, {}).ready
      ?.timeout,
    '96s',
  );
  t.match(readyFromHealthcheck({ test: 'x', interval: 'soon' }, {}).warnings[0], /interval 'soon' is not a duration/);
});

t.test(
  'probes Testplan does better: postgres and redis presets, http for a local URL; not for anything else',
  async (t) => {
    t.same(readyFromHealthcheck({ test: ['CMD-SHELL', 'pg_isready -U app'] }, { POSTGRES_DB: 'appdb' }).ready, {
      preset: 'postgres',
      user: 'app',
      database: 'appdb',
      timeout: '3m',
    });
    t.same(readyFromHealthcheck({ test: ['CMD', 'pg_isready', '--username=u', '-p', '5433'] }, {}).ready, {
      preset: 'postgres',
      user: 'u',
      port: 5433,
      timeout: '3m',
    });
    t.same(readyFromHealthcheck({ test: ['CMD', 'redis-cli', '-p', '6380', 'ping'] }, {}).ready, {
      preset: 'redis',
      port: 6380,
      timeout: '3m',
    });
    t.same(readyFromHealthcheck({ test: 'wget -qO- http://localhost:3000/healthz?deep=1 || exit 1' }, {}).ready, {
      http: { port: 3000, path: '/healthz?deep=1' },
      timeout: '3m',
    });
    t.same(
      readyFromHealthcheck({ test: 'curl -f http://example.com/' }, {}).ready?.exec,
      'curl -f http://example.com/',
      'a remote URL stays a command',
    );
    t.same(
      readyFromHealthcheck({ test: 'curl -s http://localhost/ | grep ok' }, {}).ready?.exec,
      'curl -s http://localhost/ | grep ok',
      'output checked by a pipe: kept as is',
    );
    t.same(readyFromHealthcheck({ test: ['CMD', 'redis-cli', 'info'] }, {}).ready?.exec, ['redis-cli', 'info']);
  },
);
