import t from 'tap';
import { ownEntryPoint, ownTypes } from '../../src/load/own-package.js';
import { registerTestplanAlias } from '../../src/load/testplan-alias.js';

t.test("'testplan' means the built copy when there is one, else the source", async (t) => {
  t.match(
    ownEntryPoint(() => true),
    /\/src\/index\.js$/,
  );
  t.match(
    ownEntryPoint(() => false),
    /\/src\/index\.ts$/,
  );
  t.match(
    ownTypes(() => true),
    /\/src\/index\.d\.ts$/,
  );
  t.match(
    ownTypes((p) => p.endsWith('.js')),
    /\/src\/index\.js$/,
  );
  t.match(
    ownTypes(() => false),
    /\/src\/index\.ts$/,
  );
});

t.test('the resolve hook is registered once per target and rewrites only the testplan specifier', async (t) => {
  const registered: string[] = [];
  const fake = ((url: string) => void registered.push(url)) as unknown as Parameters<typeof registerTestplanAlias>[1];
  registerTestplanAlias('/opt/testplan/dist/index.js', fake);
  registerTestplanAlias('/opt/testplan/dist/index.js', fake);
  t.equal(registered.length, 1);
  const source = decodeURIComponent(registered[0]!.replace(/^data:text\/javascript,/, ''));
  const hook = (await import(`data:text/javascript,${encodeURIComponent(source)}`)) as {
    resolve: (specifier: string, context: object, next: (s: string, c: object) => string) => Promise<string>;
  };
  const next = (specifier: string) => specifier;
  t.equal(await hook.resolve('testplan', {}, next), 'file:///opt/testplan/dist/index.js');
  t.equal(await hook.resolve('yaml', {}, next), 'yaml');
  t.equal(await hook.resolve('./testplan', {}, next), './testplan');
});
