// What a series changes in the memory-type world (ModelDelta), what each change obliges
// (Obligation), and the few lines the report ends with. Pure: the syntax layer hands in
// per-patch lists of what was added and removed; rules settle the obligations.
import { typeByName } from './query.js';
import { loadModel } from './load.js';
import type { Model, ModelView } from './types.js';
import { formatRange } from './version.js';

export interface PatchRef {
  key: string;
  subject: string;
}

export interface ArchSelect {
  arch: string;
  /** The selected symbol (ARCH_HAS_ZONE_DEVICE, ARCH_HAS_PTE_DEVMAP, ...). */
  symbol: string;
  /** The `if` condition of the select, or null. */
  condition: string | null;
}

export interface PrototypeChange {
  name: string;
  before: string;
  after: string;
}

/** What one patch adds and removes, as the syntax layer sees it. Absent lists are empty. */
export interface PatchModelChanges {
  patch: PatchRef;
  /** Members of enum memory_type. */
  enumeratorsAdded?: string[];
  enumeratorsRemoved?: string[];
  /** is_*_page / folio_is_* and other predicates defined or removed in headers. */
  helpersAdded?: string[];
  helpersRemoved?: string[];
  /** For each added helper, the MEMORY_* enumerators its definition names (what it tests). */
  helperTests?: Record<string, string[]>;
  kconfigAdded?: string[];
  kconfigRemoved?: string[];
  ioresAdded?: string[];
  ioresRemoved?: string[];
  archSelectsAdded?: ArchSelect[];
  archSelectsRemoved?: ArchSelect[];
  prototypesChanged?: PrototypeChange[];
}

export interface NamedChange {
  name: string;
  patch: PatchRef;
}

export interface TypeChange extends NamedChange {
  /** How the model knows the name: mainline, an RFC/vendor type, or not at all. */
  known: 'mainline' | 'not-mainline' | 'unknown';
  typeId: string | null;
}

export interface TypeRename {
  from: string;
  to: string;
  patch: PatchRef;
  /** The release in which mainline made the same rename, when it did. */
  mainlineRelease: string | null;
}

export interface ArchChange extends ArchSelect {
  patch: PatchRef;
  /** Whether the model says the arch could enable ZONE_DEVICE before the series. */
  hadBefore: boolean;
}

/** A select of a symbol that enables ZONE_DEVICE in other eras only: at the delta's release it enables nothing. */
export interface OtherEraSelect extends ArchSelect {
  patch: PatchRef;
  /** The select is added (true) or removed (false). */
  added: boolean;
  /** The releases in which the symbol does enable ZONE_DEVICE, e.g. `4.12–5.2`. */
  enablesIn: string;
}

export interface ModelDelta {
  /** The release the delta is taken against. */
  release: string;
  typesAdded: TypeChange[];
  typesRemoved: TypeChange[];
  typesRenamed: TypeRename[];
  helpersAdded: NamedChange[];
  helpersRemoved: NamedChange[];
  kconfigAdded: NamedChange[];
  kconfigRemoved: NamedChange[];
  ioresAdded: NamedChange[];
  ioresRemoved: NamedChange[];
  archesGained: ArchChange[];
  archesLost: ArchChange[];
  /** Selects of another era's enabling symbol (ARCH_HAS_ZONE_DEVICE in a 6.1 tree): not arches gained or lost. */
  archSelectsOtherEra: OtherEraSelect[];
  prototypesChanged: (PrototypeChange & { patch: PatchRef })[];
}

/** Net additions/removals of names over the series, in patch order (an add undone later cancels). */
function netChanges(
  changes: readonly PatchModelChanges[],
  added: (c: PatchModelChanges) => string[] | undefined,
  removed: (c: PatchModelChanges) => string[] | undefined,
) {
  const state = new Map<string, { op: 'add' | 'del'; patch: PatchRef }>();
  for (const c of changes) {
    const adds = new Set(added(c) ?? []);
    const dels = new Set(removed(c) ?? []);
    for (const name of dels) {
      if (adds.has(name)) continue; // moved or rewritten in place
      if (state.get(name)?.op === 'add') state.delete(name);
      else state.set(name, { op: 'del', patch: c.patch });
    }
    for (const name of adds) {
      if (dels.has(name)) continue;
      if (state.get(name)?.op === 'del') state.delete(name);
      else state.set(name, { op: 'add', patch: c.patch });
    }
  }
  const pick = (op: 'add' | 'del') =>
    [...state].filter(([, s]) => s.op === op).map(([name, s]) => ({ name, patch: s.patch }));
  return { added: pick('add'), removed: pick('del') };
}

function typeChange(n: NamedChange, model: Model): TypeChange {
  const t = typeByName(n.name, model);
  return { ...n, known: t === null ? 'unknown' : t.mainline ? 'mainline' : 'not-mainline', typeId: t?.id ?? null };
}

