import { defineRule, type MessageData } from '../../src/engine/rule.js';
import type { FileImage, FileStep } from '../../src/source/types.js';
import { addedEnumeratorSites, allTypeNames, enumMembersSeen } from '../lib/series-model.js';
import {
  memoryTypeSwitchIndex,
  typeSwitches,
  updateMemoryTypeSwitchIndex,
  type SwitchSummary,
  type TypeSwitch,
} from '../lib/switches.js';

interface Seen {
  step: FileStep;
  ts: TypeSwitch;
}

export default defineRule({
  meta: {
    id: 'unhandled-memory-type',
    severity: 'error',
    description:
      'The series adds a memory type that a switch over enum memory_type does not handle while its default fails (or it has none)',
    scope: 'series',
    runsOn: 'zone-device',
    // {{switch}}: the switch's condition, and the function it is in when known: `(pgmap->type) in pagemap_setup()`.
    messages: {
      switchMissesType: 'the switch {{switch}} does not handle {{type}}, which this series adds to enum memory_type',
      typeNotHandled: '{{type}} is not handled by the switch {{switch}} at {{at}}',
      switchesNotChecked:
        "switches over enum memory_type outside the series' hunks could not be checked for {{types}} " +
        '(no base tree; give --tree or check a git range)',
      switchesNotCheckedAcross:
        'switches over enum memory_type outside the hunks of {{series}} series could not be checked for {{types}} ' +
        '(no base tree; give --tree or check a git range)',
    },
  },
  check(ctx) {
    const m = ctx.model();
    if (m.delta.typesAdded.length === 0) return;
    const src = ctx.source();
    const names = new Set([...allTypeNames(ctx.data), ...m.view.enumMembers, ...enumMembersSeen(ctx)]);
    const sites = addedEnumeratorSites(
      ctx,
      m.delta.typesAdded.map((t) => ({ name: t.name, patchKey: t.patch.key })),
    );
    if (sites.length === 0) return;
    const unmet = new Map<string, string[]>();
    const miss = (type: string, where: string) => {
      const at = unmet.get(type);
      if (at) at.push(where);
      else unmet.set(type, [where]);
    };

    // Every switch the series' images show, by identity across patches: its latest view
    // decides, and the latest patch that changed lines inside it is where it is reported.
    const lastSeen = new Map<string, Seen>();
    const lastTouched = new Map<string, Seen>();
    const casesAdded = new Map<string, Set<string>>();
    for (const step of src.steps()) {
      const c = ctx.syntax.c(step.post);
      if (!c) continue;
      const ordinal = new Map<string, number>();
      for (const ts of typeSwitches(c, names)) {
        const id = `${step.post.path}\0${ts.functionName}\0${ts.condition}`;
        const n = ordinal.get(id) ?? 0;
        ordinal.set(id, n + 1);
        const key = `${id}\0${n}`;
        lastSeen.set(key, { step, ts });
        for (let i = ts.first; i <= ts.last; i++) {
          if (step.post.addedHere(i)) {
            lastTouched.set(key, { step, ts });
            break;
          }
        }
      }
      for (const line of step.post.lines.filter((_, i) => step.post.addedHere(i))) {
        for (const mm of line.matchAll(/\bcase\s+(\w+)\s*:/g)) {
          const set = casesAdded.get(step.post.path) ?? new Set<string>();
          set.add(mm[1]!);
          casesAdded.set(step.post.path, set);
        }
      }
    }

    for (const site of sites) {
      const t = site.name;
      for (const [key, seen] of lastSeen) {
        const { ts } = seen;
        if (!misses(ts, t) || casesAdded.get(seen.step.post.path)?.has(t)) continue;
        const where = `${seen.step.post.path}:${seen.step.post.lineNumber(ts.line)}`;
        const touched = lastTouched.get(key);
        miss(t, where);
        if (touched) {
          ctx.report({
            patch: touched.step.patch,
            file: touched.step.post.path,
            line: touched.step.post.lineNumber(touched.ts.line),
            messageId: 'switchMissesType',
            data: { switch: switchName(touched.ts), type: t },
            detail: `${handles(touched.ts)}; ${t} is added at ${site.file}:${site.line}; add a case for it`,
          });
        } else {
          ctx.report({
            patch: site.patch,
            file: site.file,
            line: site.line,
            messageId: 'typeNotHandled',
            data: { type: t, switch: switchName(ts), at: where },
            detail: `${handles(ts)}; add a case for it`,
          });
        }
      }
    }

    const tree = src.tree ? ctx.baseTree : null;
    const settle = () => {
      for (const site of sites) {
        const at = unmet.get(site.name);
        if (at) m.settle(`switch-handles-type:${site.name}`, 'unmet', `not handled at ${at.join(', ')}`);
        else if (tree) m.settle(`switch-handles-type:${site.name}`, 'met');
        else
          m.settle(
            `switch-handles-type:${site.name}`,
            'unknown',
            'no base tree: switches outside the hunks not checked',
          );
      }
    };
    if (!tree) {
      settle();
      const first = sites[0]!;
      ctx.gather({
        key: 'no-tree',
        items: sites.map((s) => s.name),
        patch: first.patch,
        render: (names, n) => {
          const data: MessageData = { types: listed(names) };
          return {
            severity: 'info',
            notChecked: true,
            messageId: n > 1 ? 'switchesNotCheckedAcross' : 'switchesNotChecked',
            data: n > 1 ? { ...data, series: n } : data,
          };
        },
      });
      return;
    }
    // The rest of the tree: the files with a memory-type case label and their switches, found once
    // per tree (and kept for the next run on the same commit).
    const touchedPaths = new Set(src.files.flatMap((f) => [f.path, ...f.steps.map((s) => s.pre.path)]));
    const parse = (image: FileImage) => ctx.syntax.c(image);
    const build = () => memoryTypeSwitchIndex(tree, parse, sites[0]!.patch);
    // Another commit's index, kept in the cache, with the files changed since read again.
    const update = (previous: Record<string, SwitchSummary[]>, changed: readonly string[]) =>
      updateMemoryTypeSwitchIndex(previous, changed, tree, parse, sites[0]!.patch);
    const index = tree.index ? tree.index('memory-type-switches/1', build, update) : build();
    for (const path of Object.keys(index).filter((p) => !touchedPaths.has(p))) {
      const found = index[path]!.filter((ts) => ts.labels.some((l) => names.has(l)));
      for (const site of sites) {
        for (const ts of found) {
          if (!misses(ts, site.name)) continue;
          miss(site.name, `${path}:${ts.line + 1}`);
          ctx.report({
            patch: site.patch,
            file: site.file,
            line: site.line,
            messageId: 'typeNotHandled',
            data: { type: site.name, switch: switchName(ts), at: `${path}:${ts.line + 1}` },
            detail: `${handles(ts)}; add a case for it`,
          });
        }
      }
    }
    settle();
  },
});

/** The switch names other types, not `type`, and an unhandled value fails or runs nothing. */
function misses(ts: SwitchSummary, type: string): boolean {
  return !ts.labels.includes(type) && ts.defaultKind !== 'benign';
}

/** `(pgmap->type) in pagemap_setup()`: the switch's condition, and its function when known. */
function switchName(ts: SwitchSummary): string {
  return `${ts.condition}${ts.functionName ? ` in ${ts.functionName}()` : ''}`;
}

/** What the switch handles and what its default does: why the missing case matters. */
function handles(ts: SwitchSummary): string {
  const handled =
    ts.labels.length > 3
      ? `${ts.labels.slice(0, 3).join(', ')} and ${ts.labels.length - 3} more`
      : ts.labels.join(', ');
  const dflt = ts.defaultKind === 'none' ? 'has no default' : `its default fails (${clip(ts.defaultText ?? '')})`;
  return `it handles ${handled}, and ${dflt}`;
}

/** Names for the one info line: the first few, then how many more. */
function listed(names: readonly string[]): string {
  return names.length > 4 ? `${names.slice(0, 4).join(', ')} and ${names.length - 4} more` : names.join(', ');
}

function clip(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
