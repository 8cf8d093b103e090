// The checkpatch-like report: findings grouped per patch under its subject, one line each
// as `FILE:LINE: SEVERITY: rule-id: message` (editors jump to `file:line:`), and a last line
// `total: N errors, M warnings, K patches checked`.
import { resummarize } from '../model/delta.js';
import type { SeriesModelReport } from '../model/run.js';
import type { Finding, Severity } from '../types.js';
import { groupFindings } from './group.js';
import { totals, type ReportInput } from './types.js';

export interface TextOptions {
  /** ANSI colour; the CLI turns it on only for a TTY without NO_COLOR. */
  color?: boolean;
}

const SGR = { reset: '\x1b[0m', bold: '\x1b[1m', red: '\x1b[31m', yellow: '\x1b[33m', cyan: '\x1b[36m' };
const LABEL: Record<Severity, string> = { error: 'ERROR', warning: 'WARNING', info: 'INFO' };
const TINT: Record<Severity, string> = { error: SGR.red + SGR.bold, warning: SGR.yellow, info: SGR.cyan };

/**
 * Mail text is hostile: a subject or message could carry terminal escape sequences.
 * Control characters other than newline and tab are shown, not sent to the terminal.
 */
export function visible(text: string): string {
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, (c) => {
    if (c === '\r') return '';
    return `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`;
  });
}

function location(f: Finding): string {
  if (f.file === null) return '';
  return f.line !== null ? `${visible(f.file)}:${f.line}: ` : `${visible(f.file)}: `;
}

function findingLine(f: Finding, color: boolean): string {
  const label = color ? `${TINT[f.severity]}${LABEL[f.severity]}${SGR.reset}` : LABEL[f.severity];
  // A message may span lines; continuation lines are indented so each finding stays one block.
  const message = visible(f.message).split('\n').join('\n  ');
  return `${location(f)}${label}: ${f.rule}: ${message}`;
}

export function formatText(input: ReportInput, options: TextOptions = {}): string {
  return [...formatTextChunks(input, options)].join('');
}

/** The text report in pieces (a group of findings, a series' model summary at a time), for large runs. */
export function* formatTextChunks(input: ReportInput, options: TextOptions = {}): Generator<string> {
  const color = options.color === true;
  const lines = (out: string[]) => out.map((l) => l + '\n').join('');
  for (const group of groupFindings(input.collection, input.findings)) {
    const out: string[] = [];
    const heading = visible(group.heading).replace(/\n/g, ' ');
    out.push(color ? `${SGR.bold}${heading}${SGR.reset}` : heading);
    for (const f of group.findings) out.push(findingLine(f, color));
    out.push('');
    yield lines(out);
  }
  for (const block of modelBlocks(input)) yield lines(block);
  const out: string[] = [];
  const waived = input.waived ?? [];
  if (waived.length > 0) {
    const rules = [...new Set(waived.map((f) => f.rule))].join(', ');
    out.push(
      `waived: ${waived.length} finding${waived.length === 1 ? '' : 's'} accepted by waivers (${visible(rules)}); --format json lists them with their reasons`,
    );
  }
  const t = totals(input);
  out.push(`total: ${t.errors} errors, ${t.warnings} warnings, ${t.patches} patches checked`);
  yield lines(out);
}

/**
 * The model summary of each series that changes the memory-type model, just above the total
 * line: the kernel used and why, the delta, and what is owed that no finding already says
 * (unmet, or not checked, each named). Series that change nothing print nothing, so a clean run
 * and an archive of unrelated patches end with the total alone.
 */
function* modelBlocks(input: ReportInput): Generator<string[]> {
  const series = input.model?.series ?? [];
  const said = findingsSaying(input);
  let any = false;
  for (const s of series) {
    if (s.empty) continue;
    const out: string[] = [];
    if (series.length > 1) out.push(visible(`series "${s.title}":`).replace(/\n/g, ' '));
    const shown = (o: SeriesModelReport['obligations'][number]) => !said(s.series, o);
    for (const l of resummarize(s.summary, s.obligations, shown)) out.push(visible(l));
    any = true;
    yield out;
  }
  if (any) yield [''];
}

/**
 * Whether a finding (counted or waived) of the obligation's rule, on its series or on the whole
 * input, names the obligation's subject: then the finding already told the reader.
 */
function findingsSaying(input: ReportInput): (series: string, o: { rule: string | null; subject: string }) => boolean {
  const byRule = new Map<string, Finding[]>();
  for (const f of [...input.findings, ...(input.waived ?? [])]) {
    const list = byRule.get(f.rule);
    if (list) list.push(f);
    else byRule.set(f.rule, [f]);
  }
  return (series, o) => {
    if (o.rule === null) return false;
    const word = new RegExp(`(^|[^A-Za-z0-9_])${o.subject.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[^A-Za-z0-9_])`);
    return (byRule.get(o.rule) ?? []).some(
      (f) => (f.series === series || f.series === null) && (word.test(f.message) || word.test(f.detail ?? '')),
    );
  };
}
