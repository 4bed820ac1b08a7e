// Exercises in VS Code's Testing view: each check.json is a test item, each of its checks a
// child. Run grades them (the check engine in dist/grader.js, shared with `ringside check`)
// and puts expected/actual at the line where a check failed; Debug on a failed check starts a
// session stopped at the instruction where it failed.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { localized, parseCheckFile, type CheckFile } from '../../grader/spec';
import type { CheckResult, GradeReport } from '../../grader/grade';
import { DEBUG_TYPE } from '../debug/configProvider';
import type { Ctx } from '../ctx';
import { WALK } from '../walkthrough';
import { trusted } from '../workspaceTrust';

type GraderBundle = typeof import('../../grader/bundle');

/** What the Testing view last showed for a check (test hook: what a person sees). */
export interface ShownResult {
  state: 'passed' | 'failed' | 'errored';
  message?: string;
  expected?: string;
  actual?: string;
  location?: { file: string; line: number };
}

export class ExerciseTests implements vscode.Disposable {
  readonly controller: vscode.TestController;
  readonly runProfile: vscode.TestRunProfile;
  readonly debugProfile: vscode.TestRunProfile;
  /** Results by test item id. */
  readonly shown = new Map<string, ShownResult>();
  private readonly specs = new Map<string, CheckFile>();
  private readonly disposables: vscode.Disposable[] = [];
  private grader: GraderBundle | undefined;

  constructor(private readonly ctx: Ctx) {
    this.controller = vscode.tests.createTestController('ringside.exercises', vscode.l10n.t('Ringside exercises'));
    this.controller.resolveHandler = async (item) => {
      if (!item) await this.discover();
    };
    this.controller.refreshHandler = () => this.discover();
    this.runProfile = this.controller.createRunProfile(vscode.l10n.t('Run checks'), vscode.TestRunProfileKind.Run, (req, token) => this.run(req, token, false), true);
    this.debugProfile = this.controller.createRunProfile(vscode.l10n.t('Debug where the check failed'), vscode.TestRunProfileKind.Debug, (req, token) => this.run(req, token, true), true);
    const watcher = vscode.workspace.createFileSystemWatcher('**/check.json');
    this.disposables.push(
      watcher,
      watcher.onDidChange((u) => this.add(u)),
      watcher.onDidCreate((u) => this.add(u)),
      watcher.onDidDelete((u) => this.controller.items.delete(u.toString())),
      // A .rasm file opened from an exercise folder outside the workspace brings its checks too.
      vscode.workspace.onDidOpenTextDocument((d) => void this.besideDocument(d)),
    );
    for (const d of vscode.workspace.textDocuments) void this.besideDocument(d);
  }

  async discover(): Promise<void> {
    const found = await vscode.workspace.findFiles('**/check.json', '**/node_modules/**', 200);
    await Promise.all(found.map((u) => this.add(u)));
  }

  private async besideDocument(d: vscode.TextDocument): Promise<void> {
    if (d.languageId !== 'r32asm' || d.uri.scheme !== 'file') return;
    const u = vscode.Uri.file(path.join(path.dirname(d.uri.fsPath), 'check.json'));
    try {
      await vscode.workspace.fs.stat(u);
    } catch {
      return;
    }
    await this.add(u);
  }

  /** (Re)read one check file into an item with a child per check; a broken file shows its error. */
  async add(uri: vscode.Uri): Promise<vscode.TestItem | undefined> {
    const id = uri.toString();
    let text: string;
    try {
      text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
    } catch {
      return undefined;
    }
    let spec: CheckFile;
    const item = this.controller.items.get(id) ?? this.controller.createTestItem(id, path.basename(path.dirname(uri.fsPath)), uri);
    try {
      // Names and the title in the editor's display language where the check file gives them.
      spec = localized(parseCheckFile(text, vscode.workspace.asRelativePath(uri)), vscode.env.language);
    } catch (e) {
      // Not an exercise (some other check.json) unless it names a program.
      if (!/"program"\s*:/.test(text)) return undefined;
      item.error = (e as Error).message;
      this.controller.items.add(item);
      return item;
    }
    item.error = undefined;
    item.label = spec.title;
    const student = spec.student ? vscode.Uri.file(path.resolve(path.dirname(uri.fsPath), spec.student)) : uri;
    item.children.replace(
      spec.checks.map((c) => {
        // A hidden check keeps its name to itself, as in `ringside check`'s report.
        const child = this.controller.createTestItem(`${id}#${c.id}`, c.hidden ? vscode.l10n.t('hidden check') : c.name, student);
        child.description = c.points === 1 ? vscode.l10n.t('1 point') : vscode.l10n.t('{0} points', c.points);
        return child;
      }),
    );
    this.specs.set(id, spec);
    this.controller.items.add(item);
    return item;
  }

  private load(): GraderBundle {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- a bundle loaded at run time, by path
    this.grader ??= require(this.ctx.asset('dist/grader.js')) as GraderBundle;
    return this.grader;
  }

