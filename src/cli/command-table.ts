/**
 * Every command of `plan` with its options, declared once: the parser reads them (args.ts) and the help
 * is generated from them (help.ts). Adding a command is one entry here and one module under commands/.
 * Implementations load on demand: `plan check` must not pay for dockerode, zx or ts-morph.
 */
import type { CommandContext } from './context.js';

export interface OptionSpec {
  readonly type: 'string' | 'boolean';
  readonly multiple?: boolean;
  readonly short?: string;
  readonly default?: boolean;
  /** Placeholder of the value in help, e.g. `NAME`. */
  readonly value?: string;
  readonly help: string;
  /** Environment variable read when the option is not given. */
  readonly env?: string;
}

export type Command = (argv: readonly string[], ctx: CommandContext) => Promise<number>;

export interface CommandSpec {
  /** Positional arguments as help shows them, e.g. `[file]`. */
  readonly args?: string;
  readonly summary: string;
  /** More usage lines for a command with sub-commands, e.g. `import compose FILE   a compose file → a plan`. */
  readonly usage?: readonly string[];
  readonly options: Readonly<Record<string, OptionSpec>>;
  readonly load: () => Promise<Command>;
}

const driver = {
  type: 'string',
  value: 'KIND',
  help: 'docker (default), local (host processes, no engine) or swarm (DOCKER_HOST is a Swarm manager)',
  env: 'TESTPLAN_DRIVER',
} as const;
const phase = {
  type: 'string',
  multiple: true,
  value: 'NAME',
  help: 'this phase and what it needs (repeatable)',
} as const;
const loadTimeout = {
  type: 'string',
  value: 'DURATION',
  help: 'time a .plan.ts/.plan.js may take to load (default 10s)',
} as const;
const noNeeds = {
  type: 'boolean',
  default: false,
  help: 'run the --phase phases alone: their needs count as satisfied and are not run',
} as const;
const profile = {
  type: 'string',
  multiple: true,
  value: 'NAME',
  help: 'enable services/phases with this profile (repeatable)',
} as const;

