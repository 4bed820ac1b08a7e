/**
 * Every exercise's model solution passes all its checks, and a mutated copy of each solution
 * (the mistake a student would make) fails exactly the check written to catch it, with its hint.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { formatText, gradeFile, GradeReport, parseCheckFile } from '../../grader';
import { nodeGradeHost } from '../../grader/node';

const ROOT = path.resolve(__dirname, '../../..');
const EX = path.join(ROOT, 'exercises');
const host = nodeGradeHost(ROOT);

interface Mutation {
  what: string;
  exercise: string;
  /** The student file, relative to the exercise; the mutation is applied to its model solution. */
  file: string;
  find: string;
  replace: string;
  /** Name of the check that must fail. */
  fails: string;
}

const MUTATIONS: Mutation[] = [
  { what: 'no user_ok before reading the buffer', exercise: '01-syscall-write', file: 'sys_write.rasm', find: 'call user_ok', replace: 'mov r0, 0', fails: 'the kernel never reads a user buffer ring 3 may not read' },
  { what: 'only the first byte of the buffer checked', exercise: '01-syscall-write', file: 'sys_write.rasm', find: 'mov r2, r3\n', replace: 'mov r2, 1\n        mov r0, r3\n', fails: 'a buffer that runs off its page is refused with -EFAULT' },
  { what: 'the heap page mapped without PTE_U', exercise: '02-demand-paging', file: 'on_pf.rasm', find: 'PTE_P | PTE_W | PTE_U', replace: 'PTE_P | PTE_W', fails: 'one page fault per heap page, and one for the wild store' },
  { what: 'no bounds check on cr2', exercise: '02-demand-paging', file: 'on_pf.rasm', find: 'cmp r4, HEAP_END\n        jae segv', replace: '', fails: 'a store outside the heap kills the program' },
  { what: 'no invlpg after the PTE change', exercise: '03-tlb-mprotect', file: 'mprotect.rasm', find: 'invlpg r2', replace: '', fails: 'no access goes through a stale TLB entry' },
  { what: 'the page loop never advances', exercise: '03-tlb-mprotect', file: 'mprotect.rasm', find: 'add r2, PAGE_SIZE', replace: 'add r2, 0', fails: 'the kernel ends normally' },
  { what: 'no cr3 load on a switch', exercise: '04-context-switch', file: 'switch_to.rasm', find: 'wrsr cr3, r2', replace: '', fails: 'each process sees its own memory' },
  // The path of a real switch between two processes (the first one and a switch to the running one save nothing).
  { what: 'r3 not kept when the old process is saved', exercise: '04-context-switch', file: 'switch_to.rasm', find: '        push r3\n        ld r3, [cur_frame]\n        st [r2 + P_FRAME], r3                  ; where the old process will resume\n        pop r3\n', replace: '        ld r3, [cur_frame]\n        st [r2 + P_FRAME], r3\n', fails: 'switch_to keeps every register' },
  { what: 'no ksp load on a switch', exercise: '04-context-switch', file: 'switch_to.rasm', find: 'wrsr ksp, r2', replace: '', fails: 'the kernel ends normally' },
  { what: 'the saved pc not advanced', exercise: '05-trap-and-emulate', file: 'emulate.rasm', find: 'add r3, 4', replace: '', fails: 'each privileged instruction traps exactly once' },
  { what: 'cli not emulated', exercise: '05-trap-and-emulate', file: 'emulate.rasm', find: '.cli:   mov r1, 0', replace: '.cli:   mov r1, 1', fails: 'the virtual IF follows cli and sti' },
  { what: 'guest_pc not advanced', exercise: '06-vmexit-io', file: 'io_exit.rasm', find: 'vmwrite guest_pc, r11', replace: '', fails: 'each in and out exits once' },
  { what: 'the input byte not handed to the guest', exercise: '06-vmexit-io', file: 'io_exit.rasm', find: 'vmwrite io_value, r10', replace: '', fails: 'the guest reads the console input' },
];

const exercises = fs.readdirSync(EX).filter((d) => fs.existsSync(path.join(EX, d, 'check.json'))).sort();

/** The report of a mutant: the model solution of `mu.file` with `mu.find` replaced. */
function gradeMutant(mu: Pick<Mutation, 'exercise' | 'file' | 'find' | 'replace'>, locale?: string): GradeReport {
  const dir = path.join(EX, mu.exercise);
  const checkPath = path.join(dir, 'check.json');
  const spec = JSON.parse(fs.readFileSync(checkPath, 'utf8'));
  const model = fs.readFileSync(path.join(dir, spec.solution[mu.file]), 'utf8');
  assert.ok(model.includes(mu.find), `the model solution contains ${JSON.stringify(mu.find)}`);
  return gradeFile(checkPath, host, { overlay: new Map([[path.join(dir, mu.file), model.replace(mu.find, mu.replace)]]), locale });
}

