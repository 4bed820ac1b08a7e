/**
 * Checks no other assembly tool makes: what an instruction will do at the
 * privilege level its code declares with `.ring n` (machine spec sections 4, 7).
 */
import type { InstructionDef } from '../../emulator/isa/table';
import { SysReg } from '../../emulator/isa/registers';
import type { InstructionNode } from '../parser';
import type { Severity } from '../lineInfo';
import { t } from '../l10n';

export interface RingProblem {
  start: number;
  end: number;
  severity: Severity;
  message: string;
  code: string;
}

/** Whether this use of the instruction is privileged (traps with #GP at CPL > 0). */
export function isPrivilegedUse(def: InstructionDef, stmt: InstructionNode): boolean {
  if (def.privileged === 'cpl0') return true;
  if (def.privileged === 'cpl0-but-status') return !readsStatus(stmt);
  return false;
}

export function readsStatus(stmt: InstructionNode): boolean {
  const sr = stmt.operands[1];
  return sr !== undefined && sr.kind === 'sreg' && sr.id === SysReg.STATUS;
}

/** Sensitive but unprivileged: runs at any CPL without trapping (popf, pushf, rdsr status). */
export function isPopekGoldbergHole(def: InstructionDef, stmt: InstructionNode): boolean {
  return def.privileged === 'none' ? def.sensitive !== null : def.privileged === 'cpl0-but-status' && readsStatus(stmt);
}

/** Whether ringCheck can find anything wrong with this instruction at some ring (most cannot: then the statement is not needed). */
export function ringSensitive(def: InstructionDef): boolean {
  return def.privileged !== 'none' || def.sensitive !== null;
}

/** The problem with running `stmt` at `ring` (-1: no ring declared). */
export function ringCheck(def: InstructionDef, stmt: InstructionNode, ring: number): RingProblem | undefined {
  if (ring <= 0) return undefined;
  const at = { start: stmt.nameSpan.start, end: stmt.nameSpan.end };
  const name = stmt.mnemonic === 'rdsr' && readsStatus(stmt) ? 'rdsr status' : def.mnemonic;
  if (def.privileged === 'vmx-root') {
    if (def.mnemonic === 'vmcall') {
      return { ...at, severity: 'info', code: 'vmx-outside-ring0', message: t('vmcall in code declared .ring {0}: a hypercall (VM exit 18) in a guest; in root mode it raises trap 6 at CPL {0}', ring) };
    }
    return { ...at, severity: 'warning', code: 'vmx-outside-ring0', message: t("'{0}' is a VMX instruction: only VMX root mode at CPL 0 may run it; in code declared .ring {1} it raises trap 6 (#UD)", def.mnemonic, ring) };
  }
  if (isPrivilegedUse(def, stmt)) {
    return { ...at, severity: 'warning', code: 'privileged-instruction', message: t("'{0}' is privileged: in code declared .ring {1} it traps with #GP (trap 13) at CPL {1}", name, ring) };
  }
  if (isPopekGoldbergHole(def, stmt) && ring <= 2) {
    const what =
      def.mnemonic === 'popf'
        ? t('it silently leaves IF unchanged instead of trapping')
        : def.mnemonic === 'pushf'
          ? t('it pushes the real IF without trapping')
          : t('it reads the real CPL without trapping');
    return { ...at, severity: 'info', code: 'popek-goldberg', message: t("'{0}' is sensitive but not privileged (the Popek-Goldberg hole): at CPL {1} {2}, so a deprivileged kernel's '{0}' will not trap to the hypervisor (VT-x does not exit on it either: it runs the guest kernel in non-root ring 0, where the hole is closed)", name, ring, what) };
  }
  return undefined;
}

/** What a Popek-Goldberg-hole instruction does at ring 0 or in a user program (ring 3), where nothing is wrong: the hover says why. */
export function ringZeroNote(def: InstructionDef, stmt: InstructionNode, ring = 0): string | undefined {
  if (!isPopekGoldbergHole(def, stmt)) return undefined;
  const name = stmt.mnemonic === 'rdsr' && readsStatus(stmt) ? 'rdsr status' : def.mnemonic;
  if (ring === 3) {
    const what3 = def.mnemonic === 'popf' ? t('loads the flags but leaves IF unchanged (only CPL 0 may change it), without trapping') : def.mnemonic === 'pushf' ? t('pushes the real IF') : t('shows the real CPL, 3');
    return t("in a user program '{0}' {1}: no fault, nothing to report.", name, what3);
  }
  const what = def.mnemonic === 'popf' ? t('really changes IF') : def.mnemonic === 'pushf' ? t('pushes the IF this kernel set') : t('truthfully says ring 0');
  return t("runs normally: '{0}' {1}. In a VM's non-root ring 0 it does the same on the guest's own state without a VM exit: VT-x closes the Popek-Goldberg hole by not deprivileging the guest kernel.", name, what);
}
