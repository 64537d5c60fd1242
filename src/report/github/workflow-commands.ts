/** GitHub Actions workflow commands (`::error …::`, `::group::`), escaped as the runner expects. */
import { randomUUID } from 'node:crypto';
import { toPlainText } from '../../text/ansi.js';

/** Escapes a command's message: `%`, CR and LF. */
export function escapeData(value: string): string {
  return toPlainText(value).replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Escapes a property value (`title=`, `file=`): as data, plus `:` and `,` which delimit properties. */
export function escapeProperty(value: string): string {
  return escapeData(value).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

export type AnnotationLevel = 'error' | 'warning' | 'notice';

export function annotation(
  level: AnnotationLevel,
  message: string,
  properties: Readonly<Record<string, string | number | undefined>> = {},
): string {
  const props = Object.entries(properties)
    .filter((entry): entry is [string, string | number] => entry[1] !== undefined && entry[1] !== '')
    .map(([key, value]) => `${key}=${escapeProperty(String(value))}`)
    .join(',');
  return `::${level}${props ? ` ${props}` : ''}::${escapeData(message)}`;
}

// The runner reads a line as a command when, after leading spaces, it starts with `::` (or the old `##[`).
const COMMAND_LIKE = /^\s*(?:::|##\[)/;

export interface GroupOptions {
  /** Token for `::stop-commands::`; random by default. Injected by tests. */
  readonly token?: string;
}

/**
 * A collapsible group of log lines. Log output is untrusted: when a line could be read as a
 * workflow command, command processing is paused around the lines so the log cannot issue any.
 */
export function groupLines(title: string, lines: readonly string[], options: GroupOptions = {}): string[] {
  const plain = lines.map((line) => toPlainText(line));
  const risky = plain.some((line) => COMMAND_LIKE.test(line));
  const body = risky ? fenceCommands(plain, options.token ?? randomUUID().replace(/-/g, '')) : plain;
  return [`::group::${escapeData(title)}`, ...body, '::endgroup::'];
}

function fenceCommands(lines: readonly string[], token: string): string[] {
  return [`::stop-commands::${token}`, ...lines, `::${token}::`];
}
