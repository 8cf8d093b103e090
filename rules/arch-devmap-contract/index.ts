// An architecture's devmap PTE support is a contract with mm/: the pmd/pud accessors only where the
// generic !THP fallbacks are not, pte_mkdevmap() setting the special bit insert_pfn() relies on, and
// the accessors defined together. The contract is data (rules/model/devmap-contract.yaml, by era);
// this rule checks the definitions a series adds to arch headers against it.
import { defineRule, type KernelTree, type SeriesContext } from '../../src/engine/rule.js';
import type { DevmapContract } from '../../src/model/types.js';
import { inRange } from '../../src/model/version.js';
import type { FileStep } from '../../src/source/types.js';
import {
  and,
  conditionAt,
  not,
  preprocBranches,
  sym,
  witness,
  wholeText,
  type Formula,
} from '../../src/syntax/index.js';
import { archOf } from '../lib/arch.js';
import { finalSteps } from '../lib/series-model.js';

type MessageId = 'outsideThpGuard' | 'noSpecialBit' | 'halfContract';
type Ctx = SeriesContext<MessageId>;

export default defineRule({
  meta: {
    id: 'arch-devmap-contract',
    severity: 'error',
    description:
      "An arch's devmap PTE accessors break the contract mm/ relies on (THP guard, special bit, accessors defined together)",
    scope: 'series',
    runsOn: 'zone-device',
    messages: {
      outsideThpGuard:
        '{{name}} is defined outside #ifdef CONFIG_{{symbol}}: with THP off it collides with the generic fallback in {{fallback}}',
      noSpecialBit:
        '{{name}} sets {{bits}} but not the special bit: mm/ maps devmap PTEs with it alone and vm_normal_page() would treat them as normal pages',
      halfContract: '{{arch}} defines {{name}} but not {{missing}}: half of the devmap PTE contract',
    },
  },
  check(ctx) {
    // Cheap first: most series add no devmap accessor to an arch header.
    const steps = ctx
      .source()
      .steps()
      .filter(
        (s) => archHeader(s.post.path) && s.post.lines.some((l, i) => l.includes('devmap') && s.post.addedHere(i)),
      );
    if (!steps.length) return;
    const contract = ctx.data.devmapContract.find((c) => inRange(ctx.kernel.view.release, c));
    // Eras without devmap PTEs (6.17 on) have no contract to keep.
    if (!contract) return;
    // mm/ calls an arch's devmap accessors only once the arch enables devmap PTEs (pfn_t_devmap()
    // is false without ARCH_HAS_PTE_DEVMAP): accessors added ahead of that are not judged yet.
    const enabled = new Map<string, boolean>();
    const isEnabled = (arch: string) => {
      let on = enabled.get(arch);
      if (on === undefined) enabled.set(arch, (on = devmapEnabled(ctx, arch)));
      return on;
    };
    const defs = addedDefinitions(steps, contractNames(contract)).filter((d) => isEnabled(d.arch));
    if (!defs.length) return;
    for (const d of defs) {
      if (contract.thpGuard.names.includes(d.name)) checkGuard(ctx, contract, d);
      if (d.name === contract.special.maker) checkSpecial(ctx, contract, d);
    }
    checkPairs(ctx, contract, defs);
  },
});

interface AddedDefinition {
  name: string;
  arch: string;
  step: FileStep;
  /** Image line of the definition's head. */
  at: number;
  macro: boolean;
}

const archHeader = (path: string) => /^arch\/[^/]+\/include\/.*\.h$/.test(path);

function contractNames(c: DevmapContract): string[] {
  return [...new Set([...c.thpGuard.names, c.special.maker, ...c.pairs.flatMap((p) => [p.name, ...p.needs])])];
}

const TYPE_START = '(?:static|extern|inline|__always_inline|int|bool|pte_t|pmd_t|pud_t|pgd_t|unsigned|long)';

