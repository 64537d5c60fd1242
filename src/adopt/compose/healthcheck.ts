/**
 * A compose `healthcheck:` (or a CI service's `--health-cmd …` options) → a ready probe.
 * Commands Testplan has a better probe for become that probe: `pg_isready` → the postgres preset
 * (over TCP, so the image's init-time server on the Unix socket does not fool it), `redis-cli ping`
 * → the redis preset (speaks RESP), `curl`/`wget` of a local URL → an http probe. Compose's timing
 * becomes the same give-up point: start_period + retries × (interval + timeout); Testplan polls
 * from 50 ms and backs off, so the interval and retries themselves are not copied.
 */
import type { Draft, DraftObject, DraftPath, DraftValue } from '../plan/draft.js';
import { exactDuration, parseDockerDuration } from '../duration.js';
import { joinShellWords, splitShellWords } from '../shell-words.js';

export interface HealthcheckInput {
  readonly test?: string | readonly string[];
  readonly interval?: string;
  readonly timeout?: string;
  readonly retries?: number;
  readonly start_period?: string;
  readonly disable?: boolean;
}

export interface MappedProbe {
  readonly ready?: DraftObject;
  readonly guesses: readonly string[];
  readonly warnings: readonly string[];
}

const COMPOSE_DEFAULTS = { interval: 30_000, timeout: 30_000, retries: 3, startPeriod: 0 };

/**
 * Maps a health check onto a service entry: `ready` when it maps, its guesses and warnings noted at
 * `<base>.ready`; without one, the guess that the service counts as ready once started (`missing` says
 * what was absent). The env's string values are what the check's `$VAR`s may read.
 */
export function addReadyProbe(
  draft: Draft,
  base: DraftPath,
  entry: DraftObject,
  hc: HealthcheckInput | undefined,
  env: Readonly<Record<string, DraftValue>> | undefined,
  missing: string,
): void {
  if (!hc) {
    draft.guess(base, `${missing}: the service counts as ready once started; add a ready probe if the tests race it`);
    return;
  }
  const strings = Object.fromEntries(Object.entries(env ?? {}).filter(([, v]) => typeof v === 'string')) as Record<
    string,
    string
  >;
  const probe = readyFromHealthcheck(hc, strings);
  if (probe.ready) entry.ready = probe.ready;
  for (const g of probe.guesses) draft.guess([...base, 'ready'], g);
  for (const w of probe.warnings) draft.warn([...base, 'ready'], w);
}

export function readyFromHealthcheck(hc: HealthcheckInput, env: Readonly<Record<string, string>>): MappedProbe {
  const guesses: string[] = [];
  const warnings: string[] = [];
  const test = typeof hc.test === 'string' ? ['CMD-SHELL', hc.test] : hc.test;
  if (hc.disable === true || test?.[0] === 'NONE')
    return { guesses, warnings: ['healthcheck disabled (NONE): the service is used as soon as it started'] };
  if (!test || test.length === 0)
    return {
      guesses,
      warnings: ["healthcheck without a test: the image's own HEALTHCHECK is not read; add a ready probe"],
    };

  const [form, ...rest] = test;
  const shell = form === 'CMD-SHELL' ? rest.join(' ') : undefined;
  const words = form === 'CMD' ? rest : shell !== undefined ? splitShellWords(shell) : [...test];
  const commandText = shell ?? joinShellWords(words);
  let ready: DraftObject =
    form === 'CMD' ? { exec: [...rest] } : form === 'CMD-SHELL' ? { exec: shell ?? '' } : { exec: [...test] };

  const special = specialProbe(words, commandText, env);
  if (special) {
    ready = special.ready;
    guesses.push(special.why);
  }

  const ms = (value: string | undefined, fallback: number, key: string): number => {
    if (value === undefined) return fallback;
    const parsed = parseDockerDuration(value);
    if (parsed === undefined) warnings.push(`healthcheck ${key} '${value}' is not a duration: compose's default used`);
    return parsed ?? fallback;
  };
  const interval = ms(hc.interval, COMPOSE_DEFAULTS.interval, 'interval');
  const timeout = ms(hc.timeout, COMPOSE_DEFAULTS.timeout, 'timeout');
  const startPeriod = ms(hc.start_period, COMPOSE_DEFAULTS.startPeriod, 'start_period');
  const retries = hc.retries ?? COMPOSE_DEFAULTS.retries;
  const giveUp = startPeriod + retries * (interval + timeout);
  ready.timeout = exactDuration(giveUp);
  guesses.push(
    `timeout is compose's give-up point: start_period ${exactDuration(startPeriod)} + retries ${retries} × (interval ${exactDuration(interval)} + timeout ${exactDuration(timeout)}); Testplan polls from 50ms`,
  );
  return { ready, guesses, warnings };
}