/** The delta of a series against the model at `view.release`. */
export function computeDelta(
  changes: readonly PatchModelChanges[],
  view: ModelView,
  model: Model = loadModel(),
): ModelDelta {
  // Renames: a patch that removes and adds the same number of enumerators pairs them in order.
  const typesRenamed: TypeRename[] = [];
  const renamedAway = new Set<string>();
  const renamedTo = new Set<string>();
  for (const c of changes) {
    const dels = (c.enumeratorsRemoved ?? []).filter((n) => !(c.enumeratorsAdded ?? []).includes(n));
    const adds = (c.enumeratorsAdded ?? []).filter((n) => !(c.enumeratorsRemoved ?? []).includes(n));
    if (dels.length === 0 || dels.length !== adds.length) continue;
    dels.forEach((from, i) => {
      const to = adds[i]!;
      const t = typeByName(from, model);
      const later = t?.names.find((n) => n.value === to);
      typesRenamed.push({
        from,
        to,
        patch: c.patch,
        mainlineRelease: t && later && typeByName(to, model) === t ? later.since : null,
      });
      renamedAway.add(from);
      renamedTo.add(to);
    });
  }
  const enums = netChanges(
    changes,
    (c) => c.enumeratorsAdded,
    (c) => c.enumeratorsRemoved,
  );
  const helpers = netChanges(
    changes,
    (c) => c.helpersAdded,
    (c) => c.helpersRemoved,
  );
  const kconfig = netChanges(
    changes,
    (c) => c.kconfigAdded,
    (c) => c.kconfigRemoved,
  );
  const iores = netChanges(
    changes,
    (c) => c.ioresAdded,
    (c) => c.ioresRemoved,
  );

  const key = (s: ArchSelect) => `${s.arch}\u0000${s.symbol}`;
  const selects = netChanges(
    changes,
    (c) => (c.archSelectsAdded ?? []).map(key),
    (c) => (c.archSelectsRemoved ?? []).map(key),
  );
  const enabling = new Set(model.eras.map((e) => e.archSelect).filter((s): s is string => s !== null));
  const allSelects = changes.flatMap((c) => [...(c.archSelectsAdded ?? []), ...(c.archSelectsRemoved ?? [])]);
  // The era's own symbol enables ZONE_DEVICE; another era's enables nothing at this release.
  const inEra = (symbol: string) => view.era === null || view.era.archSelect === symbol;
  const otherEra: OtherEraSelect[] = [];
  // A select's key (n.name) is that of one of allSelects: its condition is found.
  const other = (n: NamedChange, added: boolean) => {
    const [arch, symbol] = n.name.split('\u0000') as [string, string];
    if (!enabling.has(symbol) || inEra(symbol)) return;
    const condition = allSelects.find((s) => s.arch === arch && s.symbol === symbol)?.condition ?? null;
    const enablesIn = model.eras
      .filter((e) => e.archSelect === symbol)
      .map((e) => formatRange(e, model.releases))
      .join(', ');
    otherEra.push({ arch, symbol, condition, patch: n.patch, added, enablesIn });
  };
  selects.added.forEach((n) => other(n, true));
  selects.removed.forEach((n) => other(n, false));
  const archChange = (n: NamedChange): ArchChange | null => {
    const [arch, symbol] = n.name.split('\u0000') as [string, string];
    if (!enabling.has(symbol) || !inEra(symbol)) return null;
    const condition = allSelects.find((s) => s.arch === arch && s.symbol === symbol)?.condition ?? null;
    return { arch, symbol, condition, patch: n.patch, hadBefore: view.arches.some((a) => a.arch === arch) };
  };

  return {
    release: view.release,
    typesAdded: enums.added.filter((n) => !renamedTo.has(n.name)).map((n) => typeChange(n, model)),
    typesRemoved: enums.removed.filter((n) => !renamedAway.has(n.name)).map((n) => typeChange(n, model)),
    typesRenamed,
    helpersAdded: helpers.added,
    helpersRemoved: helpers.removed,
    kconfigAdded: kconfig.added,
    kconfigRemoved: kconfig.removed,
    ioresAdded: iores.added,
    ioresRemoved: iores.removed,
    archesGained: selects.added.map(archChange).filter((a): a is ArchChange => a !== null),
    archesLost: selects.removed.map(archChange).filter((a): a is ArchChange => a !== null),
    archSelectsOtherEra: otherEra,
    prototypesChanged: changes.flatMap((c) => (c.prototypesChanged ?? []).map((p) => ({ ...p, patch: c.patch }))),
  };
}

