// Android Lint's NewApi check for the kernel's device-memory API: added code that names a memory
// type, helper, devmap or swap-entry predicate, dev_pagemap member, IORES descriptor or Kconfig
// symbol the kernel the series is for does not have — too new for a backport, gone for a rebase.
// The base tree decides when there is one; else the model at ctx.kernel, only where its data was
// checked on both sides of the change (src/model/era.ts), else a named "not checked".
import { defineRule, formatMessage, type MessageData, type Report, type SeriesContext } from '../../src/engine/rule.js';
import { nameAt, whenText, type Boundary, type NameAt } from '../../src/model/era.js';
import { treeDefines } from '../../src/model/tree/defines.js';
import { identifierHistory } from '../../src/model/query.js';
import { formatRange, inRange, previousRelease } from '../../src/model/version.js';
import type { IdentifierSpan, Model, Release } from '../../src/model/types.js';
import type { FileDiff, Patch } from '../../src/types.js';
import { codeLines } from '../lib/code-lines.js';

const MESSAGES = {
  tooNew: '{{name}} does not exist in kernel {{kernel}}: it arrived {{when}}{{instead}}',
  gone: '{{name}} does not exist in kernel {{kernel}}: it was removed {{when}}{{instead}}',
  notInTree: '{{name}} is not defined in the base tree ({{kernel}}) and the series does not add it{{history}}',
  notChecked:
    '{{names}} not checked against kernel {{kernel}}: zdcheck read no tree {{between}}, where it changed; give --tree',
  notCheckedAcross:
    '{{names}} not checked against the kernels of {{series}} series: zdcheck read no tree of those releases; give --tree',
} as const;
type MessageId = keyof typeof MESSAGES;

interface Use {
  name: string;
  /** `pte_devmap()`, `CONFIG_X`, `.page_free`: as the message shows it. */
  shown: string;
  patch: Patch;
  file: string;
  line: number;
  /** In a Kconfig file (a select or dependency: no build notices it). */
  kconfig: boolean;
  /** What it is looked up as in a tree. */
  kind: IdentifierSpan['kind'];
}

const KCONFIG_FILE = /(^|\/)Kconfig[^/]*$/;
const KCONFIG_USE = /^\s*(?:select|imply|depends\s+on|default|visible\s+if|if|range)\b(.*)$/;
const MAKEFILE = /(^|\/)(Makefile|Kbuild)[^/]*$/;
const C_FILE = /\.[ch]$/;
const IDENT = /[A-Za-z_][A-Za-z0-9_]*/g;

