import t from 'tap';
import { parseTemplates, renderTemplates } from '../../src/dsl/templates.js';

t.test('parseTemplates finds service references and ${port}, and leaves shell variables alone', async (t) => {
  t.same(parseTemplates('postgres://u@${pg.host}:${pg.port}/db ${HOME} $PATH ${ port }'), [
    { kind: 'service', raw: '${pg.host}', service: 'pg', field: 'host' },
    { kind: 'service', raw: '${pg.port}', service: 'pg', field: 'port' },
    { kind: 'port', raw: '${ port }' },
  ]);
  t.same(parseTemplates('${a.b.c}'), [{ kind: 'service', raw: '${a.b.c}', service: 'a', field: 'b.c' }]);
  t.same(parseTemplates('plain text'), []);
});

t.test('renderTemplates fills what the driver knows and keeps the rest as written', async (t) => {
  const values = {
    service: (s: string, f: 'host' | 'port') => (s === 'pg' ? (f === 'host' ? 'db' : '5432') : undefined),
    port: '40001',
  };
  t.equal(
    renderTemplates('${pg.host}:${pg.port} ${HOME} ${x.host} ${pg.nope} --port ${port}', values),
    'db:5432 ${HOME} ${x.host} ${pg.nope} --port 40001',
  );
  t.equal(renderTemplates('--port ${port}', { service: () => undefined }), '--port ${port}');
});

t.test('shell parameter expansions are never templates; $${…} is the escape for a literal', async (t) => {
  t.same(parseTemplates('${VAR:-default} ${HOME} ${VAR:-a.b} ${#x} ${x/a.b/c} $${pg.host}'), []);
  t.equal(renderTemplates('${VAR:-a.b} $${pg.host} ${pg.host}', { service: () => 'db' }), '${VAR:-a.b} ${pg.host} db');
});
