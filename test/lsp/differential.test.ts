/**
 * The service runs the assembler's passes over cached line parses, recycles
 * its analyses and patches them after an edit (for speed): here it must
 * report exactly what the assembler does (diagnostics, symbol values, the
 * address of each line and the words each instruction encodes to), on the
 * samples, on hand-written mistakes, on random programs and after edits.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { assemble } from '../../language/assembler';
import { memoryHost } from '../../language/memoryHost';
import { getLanguageService } from '../../language/service/languageService';
import { analyzeUnit, UnitAnalysis } from '../../language/service/unit';
import { encodedWords } from '../../language/service/values';
import type { Workspace } from '../../language/service/workspace';
import { garbage, mutate, randomProgram, rng } from './gen';
import { memoryServiceHost } from './helpers';

type Key = string;

function assemblerKeys(files: Map<string, string>, entry: string, res = assemble(entry, memoryHost(files))): Key[] {
  return res.diagnostics.map((d) => JSON.stringify([d.file, d.line, d.col, d.endCol, d.severity, d.code, d.message])).sort();
}

function serviceKeys(files: Map<string, string>, entry: string): { keys: Key[]; a: UnitAnalysis; ws: Workspace } {
  const ls = getLanguageService({ host: memoryServiceHost(files), diskTtlMs: 0 });
  ls.openDocument(entry, files.get(entry)!, 1);
  const a = ls.workspace.analysis(entry);
  const keys = a.diagnostics.map((d) => JSON.stringify([d.uri, d.line, d.start, d.end, d.severity, d.code, d.message])).sort();
  return { keys, a, ws: ls.workspace };
}

/**
 * Per-line facts against the assembler's listing: the address each line is placed at, and the
 * words each instruction encodes to (none where the assembler emitted none). Files read more
 * than once (included twice) have one set of facts for several listings: left out.
 */
function checkLines(files: Map<string, string>, a: UnitAnalysis, ws: Workspace, asm = assemble(a.root, memoryHost(files))): number {
  const visits = new Map<string, number>();
  for (const row of asm.listing) if (row.line === 0) visits.set(row.file, (visits.get(row.file) ?? 0) + 1);
  let compared = 0;
  for (const row of asm.listing) {
    if (visits.get(row.file) !== 1) continue;
    const facts = a.files.get(row.file)!;
    const at = `${row.file}:${row.line + 1} '${row.source}'`;
    const addr = facts.addrAt[row.line];
    assert.strictEqual(Number.isNaN(addr) ? undefined : addr, row.address, `address of ${at}`);
    if (!row.instruction) continue;
    const emitted = asm.sourceMap.addressesForLine(row.file, row.line).length > 0;
    const bytes = row.bytes;
    const words = emitted ? Array.from({ length: bytes.length / 4 }, (_, i) => (bytes[4 * i] | (bytes[4 * i + 1] << 8) | (bytes[4 * i + 2] << 16) | (bytes[4 * i + 3] << 24)) >>> 0) : undefined;
    assert.deepStrictEqual(encodedWords(a, row.file, row.line, ws.document(row.file)!.info(row.line))?.map((w) => w >>> 0), words, `words of ${at}`);
    compared++;
  }
  return compared;
}

/** The service analyses a file as part of the program that includes it: compare with assembling that program. */
function check(files: Map<string, string>, entry = '/w/main.rasm'): number {
  const svc = serviceKeys(files, entry);
  const asm = assemble(svc.a.root, memoryHost(files));
  assert.deepStrictEqual(svc.keys, assemblerKeys(files, svc.a.root, asm), `diagnostics differ for:\n${files.get(entry)}`);
  for (const [name, s] of asm.symbols) assert.deepStrictEqual([name, svc.a.symbols.get(name)?.value, svc.a.symbols.get(name)?.load], [name, s.value, s.load]);
  return checkLines(files, svc.a, svc.ws, asm);
}

const samplesDir = path.join(__dirname, '../../../samples');

