// What the extension host needs of each panel kind (kinds.ts lists them): its title, the
// walkthrough step that opening it ticks, and how to make one. The manager (serializers,
// show) and the open commands (activate.ts) go through this table only.
import * as vscode from 'vscode';
import type { Ctx } from '../ctx';
import { WALK, type WalkKey } from '../walkthrough';
import type { RingsidePanel } from './basePanel';
import type { PanelKind } from './kinds';
import { PageTablesPanel } from './pageTables/panel';
import { TransitionsPanel } from './transitions/panel';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any panel, whatever messages it speaks
export type AnyPanel = RingsidePanel<any, any>;

export interface PanelDefinition {
  title(): string;
  /** The walkthrough's context key its open command sets. */
  walk: WalkKey;
  create(ctx: Ctx, panel: vscode.WebviewPanel, sessionId: string | undefined, mayAdopt: (p: AnyPanel, sessionId: string) => boolean, onClose: (p: AnyPanel) => void): AnyPanel;
}

/** Typed by kind: a kind in kinds.ts without its entry here does not compile. */
export const PANELS: { readonly [K in PanelKind]: PanelDefinition } = {
  pageTables: { title: () => vscode.l10n.t('Page Tables'), walk: WALK.pageTables, create: (ctx, panel, id, mayAdopt, onClose) => new PageTablesPanel(ctx, panel, id, PANELS.pageTables.title(), mayAdopt, onClose) },
  transitions: { title: () => vscode.l10n.t('Ring Transitions'), walk: WALK.transitions, create: (ctx, panel, id, mayAdopt, onClose) => new TransitionsPanel(ctx, panel, id, PANELS.transitions.title(), mayAdopt, onClose) },
};
