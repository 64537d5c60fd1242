/**
 * A test command as a team runs it → the same command writing its evidence into `/out`: the flags
 * each runner needs for JUnit/TAP results and lcov/cobertura coverage, inserted right after the
 * runner's own name so that the rest of the command (paths, markers, the team's flags) is untouched.
 * Flags the command already has win: a `--junitxml=reports/x.xml` stays and becomes the results path.
 */
import type { CoverageThresholds } from '../dsl/types.js';

export interface EvidenceCommand {
  /** The command to run; unchanged when no known runner is in it. */
  readonly run: string;
  readonly runner?: string;
  readonly results?: { readonly junit: string } | { readonly tap: string };
  readonly coverage?: { readonly format: 'lcov' | 'cobertura'; readonly path: string };
  /** Thresholds the command itself enforces (`--cov-fail-under`, `c8 --check-coverage --lines`). */
  readonly thresholds: CoverageThresholds;
  /** What a person should check (a reporter package the project may not have, …). */
  readonly guesses: readonly string[];
}

export interface EvidenceOptions {
  /** Measure coverage even when the command does not ask for it (the project has the tool). */
  readonly coverage?: boolean;
  /** The project's test folder or package for `--cov=`; default: the whole working directory. */
  readonly coverSource?: string;
}

interface Runner {
  readonly name: string;
  /** Matches the runner's invocation; flags are inserted at the end of the match. */
  readonly pattern: RegExp;
  readonly apply: (
    command: string,
    at: number,
    options: EvidenceOptions,
  ) => Omit<EvidenceCommand, 'runner' | 'thresholds'>;
}

const insert = (command: string, at: number, flags: string): string =>
  `${command.slice(0, at)} ${flags}${command.slice(at)}`;