export function isEmptyDelta(d: ModelDelta): boolean {
  return [
    d.typesAdded,
    d.typesRemoved,
    d.typesRenamed,
    d.helpersAdded,
    d.helpersRemoved,
    d.kconfigAdded,
    d.kconfigRemoved,
    d.ioresAdded,
    d.ioresRemoved,
    d.archesGained,
    d.archesLost,
    d.archSelectsOtherEra,
    d.prototypesChanged,
  ].every((l) => l.length === 0);
}

export type ObligationKind =
  /** a new type documents its properties (kdoc above the enum) */
  | 'type-documented'
  /** a new type gets an is_*_page / folio_is_* helper */
  | 'type-helper'
  /** every switch over enum memory_type handles the new type */
  | 'switch-handles-type'
  /** a helper under #ifdef CONFIG_... has a stub in the #else branch */
  | 'helper-config-stub'
  /** the Kconfig prompt and help agree with the type's properties */
  | 'kconfig-text-agrees'
  /** nothing in the post-image still uses what was removed */
  | 'no-remaining-users'
  /** every user of the old name now uses the new one */
  | 'rename-all-users'
  /** the architecture provides devmap PTE support, no later than it enables ZONE_DEVICE */
  | 'arch-devmap-support'
  /** ZONE_DEVICE is not made to depend on the page size */
  | 'page-size-independent'
  /** every per-architecture definition follows the new prototype */
  | 'hook-definitions-updated';

export type ObligationStatus = 'unchecked' | 'met' | 'unmet' | 'unknown';

export interface Obligation {
  /** `kind:subject`, stable within a run so rules can settle it. */
  id: string;
  kind: ObligationKind;
  /** The identifier (or arch) it is about. */
  subject: string;
  /** The patch whose change creates it. */
  patch: PatchRef;
  /** The rule that checks it, or null when none does yet. */
  rule: string | null;
  /** What is owed, in one sentence. */
  text: string;
  status: ObligationStatus;
  /** Why it is met/unmet/unknown (file and line, or what could not be read). */
  note: string | null;
}

const RULE: Record<ObligationKind, string | null> = {
  'type-documented': 'kconfig-text-contradicts-model',
  'type-helper': null,
  'switch-handles-type': 'unhandled-memory-type',
  'helper-config-stub': 'missing-config-stub',
  'kconfig-text-agrees': 'kconfig-text-contradicts-model',
  'no-remaining-users': 'removed-type-still-used',
  'rename-all-users': 'removed-type-still-used',
  'arch-devmap-support': 'zone-device-without-devmap',
  'page-size-independent': 'zone-device-page-size-condition',
  'hook-definitions-updated': 'arch-hook-signature-drift',
};

/** What each change of the delta obliges, all `unchecked` until a rule settles them. */
export function obligationsFor(delta: ModelDelta, view: ModelView): Obligation[] {
  const out: Obligation[] = [];
  const owe = (kind: ObligationKind, subject: string, patch: PatchRef, text: string) =>
    out.push({
      id: `${kind}:${subject}`,
      kind,
      subject,
      patch,
      rule: RULE[kind],
      text,
      status: 'unchecked',
      note: null,
    });
  for (const t of delta.typesAdded) {
    owe('type-documented', t.name, t.patch, `${t.name} is documented above enum memory_type with its properties`);
    owe('type-helper', t.name, t.patch, `${t.name} has an is_*_page()/folio_is_*() helper beside the others`);
    owe('switch-handles-type', t.name, t.patch, `every switch over enum memory_type handles ${t.name}`);
  }
  for (const h of delta.helpersAdded)
    owe('helper-config-stub', h.name, h.patch, `${h.name}() has a !CONFIG stub wherever it is defined under #ifdef`);
  for (const k of delta.kconfigAdded)
    owe(
      'kconfig-text-agrees',
      k.name,
      k.patch,
      `the prompt and help of ${k.name} agree with the memory type it enables`,
    );
  const removed = [...delta.typesRemoved, ...delta.helpersRemoved, ...delta.kconfigRemoved, ...delta.ioresRemoved];
  for (const r of removed) owe('no-remaining-users', r.name, r.patch, `nothing in the tree still uses ${r.name}`);
  for (const r of delta.typesRenamed)
    owe('rename-all-users', r.from, r.patch, `every user of ${r.from} now says ${r.to}`);
  for (const a of delta.archesGained) {
    if (view.era?.devmapRequired ?? true)
      owe(
        'arch-devmap-support',
        a.arch,
        a.patch,
        `${a.arch} provides devmap PTEs (${(view.era?.devmapMarkers ?? ['pte_devmap']).join(', ')}) no later than ${a.symbol}`,
      );
    if (a.condition && /PAGES\b/.test(a.condition))
      owe(
        'page-size-independent',
        a.arch,
        a.patch,
        `ZONE_DEVICE on ${a.arch} does not depend on the page size (${a.condition})`,
      );
  }
  for (const p of delta.prototypesChanged)
    owe('hook-definitions-updated', p.name, p.patch, `every architecture's ${p.name}() takes the new parameters`);
  return out;
}

