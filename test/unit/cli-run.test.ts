// The command line as a student meets it: files it cannot read or write, the guest's bytes, the
// options it refuses, the counts past the event log, file names in messages, --help and --version.
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { EXIT_DEADLOCK, EXIT_LIMIT, EXIT_TRIPLE, runCommand } from '../../cli/run';
import { UsageError } from '../../cli/args';
import { findCheckFiles } from '../../grader/node';
import { THREE_SYSCALLS } from '../../scripts/benchWorkloads';
import { printBytes } from './helpers/printing';
import { assembleText } from '../../language/assembler';
import { Machine } from '../../emulator';
import { TransitionLog } from '../../emulator/events';

const ROOT = path.resolve(__dirname, '../../..');
const CLI = path.join(ROOT, 'dist/cli.js');

/** The built CLI in `cwd`, stdin an open pipe as the other tests give it. */
function cli(args: string[], cwd = ROOT) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** runCommand on `src` written to a fresh folder: stdout as bytes, stderr, the exit code. */
function run(src: string | undefined, flags: string[], cwd?: string) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ringside-run-'));
  const here = process.cwd();
  try {
    const file = path.join(dir, 'p.rasm');
    if (src !== undefined) fs.writeFileSync(file, src);
    const chunks: Buffer[] = [];
    let err = '';
    if (cwd) process.chdir(cwd === 'dir' ? dir : cwd);
    const code = runCommand([file, ...flags], (s) => chunks.push(typeof s === 'string' ? Buffer.from(s) : Buffer.from(s)), (s) => (err += s));
    return { code, bytes: Buffer.concat(chunks), err, dir };
  } finally {
    process.chdir(here);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Echoes `n` bytes of console input, then powers off. */
const ECHO = (n: number) => `_start: mov r3, ${n}
.poll:  in r1, 0x11
        cmp r1, -1
        jz .poll
        out 0x10, r1
        sub r3, 1
        cmp r3, 0
        jnz .poll
        out 0xF4, r3`;

describe('ringside run: files it cannot read or write', () => {
  let dir: string;
  before(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ringside-files-'))));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('asm -o and check --junit into a missing folder or onto a folder: one line, exit 2, no stack trace', () => {
    for (const [args, file] of [
      [['asm', 'samples/hello/hello.rasm', '-o', '/nonexistent/dir/x.bin'], '/nonexistent/dir/x.bin'],
      [['asm', 'samples/hello/hello.rasm', '-o', dir], dir],
      [['check', 'exercises/01-syscall-write', '--junit', '/nonexistent/r.xml'], '/nonexistent/r.xml'],
    ] as const) {
      const r = cli([...args]);
      assert.strictEqual(r.code, 2, r.err);
      const lines = r.err.trim().split('\n');
      assert.strictEqual(lines.length, 1, r.err);
      assert.match(lines[0], new RegExp(`^ringside: cannot write '${file}': (no such file or directory|it is a directory)$`));
    }
  });

  it('a missing file, a folder or a binary as the program: one error at 1:1, exit 2; disasm of a missing file says so in words', () => {
    assert.strictEqual(run(undefined, []).code, 2);
    const folder = cli(['run', os.tmpdir()]);
    assert.strictEqual(folder.code, 2);
    assert.strictEqual(folder.err, `${os.tmpdir()}:1:1: error: cannot read file '${os.tmpdir()}': it is a directory\n`);
    const bin = path.join(dir, 'prog.bin');
    fs.writeFileSync(bin, Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0, 0, 1, 0x0a, 0xff, 0x20]));
    for (const cmd of ['run', 'asm']) {
      const r = cli([cmd, bin]);
      assert.strictEqual(r.code, 2);
      assert.strictEqual(r.err, `${bin}:1:1: error: cannot read file '${bin}': it is not a text file (it contains NUL bytes)\n`);
    }
    const d = cli(['disasm', '/nonexistent.bin']);
    assert.deepStrictEqual([d.code, d.err], [2, "ringside: cannot read '/nonexistent.bin': no such file or directory\n"]);
  });
});