const flagValue = (command: string, flag: string): string | undefined =>
  new RegExp(`(?:^|\\s)${flag}(?:=|\\s+)(\\S+)`).exec(command)?.[1]?.replace(/^['"]|['"]$/g, '');

const RUNNERS: readonly Runner[] = [
  {
    name: 'pytest',
    pattern: /(?:^|[\s;&|(])(?:python3?\s+-m\s+pytest|py\.test|pytest)\b/,
    apply: (command, at, options) => {
      const flags: string[] = [];
      const junit = flagValue(command, '--junitxml') ?? '/out/junit.xml';
      if (!/--junitxml\b/.test(command)) flags.push(`--junitxml=${junit}`);
      const wantsCoverage = /--cov\b/.test(command) || options.coverage === true;
      let coverage: EvidenceCommand['coverage'];
      if (wantsCoverage) {
        const existing = /--cov-report[= ]xml:(\S+)/.exec(command)?.[1];
        if (!/--cov\b/.test(command)) flags.push(options.coverSource ? `--cov=${options.coverSource}` : '--cov');
        // A bare `--cov-report=xml` writes ./coverage.xml and, given after ours, would win: it is pointed at /out instead.
        if (!existing && /--cov-report[= ]xml(?![:\w])/.test(command))
          command = command.replace(/--cov-report[= ]xml(?![:\w])/, '--cov-report=xml:/out/coverage.xml');
        else if (!existing) flags.push('--cov-report=xml:/out/coverage.xml');
        coverage = { format: 'cobertura', path: existing ?? '/out/coverage.xml' };
      }
      return {
        run: insert(command, at, flags.join(' ')).trimEnd(),
        results: { junit },
        ...(coverage ? { coverage } : {}),
        guesses: [],
      };
    },
  },
  {
    name: 'vitest',
    pattern: /(?:^|[\s;&|(])(?:npx\s+)?vitest(?:\s+run)?\b/,
    apply: (command, at, options) => {
      const run = /vitest\s+run\b/.test(command) ? command : command.replace(/vitest\b/, 'vitest run');
      const shift = run.length - command.length;
      const flags = ['--reporter=default', '--reporter=junit', '--outputFile.junit=/out/junit.xml'];
      const coverage = options.coverage !== false;
      if (coverage)
        flags.push('--coverage.enabled', '--coverage.reporter=lcov', '--coverage.reportsDirectory=/out/coverage');
      return {
        run: insert(run, at + shift, flags.join(' ')),
        results: { junit: '/out/junit.xml' },
        ...(coverage ? { coverage: { format: 'lcov' as const, path: '/out/coverage/lcov.info' } } : {}),
        guesses: coverage ? ['vitest coverage needs @vitest/coverage-v8 (or -istanbul) in devDependencies'] : [],
      };
    },
  },
  {
    name: 'jest',
    pattern: /(?:^|[\s;&|(])(?:npx\s+)?jest\b/,
    apply: (command, at, options) => {
      const flags = ['--ci', '--reporters=default', '--reporters=jest-junit'];
      const coverage = options.coverage !== false;
      if (coverage) flags.push('--coverage', '--coverageReporters=lcov', '--coverageDirectory=/out/coverage');
      return {
        run: `JEST_JUNIT_OUTPUT_FILE=/out/junit.xml ${insert(command, at, flags.join(' '))}`,
        results: { junit: '/out/junit.xml' },
        ...(coverage ? { coverage: { format: 'lcov' as const, path: '/out/coverage/lcov.info' } } : {}),
        guesses: ['jest writes JUnit through the jest-junit reporter: it must be in devDependencies'],
      };
    },
  },
  {
    name: 'node:test',
    pattern: /(?:^|[\s;&|(])node\s+(?:[^|;&]*?\s)?--test\b/,
    apply: (command, at, options) => {
      const flags = [
        '--test-reporter=spec',
        '--test-reporter-destination=stdout',
        '--test-reporter=junit',
        '--test-reporter-destination=/out/junit.xml',
      ];
      const coverage = options.coverage === true;
      if (coverage)
        flags.push(
          '--experimental-test-coverage',
          '--test-reporter=lcov',
          '--test-reporter-destination=/out/lcov.info',
        );
      return {
        run: insert(command, at, flags.join(' ')),
        results: { junit: '/out/junit.xml' },
        ...(coverage ? { coverage: { format: 'lcov' as const, path: '/out/lcov.info' } } : {}),
        guesses: ["node:test's junit and lcov reporters need Node.js 20.11 or later in the image"],
      };
    },
  },
  {
    name: 'mocha',
    pattern: /(?:^|[\s;&|(])(?:npx\s+)?mocha\b/,
    apply: (command, at) => ({
      // mocha's built-in TAP reporter: no extra package needed.
      run: `${insert(command, at, '--reporter tap')} > /out/results.tap`,
      results: { tap: '/out/results.tap' },
      guesses: ["mocha's output goes to /out/results.tap (its TAP reporter): the phase log shows no test names"],
    }),
  },
  {
    name: 'tap',
    pattern: /(?:^|[\s;&|(])(?:npx\s+)?tap\b(?!\S)/,
    apply: (command, at, options) => {
      const coverage = options.coverage !== false;
      const run = insert(
        command,
        at,
        `--reporter=junit --reporter-file=/out/junit.xml${coverage ? ' --coverage-report=lcov --allow-incomplete-coverage' : ''}`,
      );
      return {
        run: coverage ? `${run}; status=$?; cp .tap/report/lcov.info /out/lcov.info; exit $status` : run,
        results: { junit: '/out/junit.xml' },
        ...(coverage ? { coverage: { format: 'lcov' as const, path: '/out/lcov.info' } } : {}),
        guesses: [],
      };
    },
  },
  {
    name: 'go test',
    pattern: /(?:^|[\s;&|(])go\s+test\b/,
    apply: (command, at) => {
      const args =
        command
          .slice(at)
          .replace(/\s-json\b/, '')
          .trim() || './...';
      const rest = args.includes('-coverprofile') ? args : `-coverprofile=/out/cover.out ${args}`;
      return {
        run:
          `${command.slice(0, at).replace(/go\s+test$/, '')}go run gotest.tools/gotestsum@v1.12.0 --junitfile /out/junit.xml -- ${rest}; status=$?; ` +
          'go run github.com/boumenot/gocover-cobertura@v1.3.0 < /out/cover.out > /out/coverage.xml; exit $status',
        results: { junit: '/out/junit.xml' },
        coverage: { format: 'cobertura', path: '/out/coverage.xml' },
        guesses: [
          'go test output becomes JUnit through gotestsum and coverage through gocover-cobertura (fetched by `go run`: the image needs the module proxy or a vendored copy)',
        ],
      };
    },
  },
  {
    name: 'maven',
    pattern: /(?:^|[\s;&|(])(?:\.\/mvnw|mvn)\b[^;&|\n]*\b(?:test|verify|install)\b/,
    apply: (command) => jvmReports(command, 'target/surefire-reports', 'Maven Surefire'),
  },
  {
    name: 'gradle',
    pattern: /(?:^|[\s;&|(])(?:\.\/gradlew|gradle)\b[^;&|\n]*\b(?:test|check|build)\b/,
    apply: (command) => jvmReports(command, 'build/test-results/test', 'Gradle'),
  },
];

/**
 * Surefire and Gradle write one JUnit file per test class; the plan reads one file, so the suites are
 * gathered under one <testsuites> root after the build, whatever its exit status.
 */
function jvmReports(command: string, dir: string, tool: string): Omit<EvidenceCommand, 'runner' | 'thresholds'> {
  const gather = `{ echo '<testsuites>'; for f in ${dir}/TEST-*.xml; do [ -f "$f" ] && sed '1{/^<?xml/d}' "$f"; done; echo '</testsuites>'; } > /out/junit.xml`;
  return {
    run: `${command}; status=$?; ${gather}; exit $status`,
    results: { junit: '/out/junit.xml' },
    guesses: [
      `${tool} reports from ${dir}/ are gathered into /out/junit.xml; JaCoCo coverage is no format the plan reads (no coverage gate)`,
    ],
  };
}

/** c8 / nyc wrap another command: their lcov goes to /out/coverage. */
const WRAPPER = /(?:^|[\s;&|(])(?:npx\s+)?(c8|nyc)\b/;

export function withEvidence(command: string, options: EvidenceOptions = {}): EvidenceCommand {
  const thresholds = thresholdsIn(command);
  const wrapper = WRAPPER.exec(command);
  let result: EvidenceCommand | undefined;
  for (const runner of RUNNERS) {
    const match = runner.pattern.exec(
      command.replace(/[^\n;&|]*\s--(?:version|help)\b[^\n;&|]*/g, (part) => ' '.repeat(part.length)),
    );
    if (!match) continue;
    const applied = runner.apply(
      command,
      match.index + match[0].length,
      wrapper ? { ...options, coverage: false } : options,
    );
    result = { ...applied, runner: runner.name, thresholds };
    break;
  }
  if (wrapper) {
    const base = result ?? { run: command, thresholds, guesses: [] };
    const at = wrapper.index + wrapper[0].length;
    const run = insert(base.run, at, '--reporter=lcov --reporter=text --report-dir=/out/coverage');
    result = { ...base, run, coverage: { format: 'lcov', path: '/out/coverage/lcov.info' } };
  }
  if (!result) return { run: command, thresholds, guesses: [] };
  return { ...result, run: `mkdir -p /out && ${result.run}` };
}

/** Coverage thresholds a command enforces itself. */
export function thresholdsIn(command: string): CoverageThresholds {
  const out: { -readonly [K in keyof CoverageThresholds]: number } = {};
  const failUnder = /--(?:cov-)?fail-under[= ](\d+(?:\.\d+)?)/.exec(command);
  if (failUnder) out.lines = Number(failUnder[1]);
  if (/(?:c8|nyc)\b[^;&|]*--check-coverage/.test(command)) {
    for (const key of ['lines', 'branches', 'functions', 'statements'] as const) {
      const value = new RegExp(`--${key}[= ](\\d+(?:\\.\\d+)?)`).exec(command)?.[1];
      if (value !== undefined) out[key] = Number(value);
    }
  }
  return out;
}

/** Does this command run tests? (A one-shot compose service or a CI step that is worth a phase.) */
export function looksLikeTests(command: string): boolean {
  // `pytest --version` in a "show versions" step runs no tests.
  command = command
    .split(/&&|\|\||[;|\n]/)
    .filter((part) => !/\s--(?:version|help)\b/.test(part))
    .join('\n');
  return (
    RUNNERS.some((r) => r.pattern.test(command)) ||
    /\b(?:npm|yarn|pnpm)\s+(?:run\s+)?test\b|\bunittest\b|\bmvn\b.*\b(?:test|verify)\b|\bgradlew?\b.*\btest\b|\bmake\s+test\b|\btox\b/.test(
      command,
    )
  );
}
