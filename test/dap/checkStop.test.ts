/** stopAtInstruction: a failed exercise check opens a session stopped at the instruction where it failed, with step back from there. */
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { gradeFile } from '../../grader';
import { nodeGradeHost } from '../../grader/node';
import { failure, launchAndStop, move, newClient, launch, ROOT, Session, top, value } from './helpers';

/** exercises/03-tlb-mprotect with its model solution minus the invlpg, in a temporary course folder. */
function mutantCourse(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ringside-course-'));
  fs.cpSync(path.join(ROOT, 'samples/lib'), path.join(root, 'samples/lib'), { recursive: true });
  const ex = path.join(root, 'exercises/03-tlb-mprotect');
  fs.cpSync(path.join(ROOT, 'exercises/03-tlb-mprotect'), ex, { recursive: true });
  const model = fs.readFileSync(path.join(ex, 'solution/mprotect.rasm'), 'utf8');
  fs.writeFileSync(path.join(ex, 'mprotect.rasm'), model.replace('invlpg r2', ''));
  return ex;
}

describe('DAP: stopping where a check failed', () => {
  let s: Session | undefined;
  afterEach(async () => {
    await s?.dc.stop();
    s = undefined;
  });

  it('stops at the failed check\'s instruction, says why, and steps back from there', async () => {
    const ex = mutantCourse();
    const r = gradeFile(path.join(ex, 'check.json'), nodeGradeHost(ex));
    const c = r.checks.find((x) => x.name === 'no access goes through a stale TLB entry')!;
    assert.strictEqual(c.passed, false);
    const w = c.where!;
    const st = await launchAndStop(path.join(ex, 'kernel.rasm'), { stopAtInstruction: w.icount, stopAtMessage: `check failed: ${c.name}` });
    s = st;
    assert.strictEqual(st.stop.body.reason, 'goto');
    assert.strictEqual((st.stop.body as { text?: string }).text, `check failed: ${c.name}`);
    const f = await top(st.dc);
    assert.strictEqual(f.source?.path, w.file);
    assert.strictEqual(f.line, w.line);
    assert.strictEqual(await value(st.dc, 'icount'), w.icount);
    assert.strictEqual(await value(st.dc, 'pc'), w.pc);
    await move(st.dc, () => st.dc.stepBackRequest({ threadId: 1, granularity: 'instruction' }));
    assert.strictEqual(await value(st.dc, 'icount'), w.icount - 1);
  });

  it('a bad stopAtInstruction is an error that names it', async () => {
    s = await newClient();
    const msg = await failure(launch(s, path.join(ROOT, 'samples/hello/hello.rasm'), { stopAtInstruction: -3 }));
    assert.match(msg, /launch attribute "stopAtInstruction" must be a whole number/);
  });
});
