// GitHub Actions workflow commands and the step summary. Everything that reaches a command
// (messages, subjects, paths, rule ids) is hostile input: data is escaped so that it can never
// end the line and start another command, properties so that they cannot end the property.
// GitHub shows at most 10 annotations of each kind per step and drops the rest silently, so
// findings beyond that go to the step summary (and a plain line in the log says so).
import type { Finding, Severity } from '../types.js';
import { groupFindings } from './group.js';
import { totals, type ReportInput } from './types.js';

/** GitHub's own limits per step and kind (error, warning, notice). */
export const ANNOTATIONS_PER_KIND = 10;
/** The step summary may hold at most 1 MiB; stay below it. */
export const SUMMARY_LIMIT = 1_000_000;

const COMMAND: Record<Severity, 'error' | 'warning' | 'notice'> = {
  error: 'error',
  warning: 'warning',
  info: 'notice',
};

/** As @actions/core escapeData: the message part of a command. */
export function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** As @actions/core escapeProperty: a property value (file, title). */
export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

function annotationTitle(f: Finding): string {
  return `zdcheck ${f.rule}`;
}

function annotationMessage(f: Finding): string {
  // Findings without a file are shown on the run, not on a line: say which patch they are about.
  const head = f.patch !== null && f.file === null ? `${f.patch}: ${f.message}` : f.message;
  // An annotation opens to its whole text: the detail goes on the lines below the message.
  return f.detail ? `${head}\n${f.detail}` : head;
}

export function workflowCommand(f: Finding): string {
  const props: string[] = [];
  if (f.file !== null) {
    props.push(`file=${escapeProperty(f.file)}`);
    if (f.line !== null) props.push(`line=${f.line}`);
  }
  props.push(`title=${escapeProperty(annotationTitle(f))}`);
  return `::${COMMAND[f.severity]} ${props.join(',')}::${escapeData(annotationMessage(f))}`;
}

export interface GithubReport {
  /** Workflow commands (and a plain note for what did not fit), for stdout. */
  annotations: string;
  /** Markdown to append to $GITHUB_STEP_SUMMARY. */
  summary: string;
  /** The findings that were annotated; the others appear only in the summary. */
  annotated: Finding[];
}