/** `#define name` or a function head `[static inline] type name(` that is not a prototype. */
function definitionMatcher(names: readonly string[]): RegExp {
  const alt = names.join('|');
  return new RegExp(
    `^\\s*#\\s*define\\s+(${alt})\\b|^\\s*${TYPE_START}\\b[^=;()]*?\\b(${alt})\\s*\\((?!.*\\)\\s*;\\s*$)`,
  );
}

function addedDefinitions(steps: readonly FileStep[], names: readonly string[]): AddedDefinition[] {
  const re = definitionMatcher(names);
  const out: AddedDefinition[] = [];
  for (const step of steps) {
    const arch = archOf(step.post.path);
    if (arch === null) continue; // the steps given are arch headers
    step.post.lines.forEach((line, at) => {
      if (!step.post.addedHere(at)) return;
      const m = re.exec(line);
      if (m) out.push({ name: m[1] ?? m[2] ?? '', arch, step, at, macro: m[1] !== undefined });
    });
  }
  return out;
}

function where(d: AddedDefinition) {
  return { patch: d.step.patch, file: d.step.post.path, line: d.step.post.lineNumber(d.at) };
}

/** Every opaque atom (`defined(__ASSEMBLY__)`, `CONFIG_PGTABLE_LEVELS > 2`) made a free symbol. */
function freed(f: Formula): Formula | null {
  switch (f.k) {
    case 'const':
    case 'sym':
      return f;
    case 'opaque':
      return f.text.startsWith('(an #if the hunk does not show') ? null : { k: 'sym', name: `?${f.text}` };
    case 'not': {
      const a = freed(f.a);
      return a && not(a);
    }
    default: {
      const parts = f.a.map(freed);
      if (parts.some((p) => p === null)) return null;
      return f.k === 'and' ? and(...(parts as Formula[])) : { k: 'or', a: parts as Formula[] };
    }
  }
}

/** Whether line `at` of `lines` can be compiled with `symbol` off; null when the text cannot say. */
function compiledWithout(
  lines: readonly string[],
  at: number,
  symbol: string,
  image?: FileStep['post'],
): boolean | null {
  const branches = preprocBranches(image ?? wholeText('x.h', lines.join('\n')));
  const cond = freed(conditionAt(branches, at));
  if (!cond) return null;
  const w = witness(and(cond, not(sym(symbol))));
  return w === 'unknown' ? null : w !== null;
}

function checkGuard(ctx: Ctx, contract: DevmapContract, d: AddedDefinition): void {
  const post = d.step.post;
  // A hunk shows only part of the file: whether an #ifdef far above encloses it cannot be told.
  if (post.mode !== 'whole' && d.step.diff.status !== 'added') return;
  const { symbol } = contract.thpGuard;
  if (compiledWithout(post.lines, d.at, symbol, post) !== true) return;
  const fallback = genericFallback(ctx.tree, contract, d.name);
  if (fallback === 'none') return;
  ctx.report({
    ...where(d),
    messageId: 'outsideThpGuard',
    data: { name: d.name, symbol, fallback: fallback?.path ?? contract.thpGuard.fallbackHeaders[0]! },
    detail:
      `${fallback ? `the tree's ${fallback.path}:${fallback.line} defines ${d.name}() when CONFIG_${symbol} is off` : `the generic headers of this era define ${d.name}() returning 0 when CONFIG_${symbol} is off (no base tree: from zdcheck's devmap contract, ${contract.thpGuard.source})`}; ` +
      `this definition is compiled then too, a redefinition error in every !THP build of the arch. Put it inside the arch's #ifdef CONFIG_${symbol} block, as arm64 did when its pte_devmap support was reviewed in 2019`,
  });
}

/**
 * Where the generic headers define their fallback of `name` for !THP builds: the tree's, or null
 * without a tree (the contract's word is taken), or 'none' when the tree's generic side has none.
 */
function genericFallback(
  tree: KernelTree | null,
  contract: DevmapContract,
  name: string,
): { path: string; line: number } | null | 'none' {
  if (!tree) return null;
  const re = definitionMatcher([name]);
  for (const path of contract.thpGuard.fallbackHeaders) {
    const text = tree.readSync(path);
    if (!text) continue;
    const lines = text.split('\n');
    for (let i = 0; i < lines.length; i++) {
      if (re.test(lines[i]!) && compiledWithout(lines, i, contract.thpGuard.symbol) === true)
        return { path, line: i + 1 };
    }
  }
  return 'none';
}