describe('lsp service: agrees with the assembler', () => {
  it('on every sample', function () {
    // Every sample as the root of its program: a hundred assemblies and analyses (slow on a loaded machine).
    this.timeout(120_000);
    const found: string[] = [];
    const walk = (d: string) => {
      for (const e of fs.readdirSync(d, { withFileTypes: true })) {
        const p = path.join(d, e.name);
        if (e.isDirectory()) walk(p);
        else if (e.name.endsWith('.rasm')) found.push(p);
      }
    };
    walk(samplesDir);
    assert.ok(found.length > 0, 'no samples found');
    let instructions = 0;
    const files = new Map<string, string>();
    for (const f of found) files.set(f, fs.readFileSync(f, 'utf8'));
    for (const file of found) instructions += check(files, file);
    assert.ok(instructions > 1000, `the words of ${instructions} instruction lines compared`);
  });

  it('on hand-written mistakes', () => {
    const cases = [
      'a: a: nop\n.equ a, 1',
      '.equ X, Y\n.equ Y, X',
      '.org later\nlater: nop',
      '.equ N, 1/0\n    mov r1, N',
      '.equ A, B + 1\n.equ B, C + 1\n    mov r1, A',
      '.equ A, B + 1\n.equ B, A + C\n    mov r1, A',
      '    wrsr status, r1\n    rdsr r1, status',
      '.ring 5\n.ring N\n.equ N, 2',
      '.space 0x2000000\n.align 3\n.align 0',
      'x: .word 1, "s"\n.byte 1, r1\n.ascii 5',
      '.org 0xFFFFFFF0\n.space 32',
      '.loop: jmp .loop\nf: jmp .loop\n    jmp f.loop\n    jmp .loop',
      '    jmp status\nstatus: nop\n    mov r1, guest_pc',
      '    mov r1, [r2 + undefined_thing]\n    ld r1, [r2 - 4]\n    st [0x10], r1',
      '.include "a.rasm"\n.include "a.rasm"',
      '.equ\n.equ r1, 2\n.equ 5, 5\n.equ Q, r2',
      '    out 0x10000, r1\n    in r1, -1\n    int 0x100',
    ];
    for (const c of cases) check(new Map([['/w/main.rasm', c], ['/w/a.rasm', 'inc: nop\n.ring 3\n    cli']]));
  });

  it('on 300 random programs (with includes)', () => {
    const r = rng(42);
    for (let i = 0; i < 300; i++) {
      const files = new Map<string, string>([
        ['/w/main.rasm', randomProgram(r, 25, ['lib.rasm', 'sub/x.rasm', 'main.rasm'])],
        ['/w/lib.rasm', randomProgram(r, 8, ['sub/x.rasm'])],
        ['/w/sub/x.rasm', randomProgram(r, 5, ['../lib.rasm'])],
      ]);
      check(files);
    }
  });

  it('with one long-lived service whose analyses are recycled from program to program', () => {
    const r = rng(11);
    const files = new Map<string, string>();
    const ls = getLanguageService({ host: memoryServiceHost(files), diskTtlMs: 0 });
    ls.openDocument('/w/main.rasm', '', 0);
    for (let i = 0; i < 200; i++) {
      files.set('/w/main.rasm', i % 3 ? randomProgram(r, 25, ['lib.rasm']) : mutate(r, randomProgram(r, 20, ['lib.rasm']), 4));
      files.set('/w/lib.rasm', randomProgram(r, 6, ['sub.rasm']));
      ls.changeDocument('/w/main.rasm', [{ text: files.get('/w/main.rasm')! }]);
      ls.workspace.invalidate();
      const a = ls.workspace.analysis('/w/main.rasm');
      const keys = a.diagnostics.map((d) => JSON.stringify([d.uri, d.line, d.start, d.end, d.severity, d.code, d.message])).sort();
      assert.deepStrictEqual(keys, assemblerKeys(files, '/w/main.rasm'), files.get('/w/main.rasm'));
      const asm = assemble('/w/main.rasm', memoryHost(files));
      assert.deepStrictEqual([...a.symbols.keys()].sort(), [...asm.symbols.keys()].sort());
      for (const [name, s] of asm.symbols) assert.strictEqual(a.symbols.get(name)!.value, s.value, name);
    }
  });

  it('on 300 mutated and garbage inputs', () => {
    const r = rng(7);
    for (let i = 0; i < 300; i++) {
      const text = i % 5 === 0 ? garbage(r, 200) : mutate(r, randomProgram(r, 15), 6);
      check(new Map([['/w/main.rasm', text]]));
    }
  });
});