/** Returns the obligations with one settled (pure; unknown ids leave the list as is). */
export function settleObligation(
  obligations: readonly Obligation[],
  id: string,
  status: ObligationStatus,
  note: string | null = null,
): Obligation[] {
  return obligations.map((o) => (o.id === id ? { ...o, status, note } : o));
}

/** Obligations not checked, named one a line; the rest are counted (the JSON report lists every one). */
const MAX_NOT_CHECKED = 5;

/** An obligation as the reports hold it (the model's, or the JSON report's copy). */
export type ObligationShown = Pick<Obligation, 'text' | 'status' | 'note'>;

/**
 * The obligations a reader can act on, one a line: the unmet ones, then those nothing checked
 * ("unknown": a rule looked and could not decide, e.g. without a base tree; "unchecked": no rule
 * settled it), each named. Met ones are left out. `shown` drops those already reported (the text
 * report leaves out what a finding says).
 */
export function renderObligations<O extends ObligationShown>(
  obligations: readonly O[],
  shown: (o: O) => boolean = () => true,
): string[] {
  const line = (label: string, o: O) => `  ${label}: ${o.text}${o.note ? ` (${o.note})` : ''}`;
  const out = obligations.filter((o) => o.status === 'unmet' && shown(o)).map((o) => line('unmet', o));
  const open = obligations.filter((o) => (o.status === 'unknown' || o.status === 'unchecked') && shown(o));
  for (const o of open.slice(0, MAX_NOT_CHECKED)) out.push(line('not checked', o));
  if (open.length > MAX_NOT_CHECKED)
    out.push(`  and ${open.length - MAX_NOT_CHECKED} more not checked (--format json lists them)`);
  return out;
}

/**
 * A summary rendered by renderModelSummary with its obligation lines rendered again, keeping only
 * those `shown` accepts: the kernel and delta lines stay as they are.
 */
export function resummarize<O extends ObligationShown>(
  summary: readonly string[],
  obligations: readonly O[],
  shown: (o: O) => boolean,
): string[] {
  const head = summary.slice(0, summary.length - renderObligations(obligations).length);
  return [...head, ...renderObligations(obligations, shown)];
}

/** The few lines the text report ends with: the kernel and why, the delta, what is owed. */
export function renderModelSummary(
  kernelReason: string,
  delta: ModelDelta,
  obligations: readonly Obligation[],
): string[] {
  const lines = [`model: ${kernelReason}`];
  const names = (l: { name: string }[]) => l.map((x) => x.name).join(', ');
  const parts: string[] = [];
  const known = { mainline: '', 'not-mainline': ' (not in mainline)', unknown: ' (unknown to zdcheck)' } as const;
  if (delta.typesAdded.length)
    parts.push(`+type ${delta.typesAdded.map((t) => `${t.name}${known[t.known]}`).join(', ')}`);
  if (delta.typesRemoved.length) parts.push(`-type ${names(delta.typesRemoved)}`);
  for (const r of delta.typesRenamed)
    parts.push(`type ${r.from} -> ${r.to}${r.mainlineRelease ? ` (as mainline ${r.mainlineRelease})` : ''}`);
  if (delta.helpersAdded.length) parts.push(`+helper ${names(delta.helpersAdded)}`);
  if (delta.helpersRemoved.length) parts.push(`-helper ${names(delta.helpersRemoved)}`);
  if (delta.kconfigAdded.length) parts.push(`+Kconfig ${names(delta.kconfigAdded)}`);
  if (delta.kconfigRemoved.length) parts.push(`-Kconfig ${names(delta.kconfigRemoved)}`);
  if (delta.ioresAdded.length) parts.push(`+IORES ${names(delta.ioresAdded)}`);
  if (delta.ioresRemoved.length) parts.push(`-IORES ${names(delta.ioresRemoved)}`);
  for (const a of delta.archesGained)
    parts.push(`+ZONE_DEVICE on ${a.arch} (${a.symbol}${a.condition ? ` if ${a.condition}` : ''})`);
  for (const a of delta.archesLost) parts.push(`-ZONE_DEVICE on ${a.arch}`);
  for (const a of delta.archSelectsOtherEra ?? [])
    parts.push(
      `${a.added ? '+' : '-'}select ${a.symbol}${a.condition ? ` if ${a.condition}` : ''} on ${a.arch} (enables ZONE_DEVICE in ${a.enablesIn}, not in ${delta.release})`,
    );
  for (const p of delta.prototypesChanged) parts.push(`prototype of ${p.name} changed`);
  lines.push(
    parts.length ? `  delta: ${parts.join('; ')}` : '  delta: none (the series does not change the memory-type model)',
  );
  return [...lines, ...renderObligations(obligations)];
}
