// Address spaces of a session, from its threads: "host" is space 0, "VM n vCPU 0" is space n.
import type * as vscode from 'vscode';
import type { SpaceInfo } from './messages';

export async function spacesOf(session: vscode.DebugSession): Promise<SpaceInfo[]> {
  const res = (await session.customRequest('threads')) as { threads?: { id: number; name: string }[] } | undefined;
  const spaces: SpaceInfo[] = [];
  for (const t of res?.threads ?? []) {
    const m = /^VM (\d+)/.exec(t.name);
    if (m) spaces.push({ id: Number(m[1]), name: t.name });
    else if (/host/i.test(t.name)) spaces.push({ id: 0, name: t.name });
  }
  if (!spaces.some((s) => s.id === 0)) spaces.unshift({ id: 0, name: 'host' });
  return spaces.sort((a, b) => a.id - b.id);
}

/** Parse an address typed by a person: 0x hex, decimal, or hex with an h suffix; underscores allowed. */
export function parseAddress(text: string): number | undefined {
  const t = text.trim().replace(/_/g, '');
  let v: number;
  if (/^0x[0-9a-f]+$/i.test(t)) v = parseInt(t.slice(2), 16);
  else if (/^[0-9a-f]+h$/i.test(t)) v = parseInt(t.slice(0, -1), 16);
  else if (/^\d+$/.test(t)) v = Number(t);
  else if (/^[0-9a-f]*[a-f][0-9a-f]*$/i.test(t)) v = parseInt(t, 16);
  else return undefined;
  return Number.isFinite(v) && v >= 0 && v <= 0xffffffff ? v : undefined;
}