describe('ringside run: file names in messages', () => {
  it('outside the working folder absolute, inside it relative, in the location and in the message alike', () => {
    const src = 'x: nop\n.include "inc.rasm"\n.include "nope.rasm"\n';
    const write = (d: string) => fs.writeFileSync(path.join(d, 'inc.rasm'), 'x: nop\n');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ringside-names-'));
    try {
      fs.writeFileSync(path.join(dir, 'p.rasm'), src);
      write(dir);
      const outside = cli(['run', path.join(dir, 'p.rasm')]);
      const inside = cli(['run', 'p.rasm'], dir);
      assert.strictEqual(outside.code, 1);
      const expect = (p: (f: string) => string) =>
        [
          `${p('p.rasm')}:3:1: error: cannot read included file 'nope.rasm' (${p('nope.rasm')}): no such file`,
          // Said once, at the second definition, as gcc does, with a note at the first.
          `${p('inc.rasm')}:1:1: error: duplicate label 'x' (first defined at ${p('p.rasm')}:1)`,
          `${p('p.rasm')}:1:1: note: first definition`,
          '',
        ].join('\n');
      assert.strictEqual(outside.err, expect((f) => path.join(dir, f)));
      assert.strictEqual(inside.err, expect((f) => f));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('ringside run: the guest\'s bytes', () => {
  const BYTES = [0x41, 0xff, 0xea, 0xb0, 0x80, 0x0a, 0xea, 0xb0];

  it('go to stdout unchanged: a byte that is not UTF-8 and a character cut off at the end too', () => {
    const r = run(printBytes(BYTES), []);
    assert.strictEqual(r.code, 0, r.err);
    assert.deepStrictEqual([...r.bytes], BYTES);
    // --trace interleaves its lines: the guest's bytes are all there, in order, a character never cut by a line.
    const t = run(printBytes(BYTES), ['--trace']);
    assert.ok(t.bytes.includes(Buffer.from([0xea, 0xb0, 0x80])));
    assert.ok(t.bytes.subarray(t.bytes.length - 2).equals(Buffer.from([0xea, 0xb0])));
  });

  it('--json decodes them as UTF-8 with U+FFFD for what is not, the cut-off end included', () => {
    const j = JSON.parse(run(printBytes(BYTES), ['--json']).bytes.toString('utf8')) as { output: string };
    assert.strictEqual(j.output, 'A\ufffd가\n\ufffd');
  });

  it('--stdin takes \\n \\r \\t \\\\ \\0 \\xNN and UTF-8; --stdin-file a file\'s bytes; a wrong escape or both at once are refused', () => {
    const r = run(ECHO(9), ['--stdin', 'a\\n\\r\\t\\\\\\0\\xfF가']);
    assert.deepStrictEqual([...r.bytes], [0x61, 0x0a, 0x0d, 0x09, 0x5c, 0x00, 0xff, 0xea, 0xb0]);
    const file = path.join(os.tmpdir(), `ringside-stdin-${process.pid}`);
    fs.writeFileSync(file, Buffer.from([0, 1, 0xff, 0x5c, 0x6e]));
    try {
      assert.deepStrictEqual([...run(ECHO(5), ['--stdin-file', file]).bytes], [0, 1, 0xff, 0x5c, 0x6e]);
      assert.throws(() => run(ECHO(1), ['--stdin-file', file, '--stdin', 'x']), /--stdin and --stdin-file cannot be used together/);
    } finally {
      fs.rmSync(file);
    }
    assert.throws(() => run(ECHO(1), ['--stdin', 'a\\q']), /--stdin: '\\q' is not an escape/);
    assert.throws(() => run(ECHO(1), ['--stdin', '\\x4']), /is not an escape/);
    assert.match(cli(['run', 'samples/hello/hello.rasm', '--stdin-file', '/nonexistent']).err, /^ringside: cannot read '\/nonexistent': no such file or directory\n$/);
  });
});

describe('ringside run: options it refuses', () => {
  it('--json with --trace, --events or --summary: a usage error naming both', () => {
    for (const o of ['--trace', '--events', '--summary']) {
      assert.throws(() => run(printBytes([0x41]), ['--json', o]), (e: Error) => e instanceof UsageError && e.message.startsWith(`--json and ${o} cannot be used together`));
    }
    const r = cli(['run', 'samples/hello/hello.rasm', '--events', '--json']);
    assert.strictEqual(r.code, 2);
    assert.strictEqual(r.out, '');
  });

  it('an option run does not take is named as one, not taken for a second file; `run -` is refused', () => {
    assert.throws(() => run(printBytes([0x41]), ['-o', 'x']), /^Error: run does not take the option -o$/);
    assert.throws(() => run(printBytes([0x41]), ['--output', 'x']), /run does not take the option --output/);
    const r = cli(['run', '-']);
    assert.strictEqual(r.code, 2);
    assert.match(r.err, /^ringside: run reads its program from a file: '-' \(standard input\) is not supported/);
  });
});

describe('ringside --help and --version', () => {
  it('--help gives the default instruction limit and the escapes; CMD --help prints that command\'s usage, exit 0', () => {
    const h = cli(['--help']);
    assert.strictEqual(h.code, 0);
    assert.match(h.out, /--max-instructions +stop after N steps \(default 1,000,000,000\)/);
    assert.match(h.out, /\\n \\r \\t \\\\ \\0 \\xNN/);
    for (const cmd of ['run', 'asm', 'disasm', 'check']) {
      for (const flag of ['--help', '-h']) {
        const r = cli([cmd, flag]);
        assert.deepStrictEqual([r.code, r.err], [0, ''], `${cmd} ${flag}`);
        assert.match(r.out, new RegExp(`^usage:\\n  ringside ${cmd} `));
      }
    }
  });

  it('--version prints package.json\'s version (inlined in the bundle)', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
    const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'ringside-installed-'));
    try {
      // Run from elsewhere, with no package.json beside it: as installed.
      fs.copyFileSync(CLI, path.join(copy, 'cli.js'));
      const r = spawnSync(process.execPath, [path.join(copy, 'cli.js'), '--version'], { cwd: copy, encoding: 'utf8' });
      assert.deepStrictEqual([r.status, r.stdout], [0, `ringside ${pkg.version}\n`]);
    } finally {
      fs.rmSync(copy, { recursive: true, force: true });
    }
  });
});

describe('README: the exit codes of run', () => {
  it('lists the CLI\'s own codes as the code has them, and says the guest\'s code is its low 8 bits and can collide with them', () => {
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## The command line'), readme.indexOf('## More'));
    for (const [code, what] of [[1, 'assembly errors'], [2, 'usage error'], [EXIT_LIMIT, 'instruction limit'], [EXIT_TRIPLE, 'triple fault'], [EXIT_DEADLOCK, 'halted forever']] as const) {
      assert.match(section, new RegExp(`\\| ${code} \\| (the )?${what}`), `${code} ${what}`);
    }
    assert.match(section, /power-off code, its low 8 bits/);
    assert.match(section, /cannot tell\n?\s*`out 0xF4` with 124 from the instruction limit/);
  });
});

describe('ringside check without an argument', () => {
  it('says where it looked and which folder to give when the exercises are one level further down', () => {
    assert.throws(() => findCheckFiles('.'), (e: Error) => e.message === `no check.json in '.' (${ROOT}) or in its folders one level down; the exercises are in 'exercises': try 'ringside check exercises'` || assert.fail(e.message));
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'ringside-empty-'));
    try {
      assert.throws(() => findCheckFiles(empty), /or in its folders one level down: give an exercise's folder/);
    } finally {
      fs.rmSync(empty, { recursive: true, force: true });
    }
  });
});


describe('ringside run: counts past the event log', () => {
  it('the summary\'s transitions and byCause are the run\'s totals when the log keeps only some', () => {
    const res = assembleText(THREE_SYSCALLS, 'p.rasm');
    assert.ok(res.ok);
    const summaryWith = (log?: TransitionLog) => {
      const m = new Machine();
      if (log) (m as unknown as { cpu: { events: TransitionLog } }).cpu.events = log;
      m.load(res.segments, res.entry);
      assert.strictEqual(m.run(1_000_000), 'poweroff');
      return { s: m.summary(), dropped: m.limits.eventsDropped };
    };
    const all = summaryWith();
    const few = summaryWith(new TransitionLog(2));
    assert.strictEqual(all.s.transitions, 6);
    assert.strictEqual(few.dropped, 4);
    assert.deepStrictEqual([few.s.transitions, few.s.byCause], [all.s.transitions, all.s.byCause]);
  });
});