// Each starter's and mutant's report, graded once for the tests that read them.
const reports = new Map<string, GradeReport>();
const starter = (d: string) => reports.get(d) ?? reports.set(d, gradeFile(path.join(EX, d, 'check.json'), host)).get(d)!;
const mutant = (mu: Mutation) => reports.get(mu.what) ?? reports.set(mu.what, gradeMutant(mu)).get(mu.what)!;

describe('Exercises: model solutions pass, mutations fail with their hint', () => {
  it('there are at least six exercises, each with a README (and a Korean one), a starting file and a model solution', () => {
    assert.ok(exercises.length >= 6, exercises.join(', '));
    for (const d of exercises) {
      const spec = JSON.parse(fs.readFileSync(path.join(EX, d, 'check.json'), 'utf8'));
      for (const f of ['README.md', 'README.ko.md', spec.program, spec.student]) assert.ok(fs.existsSync(path.join(EX, d, f)), `${d}/${f}`);
      for (const model of Object.values(spec.solution) as string[]) assert.ok(fs.existsSync(path.join(EX, d, model)), `${d}/${model}`);
      assert.ok(fs.readFileSync(path.join(EX, d, 'README.md'), 'utf8').includes('README.ko.md'), `${d}/README.md links the Korean version`);
    }
  });

  for (const d of exercises) {
    it(`${d}: the model solution passes every check`, () => {
      const r = gradeFile(path.join(EX, d, 'check.json'), host, { solution: true });
      assert.deepStrictEqual(r.errors, []);
      const failed = r.checks.filter((c) => !c.passed).map((c) => `${c.name}: expected ${c.expected}, actual ${c.actual}`);
      assert.deepStrictEqual(failed, []);
      assert.strictEqual(r.score, r.maxScore);
      assert.ok(r.checks.every((c) => c.hint === undefined), 'no hints on a pass');
    });

    it(`${d}: the untouched starting file scores 0 (a check that would pass for doing nothing requires one that does not)`, () => {
      const r = starter(d);
      assert.strictEqual(r.passed, false);
      assert.deepStrictEqual(r.checks.filter((c) => c.earned > 0).map((c) => `${c.name}: ${c.earned}`), [], `${r.score}/${r.maxScore} for the starting file`);
    });
  }

  for (const mu of MUTATIONS) {
    it(`${mu.exercise}: ${mu.what} fails '${mu.fails}'`, () => {
      const r = mutant(mu);
      const c = r.checks.find((x) => x.name === mu.fails);
      assert.ok(c, `a check named '${mu.fails}'`);
      assert.strictEqual(c!.passed, false, `'${mu.fails}' passed on the mutant`);
      assert.ok(c!.hint && c!.hint.length > 10, 'the failure carries its hint');
      assert.ok(c!.where && c!.where.icount >= 0, 'the failure says where');
      assert.strictEqual(r.passed, false);
    });
  }
});

/** What a hint must speak of, in English and Korean, for the way an exit-code check saw the run end. */
function endWords(actual: string): [RegExp, RegExp] | undefined {
  if (actual.startsWith('did not power off within')) return [/instruction limit/, /명령어 한도/];
  if (actual.startsWith('triple fault')) return [/triple fault/i, /트리플 폴트/];
  const code = /^powered off with exit code (\d+)/.exec(actual)?.[1];
  return code === undefined ? undefined : [new RegExp(`exit code ${code}\\b`, 'i'), new RegExp(`종료 코드 ${code}\\b`)];
}

