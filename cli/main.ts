/** `ringside`: the headless command line. run / asm / disasm / check. */
import { runCommand, DEFAULT_MAX_INSTRUCTIONS } from './run';
import { runAsm, runDisasm } from './asm';
import { checkCommand } from './check';
import { serve } from './servers';
import { FileError, HelpRequest, UsageError } from './args';
import { EXIT_USAGE } from './diagnostics';
import { COST_ENTRIES, COST_PRESETS } from '../emulator/isa/costs';
// Inlined by the bundler: an installed CLI has no package.json at a path it could rely on.
import { version } from '../package.json';

/** Each command's part of the usage: `ringside CMD --help` prints its own. */
const HELP: Record<string, string> = {
  run: `  ringside run FILE.rasm [--memory SIZE] [--tlb N] [--max-instructions N]
                         [--stdin TEXT | --stdin-file FILE]
                         [--costs PRESET] [--cost NAME=CYCLES,...] [--no-jit]
                         [--trace] [--events] [--summary] | [--json]
    --max-instructions  stop after N steps (default ${DEFAULT_MAX_INSTRUCTIONS.toLocaleString('en-US')}): exit code 124
    --stdin TEXT        console input (port 0x11), UTF-8, with the escapes \\n \\r \\t \\\\ \\0 \\xNN
    --stdin-file FILE   console input: the file's bytes, unchanged
    --json              one JSON document (output, transitions by cause, TLB, VMs); not with
                        --trace, --events or --summary
    cost presets: ${COST_PRESETS.map((p) => `${p.name}: ${p.title}`).join(', ')}
    cost names: ${COST_ENTRIES.map((e) => e.name).join(', ')}
  exit codes (run): the guest's power-off code, its low 8 bits (0 to 255: it can be any of the
    codes below too; --json's exitCode and stop tell them apart); 1 assembly errors;
    2 usage, or a file that cannot be read; 124 instruction limit reached; 125 triple fault;
    126 halted forever (deadlock)`,
  asm: `  ringside asm FILE.rasm [--listing] [-o OUT.bin]
  exit codes (asm): 0 done; 1 assembly errors; 2 usage, or a file that cannot be read or written`,
  disasm: `  ringside disasm FILE [--base ADDR]
  exit codes (disasm): 0 done; 1 assembly errors (of a .rasm); 2 usage, or a file that cannot be read`,
  check: `  ringside check [EXERCISE-DIR|CHECKFILE] [--json] [--junit FILE] [--solution] [--reveal]
    without an argument: the check.json of this folder, or those of its folders (one level down)
  exit codes (check): 0 every check passed; 1 a check failed; 2 usage, a bad check file, or a
    report that cannot be written`,
  lsp: `  ringside lsp [--stdio]
    the language server for R32 assembly (diagnostics, hover, completion, rename...) over
    standard input and output, for editors other than VS Code (Neovim, Helix, Emacs)`,
  dap: `  ringside dap
    the debug adapter (Debug Adapter Protocol, with step back) over standard input and output,
    for editors other than VS Code (nvim-dap, Emacs dap-mode); launch attributes: docs/debugger.md`,
};

const USAGE = `usage:\n${Object.values(HELP).join('\n')}\n  ringside --help | --version`;

const usageOf = (cmd: string) => (HELP[cmd] ? `usage:\n${HELP[cmd]}` : USAGE);

function main(argv: string[]): number | Promise<number> {
  const out = (s: string | Uint8Array) => process.stdout.write(s);
  const err = (s: string) => process.stderr.write(s);
  const line = (w: (s: string) => void) => (s: string) => w(s.endsWith('\n') ? s : s + '\n');
  const [cmd, ...rest] = argv;
  try {
    switch (cmd) {
      case 'run':
        return runCommand(rest, out, err);
      case 'check':
        return checkCommand(rest, out, err);
      case 'asm':
        return runAsm(rest, line(out), line(err));
      case 'disasm':
        return runDisasm(rest, line(out), line(err));
      case 'lsp':
      case 'dap':
        return serve(cmd, rest);
      case '--help':
      case '-h':
      case 'help':
        out(usageOf(rest[0] ?? '') + '\n');
        return 0;
      case '--version':
        out(`ringside ${version}\n`);
        return 0;
      default:
        err(`ringside: ${cmd ? `unknown command '${cmd}'` : 'no command'}\n${USAGE}\n`);
        return EXIT_USAGE;
    }
  } catch (e) {
    if (e instanceof HelpRequest) {
      out(usageOf(cmd) + '\n');
      return 0;
    }
    if (e instanceof UsageError) {
      err(`ringside: ${e.message}\n${usageOf(cmd)}\n`);
      return EXIT_USAGE;
    }
    if (e instanceof FileError) {
      err(`ringside: ${e.message}\n`);
      return EXIT_USAGE;
    }
    throw e;
  }
}

void Promise.resolve(main(process.argv.slice(2))).then((code) => {
  // Let stdout drain before exiting (large outputs through a pipe).
  process.stdout.write('', () => process.exit(code));
});