export default defineRule({
  meta: {
    id: 'api-not-in-kernel',
    severity: 'error',
    description:
      'Added code names a memory type, helper, Kconfig symbol or dev_pagemap member that the kernel the series is for does not have',
    scope: 'series',
    runsOn: 'zone-device',
    messages: MESSAGES,
  },
  check(ctx) {
    const uses = usesOf(ctx);
    if (uses.length === 0) return;
    const k = ctx.kernel;
    const inf = k.inference;
    // With nothing but the model's newest release to go by (no tree, no version, no date), nothing is judged.
    if (inf.basis === 'default' && !ctx.series.patches.some((p) => p.date)) return;
    const model = ctx.data;
    const tree = ctx.tree;
    const release = k.view.release;
    const kernelText = inf.basis === 'diff' ? formatRange(inf.range, model.releases) : release;
    // Too new must hold at the newest release the evidence allows, gone at the oldest: a series
    // whose diff places it in 6.13–6.16 uses nothing that arrived in 6.15 wrongly.
    const newest = lastOf(inf.range, model);
    const oldest = inf.range.since;
    const unknown: { name: string; between: string; why: string }[] = [];
    const seen = new Set<string>();
    for (const u of uses) {
      const key = `${u.name}\0${u.patch.key}\0${u.file}`;
      if (seen.has(key)) continue;
      seen.add(key);
      if (tree) {
        const h = identifierHistory(u.name, model).filter(
          (s) => s.mainline && (s.kind === 'kconfig') === (u.kind === 'kconfig'),
        );
        const files = [...new Set(h.map((s) => s.where).filter((w): w is string => w !== null))];
        const defined = treeDefines(tree, u.name, u.kind, files);
        if (defined === true) continue;
        if (defined === false) {
          const n = nameAt(u.name, release, model);
          const history =
            n && n.state === 'absent' && n.boundary
              ? `; ${n.direction === 'gone' ? 'removed' : 'added'} in mainline ${whenText(n)}`
              : '';
          report(
            ctx,
            u,
            'notInTree',
            { name: u.shown, kernel: k.inference.version.text, history },
            n,
            inf.reason,
            tree.label,
          );
          continue;
        }
        // The tree has none of the files the name lives in: the model at the tree's kernel speaks.
      }
      const atNewest = nameAt(u.name, newest, model);
      const atOldest = nameAt(u.name, oldest, model);
      if (!atNewest || !atOldest) continue;
      // Too new is asked at the newest release the evidence allows (an arrival not yet made), gone
      // at the oldest (a removal already made); a change whose release was not read decides only its own question.
      // A change the data places on the other side of the kernel decides nothing unless some tree read
      // shows the name absent on that side (ZONE_DEVICE, in every tree read, arrived in 4.3 by the data: present at 4.14).
      const seenAbsent = (b: Boundary) =>
        model.observed.some(
          (o) =>
            (b.arrives ? cmp(o.release, b.release) < 0 : cmp(o.release, b.release) >= 0) &&
            !presentByData(u.name, o.release, model),
        );
      const arrivals = atNewest.unread.filter((b) => b.arrives && (atNewest.direction !== null || seenAbsent(b)));
      const removals = atOldest.unread.filter((b) => !b.arrives && (atOldest.direction !== null || seenAbsent(b)));
      const tooNew =
        inf.basis !== 'default' &&
        arrivals.length === 0 &&
        atNewest.state === 'absent' &&
        atNewest.direction === 'too-new';
      const gone = removals.length === 0 && atOldest.state === 'absent' && atOldest.direction === 'gone';
      if (tooNew || gone) {
        const n = tooNew ? atNewest : atOldest;
        report(
          ctx,
          u,
          tooNew ? 'tooNew' : 'gone',
          { name: u.shown, kernel: kernelText, when: whenText(n), instead: '' },
          n,
          inf.reason,
          null,
        );
        continue;
      }
      // A change whose release was not read, between the trees read either side: it may or may not have happened.
      if (inf.basis !== 'default' && arrivals.length) {
        unknown.push({
          name: u.shown,
          between: betweenText(newest, model),
          why: unconfirmed({ ...atNewest, unread: arrivals }),
        });
      } else if (removals.length) {
        unknown.push({
          name: u.shown,
          between: betweenText(oldest, model),
          why: unconfirmed({ ...atOldest, unread: removals }),
        });
      }
    }
    if (unknown.length === 0) return;
    const first = uses.find((u) => u.shown === unknown[0]?.name) ?? uses[0];
    if (!first) return;
    ctx.gather({
      key: 'not-checked',
      items: [...new Set(unknown.map((x) => `${x.name}\u0000${kernelText}\u0000${x.between}\u0000${x.why}`))],
      patch: first.patch,
      render: (items, count): Omit<Report<MessageId>, 'patch'> => {
        const parts = items.map((i) => i.split('\u0000'));
        const names = [...new Set(parts.map((p) => p[0]!))];
        const list = `${names.slice(0, 3).join(', ')}${names.length > 3 ? ` and ${names.length - 3} more` : ''}`;
        const detail =
          `zdcheck's model knows when these names came and went only as far as the trees it read (${model.observed.map((o) => o.release).join(', ')}); ` +
          `between two of them a change whose release was not itself read could be on either side of the kernel. Not checked: ` +
          parts.map((p) => `${p[0]} at kernel ${p[1]} (no tree read ${p[2]}; ${p[3]})`).join('; ');
        const data: MessageData =
          count > 1 ? { names: list, series: count } : { names: list, kernel: parts[0]![1]!, between: parts[0]![2]! };
        return {
          severity: 'info',
          notChecked: true,
          messageId: count > 1 ? 'notCheckedAcross' : 'notChecked',
          data,
          detail,
        };
      },
    });
  },
});

/** What the model's spans say at a release, read or not (at an observed release, what its tree showed). */
function presentByData(name: string, release: Release, model: Model): boolean {
  return identifierHistory(name, model).some((s) => s.mainline && inRange(release, s));
}