interface Special {
  readonly ready: DraftObject;
  readonly why: string;
}

function specialProbe(
  words: readonly string[],
  text: string,
  env: Readonly<Record<string, string>>,
): Special | undefined {
  if (words.some((w) => w.endsWith('pg_isready'))) {
    const user = option(words, ['-U', '--username']) ?? env.POSTGRES_USER;
    const database = option(words, ['-d', '--dbname']) ?? env.POSTGRES_DB;
    const port = option(words, ['-p', '--port']);
    return {
      ready: {
        preset: 'postgres',
        ...(user ? { user } : {}),
        ...(database ? { database } : {}),
        ...(port && /^\d+$/.test(port) ? { port: Number(port) } : {}),
      },
      why: `was \`${text}\`: the postgres preset runs pg_isready over TCP, which the init-time server on the Unix socket cannot fool`,
    };
  }
  if (words.some((w) => w.endsWith('redis-cli')) && words.some((w) => w.toLowerCase() === 'ping')) {
    const port = option(words, ['-p']);
    return {
      ready: { preset: 'redis', ...(port && /^\d+$/.test(port) ? { port: Number(port) } : {}) },
      why: `was \`${text}\`: the redis preset sends PING itself and needs no redis-cli in the image`,
    };
  }
  // `curl -f URL`, `curl -fsS URL >/dev/null || wget -qO- URL`, `… || exit 1`: one URL asked, the exit code kept.
  const first = splitShellWords(text.split('||')[0]!).filter((w) => !/^\d?>/.test(w) && w !== '/dev/null');
  const alternatives = text
    .split('||')
    .slice(1)
    .map((alt) => alt.trim());
  const onlyFallbacks = alternatives.every(
    (alt) => /^exit\s+1$/.test(alt) || /^(?:curl|wget)\b/.test(alt) || /^python3? -c .*urllib/.test(alt),
  );
  const url = /^(?:curl|wget)$/.test(first[0]?.split('/').pop() ?? '')
    ? first.find((w) => /^https?:\/\/(?:localhost|127\.0\.0\.1|0\.0\.0\.0)[:/]/.test(w))
    : undefined;
  if (url && onlyFallbacks && !/[|;&]/.test(text.split('||')[0]!.replace(/\d?>\s*\/dev\/null|\d?>&\d/g, ''))) {
    const parsed = new URL(url);
    const port = Number(parsed.port || (parsed.protocol === 'https:' ? 443 : 80));
    if (parsed.protocol === 'http:') {
      return {
        ready: { http: { port, path: `${parsed.pathname}${parsed.search}` } },
        why: `was \`${text}\`: an http probe asks the same URL from the run's network and needs no curl in the image (any 2xx/3xx is ready)`,
      };
    }
  }
  return undefined;
}

function option(words: readonly string[], names: readonly string[]): string | undefined {
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    for (const name of names) {
      if (w === name) return words[i + 1];
      if (name.startsWith('--') && w.startsWith(`${name}=`)) return w.slice(name.length + 1);
      if (!name.startsWith('--') && w.startsWith(name) && w.length > name.length) return w.slice(name.length);
    }
  }
  return undefined;
}