  private async run(req: vscode.TestRunRequest, token: vscode.CancellationToken, debug: boolean): Promise<void> {
    // Grading assembles and runs the student's program: not in Restricted Mode (trust.ts).
    if (!(await trusted('Running the checks'))) return;
    const run = this.controller.createTestRun(req);
    this.ctx.walk.tick(WALK.checksRun);
    // The check files to grade, and which of their checks were asked for.
    const wanted = new Map<string, Set<string> | 'all'>();
    const roots: vscode.TestItem[] = [];
    this.controller.items.forEach((i) => roots.push(i));
    for (const item of req.include ?? roots) {
      const [file, check] = item.id.split('#');
      if (!check) wanted.set(file, 'all');
      else if (wanted.get(file) !== 'all') wanted.set(file, new Set([...((wanted.get(file) as Set<string>) ?? []), item.id]));
    }
    try {
      for (const [file, which] of wanted) {
        if (token.isCancellationRequested) break;
        const parent = this.controller.items.get(file);
        if (!parent) continue;
        const children: vscode.TestItem[] = [];
        parent.children.forEach((c) => {
          if ((which === 'all' || which.has(c.id)) && !req.exclude?.includes(c)) children.push(c);
        });
        for (const c of children) run.started(c);
        const t0 = Date.now();
        let report: GradeReport;
        try {
          // Unsaved edits count: a student runs the checks on what the editor shows.
          const overlay = new Map<string, string>();
          for (const d of vscode.workspace.textDocuments) if (d.isDirty && d.uri.scheme === 'file') overlay.set(d.uri.fsPath, d.getText());
          const g = this.load();
          report = g.gradeFile(vscode.Uri.parse(file).fsPath, g.nodeGradeHost(path.dirname(vscode.Uri.parse(file).fsPath)), { overlay, locale: vscode.env.language });
        } catch (e) {
          const msg = new vscode.TestMessage((e as Error).message);
          for (const c of children) {
            run.errored(c, msg);
            this.shown.set(c.id, { state: 'errored', message: msg.message as string });
          }
          continue;
        }
        const ms = Date.now() - t0;
        if (report.errors.length) run.appendOutput(report.errors.join('\r\n') + '\r\n');
        let debugged = false;
        for (const c of children) {
          const r = report.checks.find((x) => `${file}#${x.id}` === c.id);
          if (!r) continue;
          if (r.passed) {
            run.passed(c, ms);
            this.shown.set(c.id, { state: 'passed' });
            continue;
          }
          const { message, location } = this.failure(r, report);
          run.failed(c, message, ms);
          this.shown.set(c.id, { state: 'failed', message: typeof message.message === 'string' ? message.message : message.message.value, expected: message.expectedOutput, actual: message.actualOutput, location: location && { file: location.uri.fsPath, line: location.range.start.line + 1 } });
          if (debug && !debugged && r.where) {
            debugged = true;
            await this.debugAt(file, report, r);
          }
        }
      }
    } finally {
      run.end();
    }
  }

  private failure(r: CheckResult, report: GradeReport): { message: vscode.TestMessage; location?: vscode.Location } {
    // Not reached: the report says which required check to pass first (in the report's language).
    if (r.notReached) return { message: new vscode.TestMessage(r.actual ?? '') };
    const text = r.hidden ? (r.hint ?? vscode.l10n.t('a hidden check failed')) : [r.hint ? `${r.name}: ${r.hint}` : r.name, r.where ? vscode.l10n.t('(instruction {0} of the run)', r.where.icount + 1) : ''].join(' ').trim();
    const message = !r.hidden && r.expected !== undefined && r.actual !== undefined ? vscode.TestMessage.diff(text, r.expected, r.actual) : new vscode.TestMessage(text);
    const file = !r.hidden && r.where?.file ? r.where.file : report.student;
    const line = !r.hidden && r.where?.file && r.where.line ? r.where.line - 1 : 0;
    const location = file ? new vscode.Location(vscode.Uri.file(file), new vscode.Position(line, 0)) : undefined;
    message.location = location;
    return { message, location };
  }

  /** A session on the exercise's program, stopped at the instruction where the check failed. */
  private async debugAt(file: string, report: GradeReport, r: CheckResult): Promise<void> {
    const checkPath = vscode.Uri.parse(file).fsPath;
    const spec = this.specs.get(file);
    const run = spec?.checks.find((c) => c.id === r.id)?.run;
    await vscode.debug.startDebugging(vscode.workspace.getWorkspaceFolder(vscode.Uri.file(checkPath)), {
      type: DEBUG_TYPE,
      request: 'launch',
      name: `Ringside: ${r.name}`,
      program: report.program,
      stdin: run?.stdin ?? '',
      stopOnEntry: false,
      stopAtInstruction: r.where!.icount,
      stopAtMessage: vscode.l10n.t('check failed: {0}', r.name),
    });
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
    this.controller.dispose();
  }
}
