/**
 * One student vocabulary (emulator/isa/vocabulary.ts, issue 18): every view names a transition
 * kind, says where the CPU is and words a final stop through it, in English and in Korean. Each
 * case goes through the CLI, the adapter's texts, the status line and the panels' page kit, which
 * must agree; and no view may say these words itself. test/dap/vocabulary.test.ts checks the same
 * over the wire (threads, stack frames, variables, the Debug Console, the panels' requests).
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { causeOf, EventKind, isa, type Machine, type StopCause, type TransitionEvent } from '../../emulator';
import { ENGLISH, vocabulary, type Vocabulary } from '../../emulator/isa/vocabulary';
import { pageTranslator } from '../../extension/panels/page/l10n';
import { formatEvent, stopExplanation } from '../../cli/report';
import { describeEvent } from '../../debug-adapter/engine/exceptions';
import { setLocale, words } from '../../language/l10n';
import { bundle, codeKeys } from './l10nKeys';
import { ROOT, sources } from './helpers/sourceFiles';

const event = (kind: EventKind, o: Partial<TransitionEvent> = {}): TransitionEvent => {
  const e = {
    index: 0, icount: 100, cycles: 120, kind, fromCpl: 3, toCpl: 0, fromVm: 1, toVm: 1,
    vector: 14, syscall: 0, exitReason: isa.ExitReason.HLT, detail: 0, pcBefore: 0x1000, pcAfter: 0x2000, cause: '', ...o,
  } as TransitionEvent;
  e.cause = causeOf(e);
  return e;
};

/**
 * The panels' page kit (extension/panels/page/l10n.ts) as a webview has it: its translator over
 * the bundle the extension host puts in the page (panels/html.ts), here Korean.
 */
const pageWords = (): Vocabulary => vocabulary(pageTranslator(JSON.stringify(bundle('ko'))));

const CONTEXTS: [vm: number, cpl: number][] = [[0, 3], [0, 0], [1, 0], [2, 3]];

