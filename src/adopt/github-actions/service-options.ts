/** A workflow service's `options:` (docker create flags) → a healthcheck, and the flags that have no equivalent. */
import { splitShellWords } from '../shell-words.js';
import type { HealthcheckInput } from '../compose/healthcheck.js';

const HEALTH: Record<string, keyof HealthcheckInput> = {
  '--health-cmd': 'test',
  '--health-interval': 'interval',
  '--health-timeout': 'timeout',
  '--health-retries': 'retries',
  '--health-start-period': 'start_period',
};

export function parseServiceOptions(options: string): { healthcheck?: HealthcheckInput; other: string[] } {
  const words = splitShellWords(options);
  const health: Record<string, unknown> = {};
  const other: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    const [flag, inline] = word.includes('=')
      ? [word.slice(0, word.indexOf('=')), word.slice(word.indexOf('=') + 1)]
      : [word, undefined];
    const key = HEALTH[flag];
    if (key) {
      const value = inline ?? words[++i] ?? '';
      health[key] = key === 'retries' ? Number(value) : key === 'test' ? ['CMD-SHELL', value] : value;
    } else if (flag === '--no-healthcheck') {
      health.disable = true;
    } else {
      other.push(
        inline === undefined && words[i + 1] !== undefined && !words[i + 1]!.startsWith('-')
          ? `${word} ${words[++i]}`
          : word,
      );
    }
  }
  return { ...(Object.keys(health).length > 0 ? { healthcheck: health as HealthcheckInput } : {}), other };
}