describe('lsp service: incremental analysis', () => {
  const keys = (ds: { uri: string; line: number; start: number; end: number; code: string; message: string; severity: string }[]) =>
    ds.map((d) => JSON.stringify([d.uri, d.line, d.start, d.end, d.severity, d.code, d.message])).sort();

  it('an analysis patched after one-character edits equals a full re-analysis', () => {
    const r = rng(99);
    let patched = 0;
    for (let p = 0; p < 40; p++) {
      const files = new Map([['/w/main.rasm', randomProgram(r, 30, ['lib.rasm'])], ['/w/lib.rasm', 'lib: nop\n.ring 2\n    popf']]);
      const ls = getLanguageService({ host: memoryServiceHost(files), diskTtlMs: 0 });
      ls.openDocument('/w/main.rasm', files.get('/w/main.rasm')!, 1);
      const ws = ls.workspace;
      ws.analysis('/w/main.rasm');
      for (let e = 0; e < 40; e++) {
        const doc = ws.document('/w/main.rasm')!;
        const line = Math.floor(r() * doc.lineCount);
        const character = Math.floor(r() * (doc.lines[line].length + 1));
        const del = r() < 0.4 && character < doc.lines[line].length;
        const ch = 'x1r ,[]+;.:"'[Math.floor(r() * 12)];
        ls.changeDocument('/w/main.rasm', [{ range: { start: { line, character }, end: { line, character: del ? character + 1 : character } }, text: del ? '' : ch }]);
        const a = ws.analysis('/w/main.rasm');
        const fresh = analyzeUnit('/w/main.rasm', ws);
        assert.deepStrictEqual(keys(a.diagnostics), keys(fresh.diagnostics), `after editing line ${line}: ${doc.lines[line]}`);
        assert.deepStrictEqual(keys(a.ringDiagnostics), keys(fresh.ringDiagnostics));
        checkLines(new Map([...files, ['/w/main.rasm', doc.getText()]]), a, ws);
        patched = Math.max(patched, a.patches);
      }
    }
    assert.ok(patched > 0, 'some edits were patched in place');
  });

  it('edits that change instruction sizes in one file: labels moved in place equal a full re-analysis', () => {
    const r = rng(314);
    const pool = [
      'f{n}:', '.l{n}: nop', '    mov r1, 5', '    mov r1, r2', '    bogus r1', '    jmp f{n}', '    jnz .l{n}', '    call f{n}',
      '    out f{n}, r1', '    int f{n} & 0xFF', '    .byte f{n}', '    .byte 1, 2, 3', '    .word f{n}, 7', '    .ascii "abc"',
      '    mov r3, f{n} - f{m}', '    mov r3, 8 / (f{n} - f{m})', '    ld r1, [r2 + f{n}]', '.org 0x{h}00', '.align 4', '.align 8',
      '.equ K{n}, 5', '    in r1, K{n}', '    cli', '.ring 3', '    popf', '; comment', '',
    ];
    let shifted = 0;
    for (let p = 0; p < 60; p++) {
      const text = Array.from({ length: 40 }, () => pool[Math.floor(r() * pool.length)].replace(/\{n\}/g, String(Math.floor(r() * 6))).replace(/\{m\}/g, String(Math.floor(r() * 6))).replace('{h}', String(1 + Math.floor(r() * 3)))).join('\n');
      const files = new Map([['/w/main.rasm', text]]);
      const ls = getLanguageService({ host: memoryServiceHost(files), diskTtlMs: 0 });
      ls.openDocument('/w/main.rasm', text, 1);
      const ws = ls.workspace;
      ws.analysis('/w/main.rasm');
      for (let e = 0; e < 30; e++) {
        const doc = ws.document('/w/main.rasm')!;
        const line = Math.floor(r() * doc.lineCount);
        const character = Math.floor(r() * (doc.lines[line].length + 1));
        const del = r() < 0.4 && character < doc.lines[line].length;
        ls.changeDocument('/w/main.rasm', [{ range: { start: { line, character }, end: { line, character: del ? character + 1 : character } }, text: del ? '' : 'x;1 ,'[Math.floor(r() * 5)] }]);
        const a = ws.analysis('/w/main.rasm');
        const fresh = analyzeUnit('/w/main.rasm', ws);
        assert.deepStrictEqual(keys(a.diagnostics), keys(fresh.diagnostics), `after editing line ${line}: ${doc.lines[line]}\n${doc.getText()}`);
        assert.deepStrictEqual(keys(a.ringDiagnostics), keys(fresh.ringDiagnostics));
        for (const [name, sym] of fresh.symbols) assert.deepStrictEqual([name, a.symbols.get(name)?.value, a.symbols.get(name)?.load], [name, sym.value, sym.load]);
        assert.deepStrictEqual(a.segments.map((x) => x.size), fresh.segments.map((x) => x.size));
        checkLines(new Map([['/w/main.rasm', doc.getText()]]), a, ws);
        shifted = Math.max(shifted, a.shifts);
      }
    }
    assert.ok(shifted > 0, 'some edits moved labels in place');
  });

  it('a one-character edit of an operand is patched, not re-analysed; a label edit is re-analysed', () => {
    const files = new Map([['/w/main.rasm', 'a:  mov r1, 1\n    jmp a']]);
    const ls = getLanguageService({ host: memoryServiceHost(files), diskTtlMs: 0 });
    ls.openDocument('/w/main.rasm', files.get('/w/main.rasm')!, 1);
    const first = ls.workspace.analysis('/w/main.rasm');
    ls.changeDocument('/w/main.rasm', [{ range: { start: { line: 0, character: 12 }, end: { line: 0, character: 13 } }, text: '2' }]);
    assert.strictEqual(ls.workspace.analysis('/w/main.rasm'), first);
    assert.strictEqual(first.patches, 1);
    ls.changeDocument('/w/main.rasm', [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } }, text: 'b' }]);
    const second = ls.workspace.analysis('/w/main.rasm');
    assert.deepStrictEqual([second.generation, second.patches], [2, 0], 'a second full pass (into the same, recycled object)');
    assert.deepStrictEqual(second.diagnostics.map((d) => d.code), ['undefined-symbol']);
  });
});