describe('One vocabulary for every view', () => {
  const page = pageWords();
  afterEach(() => setLocale('en'));

  it('a transition kind has one name (the ISA\'s: filters, causes, the CLI) and a label in the student\'s language', () => {
    const kinds = Object.values(EventKind).filter((v): v is EventKind => typeof v === 'number');
    assert.strictEqual(kinds.length, isa.TRANSITION_KINDS.length, 'every EventKind is named');
    assert.deepStrictEqual(page.kinds().map((k) => k.name), [...isa.TRANSITION_KINDS], 'the panels\' filters name the kinds as the ISA does');
    assert.deepStrictEqual(vocabulary(pageTranslator(undefined)).kinds(), ENGLISH.kinds(), 'a page without a bundle speaks English');
    assert.deepStrictEqual(ENGLISH.kinds().map((k) => k.label), [...isa.TRANSITION_KINDS], 'in English the label is the name a cause starts with');
    setLocale('ko');
    assert.deepStrictEqual(page.kinds(), words.kinds(), 'the page and the adapter label the kinds alike');
    for (const { name, label } of page.kinds()) if (name !== 'iret') assert.notStrictEqual(label, name, `${name} has a Korean label`);
    setLocale('en');
    for (const kind of kinds) {
      const e = event(kind);
      const name = isa.TRANSITION_KINDS[kind];
      if (kind !== EventKind.Trap && kind !== EventKind.Interrupt) assert.ok(e.cause === name || e.cause.startsWith(name + ' '), `${EventKind[kind]}: cause '${e.cause}' names the kind '${name}'`);
      assert.ok(formatEvent(e).includes(e.cause), `the CLI's line says '${e.cause}'`);
    }
  });

  it('where the CPU is: the CLI\'s event line, the event description, the stack frame\'s tag, the status line and the pages say it alike', () => {
    for (const locale of ['en', 'ko']) {
      setLocale(locale);
      for (const [vm, cpl] of CONTEXTS) {
        const e = event(EventKind.Interrupt, { fromVm: vm, fromCpl: cpl, toVm: vm, toCpl: 0, vector: 32 });
        const w = words.where(vm, cpl);
        assert.ok(formatEvent(e).includes(w), `${locale}: ${formatEvent(e)} says '${w}'`);
        assert.ok(describeEvent(e).includes(w), `${locale}: ${describeEvent(e)} says '${w}'`);
        assert.ok(words.status(vm, cpl).startsWith(w), words.status(vm, cpl));
        if (vm || cpl !== 3) assert.ok(words.runner(vm, cpl, false).tag.includes(w), words.runner(vm, cpl, false).tag);
        if (locale === 'ko') {
          assert.strictEqual(page.where(vm, cpl), w, 'the page says it as the adapter does');
          assert.strictEqual(page.status(vm, cpl), words.status(vm, cpl));
          assert.strictEqual(page.space(vm), words.space(vm));
          assert.notStrictEqual(w, ENGLISH.where(vm, cpl), 'Korean differs from English');
        } else {
          assert.strictEqual(w, vm ? `VM ${vm} ring ${cpl}` : `ring ${cpl}`);
        }
      }
      assert.ok(words.runner(1, 0, true).tag.includes(words.where(1, 0)));
      assert.ok(words.runner(0, 0, true).tag.includes(words.mode(false, 0)), 'the hypervisor\'s frames are tagged with the root mode');
    }
  });

  it('a final stop has one wording: the CLI\'s, the grader\'s and the debugger\'s, from the machine\'s stop cause', () => {
    const causes: StopCause[] = [
      { kind: 'power-off', code: 3 },
      { kind: 'triple-fault', pc: 0x1234 },
      { kind: 'halted', pc: 0x40, interruptsOff: true },
      { kind: 'halted', pc: 0x40, interruptsOff: false },
    ];
    const reasons = { 'power-off': 'poweroff', 'triple-fault': 'triple-fault', halted: 'deadlock' } as const;
    for (const c of causes) {
      const m = { stopCause: c, exitCode: c.kind === 'power-off' ? c.code : 0 } as unknown as Machine;
      assert.strictEqual(stopExplanation(reasons[c.kind], m, 1000), words.stop(c), 'the CLI');
      assert.strictEqual(ENGLISH.stop(c), words.stop(c), 'the grader (English) and the adapter in English');
      assert.ok(words.stop(c).length > 10);
    }
    assert.strictEqual(words.stop(null), '');
    setLocale('ko');
    const c: StopCause = { kind: 'triple-fault', pc: 0x1234 };
    assert.notStrictEqual(words.stop(c), ENGLISH.stop(c), 'Korean differs from the English sentence');
    assert.ok(words.stop(c).includes(isa.hex32(0x1234)), 'with the same number, in the same hex');
  });

  it('no view says the vocabulary\'s words itself: each of its messages is used by the vocabulary alone', () => {
    const vocabularyFile = path.join('emulator', 'isa', 'vocabulary.ts');
    const { uses } = codeKeys();
    const own = new Set(uses.filter((u) => u.file === vocabularyFile).map((u) => u.key));
    assert.ok(own.size > 15, `only ${own.size} words in the vocabulary`);
    assert.deepStrictEqual(uses.filter((u) => u.file !== vocabularyFile && own.has(u.key)).map((u) => `${u.file}: ${u.key}`), []);
  });

  // CPL stays a register field's name (status's decode, a walk's parameters), not a place.
  it('no view writes where the CPU is by hand ("VM ${n}", "ring ${n}", \'host\', \'root\')', () => {
    const views = ['cli', 'grader', path.join('debug-adapter', 'views'), path.join('debug-adapter', 'engine'), path.join('debug-adapter', 'dap'), 'extension'];
    const hand = /`[^`\n]*\b(?:VM|ring) \$\{|'(?:host|root|non-root|host \(root\))'/;
    const found: string[] = [];
    for (const f of views.flatMap((v) => sources(path.join(ROOT, v)))) {
      fs.readFileSync(f, 'utf8').split('\n').forEach((line, i) => {
        const code = line.replace(/\/\/.*$/, '').replace(/^\s*\*.*$/, '');
        if (hand.test(code)) found.push(`${path.relative(ROOT, f)}:${i + 1}: ${line.trim()}`);
      });
    }
    assert.deepStrictEqual(found, []);
  });

  it('hex is written one way: lower case, by the vocabulary\'s (the ISA\'s) helpers; no view upper-cases a number', () => {
    assert.strictEqual(ENGLISH.hex32(0xabcdef), '0x00abcdef');
    assert.strictEqual(ENGLISH.hex(0x2a), '0x2a');
    const upper = /toString\(16\)[^;\n]*toUpperCase\(\)|hexDigits\([^)]*\)\.toUpperCase\(\)/;
    const found = ['cli', 'grader', 'language', 'debug-adapter', 'extension', 'emulator'].flatMap((d) => sources(path.join(ROOT, d))).filter((f) => upper.test(fs.readFileSync(f, 'utf8')));
    assert.deepStrictEqual(found.map((f) => path.relative(ROOT, f)), []);
  });
});
