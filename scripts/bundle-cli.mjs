// Bundles the CLI into dist/cli/ (after tsc): one parse instead of hundreds of module files keeps a cold
// `plan check` fast. Heavy dependencies stay external and load only in the chunks of the commands that use them.
import { build } from 'esbuild';
import { chmodSync, readdirSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';

for (const f of readdirSync('dist/cli')) if (f.startsWith('chunk-')) rmSync(`dist/cli/${f}`);

/** Turns `name = require(x)` of a function-valued module into a wrapper that requires on first call. */
function lazyRequires(byFile) {
  return {
    name: 'lazy-requires',
    setup(b) {
      b.onLoad({ filter: /node_modules[\\/](dockerode|docker-modem)[\\/]lib[\\/].*\.js$/ }, async (args) => {
        const key = Object.keys(byFile).find((k) => args.path.replaceAll('\\', '/').endsWith(k));
        let contents = await readFile(args.path, 'utf8');
        for (const call of key ? byFile[key] : []) {
          if (!contents.includes(call))
            throw new Error(`bundle-cli: ${call} not found in ${key}; update the lazy-requires list`);
          contents = contents.replace(call, `((...a) => ${call}(...a))`);
        }
        return { contents, loader: 'js' };
      });
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
      'docker-modem/lib/modem.js': ["require('./ssh')"],
    }),
  ],
  banner: {
    js: "import { createRequire as __testplanRequire } from 'node:module'; const require = __testplanRequire(import.meta.url);",
  },
  logLevel: 'warning',
});
// The package's `bin`: `npx plan` runs it as a program, so it must be executable (esbuild writes 0644).
chmodSync('dist/cli/bin.js', 0o755);
