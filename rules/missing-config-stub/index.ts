import { defineRule, type MessageData } from '../../src/engine/rule.js';
import { ZONE_DEVICE_API_HEADERS } from '../../src/kbuild/headers.js';
import { and, show } from '../../src/syntax/condition.js';
import { judgeCallers, shortCondition, showConfig, whenShown } from './callers.js';
import { insideBody, isHelperName } from '../../src/model/changes.js';
import { allPredicateNames } from '../../src/model/query.js';
import type { FileImage } from '../../src/source/types.js';
import type { Patch } from '../../src/types.js';
import { functionNames, type Branch, type SyntaxNode } from '../../src/syntax/index.js';

interface Defined {
  name: string;
  node: SyntaxNode;
  /** Image line (0-based). */
  line: number;
  group: number;
  arm: number;
}

/** `#ifdef CONFIG_X`, `#if IS_ENABLED(CONFIG_X)`, `#if defined(CONFIG_X) || ...`: a condition on the configuration. */
const CONFIG_COND = /\bCONFIG_\w+/;
const NEGATED = /^\s*!\s*(defined\s*\(?\s*CONFIG_\w+\s*\)?|IS_(ENABLED|BUILTIN|REACHABLE)\s*\(\s*CONFIG_\w+\s*\))\s*$/;