describe('Exercises: hints, the docs and the READMEs say what happens', () => {
  const doc = fs.readFileSync(path.join(ROOT, 'docs/exercises.md'), 'utf8');
  const noInvlpg = MUTATIONS.find((mu) => mu.find === 'invlpg r2')!;

  it("an exit-code check's hint speaks of the way the run ended (limit, triple fault, exit code), in English and Korean, for every starter and mutant", () => {
    const wrong: string[] = [];
    const all = [...exercises.map((d) => [`${d} starter`, starter(d)] as const), ...MUTATIONS.map((mu) => [`${mu.exercise}: ${mu.what}`, mutant(mu)] as const)];
    for (const [what, r] of all) {
      const spec = parseCheckFile(fs.readFileSync(r.checkFile, 'utf8'), r.checkFile);
      for (const c of r.checks) {
        const s = spec.checks.find((x) => x.id === c.id)!;
        const words = !c.passed && s.body.type === 'exitCode' && c.actual ? endWords(c.actual) : undefined;
        if (!words) continue;
        if (!words[0].test(s.hint ?? '')) wrong.push(`${what}: '${c.name}' got "${c.actual}", its hint: ${s.hint}`);
        if (!words[1].test(s.ko?.hint ?? '')) wrong.push(`${what}: '${c.name}' got "${c.actual}", its Korean hint: ${s.ko?.hint}`);
      }
    }
    assert.deepStrictEqual(wrong, []);
  });

  it("docs/exercises.md's example failure is what exercise 3 without its invlpg reports, as text and as --json's where", () => {
    const r = mutant(noInvlpg);
    const text = formatText(r, host.display);
    const block = /```\n( {2}FAIL[\s\S]*?)```/.exec(doc)![1];
    assert.ok(text.includes(block), `docs/exercises.md quotes:\n${block}\nthe report is:\n${text}`);
    const where = r.checks.find((c) => c.name === noInvlpg.fails)!.where!;
    const quoted = JSON.parse(/`where` is `(\{[^`]*\})`/.exec(doc)![1]);
    assert.deepStrictEqual([quoted.icount, quoted.pc, quoted.line], [where.icount, where.pc, where.line]);
    assert.ok(where.file!.replace(/\\/g, '/').endsWith(quoted.file.replace(/^\.\.\./, '')), where.file);
    // The doc explains the text's number as icount + 1.
    assert.ok(block.includes(`instruction ${where.icount + 1} of the run`));
  });

  it("a Korean student reads exercise 3's stale-TLB failure in Korean, the page fault's reason too", () => {
    const c = gradeMutant(noInvlpg, 'ko_KR.UTF-8').checks.find((x) => x.id === 'no-access-goes-through-a-stale-tlb-entry')!;
    assert.match(c.actual!, /페이지 폴트 \(#PF, 에러 코드 0x00000007\): 읽기 전용 페이지에 씀/);
    assert.doesNotMatch(c.actual!, /page fault|read-only page|used the TLB/);
  });

  it("docs/exercises.md's run speeds hold within a factor of five (tlb-coherent: exercise 3 to its limit; no OS rule: exercise 6's starter)", () => {
    const figure = (re: RegExp) => Number((re.exec(doc) ?? ['', 'NaN'])[1].replace(/,/g, ''));
    const rate = (f: () => GradeReport) => {
      const t = process.hrtime.bigint();
      const r = f();
      return r.runs.reduce((n, x) => n + x.instructions, 0) / (Number(process.hrtime.bigint() - t) / 1e9);
    };
    const loop = MUTATIONS.find((mu) => mu.what === 'the page loop never advances')!;
    const cases: [string, number, number][] = [
      ['tlb-coherent', figure(/from about ([\d,]+) instructions a second with `tlb-coherent`/), rate(() => gradeMutant(loop))],
      ['no OS rule', figure(/to about ([\d,]+) with no OS rule/), rate(() => gradeFile(path.join(EX, '06-vmexit-io', 'check.json'), host))],
    ];
    for (const [what, said, measured] of cases) assert.ok(measured > said / 5 && measured < said * 5, `${what}: the doc says ${said} instructions a second, measured ${Math.round(measured)}`);
  });

  it("the exercises' READMEs grade as a student's copy can (the Testing view; the CLI as a clone of the repository runs it), and link only to what the course ships", () => {
    const shipped = JSON.parse(fs.readFileSync(path.join(ROOT, 'dist/course.json'), 'utf8')) as string[];
    const wrong: string[] = [];
    for (const f of shipped.filter((x) => x.startsWith('exercises/') && x.endsWith('.md'))) {
      const text = fs.readFileSync(path.join(ROOT, f), 'utf8');
      // npx would offer to install the unrelated npm package named ringside: a copied course has no package.json.
      if (/npx ringside/.test(text)) wrong.push(`${f}: npx ringside`);
      if (/ringside check/.test(text) && !/node dist\/cli\.js check/.test(text)) wrong.push(`${f}: a check command other than node dist/cli.js`);
      if (!/Testing/.test(text)) wrong.push(`${f}: does not name the Testing view`);
      for (const m of text.matchAll(/\]\(([^)#\s]+)[^)]*\)/g)) {
        if (/^[a-z]+:/i.test(m[1])) continue;
        const to = path.posix.normalize(path.posix.join(path.posix.dirname(f), m[1])).replace(/\/$/, '');
        if (!shipped.some((x) => x === to || x.startsWith(`${to}/`))) wrong.push(`${f}: links ${m[1]}, which the course does not ship`);
      }
    }
    assert.deepStrictEqual(wrong, []);
  });

  it('each README.ko.md has what its README.md has: the same code and links', () => {
    const prose = (s: string) => s.replace(/```[\s\S]*?```/g, '');
    const codes = (s: string) => [...new Set([...prose(s).matchAll(/`([^`\n]+)`/g)].map((m) => m[1]))].sort();
    const links = (s: string) => [...s.matchAll(/\]\(([^)]+)\)/g)].map((m) => m[1].replace(/README(\.ko)?\.md$/, 'README')).sort();
    for (const en of [path.join(EX, 'README.md'), ...exercises.map((d) => path.join(EX, d, 'README.md'))]) {
      const a = fs.readFileSync(en, 'utf8');
      const b = fs.readFileSync(en.replace(/README\.md$/, 'README.ko.md'), 'utf8');
      assert.deepStrictEqual(codes(b), codes(a), `${path.relative(ROOT, en)}: the Korean version's code`);
      assert.deepStrictEqual(links(b), links(a), `${path.relative(ROOT, en)}: the Korean version's links`);
    }
  });
});
