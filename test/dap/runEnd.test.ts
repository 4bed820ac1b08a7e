/**
 * How a run ends and where stopAtInstruction stops: a triple fault exits with the CLI's code; the
 * stop at an instruction count says the count as every stop does, and says when it was not reached.
 */
import * as assert from 'assert';
import { DebugProtocol } from '@vscode/debugprotocol';
import { fixture, launch, launchAndStop, move, newClient, Session, value } from './helpers';

const LOOP = fixture('loop.rasm');

describe('DAP: the end of a run, and stopAtInstruction', () => {
  let s: Session | undefined;
  afterEach(async () => {
    await s?.dc.stop();
    s = undefined;
  });

  it('a triple fault ends with exited 125, as the CLI exits, with or without debugging', async () => {
    s = await launchAndStop(fixture('triple.rasm'));
    const exited = s.dc.waitForEvent('exited');
    await s.dc.continueRequest({ threadId: 1 });
    assert.strictEqual(((await exited) as DebugProtocol.ExitedEvent).body.exitCode, 125);
    await s.dc.stop();
    s = await newClient();
    const again = s.dc.waitForEvent('exited');
    await launch(s, fixture('triple.rasm'), { noDebug: true });
    assert.strictEqual(((await again) as DebugProtocol.ExitedEvent).body.exitCode, 125);
  });

  it('hlt with interrupts off stops as halted forever, and the next continue ends with exited 126; with interrupts on it waits for input', async () => {
    const dead = await launchAndStop(fixture('halt-cli.rasm'));
    s = dead;
    assert.match(dead.stop.body.text ?? '', /halted forever/);
    const exited = dead.dc.waitForEvent('exited');
    await dead.dc.continueRequest({ threadId: 1 });
    assert.strictEqual(((await exited) as DebugProtocol.ExitedEvent).body.exitCode, 126);
    await dead.dc.stop();
    const st = await launchAndStop(fixture('halt-sti.rasm'));
    s = st;
    assert.match(st.stop.body.text ?? '', /halted forever/);
    const again = await move(st.dc, () => st.dc.continueRequest({ threadId: 1 }));
    assert.match(again.body.text ?? '', /halted forever/, 'still there: nothing was typed');
  });

  it('the stop at stopAtInstruction counts instructions as the other stops do (instruction N: N have run)', async () => {
    for (const extra of [{}, { stopAtMessage: '' }]) {
      const st = await launchAndStop(LOOP, { stopAtInstruction: 10, ...extra });
      s = st;
      assert.strictEqual(await value(st.dc, 'icount'), 10);
      assert.strictEqual(st.stop.body.text, 'stopped at 0x00000008 (ring 0, instruction 10, 10 cycles): launch attribute stopAtInstruction');
      // A step later, the step's stop says 11: the same clock.
      const ev = await move(st.dc, () => st.dc.nextRequest({ threadId: 1, granularity: 'instruction' }));
      assert.match(ev.body.text ?? '', /instruction 11, 11 cycles/);
      await st.dc.stop();
    }
    s = undefined;
  });

  it('stopOnEntry beside stopAtInstruction: a note says which wins', async () => {
    s = await launchAndStop(LOOP, { stopAtInstruction: 4, stopOnEntry: true });
    assert.strictEqual(await value(s.dc, 'icount'), 4);
    assert.match(s.console(), /note: stopOnEntry is ignored: stopAtInstruction is set, so the run stops after 4 instructions instead/);
  });

  it('a stopAtInstruction past the end of the run says it was not reached', async () => {
    s = await newClient();
    const end = s.dc.waitForEvent('terminated');
    await launch(s, LOOP, { stopAtInstruction: 1000 });
    await end;
    assert.match(s.console(), /note: the run ended after 32 instructions, before stopAtInstruction 1000: there was nothing to stop at/);
  });
});