function lastOf(range: { since: Release; until: Release | null }, model: Model): Release {
  if (range.until === null) return model.releases.at(-1)?.version ?? range.since;
  return previousRelease(range.until, model.releases) ?? range.since;
}

function betweenText(release: Release, model: Model): string {
  const obs = model.observed.map((o) => o.release);
  const lo = [...obs].reverse().find((r) => cmp(r, release) <= 0) ?? null;
  const hi = obs.find((r) => cmp(r, release) > 0) ?? null;
  if (lo && hi) return `between ${lo} and ${hi}`;
  return lo ? `after ${lo}` : `before ${hi}`;
}

/** What an unknown name's data says, unconfirmed: for the detail. */
function unconfirmed(n: NameAt): string {
  return n.unread
    .map((b) => `${n.name} ${b.arrives ? 'arrived' : 'left'} in ${b.release}, a release zdcheck has not read`)
    .join('; ');
}

const cmp = (a: string, b: string) => {
  const [am = 0, an = 0] = a.split('.').map(Number);
  const [bm = 0, bn = 0] = b.split('.').map(Number);
  return am - bm || an - bn;
};

function report(
  ctx: SeriesContext<MessageId>,
  u: Use,
  messageId: MessageId,
  data: Record<string, string>,
  n: NameAt | null,
  reason: string,
  tree: string | null,
) {
  const by = n?.replacement?.by ?? null;
  // The replacement when it fits on the line; always in the detail.
  const withInstead = messageId === 'notInTree' ? data : { ...data, instead: by ? `; ${by}` : '' };
  const filled: MessageData =
    formatMessage(MESSAGES[messageId], withInstead).length <= 160 ? withInstead : { ...data, instead: '' };
  const where = tree
    ? `the base tree ${tree} does not define it (nor does the series)`
    : `zdcheck's model: ${evidence(n)}`;
  const silent = u.kconfig
    ? ' Kconfig ignores a select or dependency on a symbol no Kconfig file defines, so no build catches this.'
    : '';
  ctx.report({
    patch: u.patch,
    file: u.file,
    line: u.line,
    messageId,
    data: filled,
    detail:
      `The series is for ${reason}; ${where}.${silent}${by ? ` Instead: ${by}.` : ''}` +
      ` Backporting? Use what that kernel has. Rebasing? Convert to what replaced it.`,
  });
}

function evidence(n: NameAt | null): string {
  if (!n || !n.boundary) return 'no release of the kernel it is for has it';
  const seen = [n.seenPresent ? `present in ${n.seenPresent}` : '', n.seenAbsent ? `absent in ${n.seenAbsent}` : '']
    .filter(Boolean)
    .join(', ');
  return `${n.name} ${n.boundary.arrives ? 'arrived' : 'left'} in ${n.boundary.release}${n.boundary.read ? '' : ' (release recalled)'}${seen ? `; trees read: ${seen}` : ''} (${n.boundary.source})`;
}

/**
 * Names of the model's world on lines the series adds, less those the series shows exist (in its
 * context or removed lines: the base has them) or defines itself.
 */
