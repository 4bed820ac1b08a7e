/**
 * The output cap (64 MiB) and the transition log's capacity (4,000,000) stay, but what they
 * leave out is said: Machine.limits counts it, the vocabulary (limits) words it for the CLI (a note on
 * stderr, `limits` in --json) and the debugger (Debug Console, stop event, transitions answer).
 */
import * as assert from 'assert';
import * as path from 'path';
import { assembleText } from '../../language/assembler';
import { Machine } from '../../emulator';
import { ENGLISH } from '../../emulator/isa/vocabulary';

const limitNotes = (l: Machine['limits']) => ENGLISH.limits(l).map((n) => n.text);
import { Console } from '../../emulator/devices';
import { TransitionLog } from '../../emulator/events';
import { runCommand } from '../../cli/run';

const PRINTER = `
_start:
    mov r2, 100
.loop:
    mov r1, 65
    out 0x10, r1
    sub r2, 1
    jnz .loop
    int 3
    mov r1, 0
    out 0xF4, r1
`;

describe('limits are said, not silent', () => {
  it('Machine.limits counts output past the cap and transitions past the log, and limitNotes says so', () => {
    const asm = assembleText(PRINTER, 'p.rasm');
    assert.ok(asm.ok, JSON.stringify(asm.diagnostics));
    const m = new Machine({});
    // Small caps, so the test does not write 64 MiB: the same code paths as the real ones.
    (m.cpu as { console: Console }).console = new Console(16);
    (m.cpu as { events: TransitionLog }).events = new TransitionLog(0);
    m.load(asm.segments, asm.entry);
    m.run(100_000);
    const l = m.limits;
    assert.strictEqual(m.outputLength, 16);
    assert.strictEqual(l.outputDropped, 84);
    assert.ok(l.eventsDropped >= 1, JSON.stringify(l));
    const notes = limitNotes(l);
    assert.match(notes[0], /^output truncated: only the first 0 MiB of the guest's output is kept; 84 bytes after that were dropped$/);
    assert.match(notes[1], /^transition log full: only the first 0 transitions are kept; \d+ later ones were counted but not recorded$/);
    assert.deepStrictEqual(limitNotes(new Machine({}).limits), []);
  });

  it('the CLI reports the limits in --json', () => {
    let out = '';
    const code = runCommand([path.resolve(__dirname, '../../../samples/hello/hello.rasm'), '--json'], (s) => (out += s), () => undefined);
    assert.strictEqual(code, 0);
    const j = JSON.parse(out);
    assert.deepStrictEqual(j.limits, { outputCap: 64 << 20, outputDropped: 0, eventCapacity: 4_000_000, eventsDropped: 0, notes: [] });
  });
});
