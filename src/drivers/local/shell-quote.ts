/** Quotes one argument for a POSIX shell: single quotes, with embedded single quotes spelled `'\''`. */
export function shellQuote(arg: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** An argv as one `sh -c` script that runs exactly that argv. */
export function argvToScript(argv: readonly string[]): string {
  return argv.map(shellQuote).join(' ');
}
