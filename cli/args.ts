/** Command-line parsing helpers shared by the subcommands. */
import { parseSize as sizeOf } from '../emulator/isa/size';

export class UsageError extends Error {}

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

/** Split argv into positional arguments and --options (with values where `valued` says so). */
export function splitArgs(argv: readonly string[], valued: readonly string[], flags: readonly string[]): { positional: string[]; options: Map<string, string> } {
  const positional: string[] = [];
  const options = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = eq > 0 ? a.slice(2, eq) : a.slice(2);
      if (valued.includes(name)) {
        const v = eq > 0 ? a.slice(eq + 1) : argv[++i];
        if (v === undefined) throw new UsageError(`--${name} needs a value`);
        options.set(name, v);
      } else if (flags.includes(name)) options.set(name, '');
      else throw new UsageError(`unknown option --${name}`);
    } else positional.push(a);
  }
  return { positional, options };
}
