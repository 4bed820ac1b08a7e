/** Command-line parsing helpers shared by the subcommands. */
import { parseSize as sizeOf } from '../emulator/isa/size';

/** A mistake in the command line: said with the usage, exit 2. */
export class UsageError extends Error {}

/** A file the command could not read or write: said in one line, exit 2 (like a usage error, without the usage). */
export class FileError extends Error {}

/** `--help` or `-h` among a command's options: main prints that command's usage (exit 0). */
export class HelpRequest extends Error {}

/** Node's reason for a failed file operation, in words ("ENOENT: no such file or directory, open 'x'" → "no such file or directory"). */
export function fsReason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOENT':
      return 'no such file or directory';
    case 'EISDIR':
      return 'it is a directory';
    case 'ENOTDIR':
      return 'a part of the path is not a directory';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
  }
  const m = /^[A-Z]+: (.*?)(, \w+ '.*')?$/.exec((e as Error).message);
  return m ? m[1] : (e as Error).message;
}

/** `ringside: cannot write 'FILE': reason` as a FileError. */
export function cannotWrite(file: string, e: unknown): FileError {
  return new FileError(`cannot write '${file}': ${fsReason(e)}`);
}

/** Parse a size such as 16M, 16MiB, 65536K, 0x1000000 or 4096 (read as the launch attribute `memory` is). */
export function parseSize(text: string, what: string): number {
  const v = sizeOf(text);
  if (Number.isNaN(v)) throw new UsageError(`${what}: '${text}' is not a size (try 16M, 65536K or 0x1000000)`);
  return v;
}

export function parseCount(text: string, what: string): number {
  const t = text.replace(/_/g, '');
  const v = /^0x[0-9a-f]+$/i.test(t) ? Number(t) : /^\d+(e\d+)?$/i.test(t) ? Number(t) : NaN;
  if (!Number.isFinite(v) || v < 0 || !Number.isInteger(v)) throw new UsageError(`${what}: '${text}' is not a whole number`);
  return v;
}

/**
 * Split argv into positional arguments and --options (with values where `valued` says so).
 * `command` names the subcommand in the message for an option it does not take; any other
 * word that starts with '-' is such an option too (`run FILE -o x`), not a file name.
 */
export function splitArgs(argv: readonly string[], valued: readonly string[], flags: readonly string[], command: string): { positional: string[]; options: Map<string, string> } {
  const positional: string[] = [];
  const options = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--help' || a === '-h') throw new HelpRequest(command);
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = eq > 0 ? a.slice(2, eq) : a.slice(2);
      if (valued.includes(name)) {
        const v = eq > 0 ? a.slice(eq + 1) : argv[++i];
        if (v === undefined) throw new UsageError(`--${name} needs a value`);
        options.set(name, v);
      } else if (flags.includes(name)) options.set(name, '');
      else throw new UsageError(`${command} does not take the option --${name}`);
    } else if (a.startsWith('-') && a !== '-') throw new UsageError(`${command} does not take the option ${a}`);
    else positional.push(a);
  }
  return { positional, options };
}
