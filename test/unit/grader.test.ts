/** The check engine (grader/) and `ringside check`: the file format, each kind of check, the OS rules, the reports and exit codes. */
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { spawnSync } from 'child_process';
import { CheckFileError, formatJUnit, formatText, gradeFile, parseCheckFile, publicReport } from '../../grader';
import { nodeGradeHost } from '../../grader/node';
import { isa } from '../../emulator';
import { currentLocale } from '../../language/l10n';

const ROOT = path.resolve(__dirname, '../../..');
const CLI = path.join(ROOT, 'dist/cli.js');

function tmpDir(files: Record<string, string>): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'ringside-check-'));
  for (const [f, t] of Object.entries(files)) fs.writeFileSync(path.join(d, f), t);
  return d;
}

// A tiny program: prints "hi", leaves r3 = 7 and count = 5, powers off with 3.
const PROGRAM = `
.org 0
_start:
        mov r1, 'h'
        out 0x10, r1
        mov r1, 'i'
        out 0x10, r1
        mov r3, 7
        mov r2, 5
        st [count], r2
        mov r1, 3
        out 0xF4, r1
        .align 4
count:  .word 0
`;

describe('grader: check files', () => {
  it('rejects mistakes with the field that is wrong', () => {
    const bad = (obj: unknown, re: RegExp) => assert.throws(() => parseCheckFile(JSON.stringify(obj), 'x/check.json'), (e: Error) => e instanceof CheckFileError && re.test(e.message) && e.message.startsWith('x/check.json: '));
    bad({ checks: [] }, /program: expected a string/);
    bad({ program: 'a.rasm' }, /the file has no checks/);
    bad({ program: 'a.rasm', outptu: 'x' }, /outptu: unknown field/);
    bad({ program: 'a.rasm', checks: [{ name: 'n' }] }, /checks\[0\]: give exactly one of/);
    bad({ program: 'a.rasm', checks: [{ name: 'n', exitCode: 0, output: 'x' }] }, /found exitCode, output|found output, exitCode/);
    bad({ program: 'a.rasm', checks: [{ name: 'n', os: 'tlb-magic' }] }, /checks\[0\]\.os\.kind: unknown OS rule 'tlb-magic'/);
    bad({ program: 'a.rasm', checks: [{ name: 'n', output: { matches: '(' } }] }, /checks\[0\]\.output\.matches/);
    bad({ program: 'a.rasm', checks: [{ name: 'n', exitCode: 0 }, { name: 'n', exitCode: 1 }] }, /two checks have the id 'n'/);
    assert.throws(() => parseCheckFile('{', 'c.json'), /c\.json: not valid JSON/);
  });

  it('rejects a teacher\'s typo that would otherwise pass or fail whatever the student does', () => {
    const bad = (check: object, re: RegExp) => assert.throws(() => parseCheckFile(JSON.stringify({ program: 'a.rasm', checks: [{ name: 'n', ...check }] }), 'x/check.json'), (e: Error) => e instanceof CheckFileError && re.test(e.message));
    bad({ transitions: { cause: '#PFF', count: 0 } }, /checks\[0\]\.transitions\.cause: unknown cause '#PFF'/);
    bad({ transitions: { cause: ['#PF', 'syscall wrte'], atLeast: 1 } }, /cause\[1\]: unknown cause 'syscall wrte'/);
    bad({ transitions: { cause: 'syscall 1', count: 1 } }, /unknown cause 'syscall 1'/);
    bad({ transitions: { cause: '#PF', fromRing: 9, count: 1 } }, /fromRing: expected a whole number from 0 to 3, not 9/);
    bad({ assert: { match: 'x=(\\d+)' } }, /checks\[0\]\.assert: give "equals" or "cause"/);
    bad({ assert: { match: '(', equals: 1 } }, /checks\[0\]\.assert\.match: /);
    bad({ register: { name: 'r22', equals: 1 } }, /register\.name: unknown register 'r22'/);
    bad({ tlb: { counter: 'missses', equals: 1 } }, /tlb\.counter: unknown TLB counter 'missses'/);
    bad({ os: { kind: 'user-pointers', syscall: 'wrte', buffer: 'r2', length: 'r3' } }, /os\.syscall: unknown system call 'wrte'/);
    bad({ os: { kind: 'user-pointers', syscall: 'write', buffer: 'r22', length: 'r3' } }, /os\.buffer: unknown register 'r22'/);
    bad({ exitCode: 0, hidden: 'yes' }, /checks\[0\]\.hidden: expected true or false/);
    bad({ exitCode: 0, maxInstructions: -5 }, /maxInstructions: expected a whole number from 1/);
    bad({ memory: { at: -8, equals: 0 } }, /memory\.at: expected a whole number from 0 to 4294967295/);
    assert.throws(() => parseCheckFile(JSON.stringify({ program: 'a.rasm', byCause: { '#PFF': 1 } }), 'x'), /byCause\.#PFF: unknown cause/);
    // What a run can name is accepted: prefixes, unnamed numbers, exit reasons.
    assert.ok(parseCheckFile(JSON.stringify({ program: 'a.rasm', checks: [{ name: 'a', transitions: { cause: ['#*', 'syscall write', 'syscall 500', 'irq timer', 'vmexit hlt', 'iret', 'int 7'], atLeast: 0 } }] }), 'x'));
  });

  it("accepts a sample's expected.json fields as checks worth a point each", () => {
    const f = parseCheckFile(JSON.stringify({ program: 'a.rasm', output: 'x', exitCode: 0, byCause: { iret: 3 }, assert: { n: { match: '(\\d+)', equals: 1 } } }), 'c');
    assert.deepStrictEqual(f.checks.map((c) => [c.id, c.points, c.body.type]), [['output', 1, 'output'], ['exit-code', 1, 'exitCode'], ['by-cause-iret', 1, 'transitions'], ['assert-n', 1, 'assert']]);
  });
});

describe('grader: grading a program', () => {
  const checks = [
    { name: 'prints hi', points: 2, output: 'hi' },
    { name: 'exit 3', exitCode: 3 },
    { name: 'r3 is 8', register: { name: 'r3', equals: 8 }, hint: 'add one' },
    { name: 'count is 5', memory: { at: 'count', equals: 5 } },
    { name: 'count is 6', memory: { at: 'count', equals: 6 } },
    { name: 'no traps', transitions: { cause: '#*', count: 0 } },
    { name: 'secret', hidden: true, output: { contains: 'hidden text' }, hint: 'think' },
  ];
  const dir = tmpDir({ 'p.rasm': PROGRAM, 'check.json': JSON.stringify({ title: 'T', program: 'p.rasm', checks }) });
  const r = gradeFile(path.join(dir, 'check.json'), nodeGradeHost(dir));

  it('judges each check, with points', () => {
    assert.deepStrictEqual(r.checks.map((c) => [c.name, c.passed]), [['prints hi', true], ['exit 3', true], ['r3 is 8', false], ['count is 5', true], ['count is 6', false], ['no traps', true], ['secret', false]]);
    assert.strictEqual(r.score, 5);
    assert.strictEqual(r.maxScore, 8);
    assert.strictEqual(r.passed, false);
  });

  it('a failure says expected, actual, the hint, and the step and source line that produced the value', () => {
    const c = r.checks.find((x) => x.name === 'r3 is 8')!;
    assert.strictEqual(c.expected, 'r3 = 8 (0x00000008)');
    assert.strictEqual(c.actual, 'r3 = 7 (0x00000007)');
    assert.strictEqual(c.hint, 'add one');
    assert.strictEqual(c.where?.line, 8, '`mov r3, 7` is line 8');
    assert.strictEqual(c.where?.icount, 4, 'after four instructions');
    const m = r.checks.find((x) => x.name === 'count is 6')!;
    assert.strictEqual(m.where?.line, 10, 'the store to count');
  });

  it('hidden checks keep their expectations out of what a student sees', () => {
    const pub = publicReport(r).checks.find((c) => c.hidden)!;
    assert.strictEqual(pub.name, 'hidden check');
    assert.strictEqual(pub.expected, undefined);
    assert.strictEqual(pub.hint, 'think');
    assert.ok(!JSON.stringify(publicReport(r)).includes('hidden text'));
  });

  it('JUnit: one testcase per check with its points, failures with the hint', () => {
    const x = formatJUnit([r], (p) => p);
    assert.match(x, /<testsuite name="T" tests="7" failures="3"/);
    assert.match(x, /<property name="score" value="5"\/><property name="maxScore" value="8"\/>/);
    assert.match(x, /name="prints hi">\n {6}<properties><property name="points" value="2"\/><property name="maxPoints" value="2"\/><\/properties>/);
    assert.match(x, /<failure message="add one">/);
    assert.ok(!x.includes('hidden text'));
  });

  it('a program that does not assemble fails every check with its errors', () => {
    const d = tmpDir({ 'p.rasm': 'mov r1,\n', 'check.json': JSON.stringify({ program: 'p.rasm', exitCode: 0 }) });
    const bad = gradeFile(path.join(d, 'check.json'), nodeGradeHost(d));
    assert.strictEqual(bad.passed, false);
    assert.match(bad.errors[0], /^p\.rasm:1:\d+: error: /);
  });

  it('a program placed outside the machine\'s memory fails every check, told at its line (it stopped the grader with an unlocated error)', () => {
    const d = tmpDir({ 'p.rasm': '_start: nop\n.org 0x20000000\n    nop\n', 'check.json': JSON.stringify({ program: 'p.rasm', exitCode: 0 }) });
    const out = gradeFile(path.join(d, 'check.json'), nodeGradeHost(d));
    assert.strictEqual(out.passed, false);
    assert.deepStrictEqual(out.errors, ["p.rasm:3:1: error: this line's bytes are at physical 0x20000000, outside the machine's 16 MiB of memory (place it lower with .org)"]);
    assert.ok(out.checks.length > 0 && out.checks.every((c) => !c.passed && c.actual === 'the program does not fit in memory'));
  });
});

describe('grader: OS rules', () => {
  const paging = path.join(ROOT, 'samples/paging/paging.rasm');
  const d = tmpDir({
    'check.json': JSON.stringify({
      program: paging,
      checks: [
        { name: 'tlb', os: 'tlb-coherent' },
        { name: 'priv', os: 'no-privileged-in-ring3' },
        { name: 'ptr', os: { kind: 'user-pointers', syscall: 'write', buffer: 'r2', length: 'r3' } },
      ],
    }),
  });
  const r = gradeFile(path.join(d, 'check.json'), nodeGradeHost(ROOT));

  it('tlb-coherent finds the paging sample\'s deliberate stale read, at its line', () => {
    const c = r.checks.find((x) => x.name === 'tlb')!;
    assert.strictEqual(c.passed, false);
    assert.match(c.actual!, /`ld r10, \[r8\]` used the TLB's cached translation of 0x10020000/);
    const line = fs.readFileSync(paging, 'utf8').split('\n')[c.where!.line! - 1];
    assert.match(line, /ld r10, \[r8\]\s+; 3\. TLB hit: still frame A/);
  });

  it('a kernel that checks its pointers and a ring 3 that stays unprivileged pass', () => {
    assert.ok(r.checks.find((x) => x.name === 'priv')!.passed);
    assert.ok(r.checks.find((x) => x.name === 'ptr')!.passed);
  });

  it('no-privileged-in-ring3 catches the protection sample\'s cli in ring 3', () => {
    const p = tmpDir({ 'check.json': JSON.stringify({ program: path.join(ROOT, 'samples/protection/protection.rasm'), checks: [{ name: 'priv', os: 'no-privileged-in-ring3' }] }) });
    const c = gradeFile(path.join(p, 'check.json'), nodeGradeHost(ROOT)).checks[0];
    assert.strictEqual(c.passed, false);
    assert.match(c.actual!, /ring 3 reached `cli`, a privileged instruction/);
    assert.match(c.where!.file!, /protection[\\/]user\.rasm$/);
  });
});

describe('ringside check (CLI)', () => {
  const run = (...args: string[]) => spawnSync(process.execPath, [CLI, 'check', ...args], { encoding: 'utf8', cwd: ROOT });

  it('exit 0 and "all checks passed" for a model solution; 1 and the hint for the starting file', () => {
    const ok = run('exercises/03-tlb-mprotect', '--solution');
    assert.strictEqual(ok.status, 0, ok.stdout + ok.stderr);
    assert.match(ok.stdout, /score 11\/11: all checks passed/);
    const bad = run('exercises/03-tlb-mprotect');
    assert.strictEqual(bad.status, 1);
    assert.match(bad.stdout, /FAIL {2}no access goes through a stale TLB entry|FAIL {2}a misaligned address gives -EINVAL/);
    assert.match(bad.stdout, /hint: {5}/);
  });

  it('--json and --junit, and a folder of exercises at once', () => {
    const junit = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'rs-junit-')), 'r.xml');
    const r = run('exercises', '--solution', '--json', '--junit', junit);
    assert.strictEqual(r.status, 0, r.stderr);
    const reports = JSON.parse(r.stdout);
    assert.ok(Array.isArray(reports) && reports.length >= 6);
    assert.ok(reports.every((x: { passed: boolean }) => x.passed));
    assert.match(fs.readFileSync(junit, 'utf8'), /<testsuites>[\s\S]*<testcase /);
  });

  it("the course as Open Course Samples copies it (dist/course.json) grades, has no model solution, and --solution says where a teacher finds them", () => {
    const course = fs.mkdtempSync(path.join(os.tmpdir(), 'ringside-course-'));
    for (const f of JSON.parse(fs.readFileSync(path.join(ROOT, 'dist/course.json'), 'utf8')) as string[]) {
      fs.mkdirSync(path.dirname(path.join(course, f)), { recursive: true });
      fs.copyFileSync(path.join(ROOT, f), path.join(course, f));
    }
    assert.ok(!fs.existsSync(path.join(course, 'exercises/03-tlb-mprotect/solution')));
    const at = (...args: string[]) => spawnSync(process.execPath, [CLI, 'check', ...args], { encoding: 'utf8', cwd: course });
    assert.strictEqual(at('exercises/03-tlb-mprotect').status, 1);
    const r = at('exercises/03-tlb-mprotect', '--solution');
    assert.strictEqual(r.status, 2);
    assert.match(r.stderr, /cannot read the model solution 'solution\/mprotect\.rasm' \(the course the extension gives students leaves the solutions out: a teacher finds them in the Ringside repository, exercises\/\*\/solution\/\)/);
  });

  it('a bad check file or target is a usage error (exit 2) that names the problem', () => {
    const d = tmpDir({ 'check.json': '{"program": 3}' });
    const r = run(d);
    assert.strictEqual(r.status, 2);
    assert.match(r.stderr, /check\.json: program: expected a string/);
    const none = run(path.join(d, 'nope'));
    assert.strictEqual(none.status, 2);
    assert.match(none.stderr, /no such file or folder/);
  });

  it('a run that ends in a triple fault is said in words, and "where" is its last instruction', () => {
    const d = tmpDir({ 'p.rasm': '_start: mov r1, 0x7FFFF000\n  wrsr ivt, r1\n  brk\n', 'check.json': JSON.stringify({ program: 'p.rasm', checks: [{ name: 'ends', exitCode: 0 }] }) });
    const r = run(path.join(d, 'check.json'));
    assert.match(r.stdout, /run: 3 instructions, triple fault\n/);
    assert.match(r.stdout, /where: {4}\S*p\.rasm:3, instruction 3 of the run/);
  });

  it('a folder with one bad check file still grades the others, and exits 2', () => {
    const d = fs.mkdtempSync(path.join(os.tmpdir(), 'ringside-checks-'));
    fs.mkdirSync(path.join(d, 'a'));
    fs.mkdirSync(path.join(d, 'b'));
    fs.writeFileSync(path.join(d, 'a', 'p.rasm'), PROGRAM);
    fs.writeFileSync(path.join(d, 'a', 'check.json'), JSON.stringify({ title: 'Good', program: 'p.rasm', checks: [{ name: 'exit 3', exitCode: 3 }] }));
    fs.writeFileSync(path.join(d, 'b', 'check.json'), '{"program": 3}');
    const r = run(d);
    assert.strictEqual(r.status, 2);
    assert.match(r.stderr, /check\.json: program: expected a string/);
    assert.match(r.stdout, /Good: .*\n {2}run: \d+ instructions, powered off\n {2}PASS {2}exit 3/);
  });
});

