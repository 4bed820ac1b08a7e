/** `ringside`: the headless command line. run / asm / disasm. */
import { runCommand } from './run';
import { runAsm, runDisasm } from './asm';
import { checkCommand } from './check';
import { UsageError } from './args';
import { COST_ENTRIES, COST_PRESETS } from '../emulator/isa/costs';

const USAGE = `usage:
  ringside run FILE.rasm [--memory SIZE] [--tlb N] [--max-instructions N] [--stdin TEXT]
                         [--costs PRESET] [--cost NAME=CYCLES,...] [--no-jit]
                         [--trace] [--events] [--json] [--summary]
    cost presets: ${COST_PRESETS.map((p) => `${p.name}: ${p.title}`).join(', ')}
    cost names: ${COST_ENTRIES.map((e) => e.name).join(', ')}
  ringside asm FILE.rasm [--listing] [-o OUT.bin]
  ringside disasm FILE [--base ADDR]
  ringside check [EXERCISE-DIR|CHECKFILE] [--json] [--junit FILE] [--solution] [--reveal]

exit codes (run): the guest's power-off code; 1 assembly errors; 2 usage;
  124 instruction limit reached; 125 triple fault; 126 halted forever (deadlock)
exit codes (check): 0 every check passed; 1 a check failed; 2 usage or a bad check file`;

function main(argv: string[]): number {
  const out = (s: string) => process.stdout.write(s);
  const err = (s: string) => process.stderr.write(s);
  const [cmd, ...rest] = argv;
  try {
    switch (cmd) {
      case 'run':
        return runCommand(rest, out, err);
      case 'check':
        return checkCommand(rest, out, err);
      case 'asm':
        return runAsm(rest, (s) => out(s.endsWith('\n') ? s : s + '\n'), (s) => err(s.endsWith('\n') ? s : s + '\n'));
      case 'disasm':
        return runDisasm(rest, (s) => out(s.endsWith('\n') ? s : s + '\n'), (s) => err(s.endsWith('\n') ? s : s + '\n'));
      case '--help':
      case '-h':
      case 'help':
        out(USAGE + '\n');
        return 0;
      default:
        err(`ringside: ${cmd ? `unknown command '${cmd}'` : 'no command'}\n${USAGE}\n`);
        return 2;
    }
  } catch (e) {
    if (e instanceof UsageError) {
      err(`ringside: ${e.message}\n${USAGE}\n`);
      return 2;
    }
    throw e;
  }
}

const code = main(process.argv.slice(2));
// Let stdout drain before exiting (large outputs through a pipe).
process.stdout.write('', () => process.exit(code));
