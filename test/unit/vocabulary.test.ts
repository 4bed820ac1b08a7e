/**
 * One student vocabulary: every view names a transition kind, says where the CPU is and words a
 * final stop the same way (issue 18). Each case goes through the CLI's line, the adapter's words
 * and the panels' names, which must agree.
 */
import * as assert from 'assert';
import { causeOf, EventKind, isa, type StopCause, type TransitionEvent } from '../../emulator';
import { stopText } from '../../emulator/stops';
import { formatEvent } from '../../cli/report';
import { describeEvent } from '../../debug-adapter/engine/exceptions';
import { machineText, where } from '../../debug-adapter/engine/machineText';
import { KIND_NAMES } from '../../extension/panels/transitions/messages';
import { setLocale } from '../../language/l10n';

const event = (kind: EventKind, o: Partial<TransitionEvent> = {}): TransitionEvent => ({
  index: 0, icount: 100, cycles: 120, kind, fromCpl: 3, toCpl: 0, fromVm: 1, toVm: 1,
  vector: 14, syscall: 0, exitReason: isa.ExitReason.HLT, detail: 0, pcBefore: 0x1000, pcAfter: 0x2000, cause: '', ...o,
} as TransitionEvent);

describe('One vocabulary for every view', () => {
  before(() => setLocale('en'));

  it('a transition kind has one name: the emulator\'s, the CLI\'s event line, the panels\' filters', () => {
    assert.deepStrictEqual([...KIND_NAMES], [...isa.TRANSITION_KINDS], 'the panels\' filters name the kinds as the ISA does');
    const kinds = Object.values(EventKind).filter((v): v is EventKind => typeof v === 'number');
    assert.strictEqual(kinds.length, isa.TRANSITION_KINDS.length, 'every EventKind is named');
    for (const kind of [EventKind.Iret, EventKind.VmEntry, EventKind.TripleFault, EventKind.VmExit]) {
      const e = event(kind);
      const cause = causeOf(e);
      e.cause = cause;
      assert.ok(cause === isa.TRANSITION_KINDS[kind] || cause.startsWith(isa.TRANSITION_KINDS[kind] + ' '), `${EventKind[kind]}: cause '${cause}' names the kind '${isa.TRANSITION_KINDS[kind]}'`);
      assert.ok(formatEvent(e).includes(cause), `the CLI's line says '${cause}'`);
    }
  });

  it('where the CPU is: the CLI\'s event line and the debugger\'s event description say it alike', () => {
    for (const [vm, cpl] of [[0, 3], [1, 0], [2, 3]]) {
      const e = event(EventKind.Interrupt, { fromVm: vm, fromCpl: cpl, toVm: vm, toCpl: 0, vector: 32 });
      e.cause = causeOf(e);
      const w = where(vm, cpl);
      assert.match(w, vm ? new RegExp(`^VM ${vm} ring ${cpl}$`) : new RegExp(`^ring ${cpl}$`));
      assert.ok(formatEvent(e).includes(w), formatEvent(e));
      assert.ok(describeEvent(e).includes(w), describeEvent(e));
    }
  });

  it('a final stop: the emulator\'s English sentence (the CLI, the grader) is the debugger\'s English wording', () => {
    const causes: StopCause[] = [
      { kind: 'power-off', code: 3 },
      { kind: 'triple-fault', pc: 0x1234 },
      { kind: 'halted', pc: 0x40, interruptsOff: true },
      { kind: 'halted', pc: 0x40, interruptsOff: false },
    ];
    for (const c of causes) assert.strictEqual(machineText(c), stopText(c));
    assert.strictEqual(machineText(null), stopText(null));
  });

  it('the debugger words the same stops in Korean, with the same numbers', () => {
    setLocale('ko');
    try {
      const c: StopCause = { kind: 'triple-fault', pc: 0x1234 };
      assert.notStrictEqual(machineText(c), stopText(c), 'Korean differs from the English sentence');
      assert.ok(machineText(c).includes(isa.hex32(0x1234)));
      assert.notStrictEqual(where(1, 3), 'VM 1 ring 3');
    } finally {
      setLocale('en');
    }
  });
});