describe('grader: what a report shows, and the teacher\'s files', () => {
  it('a Korean student reads the check file\'s Korean names, hints and title; ids stay the English ones', () => {
    const checks = [{ name: 'exit 4', exitCode: 4, hint: 'power off with 4', ko: { name: '종료 코드 4', hint: '4로 전원을 끄세요' } }, { name: 'prints hi', output: 'hi' }];
    const dir = tmpDir({ 'p.rasm': PROGRAM, 'check.json': JSON.stringify({ title: 'T', ko: { title: '과제' }, program: 'p.rasm', checks }) });
    const ko = gradeFile(path.join(dir, 'check.json'), nodeGradeHost(dir), { locale: 'ko-KR' });
    assert.deepStrictEqual([ko.title, ...ko.checks.map((c) => [c.id, c.name, c.hint])], ['과제', ['exit-4', '종료 코드 4', '4로 전원을 끄세요'], ['prints-hi', 'prints hi', undefined]]);
    const en = gradeFile(path.join(dir, 'check.json'), nodeGradeHost(dir), { locale: 'en' });
    assert.deepStrictEqual([en.title, en.checks[0].name, en.checks[0].hint], ['T', 'exit 4', 'power off with 4']);
    const text = spawnSync(process.execPath, [CLI, 'check', path.join(dir, 'check.json')], { encoding: 'utf8', env: { ...process.env, LC_ALL: '', LC_MESSAGES: '', LANG: 'ko_KR.UTF-8' } }).stdout;
    // The report's own words in Korean too.
    assert.match(text, /실패 {2}종료 코드 4 {2}\(0\/1\)[\s\S]*힌트: 4로 전원을 끄세요\n[\s\S]*점수 1\/2: 검사 2개 중 1개 실패/);
    // What was expected and what happened too, in the student's language.
    assert.deepStrictEqual([ko.checks[0].expected, ko.checks[0].actual], ['종료 코드 4(으)로 전원이 꺼졌습니다', '종료 코드 3(으)로 전원이 꺼졌습니다']);
    assert.match(text, /기대: 종료 코드 4\(으\)로 전원이 꺼졌습니다\n {8}실제: 종료 코드 3/);
    assert.strictEqual(en.checks[0].expected, 'powered off with exit code 4');
    assert.throws(() => parseCheckFile(JSON.stringify({ program: 'p.rasm', checks: [{ name: 'n', exitCode: 0, ko: { nmae: 'x' } }] }), 'x'), /checks\[0\]\.ko\.nmae: unknown field \(expected name or hint\)/);
  });

  it('a run only hidden checks use keeps its input out of a student\'s report', () => {
    const checks = [
      { name: 'shown', output: { contains: 'h' } },
      { name: 'secret', hidden: true, stdin: 'the secret input', exitCode: 3 },
    ];
    const dir = tmpDir({ 'p.rasm': PROGRAM, 'check.json': JSON.stringify({ title: 'T', program: 'p.rasm', checks }) });
    const r = gradeFile(path.join(dir, 'check.json'), nodeGradeHost(dir));
    assert.deepStrictEqual(r.runs.map((x) => [x.stdin, x.hidden]), [['', false], ['the secret input', true]]);
    assert.ok(!JSON.stringify(publicReport(r)).includes('the secret input'));
    const text = spawnSync(process.execPath, [CLI, 'check', path.join(dir, 'check.json')], { encoding: 'utf8' }).stdout;
    assert.match(text, /run with a hidden check's input: \d+ instructions/);
    assert.ok(!text.includes('the secret input'));
  });

  it('a flood of output is shown as an excerpt, not whole', () => {
    const flood = `_start: mov r1, 'A'\n  mov r2, 50000\n.l: out 0x10, r1\n  sub r2, 1\n  jnz .l\n  out 0xF4, r2`;
    const dir = tmpDir({ 'p.rasm': flood, 'check.json': JSON.stringify({ program: 'p.rasm', checks: [{ name: 'says B', output: { contains: 'B' } }] }) });
    const c = gradeFile(path.join(dir, 'check.json'), nodeGradeHost(dir)).checks[0];
    assert.ok(c.actual !== undefined && c.actual.length < 500, `${c.actual?.length} characters`);
  });

  it('a missing program or solution file, or a solution key that is not a file of the program, is the check file\'s mistake', () => {
    const files = { 'p.rasm': '.include "s.rasm"', 's.rasm': PROGRAM, 'm.rasm': PROGRAM };
    const err = (check: object, re: RegExp, solution = false) => {
      const dir = tmpDir({ ...files, 'check.json': JSON.stringify({ program: 'p.rasm', checks: [{ name: 'x', exitCode: 3 }], ...check }) });
      assert.throws(() => gradeFile(path.join(dir, 'check.json'), nodeGradeHost(dir), { solution }), (e: Error) => e instanceof CheckFileError && re.test(e.message));
    };
    err({ program: 'nope.rasm' }, /program: cannot read 'nope\.rasm'/);
    err({ solution: { 's.rsm': 'm.rasm' } }, /solution\.s\.rsm: no student file 's\.rsm' \(a typo\?/, true);
    err({ solution: { 's.rasm': 'gone.rasm' } }, /solution\.s\.rasm: cannot read the model solution 'gone\.rasm'/, true);
    err({ solution: { 'm.rasm': 's.rasm' } }, /the program never includes this file/, true);
  });
});


describe('grader: system registers, assembler errors, and the teacher\'s other mistakes', () => {
  const SYSREG_PROGRAM = '_start: mov r1, 0x5000\n  wrsr cr3, r1\n  mov r1, 0\n  out 0xF4, r1\n';
  const grading = (files: Record<string, string>, checkFile: object, opts = {}) => {
    const dir = tmpDir({ ...files, 'check.json': JSON.stringify(checkFile) });
    return gradeFile(path.join(dir, 'check.json'), nodeGradeHost(dir), opts);
  };

  it('a register check reads a system register (cr3, ksp...) at the end: pass and fail', () => {
    const r = grading({ 'p.rasm': SYSREG_PROGRAM }, { program: 'p.rasm', checks: [{ name: 'cr3 set', register: { name: 'cr3', equals: 0x5000 } }, { name: 'cr3 wrong', register: { name: 'cr3', equals: 0x6000 } }] });
    assert.deepStrictEqual(r.checks.map((c) => [c.name, c.passed, c.actual]), [['cr3 set', true, 'cr3 = 0x00005000'], ['cr3 wrong', false, 'cr3 = 0x00005000']]);
    // Every system register the machine has is a register check's name, and the error lists them.
    const names = isa.SYSTEM_REGISTERS.map((s) => s.name);
    for (const name of names) assert.ok(parseCheckFile(JSON.stringify({ program: 'p.rasm', checks: [{ name: 'n', register: { name, equals: 0 } }] }), 'x'), name);
    assert.throws(() => parseCheckFile(JSON.stringify({ program: 'p.rasm', checks: [{ name: 'n', register: { name: 'cr4', equals: 0 } }] }), 'x'), (e: Error) => e.message === `x: checks[0].register.name: unknown register 'cr4' (r0-r15, sp, fp, or a system register: ${names.join(', ')})`);
    // The user-pointers rule reads the caller's general registers at its syscall: no system register there.
    assert.throws(() => parseCheckFile(JSON.stringify({ program: 'p.rasm', checks: [{ name: 'n', os: { kind: 'user-pointers', syscall: 'write', buffer: 'cr3', length: 'r3' } }] }), 'x'), /os\.buffer: unknown register 'cr3' \(r0-r15, sp, fp\)$/);
    assert.ok(fs.readFileSync(path.join(ROOT, 'docs/exercises.md'), 'utf8').includes(names.map((n) => `\`${n}\``).join(', ')), 'docs/exercises.md lists the system registers');
  });

  it('JUnit: a program that does not assemble is an error in each test case, with the assembler\'s messages in its body and in <system-err>', () => {
    const r = grading({ 'p.rasm': '_start: frob r1\n' }, { title: 'T', program: 'p.rasm', checks: [{ name: 'exit 0', exitCode: 0 }, { name: 'secret', hidden: true, exitCode: 0 }] });
    const x = formatJUnit([r], (p) => path.basename(p));
    assert.match(x, /<testsuite name="T" tests="2" failures="0" errors="2">/);
    assert.strictEqual(x.match(/<error message="p\.rasm:1:9: error: unknown instruction 'frob'[^"]*" type="assembly">[^<]*p\.rasm:1:9: error: unknown instruction 'frob'[^<]*<\/error>/g)?.length, 2, x);
    assert.match(x, /<system-err>p\.rasm:1:9: error: unknown instruction 'frob'[^<]*<\/system-err>\n {2}<\/testsuite>/);
    assert.ok(!x.includes('<failure'));
  });

  it('the assembler\'s errors are in the report\'s language (LANG for ringside check), and the session\'s language is left as it was', () => {
    const files = { 'p.rasm': '_start: frob r1\n' };
    const spec = { program: 'p.rasm', checks: [{ name: 'exit 0', exitCode: 0 }] };
    assert.match(grading(files, spec, { locale: 'ko-KR' }).errors[0], /: error: 알 수 없는 명령어 'frob'/);
    assert.strictEqual(currentLocale(), 'en');
    assert.match(grading(files, spec, { locale: 'en' }).errors[0], /: error: unknown instruction 'frob'/);
    const dir = tmpDir({ ...files, 'check.json': JSON.stringify(spec) });
    const env = { ...process.env, LC_ALL: '', LC_MESSAGES: '', LANG: 'ko_KR.UTF-8' };
    assert.match(spawnSync(process.execPath, [CLI, 'check', dir], { encoding: 'utf8', env }).stdout, /error: 알 수 없는 명령어 'frob'\n {2}실패/);
    // The other commands keep their English (the README promises LANG only for check).
    assert.match(spawnSync(process.execPath, [CLI, 'asm', path.join(dir, 'p.rasm')], { encoding: 'utf8', env }).stderr, /error: unknown instruction 'frob'/);
  });

  it('an empty check list, count with atLeast or atMost, and a student file that is not there are the check file\'s mistakes (exit 2)', () => {
    const bad = (obj: object, re: RegExp) => assert.throws(() => parseCheckFile(JSON.stringify({ program: 'p.rasm', ...obj }), 'x'), (e: Error) => e instanceof CheckFileError && re.test(e.message));
    bad({ exitCode: 0, checks: [] }, /x: checks: the list is empty/);
    bad({ maxInstructions: 1000 }, /x: checks: the file has no checks \(maxInstructions alone only limits the run\)/);
    bad({ checks: [{ name: 'n', transitions: { cause: '#PF', count: 1, atLeast: 1 } }] }, /checks\[0\]\.transitions: give count, or atLeast and\/or atMost, not both/);
    bad({ checks: [{ name: 'n', transitions: { cause: '#PF', count: 1, atMost: 3 } }] }, /not both/);
    assert.throws(() => grading({ 'p.rasm': PROGRAM }, { program: 'p.rasm', student: 'mine.rasm', checks: [{ name: 'exit 3', exitCode: 3 }] }), (e: Error) => e instanceof CheckFileError && /check\.json: student: cannot read 'mine\.rasm'/.test(e.message));
    const dir = tmpDir({ 'p.rasm': PROGRAM, 'check.json': JSON.stringify({ program: 'p.rasm', student: 'mine.rasm', checks: [{ name: 'exit 3', exitCode: 3 }] }) });
    const cli = spawnSync(process.execPath, [CLI, 'check', dir], { encoding: 'utf8' });
    assert.strictEqual(cli.status, 2);
    assert.match(cli.stderr, /check\.json: student: cannot read 'mine\.rasm'/);
  });

  it('a memory check on a label the program does not define is the student\'s failure, and says so', () => {
    const r = grading({ 'p.rasm': PROGRAM }, { program: 'p.rasm', checks: [{ name: 'total', memory: { at: 'total', equals: 5 } }] });
    assert.deepStrictEqual([r.checks[0].passed, r.checks[0].expected, r.checks[0].actual], [false, '[total] = 5', "the program defines no label 'total' (the check reads the word at it)"]);
    const ko = grading({ 'p.rasm': PROGRAM }, { program: 'p.rasm', checks: [{ name: 'total', memory: { at: 'total', equals: 5 } }] }, { locale: 'ko' });
    assert.match(ko.checks[0].actual!, /프로그램에 'total' 레이블이 정의되어 있지 않습니다/);
  });
});

describe('grader: requires, and hidden checks\' ids', () => {
  // PROGRAM prints "hi" and exits 3: 'says bye' fails, so what requires it is not reached.
  const checks = [
    { name: 'says bye', id: 'bye', output: { contains: 'bye' } },
    { name: 'never faults', transitions: { cause: '#*', count: 0 }, points: 3, requires: 'bye', hint: 'no fault' },
    { name: 'after that', exitCode: 3, requires: ['never-faults'] },
    { name: 'secret rule: kernel must never fault on 0xDEADBEEF', hidden: true, exitCode: 4 },
    { name: 'behind the hidden one', exitCode: 3, requires: 'hidden-4' },
  ];
  const dir = tmpDir({ 'p.rasm': PROGRAM, 'check.json': JSON.stringify({ title: 'T', program: 'p.rasm', maxInstructions: 1000, requires: 'bye', checks }) });
  const r = gradeFile(path.join(dir, 'check.json'), nodeGradeHost(dir));
  const byId = (id: string) => r.checks.find((c) => c.id === id)!;

  it('a check scores only once the checks it requires pass, and says which did not (a hidden one as hidden), through a chain too', () => {
    assert.deepStrictEqual(r.checks.map((c) => [c.id, c.earned, c.notReached]), [
      ['instructions', 0, ['bye']],
      ['bye', 0, undefined],
      ['never-faults', 0, ['bye']],
      ['after-that', 0, ['never-faults']],
      ['hidden-4', 0, undefined],
      ['behind-the-hidden-one', 0, ['hidden-4']],
    ]);
    assert.strictEqual(byId('never-faults').actual, "not reached: first 'says bye' must pass");
    assert.strictEqual(byId('behind-the-hidden-one').actual, 'not reached: first a hidden check must pass');
    assert.strictEqual(r.score, 0);
    const ko = gradeFile(path.join(dir, 'check.json'), nodeGradeHost(dir), { locale: 'ko' });
    assert.match(ko.checks.find((c) => c.id === 'never-faults')!.actual!, /^도달하지 못함: 먼저 'says bye'/);
  });

  it('the text says SKIP and why; JUnit a <skipped> test case; --json names the unmet checks', () => {
    const text = formatText(publicReport(r), (p) => p);
    assert.match(text, /SKIP {2}never faults {2}\(0\/3\)\n {8}why: {6}not reached: first 'says bye' must pass\n/);
    const x = formatJUnit([r], (p) => p);
    assert.match(x, /tests="6" failures="2" errors="0" skipped="4"/);
    assert.match(x, /<testcase classname="T" name="never faults">[\s\S]*?<skipped message="not reached: first 'says bye' must pass"\/>/);
  });

  it('a passing requirement lets the check count', () => {
    const d = tmpDir({ 'p.rasm': PROGRAM, 'check.json': JSON.stringify({ program: 'p.rasm', checks: [{ name: 'says hi', output: { contains: 'hi' } }, { name: 'then exits 3', exitCode: 3, requires: 'says-hi', points: 2 }] }) });
    const g = gradeFile(path.join(d, 'check.json'), nodeGradeHost(d));
    assert.deepStrictEqual([g.score, g.maxScore, g.checks[1].notReached], [3, 3, undefined]);
  });

  it('an unknown or circular requirement is the check file\'s mistake', () => {
    const bad = (obj: object, re: RegExp) => assert.throws(() => parseCheckFile(JSON.stringify({ program: 'a.rasm', ...obj }), 'x/check.json'), (e: Error) => e instanceof CheckFileError && re.test(e.message));
    bad({ checks: [{ name: 'a', exitCode: 0, requires: 'b' }] }, /requires of 'a': no check has the id 'b'/);
    bad({ checks: [{ name: 'a', exitCode: 0, requires: 'a' }] }, /circle: a -> a/);
    bad({ checks: [{ name: 'a', exitCode: 0, requires: 'b' }, { name: 'b', exitCode: 0, requires: 'a' }] }, /circle: a -> b -> a/);
    bad({ exitCode: 0, requires: 'exit-code', checks: [{ name: 'a', exitCode: 0 }] }, /circle: exit-code -> exit-code/);
  });

  it('a hidden check without an id is named by its place, not its name, in --json and --junit', () => {
    assert.strictEqual(parseCheckFile(JSON.stringify({ program: 'a.rasm', checks: [{ name: 'a', exitCode: 0 }, { name: 'secret rule', hidden: true, exitCode: 0 }] }), 'x').checks[1].id, 'hidden-2');
    const junit = path.join(dir, 'r.xml');
    const out = spawnSync(process.execPath, [CLI, 'check', dir, '--json', '--junit', junit], { encoding: 'utf8' });
    const all = out.stdout + fs.readFileSync(junit, 'utf8') + spawnSync(process.execPath, [CLI, 'check', dir], { encoding: 'utf8' }).stdout;
    assert.match(all, /"id": "hidden-4"/);
    assert.match(all, /name="hidden: hidden-4"/);
    assert.doesNotMatch(all, /secret|deadbeef/i);
  });
});
