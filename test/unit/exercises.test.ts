/**
 * Every exercise's model solution passes all its checks, and a mutated copy of each solution
 * (the mistake a student would make) fails exactly the check written to catch it, with its hint.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { gradeFile } from '../../grader';
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
  { what: 'no cr3 load on a switch', exercise: '04-context-switch', file: 'switch_to.rasm', find: 'wrsr cr3, r2', replace: '', fails: 'each process sees its own memory' },
  { what: 'the saved pc not advanced', exercise: '05-trap-and-emulate', file: 'emulate.rasm', find: 'add r3, 4', replace: '', fails: 'each privileged instruction traps exactly once' },
  { what: 'cli not emulated', exercise: '05-trap-and-emulate', file: 'emulate.rasm', find: '.cli:   mov r1, 0', replace: '.cli:   mov r1, 1', fails: 'the virtual IF follows cli and sti' },
  { what: 'guest_pc not advanced', exercise: '06-vmexit-io', file: 'io_exit.rasm', find: 'vmwrite guest_pc, r11', replace: '', fails: 'each in and out exits once' },
  { what: 'the input byte not handed to the guest', exercise: '06-vmexit-io', file: 'io_exit.rasm', find: 'vmwrite io_value, r10', replace: '', fails: 'the guest reads the console input' },
];

const exercises = fs.readdirSync(EX).filter((d) => fs.existsSync(path.join(EX, d, 'check.json'))).sort();

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

    it(`${d}: the starting file fails (the exercise has something to do)`, () => {
      const r = gradeFile(path.join(EX, d, 'check.json'), host);
      assert.strictEqual(r.passed, false);
      assert.ok(r.score < r.maxScore / 2, `${r.score}/${r.maxScore} for the starting file`);
    });
  }

  for (const mu of MUTATIONS) {
    it(`${mu.exercise}: ${mu.what} fails '${mu.fails}'`, () => {
      const dir = path.join(EX, mu.exercise);
      const checkPath = path.join(dir, 'check.json');
      const spec = JSON.parse(fs.readFileSync(checkPath, 'utf8'));
      const model = fs.readFileSync(path.join(dir, spec.solution[mu.file]), 'utf8');
      assert.ok(model.includes(mu.find), `the model solution contains ${JSON.stringify(mu.find)}`);
      const mutated = model.replace(mu.find, mu.replace);
      const r = gradeFile(checkPath, host, { overlay: new Map([[path.join(dir, mu.file), mutated]]) });
      const c = r.checks.find((x) => x.name === mu.fails);
      assert.ok(c, `a check named '${mu.fails}'`);
      assert.strictEqual(c!.passed, false, `'${mu.fails}' passed on the mutant`);
      assert.ok(c!.hint && c!.hint.length > 10, 'the failure carries its hint');
      assert.ok(c!.where && c!.where.icount >= 0, 'the failure says where');
      assert.strictEqual(r.passed, false);
    });
  }
});
