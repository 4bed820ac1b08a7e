// The language server in a real Neovim (Debian's, its built-in LSP client), started as the README
// tells a Neovim user to (`ringside lsp`): neovim/client.lua edits a student's program with two
// mistakes and asks for every feature a Neovim user reaches, waiting on the protocol; this checks
// what it saw. Independent of code-server and Chromium: a few seconds.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { record } from './checks';

/** The program as the student opened it: a typo (movv) and a stray word after a Korean string. */
const PROGRAM = `; Ringside in Neovim: a student's program with two mistakes
.org 0
_start: mov sp, 0x8000      ; 스택
        mov r1, 5
        call square
        movv r2, r1
        out 0xF4, r0
square: mul r1, r1
        ret
msg:    .ascii "안녕하세요" bogus
`;

interface Diag {
  line: number;
  code: string;
  text: string;
}
interface Seen {
  published: boolean;
  diagnostics: Diag[];
}
type Answer<T> = { result?: T; error?: string };
interface Steps {
  initialized: { ok: boolean };
  opened: Seen;
  quickfix: { titles: string[]; line: string; after: Seen; error?: string };
  typed: { line: string; after: Seen };
  hover: Answer<{ contents: { value?: string } | string }>;
  definition: Answer<{ range: { start: { line: number } } }[]>;
  references: Answer<unknown[]>;
  signature: Answer<{ signatures: { label: string }[] }>;
  rename: { text: string; after: Seen; error?: string; prepare: Answer<unknown> };
  completion: { labels: string[]; after: Seen; error?: string };
  format: { edits: number; again: number; text: string; after: Seen; error?: string };
  symbols: Answer<{ name: string }[]>;
  tokens: { count: number; error?: string };
  stopped: boolean;
}
interface Output {
  error?: string;
  exit?: { code: number; signal: number };
  messages: { method: string; type: number; message: string }[];
  steps: Partial<Steps>;
}

export function neovimPass(nvim: string, repo: string, artifacts: string): void {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ringside-nvim-'));
  try {
    const file = path.join(dir, 'prog.rasm');
    const outFile = path.join(dir, 'out.json');
    fs.writeFileSync(file, PROGRAM);
    const version = spawnSync(nvim, ['--version'], { encoding: 'utf8' }).stdout.split('\n')[0];
    const r = spawnSync(nvim, ['--headless', '-u', 'NONE', '-i', 'NONE', '-n', '-c', `luafile ${path.join(repo, 'test/e2e/neovim/client.lua')}`], {
      encoding: 'utf8',
      timeout: 180_000,
      // Its own cache and state folders: the LSP log read below is this run's alone.
      env: { ...process.env, XDG_CACHE_HOME: path.join(dir, 'cache'), XDG_STATE_HOME: path.join(dir, 'state'), XDG_CONFIG_HOME: path.join(dir, 'config'), RINGSIDE_NVIM_FILE: file, RINGSIDE_NVIM_OUT: outFile, RINGSIDE_NVIM_CMD: JSON.stringify([process.execPath, path.join(repo, 'bin/ringside.js'), 'lsp']) },
    });
    const logFile = [path.join(dir, 'cache/nvim/lsp.log'), path.join(dir, 'state/nvim/lsp.log')].find((f) => fs.existsSync(f));
    const log = logFile ? fs.readFileSync(logFile, 'utf8') : '';
    fs.writeFileSync(path.join(artifacts, 'neovim-lsp.log'), log);
    if (!fs.existsSync(outFile)) {
      record(`neovim (${version}): the client script ran`, false, `exit ${r.status} ${r.error ?? ''}\n${r.stderr}\n${r.stdout}`);
      return;
    }
    fs.copyFileSync(outFile, path.join(artifacts, 'neovim.json'));
    checkOutput(JSON.parse(fs.readFileSync(outFile, 'utf8')) as Output, version, log);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function checkOutput(o: Output, version: string, log: string): void {
  const s = o.steps;
  const show = (x: unknown) => JSON.stringify(x, null, 1).slice(0, 1500);
  const check = (name: string, ok: boolean | undefined, seen: unknown) => record(`neovim: ${name}`, ok === true, ok === true ? undefined : show(seen));
  const clean = (a?: Seen) => a?.published === true && a.diagnostics.length === 0;
  check(`${version}: the client script ran to its end and the server initialized`, o.error === undefined && s.initialized?.ok, { error: o.error, initialized: s.initialized });
  const opened = s.opened?.diagnostics ?? [];
  // Neovim maps the server's UTF-16 columns onto the buffer's bytes: after "안녕하세요" the range must still cover the word.
  check('the two mistakes are diagnosed where they are (UTF-16 columns after Korean text)', s.opened?.published && show(opened.map((d) => [d.line, d.code, d.text])) === show([[5, 'unknown-mnemonic', 'movv'], [9, 'syntax', 'bogus']]), s.opened);
  check("the quick fix 'mov' is offered and applied by Neovim", s.quickfix?.titles.includes("Change to 'mov'") && s.quickfix.line === '        mov r2, r1' && show(s.quickfix.after.diagnostics.map((d) => d.text)) === show(['bogus']), s.quickfix);
  check("typing (deleting a word character by character, a new line): the server stays in step with Neovim's changes", s.typed?.line === 'msg:    .ascii "안녕하세요"' && clean(s.typed.after), s.typed);
  const hover = s.hover?.result?.contents;
  const hoverText = typeof hover === 'string' ? hover : (hover?.value ?? '');
  check('hover on a label names it and its address', /square/.test(hoverText) && hoverText.includes('0x00000020'), s.hover);
  check('go to definition finds the label', s.definition?.result?.[0]?.range.start.line === 7, s.definition);
  check('references: the call and the definition', s.references?.result?.length === 2, s.references);
  check('signature help inside mov', s.signature?.result?.signatures.some((x) => x.label === 'mov rd, imm'), s.signature);
  check('rename square → sq, applied by Neovim', s.rename?.prepare.result !== undefined && /call sq\n/.test(s.rename.text) && /\nsq: /.test(s.rename.text) && !/square/.test(s.rename.text) && clean(s.rename.after), s.rename);
  check('completion offers the mnemonics', s.completion?.labels.includes('mov') && s.completion.labels.includes('mul') && clean(s.completion.after), s.completion);
  check('formatting, applied by Neovim, leaves nothing to format again', (s.format?.edits ?? 0) > 0 && s.format?.again === 0 && clean(s.format.after), s.format);
  check('document symbols: the labels', ['_start', 'sq', 'msg'].every((n) => s.symbols?.result?.some((x) => x.name === n)), s.symbols);
  check('semantic tokens', (s.tokens?.count ?? 0) > 0 && s.tokens!.count % 5 === 0, s.tokens);
  check('the client stops the server: shutdown, exit, code 0', s.stopped && o.exit?.code === 0, { stopped: s.stopped, exit: o.exit });
  // Neovim logs a request it cannot answer, a malformed message or a server error as ERROR or WARN.
  const bad = log.split('\n').filter((l) => /^\[(ERROR|WARN)\]/.test(l));
  check("no error in Neovim's LSP log, none shown by the server", bad.length === 0 && !o.messages.some((m) => m.type === 1), { log: bad, messages: o.messages });
}