function usesOf(ctx: SeriesContext): Use[] {
  const model = ctx.data;
  const known = (name: string) => (model.index.get(name) ?? []).some((s) => s.mainline);
  // The C kind of a name (a Kconfig symbol of the same name, ZONE_DEVICE, is looked at only as CONFIG_).
  const kindOf = (name: string) =>
    (model.index.get(name) ?? []).find((s) => s.mainline && s.kind !== 'kconfig')?.kind ??
    ((model.index.get(name) ?? []).some((s) => s.mainline) ? ('kconfig' as const) : null);
  const isKconfig = (name: string) => (model.index.get(name) ?? []).some((s) => s.mainline && s.kind === 'kconfig');
  const inBase = new Set<string>();
  const defined = new Set<string>();
  const found: Use[] = [];
  for (const patch of ctx.series.patches) {
    if (patch.kind !== 'patch') continue;
    for (const f of patch.files) {
      const path = f.newPath ?? f.oldPath ?? '';
      const kconfigFile = KCONFIG_FILE.test(path);
      const cFile = C_FILE.test(path);
      const makefile = MAKEFILE.test(path);
      if (!kconfigFile && !cFile && !makefile) continue;
      const pgmapFile = cFile && aboutPagemap(f);
      for (const h of f.hunks) {
        const hunkAboutOps = h.lines.some((l) => /\bdev_pagemap_ops\b/.test(l.text));
        const code = cFile ? codeLines(h.lines.map((l) => l.text)) : h.lines.map((l) => l.text.replace(/#.*$/, ''));
        h.lines.forEach((l, i) => {
          const text = code[i]!;
          if (l.kind !== 'add') {
            for (const m of text.matchAll(IDENT)) inBase.add(m[0].startsWith('CONFIG_') ? m[0].slice(7) : m[0]);
            return;
          }
          for (const d of definitions(text, kconfigFile)) defined.add(d);
          const line = l.newLine;
          if (line === null || line === undefined) return;
          const add = (name: string, shown: string, kconfig: boolean, kind: IdentifierSpan['kind']) =>
            found.push({ name, shown, patch, file: path, line, kconfig, kind });
          if (kconfigFile) {
            const m = KCONFIG_USE.exec(text);
            if (!m) return;
            for (const s of m[1]!.matchAll(/\b[A-Z][A-Z0-9_]+\b/g))
              if (isKconfig(s[0])) add(s[0], s[0], true, 'kconfig');
            return;
          }
          for (const m of text.matchAll(IDENT)) {
            const w = m[0];
            if (w.startsWith('CONFIG_')) {
              const sym = w.slice(7);
              if (isKconfig(sym)) add(sym, w, false, 'kconfig');
              continue;
            }
            if (makefile || !known(w)) continue;
            const before = text.slice(0, m.index);
            const member = /(?:\.|->)\s*$/.test(before);
            const kind = kindOf(w);
            if (kind === 'member') {
              // `.folio_free =` in a dev_pagemap_ops initialiser, `pgmap->ops->folio_free`: not another struct's member.
              const designator = /\.\s*$/.test(before) && /^\s*=/.test(text.slice(m.index + w.length)) && hunkAboutOps;
              const through = /\b(pgmap|pagemap)\s*->\s*(ops\s*->\s*)?$|\bops\s*->\s*$/.test(before) && pgmapFile;
              if (designator || through) add(w, `.${w}`, false, 'member');
              continue;
            }
            if (member || kind === 'kconfig' || kind === null) continue;
            const call = /^\s*\(/.test(text.slice(m.index + w.length));
            add(
              w,
              call || kind === 'helper' || kind === 'predicate' || kind === 'function' ? `${w}()` : w,
              false,
              kind,
            );
          }
        });
      }
    }
  }
  for (const d of ctx.model().delta.helpersAdded) defined.add(d.name);
  for (const d of ctx.model().delta.kconfigAdded) defined.add(d.name);
  for (const d of ctx.model().delta.typesAdded) defined.add(d.name);
  for (const d of ctx.model().delta.ioresAdded) defined.add(d.name);
  return found.filter((u) => !inBase.has(u.name) && !defined.has(u.name));
}

/** Names an added line defines: a Kconfig entry, a macro, a function, an enumerator. */
function definitions(text: string, kconfig: boolean): string[] {
  if (kconfig) {
    const m = /^\s*(?:menu)?config\s+([A-Za-z0-9_]+)/.exec(text);
    return m ? [m[1]!] : [];
  }
  const out: string[] = [];
  const macro = /^\s*#\s*define\s+([A-Za-z_]\w*)/.exec(text);
  if (macro) out.push(macro[1]!);
  const fn =
    /^(?:static\s+|inline\s+|extern\s+|const\s+|unsigned\s+|struct\s+\w+\s+|[\w]+\s+)+\**\s*([A-Za-z_]\w*)\s*\(/.exec(
      text,
    );
  if (fn && !/^\s/.test(text)) out.push(fn[1]!);
  const enumerator = /^\s+([A-Z][A-Z0-9_]+)\s*(?:=[^,]*)?,?\s*$/.exec(text);
  if (enumerator) out.push(enumerator[1]!);
  const member = /\(\s*\*\s*([a-z_]\w*)\s*\)\s*\(/.exec(text);
  if (member) out.push(member[1]!);
  return out;
}

/** The file's diff is about dev_pagemap (a `.page_free =` elsewhere is another struct's member). */
function aboutPagemap(f: FileDiff): boolean {
  return f.hunks.some((h) => h.lines.some((l) => /\bdev_pagemap(_ops)?\b|\bpgmap\b/.test(l.text)));
}
