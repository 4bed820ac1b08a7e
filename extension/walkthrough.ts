// The course walkthrough's ticks: context keys set when the student has actually done what a
// step asks (stopped in a system call handler after a ring 3 -> 0 crossing, opened a panel, saw
// a VM exit...). package.json's walkthrough steps complete on `onContext:` these keys.
import * as vscode from 'vscode';
import type { StoppedEventBody } from '../debug-adapter/protocol';
import type { SessionRegistry } from './debug/sessions';

export const WALK = {
  syscallEntered: 'ringside.walk.syscallEntered',
  ring3Fault: 'ringside.walk.ring3Fault',
  pageFault: 'ringside.walk.pageFault',
  vmExit: 'ringside.walk.vmExit',
  pageTables: 'ringside.walk.pageTablesOpened',
  transitions: 'ringside.walk.transitionsOpened',
  checksRun: 'ringside.walk.checksRun',
  courseOpened: 'ringside.walk.courseOpened',
} as const;

export type WalkKey = (typeof WALK)[keyof typeof WALK];

export class WalkthroughProgress implements vscode.Disposable {
  private readonly done = new Set<WalkKey>();
  private readonly sub: vscode.Disposable;

  constructor(sessions: SessionRegistry) {
    this.sub = sessions.onDidChange((st) => {
      if (st.stop) for (const k of keysOfStop(st.stop)) this.tick(k);
    });
    // Open Course Samples reopens the window on the copy: the new window's keys start unset,
    // and a window on the course has done the first step whoever copied it.
    void Promise.all(['samples/hello/hello.rasm', 'exercises/*/check.json'].map((g) => vscode.workspace.findFiles(g, undefined, 1))).then(
      (found) => found.every((f) => f.length > 0) && this.tick(WALK.courseOpened),
      () => undefined,
    );
  }

  tick(key: WalkKey): void {
    if (this.done.has(key)) return;
    this.done.add(key);
    void vscode.commands.executeCommand('setContext', key, true);
  }

  /** Test hook: the keys set so far. */
  ticked(): WalkKey[] {
    return [...this.done];
  }

  dispose(): void {
    this.sub.dispose();
  }
}

/** What a stop shows the student, as walkthrough keys. The newest transition is still the one being handled. */
export function keysOfStop(s: StoppedEventBody): WalkKey[] {
  const keys: WalkKey[] = [];
  const cause = s.lastCause ?? '';
  if (s.cpl === 0 && s.lastFromCpl === 3 && cause.startsWith('syscall ')) keys.push(WALK.syscallEntered);
  if (s.lastFromCpl === 3 && (cause === '#GP' || cause === '#PF')) keys.push(WALK.ring3Fault);
  if (cause === '#PF') keys.push(WALK.pageFault);
  if (s.vm === 0 && cause.startsWith('vmexit ')) keys.push(WALK.vmExit);
  return keys;
}
