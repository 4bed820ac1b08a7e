/**
 * Completions in the Debug Console: the console's commands at the start of a line (`info t` →
 * `info tlb`), then every name an expression may use — registers, flags, the program's labels
 * and `.equ` names, and the VMCS fields while a VMCS is current.
 */
import { isa, Machine } from '../../emulator';
import { FLAGS, MACHINE_NAMES } from '../engine/machineEnv';
import type { Program } from '../engine/program';
import { hex32 as hex } from '../../emulator/isa/hex';

const COMMANDS: [string, string][] = [
  ['info tlb', 'the TLB: every valid entry and the hit/miss counters'],
  ['info pt', 'the page tables of the current address space (info pt VA: the walk for VA)'],
  ['va2pa', 'translate a virtual address, with every memory read of the walk'],
  ['info vmcs', 'the fields of the current VMCS'],
  ['info exits', 'VM exits: counts by reason per VM, and the latest ones'],
  ['info cycles', 'the cycle count: by cause, the cost table, and per VM'],
  ['x/4w', 'examine words (x/Nw), bytes (x/Nb) or instructions (x/Ni) at an address'],
  ['input', 'type a line into the guest\'s console'],
  ['help', 'what the console understands'],
];

/** A completion as DAP's CompletionItem has it (views know no DAP types; the shape is the same). */
export interface CompletionItem {
  label: string;
  detail?: string;
  type: 'keyword' | 'variable' | 'property' | 'value' | 'function' | 'field';
  /** 0-based, UTF-16 units. */
  start?: number;
  length?: number;
}

/** At most this many items: VS Code filters further as the user types. */
const MOST = 300;

/** Items for `text` with the cursor at `offset` (0-based, UTF-16 units). `start` is 0-based too. */
export function completions(m: Machine, program: Program, text: string, offset: number): CompletionItem[] {
  const before = text.slice(0, Math.max(0, Math.min(offset, text.length)));
  const word = /[A-Za-z_$.][\w$.]*$/.exec(before)?.[0] ?? '';
  const wordStart = before.length - word.length;
  const items: CompletionItem[] = [];
  const lead = before.length - before.trimStart().length;
  const line = before.slice(lead).toLowerCase();
  // A command: only as the whole line so far (they contain spaces, so they replace from its start).
  for (const [label, detail] of COMMANDS) {
    if (label.startsWith(line) && (line.length > 0 || before.trim() === '')) items.push({ label, detail, type: 'keyword', start: lead, length: before.length - lead });
  }
  const want = word.toLowerCase();
  const add = (label: string, detail: string, type: CompletionItem['type']) => {
    if (items.length < MOST && label.toLowerCase().startsWith(want)) items.push({ label, detail, type, start: wordStart, length: word.length });
  };
  for (let r = 0; r < 16; r++) add(`r${r}`, `register r${r}`, 'variable');
  for (const [name, detail] of [['sp', 'stack pointer (r15)'], ['fp', 'frame pointer (r14)'], ['pc', 'program counter'], ['flags', 'the flags of status']]) add(name, detail, 'variable');
  for (const s of isa.SYSTEM_REGISTERS) add(s.name, `system register ${s.name}`, 'variable');
  for (const [name, f] of Object.entries(FLAGS)) add(name.toUpperCase(), f.doc, 'property');
  for (const [name, x] of Object.entries(MACHINE_NAMES)) add(name, x.doc, 'property');
  for (const s of program.asm.symbols.values()) {
    if (s.name.includes('.') && !want.startsWith('.')) continue;
    add(s.name, s.kind === 'label' ? `label, ${hex(s.value)}` : `.equ ${hex(s.value)}`, s.kind === 'label' ? 'function' : 'value');
  }
  if (m.currentVmcs >= 0) for (const f of isa.VMCS_FIELDS) add(f.name, `VMCS field ${f.id}`, 'field');
  return items;
}

