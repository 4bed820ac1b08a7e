/**
 * The `ringside` launch configuration, checked attribute by attribute: an
 * unknown or ill-typed attribute is an error that names it, so a typo in
 * launch.json never silently does nothing.
 */
import { isa } from '../../emulator';
import type { CostTable } from '../../emulator/isa/costs';
import { t } from '../../language/l10n';

export interface LaunchConfig {
  program: string;
  stopOnEntry: boolean;
  /** Physical memory in bytes. */
  memory?: number;
  tlbEntries?: number;
  stdin: string;
  /** Instructions kept for step back (0: no recording). */
  history: number;
  cwd: string;
  /** The cycle cost table (machine §10), resolved from a preset name or an object. */
  costs: CostTable;
  /** Let the machine compile hot code (the same results, faster); false runs every instruction through the interpreter. */
  jit: boolean;
  /** Run this many instructions (breakpoints off), then stop: where a failed exercise check went wrong. */
  stopAtInstruction?: number;
  /** What that stop says (the failed check). */
  stopAtMessage?: string;
}

export const DEFAULT_HISTORY = 20_000_000;

/** Attributes VS Code (or any client) adds to every configuration. */
const GENERIC = new Set([
  'type', 'request', 'name', 'noDebug', 'presentation', 'internalConsoleOptions', 'preLaunchTask', 'postDebugTask',
  'debugServer', 'serverReadyAction', 'suppressMultipleSessionWarning', 'trace', 'console', 'linux', 'osx', 'windows',
]);

/** Each attribute with what it must be. */
const OURS: Record<string, () => string> = {
  program: () => t('the path of the .rasm file to assemble and run'),
  stopOnEntry: () => t('true or false (stop at the first instruction)'),
  memory: () => t('a size: bytes, or a string such as "16M" or "64K" (a multiple of 4 KiB, at most 1G)'),
  tlbEntries: () => t('a power of two from 1 to 4096'),
  stdin: () => t('a string (the text the guest console reads)'),
  history: () => t('a whole number of instructions kept for step back (0 turns recording off)'),
  cwd: () => t('a directory path (where a relative program path starts)'),
  costs: () => t('a cost preset ({0}) or an object such as {"preset": "vtx-2006", "vmExit": 2000} (entries: {1})', isa.COST_PRESETS.map((p) => `"${p.name}"`).join(', '), isa.COST_ENTRIES.map((e) => e.name).join(', ')),
  jit: () => t('true or false (false runs every instruction through the interpreter: slower, the same results)'),
  stopAtInstruction: () => t('a whole number: run that many instructions, then stop (a failed check\'s instruction)'),
  stopAtMessage: () => t('a string (what the stop at stopAtInstruction says)'),
};

/** The attributes a ringside configuration may set (package.json declares the same ones: a test compares them). */
export const LAUNCH_ATTRIBUTES: readonly string[] = Object.keys(OURS);

export class ConfigError extends Error {}

export function parseLaunchConfig(raw: Record<string, unknown>, defaultCwd: string): LaunchConfig {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new ConfigError(t('the launch configuration must be an object'));
  for (const key of Object.keys(raw)) {
    if (key.startsWith('__') || GENERIC.has(key) || key in OURS) continue;
    throw new ConfigError(t('unknown launch attribute "{0}" (ringside understands: {1})', key, Object.keys(OURS).join(', ')));
  }
  const bad = (key: string, got: unknown) => new ConfigError(t('launch attribute "{0}" must be {1}; got {2}', key, OURS[key](), JSON.stringify(got)));
  const str = (key: string): string | undefined => {
    const v = raw[key];
    if (v === undefined) return undefined;
    if (typeof v !== 'string') throw bad(key, v);
    return v;
  };
  const program = str('program');
  if (program === undefined || program.trim() === '') throw new ConfigError(t('launch attribute "program" is missing: set it to the .rasm file to debug'));
  const stopOnEntry = raw.stopOnEntry ?? false;
  if (typeof stopOnEntry !== 'boolean') throw bad('stopOnEntry', stopOnEntry);

  let memory: number | undefined;
  if (raw.memory !== undefined) {
    memory = isa.parseSize(raw.memory);
    if (!Number.isInteger(memory) || memory <= 0 || memory % 4096 !== 0 || memory > 1 << 30) throw bad('memory', raw.memory);
  }
  let tlbEntries: number | undefined;
  if (raw.tlbEntries !== undefined) {
    const t = raw.tlbEntries;
    if (typeof t !== 'number' || !Number.isInteger(t) || t < 1 || t > 4096 || (t & (t - 1)) !== 0) throw bad('tlbEntries', t);
    tlbEntries = t;
  }
  const history = raw.history ?? DEFAULT_HISTORY;
  if (typeof history !== 'number' || !Number.isInteger(history) || history < 0) throw bad('history', history);
  const stdin = str('stdin') ?? '';
  const cwd = str('cwd') ?? defaultCwd;
  const resolved = isa.resolveCosts(raw.costs as isa.CostSpec | undefined);
  if ('error' in resolved) throw new ConfigError(t('launch attribute "costs": {0}', resolved.error));
  const jit = raw.jit ?? true;
  if (typeof jit !== 'boolean') throw bad('jit', jit);
  const stopAtInstruction = raw.stopAtInstruction;
  if (stopAtInstruction !== undefined && (typeof stopAtInstruction !== 'number' || !Number.isInteger(stopAtInstruction) || stopAtInstruction < 0)) throw bad('stopAtInstruction', stopAtInstruction);
  const stopAtMessage = str('stopAtMessage');
  return { program, stopOnEntry, memory, tlbEntries, stdin, history, cwd, costs: resolved.costs, jit, stopAtInstruction, stopAtMessage };
}