export const COMMANDS = {
  run: {
    args: '[file]',
    summary: 'run the plan; the exit code is the verdict',
    options: {
      phase,
      'no-needs': noNeeds,
      profile,
      driver,
      'load-timeout': loadTimeout,
      registry: {
        type: 'string',
        value: 'HOST:PORT',
        help: 'under --driver swarm: the registry images are pushed to and the nodes pull from',
        env: 'TESTPLAN_SWARM_REGISTRY',
      },
      concurrency: {
        type: 'string',
        value: 'N',
        help: "phases in parallel (default: the plan's concurrency, else the number of cores)",
      },
      'fail-fast': { type: 'boolean', default: false, help: 'stop at the first failing phase' },
      keep: { type: 'boolean', default: false, help: 'leave services and the network running for debugging' },
      out: { type: 'string', value: 'DIR', help: 'output folder (default .testplan/runs/<run-id>)' },
      baseline: {
        type: 'string',
        value: 'REF',
        help: 'compare with this run: a results.json, a run id, or a git ref (the latest stored run of that commit). Default: the previous run of the plan on this branch',
      },
      'no-baseline': { type: 'boolean', default: false, help: 'no "Since baseline" comparison' },
      reporter: {
        type: 'string',
        multiple: true,
        value: 'NAME',
        help: 'live, plain, github or json (one JSON event per line on stdout); repeatable. Default: live on a terminal, plain otherwise, plus github under GitHub Actions',
      },
      'no-cache': {
        type: 'boolean',
        default: false,
        help: 'reuse no cached phase result (passing results are still stored)',
      },
      'cache-dir': {
        type: 'string',
        value: 'DIR',
        help: 'the phase results cache (default <user cache>/testplan/phases)',
        env: 'TESTPLAN_CACHE_DIR',
      },
      'cache-from': {
        type: 'string',
        value: 'URL',
        help: 'keep phase results in an OCI registry instead: registry://HOST[:PORT]/REPOSITORY',
        env: 'TESTPLAN_CACHE_FROM',
      },
      quiet: { type: 'boolean', short: 'q', default: false, help: 'only the verdict' },
      verbose: { type: 'boolean', short: 'v', default: false, help: 'also build and service output' },
    },
    load: async () => (await import('./commands/run.js')).runCommand,
  },
  check: {
    args: '[file]',
    summary: 'validate the plan',
    options: {
      types: { type: 'boolean', default: false, help: 'also type-check a .plan.ts' },
      'load-timeout': loadTimeout,
    },
    load: async () => (await import('./commands/check.js')).checkCommand,
  },
  graph: {
    args: '[file]',
    summary: 'print the step graph',
    options: {
      format: { type: 'string', value: 'FORMAT', help: 'text (default), mermaid or json' },
      phase,
      'no-needs': noNeeds,
      profile,
      'load-timeout': loadTimeout,
    },
    load: async () => (await import('./commands/graph.js')).graphCommand,
  },
  report: {
    args: 'FILE | --compare BASE.json CURRENT.json',
    summary: 're-render report.md and junit.xml from a results.json, or compare two runs',
    options: {
      out: {
        type: 'string',
        value: 'DIR',
        help: 'output folder (default: the folder of FILE); with --compare, the markdown file to write (default: stdout)',
      },
      compare: {
        type: 'boolean',
        default: false,
        help: 'print what changed from the first run to the second ("Since baseline") as markdown',
      },
    },
    load: async () => (await import('./commands/report.js')).reportCommand,
  },
  list: {
    summary: 'list the plans under plans/',
    options: {},
    load: async () => (await import('./commands/list.js')).listCommand,
  },
  prune: {
    summary: 'remove what killed runs left behind',
    options: {
      all: { type: 'boolean', default: false, help: 'every testplan run, not only those whose runner is gone' },
      plan: { type: 'string', value: 'NAME', help: 'only runs of this plan' },
      driver,
    },
    load: async () => (await import('./commands/prune.js')).pruneCommand,
  },
  cache: {
    args: 'prune',
    summary: 'bound the phase results cache: drop entries unused for --max-age, then the oldest past --max-size',
    options: {
      'max-size': { type: 'string', value: 'SIZE', help: 'e.g. 500MB, 2GB (default 2GB)' },
      'max-age': { type: 'string', value: 'DURATION', help: 'e.g. 7d, 12h (default 14d)' },
      'cache-dir': {
        type: 'string',
        value: 'DIR',
        help: 'the phase results cache (default <user cache>/testplan/phases)',
        env: 'TESTPLAN_CACHE_DIR',
      },
    },
    load: async () => (await import('./commands/cache.js')).cacheCommand,
  },
  init: {
    args: '[dir]',
    summary: 'write plans/<name>.plan.ts for a repository (runners, images, services, gates)',
    options: {
      base: { type: 'string', value: 'IMAGE', help: 'base image of a generated Dockerfile.test' },
      name: { type: 'string', value: 'NAME', help: 'plan name (default: the folder or package name)' },
      force: { type: 'boolean', default: false, help: 'overwrite an existing plan file' },
      count: {
        type: 'boolean',
        default: false,
        help: 'run the new plan once and set gates.tests.minExecuted from its count',
      },
    },
    load: async () => (await import('./commands/init.js')).initCommand,
  },
  import: {
    args: 'compose FILE | github-actions FILE',
    summary: 'an existing docker-compose file or CI workflow job → a typed plan',
    options: {
      out: { type: 'string', value: 'FILE', help: 'where to write (default <repo>/plans/<name>.plan.ts)' },
      job: { type: 'string', value: 'NAME', help: 'the workflow job to import (github-actions)' },
      name: { type: 'string', value: 'NAME', help: 'plan name' },
      force: { type: 'boolean', default: false, help: 'overwrite an existing plan file' },
    },
    load: async () => (await import('./commands/import.js')).importCommand,
  },
  export: {
    args: 'compose|github-actions [file]',
    summary: 'the plan as a compose file, or a workflow that runs it as the gate step',
    options: {
      out: { type: 'string', value: 'FILE', help: 'write here instead of stdout' },
      force: { type: 'boolean', default: false, help: 'overwrite FILE' },
    },
    load: async () => (await import('./commands/export.js')).exportCommand,
  },
} as const satisfies Record<string, CommandSpec>;

export type CommandName = keyof typeof COMMANDS;

export function isCommand(name: string): name is CommandName {
  return Object.hasOwn(COMMANDS, name);
}
