// Named checks with outcomes: a failed check is recorded with a screenshot and the run goes
// on, so one broken step shows every later one that still works.
import type { Workbench } from './workbench';

export interface Outcome {
  readonly name: string;
  readonly ok: boolean;
  readonly detail?: string;
}

export const outcomes: Outcome[] = [];

export function record(name: string, ok: boolean, detail?: string): void {
  outcomes.push({ name, ok, detail });
  console.log(`${ok ? '  ok  ' : '  FAIL'} ${name}${detail ? `\n        ${detail.split('\n').join('\n        ')}` : ''}`);
}

export type Check = (name: string, body: () => Promise<void>) => Promise<boolean>;

/** Runs one check; a failure is recorded with a screenshot, and the next check still runs. */
export function checker(wb: Workbench): Check {
  return async (name, body) => {
    try {
      await body();
      record(name, true);
      return true;
    } catch (e) {
      const shot = await wb.screenshot(`failed-${name.replace(/\W+/g, '-').slice(0, 80)}`).catch(() => '(no screenshot)');
      record(name, false, `${e instanceof Error ? e.message : String(e)}\nscreenshot: ${shot}`);
      return false;
    }
  };
}
