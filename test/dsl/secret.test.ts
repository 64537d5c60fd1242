import t from 'tap';
import { inspect } from 'node:util';
import { Secret, redact } from '../../src/dsl/secret.js';

t.test('a secret never shows its value through string conversion, JSON or inspect', async (t) => {
  const s = new Secret('hunter2', 'services.postgres.env.POSTGRES_PASSWORD');
  t.equal(`${s}`, '***');
  t.equal(JSON.stringify({ s }), '{"s":"***"}');
  t.notMatch(inspect(s), /hunter2/);
  t.equal(s.reveal(), 'hunter2');
});

t.test('redact replaces every occurrence of every secret', async (t) => {
  const secrets = [new Secret('hunter2', 'a'), new Secret('tok', 'b')];
  t.equal(redact('pw=hunter2 again hunter2 tok', secrets), 'pw=*** again *** ***');
  t.equal(redact('nothing here', []), 'nothing here');
});