/** The body of a definition: a macro's logical line, or a function up to its closing brace. */
function bodyOf(lines: readonly string[], at: number, macro: boolean): string {
  const out: string[] = [];
  if (macro) {
    for (let i = at; i < lines.length && i < at + 20; i++) {
      out.push(lines[i]!);
      if (!lines[i]!.endsWith('\\')) break;
    }
    return out.join('\n');
  }
  let depth = 0;
  let opened = false;
  for (let i = at; i < lines.length && i < at + 40; i++) {
    const l = lines[i]!;
    out.push(l);
    for (const ch of l) {
      if (ch === '{') {
        depth++;
        opened = true;
      } else if (ch === '}') depth--;
    }
    if (opened && depth <= 0) break;
  }
  return out.join('\n');
}

function checkSpecial(ctx: Ctx, contract: DevmapContract, d: AddedDefinition): void {
  const { special } = contract;
  const body = bodyOf(d.step.post.lines, d.at, d.macro).replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
  const after = body.slice(body.indexOf(d.name) + d.name.length);
  if (after.includes(special.bit) || special.helpers.some((h) => new RegExp(`\\b${h}\\s*\\(`).test(after))) return;
  // Handing the work to another maker (powerpc's radix__/hash__ variants): judged there, if anywhere.
  if (/\b\w*mkdevmap\w*\s*\(/.test(after.replace(new RegExp(`\\b${d.name}\\b`, 'g'), ''))) return;
  const bits = [...new Set(after.match(/\b_*[A-Z][A-Z0-9_]*DEVMAP[A-Z0-9_]*\b/g) ?? [])];
  // No devmap bit named: the body does something else this rule cannot read.
  if (!bits.length) return;
  const tree = ctx.tree;
  const defines = bitDefinitions(ctx, d.arch, bits);
  // A devmap bit defined to include the special one sets both.
  if (bits.some((b) => defines.get(b)?.includes(special.bit))) return;
  const has = specialSupport(ctx, d.arch, special.requires);
  if (has === false) return;
  ctx.report({
    ...where(d),
    messageId: 'noSpecialBit',
    data: { name: d.name, bits: bits.join(' | ') },
    detail:
      `insert_pfn() maps a devmap pfn with ${d.name}() and no pte_mkspecial(); with ${special.requires[0]}, vm_normal_page() returns the page of a non-special PTE, and unmapping a DAX page then drops a mapcount it never took ("BUG: Bad page map", arm64 2019, fixed by ${special.source.split(' ')[0]}). ` +
      `Set the special bit too (${d.arch === 'arm64' ? 'PTE_SPECIAL' : '_PAGE_SPECIAL'})${has === null ? `; no base tree: assumed the arch has ${special.requires[0]}, as every devmap arch of mainline does` : ''}${tree ? '' : ''}`,
  });
}

/** `#define BIT ...` text for each bit: the series' arch headers first, then the tree's. */
function bitDefinitions(ctx: Ctx, arch: string, bits: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  const re = new RegExp(`^\\s*#\\s*define\\s+(${bits.join('|')})\\b(.*)$`);
  const take = (text: string) => {
    const m = re.exec(text);
    if (m && !out.has(m[1]!)) out.set(m[1]!, m[2]!);
  };
  for (const s of finalSteps(ctx.source())) if (archOf(s.post.path) === arch) s.post.lines.forEach(take);
  if (ctx.tree && bits.some((b) => !out.has(b)))
    for (const h of ctx.tree.grep(
      bits.filter((b) => !out.has(b)),
      [`arch/${arch}/include/`],
      { fixed: true },
    ))
      take(h.text);
  return out;
}

/** Whether the arch has special PTEs (a Kconfig select or the old header macro); null without a tree. */
function specialSupport(ctx: Ctx, arch: string, requires: readonly string[]): boolean | null {
  const tree = ctx.tree;
  if (!tree) return null;
  return tree
    .grep(requires, [`arch/${arch}/`], { fixed: true })
    .some((h) => /^\s*select\s+\w+/.test(h.text) || /^\s*#\s*define\s+__HAVE_ARCH_PTE_SPECIAL\b/.test(h.text));
}

function checkPairs(ctx: Ctx, contract: DevmapContract, defs: readonly AddedDefinition[]): void {
  const byArch = new Map<string, AddedDefinition[]>();
  for (const d of defs) byArch.set(d.arch, [...(byArch.get(d.arch) ?? []), d]);
  const all = contractNames(contract);
  const re = definitionMatcher(all);
  for (const [arch, added] of byArch) {
    const defined = new Set<string>();
    const note = (text: string) => {
      const m = re.exec(text);
      if (m) defined.add(m[1] ?? m[2] ?? '');
    };
    const tree = ctx.tree;
    if (tree) {
      for (const h of tree.grep(all, [`arch/${arch}/include/`], { fixed: true })) note(h.text);
    } else {
      // Mail alone: the arch's support must be new in this series for the series to be all of it.
      if (!seriesEnablesDevmap(ctx, arch)) continue;
      for (const s of finalSteps(ctx.source()))
        if (archOf(s.post.path) === arch && archHeader(s.post.path)) s.post.lines.forEach(note);
    }
    const reported = new Set<string>();
    for (const d of added) {
      const pair = contract.pairs.find((p) => p.name === d.name);
      if (!pair || reported.has(d.name)) continue;
      const missing = pair.needs.filter((n) => !defined.has(n));
      if (!missing.length) continue;
      reported.add(d.name);
      ctx.report({
        ...where(d),
        messageId: 'halfContract',
        data: { arch, name: d.name, missing: missing.join(', ') },
        detail:
          `mm/ calls ${contract.pairs.map((p) => p.name).join(', ')} and their makers together: an arch that answers one and not the other ` +
          `maps devmap pages it cannot recognise, or recognises pages it never marked. ${tree ? `Searched arch/${arch}/include/ of the tree with the series applied` : `No base tree: the series enables devmap PTEs for ${arch}, so it must carry them all`}`,
      });
    }
  }
}

/**
 * Whether the arch has devmap PTEs once the series is applied: its Kconfig selects ARCH_HAS_PTE_DEVMAP
 * (or, before 5.3, a header defines __HAVE_ARCH_PTE_DEVMAP) in the tree after the series; without a
 * tree, the series enables them or the model records the arch's support in the era.
 */
function devmapEnabled(ctx: Ctx, arch: string): boolean {
  const tree = ctx.tree;
  if (tree) {
    return tree
      .grep(['ARCH_HAS_PTE_DEVMAP', '__HAVE_ARCH_PTE_DEVMAP'], [`arch/${arch}/`], { fixed: true })
      .some(
        (h) =>
          /^\s*select\s+ARCH_HAS_PTE_DEVMAP\b/.test(h.text) || /^\s*#\s*define\s+__HAVE_ARCH_PTE_DEVMAP\b/.test(h.text),
      );
  }
  return seriesEnablesDevmap(ctx, arch) || Boolean(ctx.kernel.view.arches.find((a) => a.arch === arch)?.devmap);
}

/** The series selects ARCH_HAS_PTE_DEVMAP for the arch, or defines the old __HAVE_ARCH_PTE_DEVMAP. */
function seriesEnablesDevmap(ctx: Ctx, arch: string): boolean {
  return ctx
    .source()
    .steps()
    .some(
      (s) =>
        archOf(s.post.path) === arch &&
        s.post.lines.some(
          (l, i) =>
            s.post.addedHere(i) &&
            (/^\s*select\s+ARCH_HAS_PTE_DEVMAP\b/.test(l) || /^\s*#\s*define\s+__HAVE_ARCH_PTE_DEVMAP\b/.test(l)),
        ),
    );
}