export default defineRule({
  meta: {
    id: 'missing-config-stub',
    severity: 'error',
    description:
      'A ZONE_DEVICE API function under #ifdef CONFIG_... has no stub for the other build while a caller needs one, or its neighbours all have one',
    scope: 'series',
    runsOn: 'zone-device',
    messages: {
      noStub:
        '{{name}}() under {{condition}} has no stub in the #{{branch}} branch (line {{branchLine}}), unlike {{neighbours}}',
      callerBreaks:
        '{{name}}() is declared only when {{condition}}, yet {{caller}} calls it in a build without CONFIG_{{option}}',
      stubLost:
        '{{name}}() is no longer declared without CONFIG_{{option}} (a stub removed or an #if moved), yet {{caller}} calls it',
      helpersNotChecked:
        'without a base tree, {{count}} helper(s) under #if ({{names}}) could not be checked for an #else stub; give --tree',
      helpersNotCheckedAcross:
        'without a base tree, {{count}} helper(s) under #if in {{series}} series ({{names}}) could not be checked for an #else stub; give --tree',
    },
    // Only memory-type helpers are judged (isHelperName), named on a line a patch adds to a header.
    interest: [
      {
        paths: [/\.h$/],
        added: true,
        modelWords: allPredicateNames,
        lines: [/\b(?:is_\w+_page|folio_is_\w+|(?:pte|pmd|pud|pfn_t)_devmap)\b/],
      },
      // Any change to an API header: an added function, a removed stub, a moved #endif.
      { paths: ZONE_DEVICE_API_HEADERS.map((h) => new RegExp(`^${h.replace(/[.]/g, '\\.')}$`)) },
    ],
  },
  check(ctx) {
    const known = new Set(allPredicateNames(ctx.data));
    // With a tree: each function the series adds or changes in an API header, against its callers.
    const judged = judgeCallers(ctx);
    const judgedNames = new Set(judged?.findings.map((f) => f.name) ?? []);
    for (const f of judged?.findings ?? []) {
      const last = f.history.steps[f.history.steps.length - 1]!;
      const caller = `${f.caller.path}:${f.caller.line}`;
      ctx.report({
        patch: last.patch,
        file: f.file,
        line: last.post.lineNumber(f.line),
        messageId: f.before ? 'stubLost' : 'callerBreaks',
        data: f.before
          ? { name: f.name, option: f.breaking.option, caller }
          : { name: f.name, condition: shortCondition(f.avail), caller, option: f.breaking.option },
        detail: [
          `a configuration that breaks the build: ${showConfig(f.breaking.config, and(f.callerCondition, f.avail)) || `${f.breaking.option}=n`}`,
          `${f.name}() is declared when ${show(f.avail)}` +
            (f.before
              ? ` (before the series: ${f.beforeAlways ? 'in every configuration' : `when ${show(f.before)}`})`
              : ''),
          `${caller} is compiled ${whenShown(f.callerCondition)}`,
          'give the header a stub for the other build (#else static inline ...), or build the callers only with the option',
        ].join('; '),
      });
      if (ctx.model().delta.helpersAdded.some((h) => h.name === f.name))
        ctx.model().settle(`helper-config-stub:${f.name}`, 'unmet', `${f.file}:${last.post.lineNumber(f.line)}`);
    }
    const unseenNames = new Set<string>();
    let unseenPatch: Patch | null = null;
    // Without a base tree, a helper whose #if group the hunks do not show whole cannot be judged:
    // it is named in the info line, and its obligation is left undecided, never dropped silently.
    const cannotJudge = (name: string, patch: Patch, why: string) => {
      unseenNames.add(name);
      unseenPatch ??= patch;
      if (ctx.model().delta.helpersAdded.some((h) => h.name === name))
        ctx.model().settle(`helper-config-stub:${name}`, 'unknown', `no base tree: ${why}`);
    };
    for (const step of ctx.source().steps()) {
      const img = step.post;
      if (!img.path.endsWith('.h')) continue;
      if (!step.diff.hunks.some((h) => h.lines.some((l) => l.kind === 'add' && /\(/.test(l.text)))) continue;
      const c = ctx.syntax.c(img);
      if (!c) continue;
      // Every function or function-like macro at file scope, by the #if arm it sits in (innermost group).
      const defined: Defined[] = [];
      for (const f of functionNames(c)) {
        if (insideBody(f.node)) continue;
        const line = c.line(f.unit, f.node);
        if (line === null) continue;
        const stack = c.branches.at(line);
        const b = stack[stack.length - 1];
        if (b) defined.push({ name: f.name, node: f.node, line, group: b.group, arm: b.arm });
      }
      const armsOf = new Map<number, Map<number, Branch>>();
      for (let i = 0; i < img.lines.length; i++) {
        for (const b of c.branches.at(i)) {
          let arms = armsOf.get(b.group);
          if (!arms) armsOf.set(b.group, (arms = new Map<number, Branch>()));
          if (!arms.has(b.arm)) arms.set(b.arm, b);
        }
      }
      const reported = new Set<string>();
      // Two definitions of one function in a header compile only in exclusive branches: one is the stub.
      const definitions = new Map<string, number>();
      for (const f of functionNames(c))
        if (!insideBody(f.node)) definitions.set(f.name, (definitions.get(f.name) ?? 0) + 1);
      for (const d of defined) {
        if (
          !img.addedHere(d.line) ||
          reported.has(`${d.group}:${d.name}`) ||
          judgedNames.has(d.name) ||
          judged?.complete.has(d.name)
        )
          continue;
        // Memory-type helpers, and any function of the ZONE_DEVICE API headers: in real kernel
        // changes (the stable audit, docs/audit.md), helpers in other headers' large #ifdef arms
        // (pci.h, bpf.h, cpufreq.h) are used only by code built under the same option.
        const helper = isHelperName(d.name, known);
        if (!helper && !ZONE_DEVICE_API_HEADERS.includes(img.path)) continue;
        // Another API function is judged by its neighbours only where no caller is known (the tree's
        // callers, when there is one, were judged above), and only when every neighbour is stubbed.
        if (!helper && judged && !judged.uncalled.has(d.name)) continue;
        const arms = armsOf.get(d.group); // every line's groups are in armsOf
        if (!arms) continue;
        const first = arms.get(0);
        if (first && first.line === null && !ctx.source().tree && !closesGuard(img, d.line, arms)) {
          if ((definitions.get(d.name) ?? 0) < 2) {
            if (helper) cannotJudge(d.name, step.patch, 'the hunk does not show its #if line');
          } else if (ctx.model().delta.helpersAdded.some((h) => h.name === d.name))
            ctx.model().settle(`helper-config-stub:${d.name}`, 'met', `defined twice in ${img.path}`);
          continue;
        }
        // The group's condition must be seen: on CONFIG_, and this arm the "enabled" one.
        if (!first || first.condition === null || !CONFIG_COND.test(first.condition)) continue;
        const negated = NEGATED.test(first.condition);
        const enabledArm = d.arm === 0 ? !negated : arms.get(d.arm)?.directive === 'else' && negated;
        if (!enabledArm && !(d.arm > 0 && arms.get(d.arm)?.directive === 'elif')) continue;
        const closed = first.line !== null && closesInSegment(img, first.line);
        if (arms.size < 2 || !closed) {
          // A group without #else has nothing to compare with; one whose end the hunk does not
          // show cannot be judged, and is counted for the info line instead of guessed at.
          if (first.line === null || (arms.size < 2 && closed)) continue;
          if (!ctx.source().tree && helper)
            cannotJudge(d.name, step.patch, 'the hunks do not show the rest of its #if group');
          continue;
        }
        const elsewhere = (name: string) =>
          defined.some((o) => o.group === d.group && o.arm !== d.arm && o.name === name);
        if (elsewhere(d.name)) {
          if (ctx.model().delta.helpersAdded.some((h) => h.name === d.name))
            ctx.model().settle(`helper-config-stub:${d.name}`, 'met', `${img.path}:${img.lineNumber(d.line)}`);
          continue;
        }
        const siblings = [
          ...new Set(
            defined.filter((o) => o.group === d.group && o.arm === d.arm && o.name !== d.name).map((o) => o.name),
          ),
        ];
        const stubbed = siblings.filter(elsewhere);
        if (stubbed.length === 0) continue;
        // A bare prototype is often called only from code built under the same option; it is
        // judged only where the header stubs every one of its neighbours (at least two).
        if (!isDefinition(d.node) && (stubbed.length < 2 || stubbed.length < siblings.length)) continue;
        if (!helper && (stubbed.length < 2 || stubbed.length < siblings.length)) continue;
        // The group closes in view, so the directive of every arm is shown.
        const alt = [...arms.values()].find((a): a is Branch & { line: number } => a.arm !== d.arm && a.line !== null);
        if (!alt) continue;
        reported.add(`${d.group}:${d.name}`);
        const cond = first.condition;
        ctx.report({
          patch: step.patch,
          file: img.path,
          line: img.lineNumber(d.line),
          ...(helper ? {} : { severity: 'warning' as const }),
          messageId: 'noStub',
          data: {
            name: d.name,
            condition: shown(first),
            branch: alt.directive,
            branchLine: img.lineNumber(alt.line),
            neighbours: `${stubbed.slice(0, 2).join(', ')}${stubbed.length > 2 ? ', ...' : ''}`,
          },
          detail:
            `a build without ${configName(cond)} breaks where ${d.name}() is used; add a stub there` +
            (stubbed.length > 2 ? ` (stubbed there: ${stubbed.join(', ')})` : ''),
        });
        if (ctx.model().delta.helpersAdded.some((h) => h.name === d.name))
          ctx.model().settle(`helper-config-stub:${d.name}`, 'unmet', `${img.path}:${img.lineNumber(d.line)}`);
      }
    }
    if (unseenNames.size > 0 && !ctx.source().tree) {
      ctx.gather({
        key: 'no-tree',
        items: [...unseenNames],
        patch: unseenPatch,
        render: (names, n) => {
          const data: MessageData = {
            count: names.length,
            names: `${names.slice(0, 4).join(', ')}${names.length > 4 ? ', ...' : ''}`,
          };
          return {
            severity: 'info',
            notChecked: true,
            messageId: n > 1 ? 'helpersNotCheckedAcross' : 'helpersNotChecked',
            data: n > 1 ? { ...data, series: n } : data,
            detail:
              'the hunks do not show the whole #if group of each (its #if line, or the branches after it), so whether the other branch has a stub cannot be told from the mail',
          };
        },
      });
    }
  },
});

/** Whether the #if group opened at `from` is closed by its #endif within the same segment (all its arms are in view). */
function closesInSegment(img: FileImage, from: number): boolean {
  const seg = img.segments.find((s) => s.start <= from && from < s.end);
  if (!seg) return false;
  let depth = 0;
  for (let i = from; i < seg.end; i++) {
    const m = /^\s*#\s*(if|ifdef|ifndef|endif)\b/.exec(img.lines[i]!);
    if (!m) continue;
    if (m[1]!.startsWith('if')) depth++;
    else if (--depth === 0) return true;
  }
  return false;
}

/**
 * Whether the group of an arm-0 line whose #if is not in view ends at an #endif that names an
 * include guard (`#endif /* _LINUX_DEVMEM_H *\/`) and has no #else: the guard, not an option.
 */
function closesGuard(img: FileImage, from: number, arms: ReadonlyMap<number, Branch>): boolean {
  if (arms.size > 1) return false;
  const seg = img.segments.find((s) => s.start <= from && from < s.end);
  if (!seg) return false;
  let depth = 0;
  for (let i = from + 1; i < seg.end; i++) {
    const m = /^\s*#\s*(if|ifdef|ifndef|elif|else|endif)\b(.*)$/.exec(img.lines[i]!);
    if (!m) continue;
    if (m[1]!.startsWith('if')) depth++;
    else if (depth > 0) {
      if (m[1] === 'endif') depth--;
    } else return m[1] === 'endif' && /\b_*[A-Z0-9]+(?:_[A-Z0-9]+)*_H_*\b/.test(m[2]!) && !CONFIG_COND.test(m[2]!);
  }
  return false;
}

/** A function definition (a static inline helper), not a bare prototype or macro. */
function isDefinition(name: SyntaxNode): boolean {
  for (let p = name.parent; p; p = p.parent) {
    if (p.type === 'function_definition') return true;
    if (p.type === 'declaration' || p.type === 'translation_unit') return false;
  }
  return false;
}

function shown(b: Branch): string {
  const m = /^(!?)defined\((\w+)\)$/.exec(b.condition ?? '');
  if (b.directive !== 'if' && m) return `#${m[1] ? 'ifndef' : 'ifdef'} ${m[2]}`;
  return `#if ${b.condition}`;
}

function configName(cond: string): string {
  return CONFIG_COND.exec(cond)?.[0] ?? cond;
}
