/**
 * Bad input never crashes or hangs the service: 10,000 random, mutated and
 * garbage documents, every diagnostic range inside its document, every
 * feature answering at random positions.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import type { Diagnostic, Position } from 'vscode-languageserver-types';
import { getLanguageService, LanguageService } from '../../language/service/languageService';
import { garbage, mutate, randomProgram, rng } from './gen';
import { memoryServiceHost } from './helpers';

const URI = '/w/main.rasm';

function assertInside(ls: LanguageService, ds: Diagnostic[], what: string): void {
  const doc = ls.workspace.document(URI)!;
  for (const d of ds) {
    const { start, end } = d.range;
    const ok =
      start.line >= 0 &&
      end.line < doc.lineCount &&
      (start.line < end.line || (start.line === end.line && start.character <= end.character)) &&
      start.character >= 0 &&
      start.character <= doc.lines[start.line].length &&
      end.character <= doc.lines[end.line].length;
    if (!ok) assert.fail(`diagnostic ${JSON.stringify(d.range)} '${d.message}' outside the document (${what})`);
  }
}

function everyFeature(ls: LanguageService, r: () => number): void {
  const doc = ls.workspace.document(URI)!;
  const line = Math.floor(r() * doc.lineCount);
  const pos: Position = { line, character: Math.floor(r() * (doc.lines[line].length + 2)) };
  const whole = { start: { line: 0, character: 0 }, end: { line: doc.lineCount, character: 0 } };
  ls.doHover(URI, pos);
  for (const item of ls.doComplete(URI, pos).items.slice(0, 3)) ls.doResolveCompletion(item);
  ls.doSignatureHelp(URI, pos);
  ls.findDefinition(URI, pos);
  ls.findReferences(URI, pos, true);
  ls.findDocumentHighlights(URI, pos);
  if (ls.prepareRename(URI, pos)) {
    try {
      ls.doRename(URI, pos, 'renamed_x');
    } catch (e) {
      assert.strictEqual((e as Error).name, 'Error', String(e));
    }
  }
  ls.findDocumentSymbols(URI);
  ls.findDocumentLinks(URI);
  ls.getSemanticTokens(URI);
  ls.getFoldingRanges(URI);
  ls.getInlayHints(URI, whole);
  const edits = ls.format(URI, undefined);
  for (const e of edits) assert.ok(e.range.start.line < doc.lineCount);
  ls.getCodeActions(URI, whole, { diagnostics: ls.doValidation(URI) });
  ls.findWorkspaceSymbols('a');
}

describe('lsp service: fuzz', function () {
  this.timeout(120_000);

  it('10,000 random, mutated and garbage inputs: no exception, every diagnostic inside the document', () => {
    const r = rng(2024);
    const files = new Map<string, string>([['/w/lib.rasm', randomProgram(r, 6, ['main.rasm'])]]);
    const ls = getLanguageService({ host: memoryServiceHost(files), diskTtlMs: 0 });
    ls.openDocument(URI, '', 0);
    for (let i = 0; i < 10_000; i++) {
      const kind = i % 4;
      const n = 1 + Math.floor(r() * 20);
      const text =
        kind === 0 ? randomProgram(r, n, ['lib.rasm', 'main.rasm', 'gone.rasm']) : kind === 1 ? mutate(r, randomProgram(r, n, ['lib.rasm']), 8) : kind === 2 ? garbage(r, Math.floor(r() * 400)) : mutate(r, garbage(r, 60) + '\n' + randomProgram(r, n), 5);
      files.set(URI, text);
      if (i % 50 === 0) files.set('/w/lib.rasm', mutate(r, randomProgram(r, 5, ['main.rasm']), 3));
      ls.changeDocument(URI, [{ text }], i + 1);
      assertInside(ls, ls.doValidation(URI), `input ${i}`);
      if (i % 10 === 0) {
        everyFeature(ls, r);
        // A few one-character edits, validated after each (the incremental path).
        for (let k = 0; k < 5; k++) {
          const doc = ls.workspace.document(URI)!;
          const line = Math.floor(r() * doc.lineCount);
          const ch = Math.floor(r() * (doc.lines[line].length + 3));
          ls.changeDocument(URI, [{ range: { start: { line, character: ch }, end: { line: line + (r() < 0.1 ? 1 : 0), character: ch + 1 } }, text: '"x;[:\n.'[Math.floor(r() * 7)] }]);
          assertInside(ls, ls.doValidation(URI), `input ${i}, edit ${k}`);
        }
      }
    }
  });

  it('a 5 MB line, binary garbage, an include of itself, a file deleted while open', () => {
    const files = new Map<string, string>([['/w/lib.rasm', 'lib: ret']]);
    const ls = getLanguageService({ host: memoryServiceHost(files), diskTtlMs: 0 });
    const big = '    mov r1, [r2 + 4], "x" '.repeat(200_000);
    ls.openDocument(URI, big, 1);
    assertInside(ls, ls.doValidation(URI), '5 MB line');
    everyFeature(ls, rng(1));
    const bin = Array.from({ length: 4096 }, (_, i) => String.fromCharCode((i * 2654435761) % 256)).join('');
    ls.changeDocument(URI, [{ text: bin }], 2);
    assertInside(ls, ls.doValidation(URI), 'binary');
    ls.changeDocument(URI, [{ text: '.include "main.rasm"\n.include "lib.rasm"\n    call lib' }], 3);
    assert.deepStrictEqual(ls.doValidation(URI).map((d) => d.code), ['include-cycle']);
    files.delete('/w/lib.rasm');
    ls.workspace.invalidate('/w/lib.rasm');
    assert.deepStrictEqual(ls.doValidation(URI).map((d) => d.code), ['include-cycle', 'missing-include', 'undefined-symbol']);
    files.delete(URI);
    assert.deepStrictEqual(ls.doValidation(URI).map((d) => d.code), ['include-cycle', 'missing-include', 'undefined-symbol'], 'an open document is read from its buffer');
  });

  it('formatting is idempotent on the samples and on random programs', () => {
    const r = rng(5);
    const hello = fs.readFileSync(path.join(__dirname, '../../../samples/hello/hello.rasm'), 'utf8');
    const inputs = [hello, ...Array.from({ length: 200 }, () => mutate(r, randomProgram(r, 20), 2))];
    const ls = getLanguageService({ host: memoryServiceHost(new Map()), diskTtlMs: 0 });
    for (const text of inputs) {
      ls.openDocument(URI, text, 1);
      const apply = () => {
        const doc = ls.workspace.document(URI)!;
        const edits = ls.format(URI, undefined);
        const lines = doc.lines.slice();
        for (const e of edits) lines[e.range.start.line] = e.newText;
        return lines.join('\n');
      };
      const once = apply();
      ls.changeDocument(URI, [{ text: once }]);
      assert.strictEqual(apply(), once, text);
      // Formatting changes layout only: the diagnostics are the same.
      const codes = (t: string) => {
        ls.changeDocument(URI, [{ text: t }]);
        return ls.doValidation(URI).map((d) => `${d.range.start.line}:${d.code}`);
      };
      assert.deepStrictEqual(codes(once), codes(text));
    }
  });
});
