// What the adapter tells the client it can do (the initialize response).
import type { DebugProtocol } from '@vscode/debugprotocol';
import { FILTERS } from '../engine/exceptions';
import { k, t } from '../../language/l10n';

/** The capabilities, their labels in the session's language (set from initialize first). */
export const capabilities = (): DebugProtocol.Capabilities => ({
  ...CAPABILITIES,
  breakpointModes: CAPABILITIES.breakpointModes!.map((m) => ({ ...m, label: t(m.label), description: m.description && t(m.description) })),
  exceptionBreakpointFilters: CAPABILITIES.exceptionBreakpointFilters!.map((f) => ({ ...f, label: t(f.label), description: f.description && t(f.description), conditionDescription: f.conditionDescription && t(f.conditionDescription) })),
});

export const CAPABILITIES: DebugProtocol.Capabilities = {
  supportsConfigurationDoneRequest: true,
  supportsConditionalBreakpoints: true,
  supportsHitConditionalBreakpoints: true,
  supportsLogPoints: true,
  supportsFunctionBreakpoints: true,
  supportsInstructionBreakpoints: true,
  supportsDataBreakpoints: true,
  supportsDataBreakpointBytes: true,
  supportsBreakpointLocationsRequest: true,
  breakpointModes: [
    { mode: 'virtual', label: k('Virtual address'), description: k('Watch the address in the address space it is named in (this process or VM)'), appliesTo: ['data'] },
    { mode: 'physical', label: k('Physical address'), description: k('Watch the physical word, whatever maps it'), appliesTo: ['data'] },
  ],
  exceptionBreakpointFilters: FILTERS.map((f) => ({ filter: f.id, label: f.label, description: f.description, default: f.default, supportsCondition: true, conditionDescription: f.conditionDescription })),
  supportsExceptionFilterOptions: true,
  supportsExceptionInfoRequest: true,
  supportsStepBack: true,
  supportsSteppingGranularity: true,
  supportsSetVariable: true,
  supportsEvaluateForHovers: true,
  supportsCompletionsRequest: true,
  supportsReadMemoryRequest: true,
  supportsWriteMemoryRequest: true,
  supportsDisassembleRequest: true,
  supportsGotoTargetsRequest: true,
  supportsTerminateRequest: true,
  supportsValueFormattingOptions: false,
};