/** Markdown for a table cell or heading: no pipes, no raw HTML, no markup from the input, one line. */
export function escapeMarkdown(s: string): string {
  return s
    .replace(/\r\n?/g, '\n')
    .replace(/[\\`*_{}[\]()#+\-.!|~]/g, (c) => `\\${c}`)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\n/g, '<br>');
}

function where(f: Finding): string {
  if (f.file === null) return '';
  return escapeMarkdown(f.line !== null ? `${f.file}:${f.line}` : f.file);
}

const ICON: Record<Severity, string> = { error: 'error', warning: 'warning', info: 'notice' };

function buildSummary(input: ReportInput, notAnnotated: ReadonlySet<Finding>): string {
  const t = totals(input);
  const out: string[] = [];
  out.push('## zdcheck');
  out.push('');
  out.push(`${t.errors} errors, ${t.warnings} warnings, ${t.infos} notices in ${t.patches} patches checked.`);
  if (notAnnotated.size > 0) {
    out.push('');
    out.push(
      `GitHub annotates at most ${ANNOTATIONS_PER_KIND} errors, ${ANNOTATIONS_PER_KIND} warnings and ` +
        `${ANNOTATIONS_PER_KIND} notices per step: ${notAnnotated.size} findings marked "not annotated" below appear only here.`,
    );
  }
  out.push(...modelSummary(input));
  out.push(...waivedSummary(input));
  for (const group of groupFindings(input.collection, input.findings)) {
    out.push('');
    out.push(`### ${escapeMarkdown(group.heading)}`);
    out.push('');
    out.push('| severity | rule | location | message |');
    out.push('| --- | --- | --- | --- |');
    for (const f of group.findings) {
      const mark = notAnnotated.has(f) ? ' (not annotated)' : '';
      out.push(
        `| ${ICON[f.severity]}${mark} | ${escapeMarkdown(f.rule)} | ${where(f)} | ${escapeMarkdown(f.message)} |`,
      );
    }
  }
  let summary = out.join('\n') + '\n';
  if (Buffer.byteLength(summary) > SUMMARY_LIMIT) {
    const note = "\n\n_The summary was cut at GitHub's size limit; the JSON or SARIF report has every finding._\n";
    let cut = summary.slice(0, SUMMARY_LIMIT - note.length - 4096);
    cut = cut.slice(0, cut.lastIndexOf('\n') + 1);
    summary = cut + note;
  }
  return summary;
}

/** Findings waivers accepted, with the waiver's reason and where it was written: never annotated. */
function waivedSummary(input: ReportInput): string[] {
  const waived = input.waived ?? [];
  if (waived.length === 0) return [];
  const out = [
    '',
    `### Waived (${waived.length})`,
    '',
    '| rule | location | reason | waiver |',
    '| --- | --- | --- | --- |',
  ];
  for (const f of waived) {
    out.push(
      `| ${escapeMarkdown(f.rule)} | ${where(f)} | ${escapeMarkdown(f.waived.reason)} | ${escapeMarkdown(f.waived.origin)} |`,
    );
  }
  return out;
}

/** The memory-type model delta of each series that changes it, as a table, with the kernel used and why. */
function modelSummary(input: ReportInput): string[] {
  const out: string[] = [];
  for (const s of input.model?.series ?? []) {
    if (s.empty) continue;
    const d = s.delta;
    const rows: [string, string, string][] = [];
    const add = (change: string, name: string, patch: string) => rows.push([change, name, patch]);
    // As the text summary says it: "unknown to zdcheck", "not in mainline".
    const known: Record<string, string> = { 'not-mainline': 'not in mainline', unknown: 'unknown to zdcheck' };
    for (const t of d.typesAdded)
      add(
        'memory type added',
        t.known === 'mainline' || t.known === undefined ? t.name : `${t.name} (${known[t.known] ?? t.known})`,
        t.patch,
      );
    for (const t of d.typesRemoved) add('memory type removed', t.name, t.patch);
    for (const r of d.typesRenamed) add('memory type renamed', `${r.from} -> ${r.to}`, r.patch);
    for (const h of d.helpersAdded) add('helper added', h.name, h.patch);
    for (const h of d.helpersRemoved) add('helper removed', h.name, h.patch);
    for (const k of d.kconfigAdded) add('Kconfig symbol added', k.name, k.patch);
    for (const k of d.kconfigRemoved) add('Kconfig symbol removed', k.name, k.patch);
    for (const i of d.ioresAdded) add('IORES descriptor added', i.name, i.patch);
    for (const i of d.ioresRemoved) add('IORES descriptor removed', i.name, i.patch);
    for (const a of d.archesGained)
      add('ZONE_DEVICE gained', `${a.arch} (${a.symbol}${a.condition ? ` if ${a.condition}` : ''})`, a.patch);
    for (const a of d.archesLost) add('ZONE_DEVICE lost', `${a.arch} (${a.symbol})`, a.patch);
    for (const a of d.archSelectsOtherEra ?? [])
      add(
        a.added ? 'select of another era added' : 'select of another era removed',
        `${a.arch} (${a.symbol}${a.condition ? ` if ${a.condition}` : ''}: enables ZONE_DEVICE in ${a.enablesIn}, not in ${s.kernel.release})`,
        a.patch,
      );
    for (const p of d.prototypesChanged) add('hook prototype changed', `${p.name}: ${p.after}`, p.patch);
    out.push('');
    out.push(`### Memory-type model: ${escapeMarkdown(s.title)}`);
    out.push('');
    out.push(escapeMarkdown(s.kernel.reason));
    // Where the base tree differs from zdcheck's data: the tree was followed (model-differs-from-tree says each).
    if (s.treeDifferences.length) {
      out.push('');
      out.push(
        `The base tree differs from zdcheck's data in ${s.treeDifferences.length} ${s.treeDifferences.length === 1 ? 'place' : 'places'}; the tree is followed:`,
      );
      for (const t of s.treeDifferences.slice(0, 5))
        out.push(`- ${escapeMarkdown(t.replace(/; the tree is followed$/, ''))}`);
      if (s.treeDifferences.length > 5)
        out.push(`- and ${s.treeDifferences.length - 5} more (see the model-differs-from-tree notices)`);
    }
    out.push('');
    out.push('| change | what | patch |');
    out.push('| --- | --- | --- |');
    for (const [c, n, p] of rows) out.push(`| ${escapeMarkdown(c)} | ${escapeMarkdown(n)} | ${escapeMarkdown(p)} |`);
    const count = (st: string) => s.obligations.filter((o) => o.status === st).length;
    const tally = (['met', 'unmet', 'unknown', 'unchecked'] as const)
      .filter((st) => count(st))
      .map((st) => `${count(st)} ${st}`)
      .join(', ');
    if (tally) {
      out.push('');
      out.push(`Obligations: ${tally}.`);
      for (const o of s.obligations.filter((x) => x.status === 'unmet'))
        out.push(`- unmet: ${escapeMarkdown(o.text)}${o.note ? ` (${escapeMarkdown(o.note)})` : ''}`);
    }
  }
  return out;
}

export interface GithubOptions {
  /**
   * List the findings that exceed the annotation limits in the log as plain lines, for runs
   * where no step summary is written ($GITHUB_STEP_SUMMARY unset).
   */
  listOverflow?: boolean;
}

function plainLine(f: Finding): string {
  const at = f.file === null ? '' : f.line !== null ? `${f.file}:${f.line}: ` : `${f.file}: `;
  return `zdcheck: not annotated: ${COMMAND[f.severity]}: ${escapeData(at + f.rule + ': ' + annotationMessage(f))}`;
}

export function formatGithub(input: ReportInput, options: GithubOptions = {}): GithubReport {
  const used: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  const lines: string[] = [];
  const annotated: Finding[] = [];
  const rest = new Set<Finding>();
  for (const f of input.findings) {
    if (used[f.severity] < ANNOTATIONS_PER_KIND) {
      used[f.severity]++;
      annotated.push(f);
      lines.push(workflowCommand(f));
    } else {
      rest.add(f);
    }
  }
  if (rest.size > 0) {
    // A plain line, not a command; nothing from the input is on it.
    const see = options.listOverflow ? 'listed below' : 'see the step summary';
    lines.push(
      `zdcheck: ${rest.size} more findings are not annotated (GitHub shows ${ANNOTATIONS_PER_KIND} of each kind per step); ${see}`,
    );
    if (options.listOverflow) for (const f of rest) lines.push(plainLine(f));
  }
  const waived = input.waived ?? [];
  if (waived.length > 0) {
    // Plain line: rule ids are ours, but escape them anyway, as everything on these lines.
    const rules = escapeData([...new Set(waived.map((f) => f.rule))].join(', '));
    lines.push(
      `zdcheck: ${waived.length} findings waived, not annotated (${rules}); the step summary lists them with their reasons`,
    );
  }
  const t = totals(input);
  lines.push(`zdcheck: total: ${t.errors} errors, ${t.warnings} warnings, ${t.patches} patches checked`);
  return { annotations: lines.join('\n') + '\n', summary: buildSummary(input, rest), annotated };
}
