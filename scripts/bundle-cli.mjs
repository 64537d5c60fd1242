// Bundles the CLI into dist/cli/ (after tsc): one parse instead of hundreds of module files keeps a cold
// `plan check` fast. Heavy dependencies stay external and load only in the chunks of the commands that use them.
import { build } from 'esbuild';
import { chmodSync, readdirSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';

for (const f of readdirSync('dist/cli')) if (f.startsWith('chunk-')) rmSync(`dist/cli/${f}`);

/**
 * Turns `name = require(x)` of a function-valued module into a wrapper that requires on first call;
 * `{ call, construct: true }` for a constructor (`new name(…)`), `{ call, methods }` for an
 * object-valued module (an object of such wrappers).
 */
function lazyRequires(byFile) {
  const wrapper = (call) =>
    typeof call === 'string'
      ? `((...a) => ${call}(...a))`
      : call.construct
        ? `(function (...a) { return new (${call.call})(...a); })`
        : `({ ${call.methods.map((m) => `${m}: (...a) => ${call.call}.${m}(...a)`).join(', ')} })`;
  return {
    name: 'lazy-requires',
    setup(b) {
      b.onLoad({ filter: /node_modules[\\/](dockerode|docker-modem)[\\/]lib[\\/].*\.js$/ }, async (args) => {
        const key = Object.keys(byFile).find((k) => args.path.replaceAll('\\', '/').endsWith(k));
        let contents = await readFile(args.path, 'utf8');
        for (const call of key ? byFile[key] : []) {
          const text = typeof call === 'string' ? call : call.call;
          if (!contents.includes(text))
            throw new Error(`bundle-cli: ${text} not found in ${key}; update the lazy-requires list`);
          contents = contents.replace(text, wrapper(call));
        }
        return { contents, loader: 'js' };
      });
    },
  };
}

/**
 * `import { f } from 'pkg'` in our own modules, for packages whose named exports are functions: a
 * stand-in module whose functions require the package on first call. tar-stream (~6 ms to load, with
 * streamx and friends) is needed when files are copied out of a container, not to start a run.
 * An import of a name not listed here fails the build.
 */
function lazyImports(byPackage) {
  const names = Object.keys(byPackage);
  const filter = new RegExp(`^(${names.map((n) => n.replace(/[/.-]/g, '\\$&')).join('|')})$`);
  return {
    name: 'lazy-imports',
    setup(b) {
      // Packages requiring each other (tar-fs → tar-stream), the stand-in's own require and a dynamic
      // import (lazy already) get the real package.
      b.onResolve({ filter }, (args) =>
        args.namespace === 'lazy-import' || args.importer.includes('node_modules') || args.kind === 'dynamic-import'
          ? undefined
          : { path: args.path, namespace: 'lazy-import' },
      );
      b.onLoad({ filter: /.*/, namespace: 'lazy-import' }, (args) => ({
        contents: byPackage[args.path]
          .map((f) => `export const ${f} = (...a) => require(${JSON.stringify(args.path)}).${f}(...a);`)
          .join('\n'),
        loader: 'js',
        resolveDir: process.cwd(),
      }));
    },
  };
}

await build({
  // The plan-loading worker is its own entry: run-in-worker.ts starts ./load-worker.js next to the CLI's chunks.
  entryPoints: { bin: 'src/cli/bin.ts', 'load-worker': 'src/load/load-worker.ts' },
  outdir: 'dist/cli',
  chunkNames: 'chunk-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // dockerode is bundled so that its session (gRPC) and SSH transports load only when used: a unix or
  // tcp engine with the classic builder never needs them, and they cost ~200 ms of start-up.
  external: [
    'zx',
    'ts-morph',
    'tsx',
    'tsx/*',
    'esbuild',
    'tar-fs',
    'tar-stream',
    '@balena/dockerignore',
    'saxes',
    'ssh2',
    'cpu-features',
    '@grpc/grpc-js',
    '@grpc/proto-loader',
    'protobufjs',
  ],
  plugins: [
    lazyRequires({
      'dockerode/lib/docker.js': ["require('./session')"],
      // A hijacked connection's stream (new HttpDuplex): it loads readable-stream 3 (~85 KB), unused otherwise.
      'docker-modem/lib/modem.js': ["require('./ssh')", { call: "require('./http_duplex')", construct: true }],
      // Build contexts only (the classic builder): tar-fs loads tar-stream.
      'dockerode/lib/util.js': [{ call: "require('tar-fs')", methods: ['pack'] }],
    }),
    lazyImports({ 'tar-stream': ['pack', 'extract'], 'tar-fs': ['pack'] }),
  ],
  banner: {
    js: "import { createRequire as __testplanRequire } from 'node:module'; const require = __testplanRequire(import.meta.url);",
  },
  logLevel: 'warning',
});
// The package's `bin`: `npx plan` runs it as a program, so it must be executable (esbuild writes 0644).
chmodSync('dist/cli/bin.js', 0o755);
