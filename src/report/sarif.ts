// SARIF 2.1.0 for code scanning. GitHub's ingestion wants, beyond the schema: every rule with
// shortDescription, fullDescription and help; results with a location (a physical one when the
// finding names a file, else a logical one naming the patch or series it is about).
import { createHash } from 'node:crypto';
import type * as Sarif from 'sarif';
import type { Finding, Severity } from '../types.js';
import { isWaived } from '../waivers/types.js';
import type { ReportInput, RuleDoc } from './types.js';

export const SARIF_SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json';

const LEVEL: Record<Severity, Sarif.Result.level> = { error: 'error', warning: 'warning', info: 'note' };

/** The first paragraph of a doc page that is not its title: the page's own summary. */
export function docSummary(markdown: string): string | null {
  const paragraphs = markdown.replace(/\r\n?/g, '\n').split(/\n\s*\n/);
  for (const p of paragraphs) {
    const text = p.trim();
    if (text === '' || text.startsWith('#') || text.startsWith('```') || text.startsWith('|')) continue;
    return text.replace(/\s*\n\s*/g, ' ');
  }
  return null;
}

function descriptor(rule: RuleDoc): Sarif.ReportingDescriptor {
  const doc = rule.doc;
  const summary = doc ? docSummary(doc) : null;
  const fallbackHelp = `${rule.description}\n\nSee ${rule.docPath} in the zdcheck package.`;
  const d: Sarif.ReportingDescriptor = {
    id: rule.id,
    name: rule.id,
    shortDescription: { text: rule.description },
    fullDescription: { text: summary ?? rule.description },
    help: doc ? { text: doc, markdown: doc } : { text: fallbackHelp },
    defaultConfiguration: { level: LEVEL[rule.severity] },
    properties: { tags: ['zdcheck'] },
  };
  if (rule.helpUri) d.helpUri = rule.helpUri;
  return d;
}

/** Rule ids in findings that the registry does not list (e.g. internal-error) still need a descriptor. */
function adhocRule(id: string, severity: Severity): RuleDoc {
  const description =
    id === 'internal-error'
      ? 'zdcheck failed inside a rule; the other rules still ran. Please report it.'
      : `Findings reported as ${id}.`;
  return { id, severity, description, docPath: `rules/${id}/README.md`, doc: null, helpUri: null };
}

/** A diff path as a relative URI reference: each segment percent-encoded, slashes kept. */
export function pathToUri(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}

function fingerprint(f: Finding): string {
  return createHash('sha256')
    .update([f.rule, f.file ?? '', f.patch ?? '', f.series ?? '', f.message].join('\0'))
    .digest('hex')
    .slice(0, 32);
}

function location(f: Finding): Sarif.Location {
  if (f.file !== null) {
    const physical: Sarif.PhysicalLocation = { artifactLocation: { uri: pathToUri(f.file) } };
    if (f.line !== null && Number.isInteger(f.line) && f.line >= 1) physical.region = { startLine: f.line };
    return { physicalLocation: physical };
  }
  if (f.patch !== null) return { logicalLocations: [{ name: f.patch, kind: 'patch' }] };
  if (f.series !== null) return { logicalLocations: [{ name: f.series, kind: 'series' }] };
  return { logicalLocations: [{ name: 'input', kind: 'input' }] };
}

/**
 * The message, then its detail as the next paragraph: code scanning shows the first line in
 * lists and the whole text on the alert, which has room for the evidence.
 */
function sarifText(f: Finding): string {
  const head = f.message === '' ? f.rule : f.message;
  return f.detail ? `${head}\n\n${f.detail}` : head;
}

export function toSarifLog(input: ReportInput): Sarif.Log {
  const rules: RuleDoc[] = [...input.rules];
  const index = new Map<string, number>();
  rules.forEach((r, i) => index.set(r.id, i));
  const indexOf = (f: Finding): number => {
    let i = index.get(f.rule);
    if (i === undefined) {
      index.set(f.rule, (i = rules.length));
      rules.push(adhocRule(f.rule, f.severity));
    }
    return i;
  };
  const waived = input.waived ?? [];
  for (const f of [...input.findings, ...waived]) indexOf(f);
  const results: Sarif.Result[] = [...input.findings, ...waived].map((f) => {
    const result: Sarif.Result = {
      ruleId: f.rule,
      ruleIndex: indexOf(f),
      level: LEVEL[f.severity],
      message: { text: sarifText(f) },
      locations: [location(f)],
      partialFingerprints: { 'zdcheck/v1': fingerprint(f) },
    };
    const properties: Sarif.PropertyBag = {};
    if (f.patch !== null) properties['patch'] = f.patch;
    if (f.series !== null) properties['series'] = f.series;
    if (f.detail) properties['detail'] = f.detail;
    if (Object.keys(properties).length > 0) result.properties = properties;
    // Waived in the config or git notes: outside the analysed source, hence `external`.
    if (isWaived(f))
      result.suppressions = [
        { kind: 'external', status: 'accepted', justification: `${f.waived.reason} (${f.waived.origin})` },
      ];
    return result;
  });
  const driver: Sarif.ToolComponent = {
    name: input.tool.name,
    version: input.tool.version,
    semanticVersion: input.tool.version,
    rules: rules.map(descriptor),
  };
  if (input.tool.informationUri) driver.informationUri = input.tool.informationUri;
  return {
    $schema: SARIF_SCHEMA_URI,
    version: '2.1.0',
    runs: [{ tool: { driver }, results, columnKind: 'utf16CodeUnits' }],
  };
}

export function formatSarif(input: ReportInput): string {
  return JSON.stringify(toSarifLog(input), null, 2) + '\n';
}
