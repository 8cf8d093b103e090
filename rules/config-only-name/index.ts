import { defineRule, type Kbuild, type TreeAfterSeries } from '../../src/engine/rule.js';
import {
  breakingConfig,
  CONFIG_ONLY_OPTIONS,
  positiveSymbols,
  archOpaque,
  showConfig,
  type Breaking,
} from '../../src/kbuild/availability.js';
import { ZONE_DEVICE_API_HEADERS } from '../../src/kbuild/headers.js';
import { includeGuardOf, settle } from '../../src/kbuild/index.js';
import { factAt } from '../../src/model/query.js';
import type { Model } from '../../src/model/types.js';
import {
  and,
  conditionAt,
  declarations,
  enclosingFunction,
  identifiers,
  inPreprocCondition,
  not,
  or,
  parseCondition,
  shadowedAt,
  show,
  sym,
  TRUE,
  type Formula,
  type SyntaxNode,
} from '../../src/syntax/index.js';
import type { FileImage, FileStep } from '../../src/source/types.js';
import type { Hunk } from '../../src/types.js';
import { codeLines } from '../lib/code-lines.js';
import { includeTargets } from '../lib/includes.js';
import {
  headerMembers,
  KNOWN_TYPEDEFS,
  memberUses,
  structHints,
  structMembers,
  type GuardedMember,
} from '../lib/members.js';
import { notKernelCode } from '../lib/steps.js';

/** A name declared only under some configuration: when it is declared, and where that was read. */
interface ConfigOnly {
  avail: Formula;
  /** `include/linux/mmzone.h:958`, or the model's header. */
  where: string;
  fromModel: boolean;
}

/** A struct member declared only under some configuration: in which struct, when, and where that was read. */
interface ConfigOnlyMember extends ConfigOnly {
  struct: string;
  /** The lines declaring it (a member may sit in two #if arms), to tell them from other structs' members of the name. */
  lines: readonly { path: string; line: number }[];
  /** From the model: whether the name is this struct's alone (null: not known). With a tree, asked of the tree. */
  unique: boolean | null;
}

/** Config-only members by name (one name may be config-only in two structs), and the typedefs of structs. */
interface MemberIndex {
  members: Map<string, ConfigOnlyMember[]>;
  typedefs: ReadonlyMap<string, string>;
}

const NAME = /[A-Za-z_]\w*/g;
/** What follows `->` or `.`: a member read, or a designated initializer. */
const MEMBER = /(?:->|\.)\s*([A-Za-z_]\w*)/g;
/**
 * Headers every configuration may include. A driver's own header (drivers/nvdimm/nd.h) is compiled
 * only where its driver is, which no Makefile says: it is left alone.
 */
export const SHARED_HEADER = /^(include\/|arch\/[^/]+\/include\/)/;
/**
 * Where a header of a subsystem's or a driver's own (mm/internal.h, drivers/nvdimm/nd.h) is compiled:
 * wherever a C file of its directory (or below) that includes it is built, as far as the Makefiles say;
 * null when they say it of none. The includers outside that directory are not looked for, so this is
 * where the header is compiled at least: a configuration found within it is one that breaks.
 * mm/internal.h is included by mm/page_alloc.c, built always, so its code is compiled in every
 * configuration (SeongJae Park, "Re: [PATCH v3] mm/migrate: split source folio if it is on deferred
 * split list", linux-mm, 2024-03-19: `&pgdat->deferred_split_queue` moved there broke the build
 * without THP).
 */
function includersGuard(tree: TreeAfterSeries, kb: Kbuild, path: string): Formula | null {
  let known = includerGuards.get(tree);
  if (!known) includerGuards.set(tree, (known = new Map<string, Formula | null>()));
  const cached = known.get(path);
  if (cached !== undefined) return cached;
  const slash = path.lastIndexOf('/');
  const guards: Formula[] = [];
  if (slash > 0) {
    const name = path.slice(slash + 1);
    const includers = new Set(
      tree
        .grep(name, [`${path.slice(0, slash)}/*.c`], { fixed: true })
        .filter((h) => includeTargets(h.path, h.text).includes(path))
        .map((h) => h.path),
    );
    const seen = new Set<string>();
    for (const file of includers) {
      const g = kb.fileGuard(file);
      const key = JSON.stringify(g);
      // A few distinct conditions are enough for "at least there"; hundreds would slow every question.
      if (!g || seen.has(key) || seen.size >= MAX_INCLUDER_GUARDS) continue;
      guards.push(g);
      seen.add(key);
    }
  }
  const guard = guards.length ? or(...guards) : null;
  known.set(path, guard);
  return guard;
}
const includerGuards = new WeakMap<TreeAfterSeries, Map<string, Formula | null>>();
const MAX_INCLUDER_GUARDS = 32;

/** Files never built as kernel code. */
const NOT_KERNEL = /^(tools|scripts|Documentation|samples|usr)\//;

export default defineRule({
  meta: {
    id: 'config-only-name',
    severity: 'error',
    description:
      'Added code uses a name declared only under #ifdef CONFIG_X (the ZONE_DEVICE zone, memremap_pages, ...) where it is compiled with X off',
    scope: 'series',
    runsOn: 'zone-device',
    messages: {
      undeclared: '{{name}} is declared only with CONFIG_{{option}} ({{where}}); this line is built without it',
      isEnabled: '{{name}} is declared only with CONFIG_{{option}} ({{where}}); IS_ENABLED() does not declare it',
      memberUndeclared:
        'struct {{struct}} has {{name}} only with CONFIG_{{option}} ({{where}}); this line is built without it',
      memberIsEnabled:
        'struct {{struct}} has {{name}} only with CONFIG_{{option}} ({{where}}); IS_ENABLED() does not add it',
    },
  },
  check(ctx) {
    const kb = ctx.kbuild;
    const names = kb ? treeNames(kb) : modelNames(ctx.data, ctx.kernel.view.release);
    const members =
      kb && ctx.tree
        ? treeMembers(ctx.tree)
        : withSeriesMembers(modelMembers(ctx.data, ctx.kernel.view.release), ctx.source().steps());
    if (names.size === 0 && members.members.size === 0) return;
    const seriesMakefiles = kb ? null : makefileObjects(ctx.source().steps());
    // What Kconfig says: the tree's, else the little the model keeps (ZONE_DEVICE needs MEMORY_HOTPLUG ...).
    const kconfig = kb ? (f: Formula) => kb.constraints(f) : modelConstraints(ctx.data, ctx.kernel.view.release);
    const reported = new Set<string>();
    const asked = new Map<string, Breaking | null>();
    for (const step of ctx.source().steps()) {
      const img = step.post;
      if (!/\.(c|h)$/.test(img.path) || NOT_KERNEL.test(img.path)) continue;
      // A subsystem's or a driver's own header is compiled where the files including it are: known
      // with a tree only.
      const ownHeader = img.path.endsWith('.h') && !SHARED_HEADER.test(img.path);
      if (ownHeader && !(kb && ctx.tree)) continue;
      // Words of the added lines first: most patches name none of these, and are not parsed for it.
      const wanted = new Set<string>();
      const read = new Set<string>();
      for (let i = 0; i < img.lines.length; i++) {
        if (!img.addedHere(i)) continue;
        for (const m of img.lines[i]!.matchAll(NAME)) if (names.has(m[0])) wanted.add(m[0]);
        for (const m of img.lines[i]!.matchAll(MEMBER)) if (members.members.has(m[1]!)) read.add(m[1]!);
      }
      const wantedMembers = read.size ? membersToJudge(read, members, img) : read;
      if (wanted.size === 0 && wantedMembers.size === 0) continue;
      const fileGuard =
        kb && ctx.tree && ownHeader
          ? includersGuard(ctx.tree, kb, img.path)
          : kb
            ? kb.fileGuard(img.path)
            : seriesMakefiles && mailFileGuard(img.path, ctx.data, ctx.kernel.view.release, seriesMakefiles);
      if (fileGuard === null) continue;
      const c = ctx.syntax.c(img);
      if (!c) continue;
      // A header's own include guard is not an option (settle() puts it and __ASSEMBLY__ in).
      const includeGuard = img.path.endsWith('.h') ? includeGuardOf(img.lines) : null;
      const own = new Set(declarations(c, (n) => wanted.has(n)).map((d) => d.name));
      for (const name of wanted) {
        if (own.has(name) || reported.has(`${step.patch.key}:${img.path}:${name}`)) continue;
        const info = names.get(name);
        if (!info) continue;
        for (const { unit, node } of identifiers(c, name)) {
          const line = c.line(unit, node);
          if (
            line === null ||
            !img.addedHere(line) ||
            inPreprocCondition(node) ||
            declaresIt(node) ||
            (enclosingFunction(unit, node) !== null && shadowedAt(unit, node, name))
          )
            continue;
          const use = and(fileGuard, settle(conditionAt(c.branches, line), includeGuard));
          // Uses in one file mostly share their condition: each question is asked once.
          const key = `${name}\n${JSON.stringify(use)}`;
          let breaking = asked.get(key);
          if (breaking === undefined) asked.set(key, (breaking = breakingConfig(use, info.avail, kconfig)));
          if (!breaking) continue;
          if (kb && ctx.tree && declaredElsewhere(ctx.tree, name)) break;
          reported.add(`${step.patch.key}:${img.path}:${name}`);
          const guarded = isEnabledAround(node, breaking.option);
          const config = showConfig(breaking.config, and(use, info.avail));
          ctx.report({
            patch: step.patch,
            file: img.path,
            line: img.lineNumber(line),
            severity: info.fromModel ? 'warning' : undefined,
            messageId: guarded ? 'isEnabled' : 'undeclared',
            data: { name, option: breaking.option, where: info.where },
            detail: [
              `a configuration that breaks the build: ${config || `${breaking.option}=n`}`,
              `this line is compiled ${use.k === 'const' && use.v ? 'always' : `when ${show(use)}`}; ${name} is declared when ${show(info.avail)}`,
              guarded
                ? 'IS_ENABLED() lets the compiler drop the call, but the name must still be declared: use #ifdef, or give the header a stub'
                : 'put the use under #ifdef CONFIG_' +
                  breaking.option +
                  ', build the file only with it, or give the header a stub for the other build',
              ...(info.fromModel
                ? [
                    `without a base tree the declaration's condition is the model's (rules/model/config-names.yaml at ${ctx.kernel.view.release}), and nothing the hunk does not show (an #if above it, the file's Makefile) is known; give --tree to be sure`,
                  ]
                : []),
            ].join('; '),
          });
          break;
        }
      }
      if (wantedMembers.size === 0) continue;
      // Members the file's own structs declare: a use of such a name whose struct is unknown may be theirs.
      const ownMembers = new Set(structMembers(c).members.map((m) => m.name));
      for (const use of memberUses(c, wantedMembers, members.typedefs)) {
        const line = c.line(use.unit, use.node);
        if (line === null || !img.addedHere(line)) continue;
        const candidates = members.members.get(use.name) ?? [];
        let info: ConfigOnlyMember | undefined;
        let how = use.how;
        if (use.of && 'struct' in use.of) {
          const struct = use.of.struct;
          info = candidates.find((m) => m.struct === struct);
        } else if (use.of === null && candidates.length === 1 && !ownMembers.has(use.name)) {
          // What it is read from is unknown: only a name no other struct has says which struct it is.
          const only = candidates[0]!;
          if (only.unique ?? (ctx.tree !== null && uniqueMember(ctx.tree, use.name, only.lines))) {
            info = only;
            how = `no other struct of the kernel has a member named ${use.name}`;
          }
        }
        if (!info) continue;
        const key = `${step.patch.key}:${img.path}:${info.struct}.${use.name}`;
        if (reported.has(key)) continue;
        const useCondition = and(fileGuard, settle(conditionAt(c.branches, line), includeGuard));
        const askKey = `${info.struct}.${use.name}\n${JSON.stringify(useCondition)}`;
        let breaking = asked.get(askKey);
        if (breaking === undefined) asked.set(askKey, (breaking = breakingConfig(useCondition, info.avail, kconfig)));
        if (!breaking) continue;
        reported.add(key);
        const guarded = isEnabledAround(use.node, breaking.option);
        const config = showConfig(breaking.config, and(useCondition, info.avail));
        ctx.report({
          patch: step.patch,
          file: img.path,
          line: img.lineNumber(line),
          severity: info.fromModel ? 'warning' : undefined,
          messageId: guarded ? 'memberIsEnabled' : 'memberUndeclared',
          data: { struct: info.struct, name: use.name, option: breaking.option, where: info.where },
          detail: [
            `a configuration that breaks the build: ${config || `${breaking.option}=n`}`,
            `this line is compiled ${useCondition.k === 'const' && useCondition.v ? 'always' : `when ${show(useCondition)}`}; struct ${info.struct} has ${use.name} when ${show(info.avail)}`,
            `the member is struct ${info.struct}'s: ${how}`,
            guarded
              ? 'IS_ENABLED() lets the compiler drop the code, but the member must still exist: use #ifdef CONFIG_' +
                breaking.option
              : `put the use under #ifdef CONFIG_${breaking.option}, build the file only with it, or reach the member through a helper the header stubs`,
            ...(info.fromModel
              ? [
                  `without a base tree the member's condition is the model's (rules/model/config-names.yaml at ${ctx.kernel.view.release}), and nothing the hunk does not show (an #if above it, the file's Makefile) is known; give --tree to be sure`,
                ]
              : []),
          ].join('; '),
        });
      }
    }
  },
});

const treeCache = new WeakMap<object, Map<string, ConfigOnly>>();

/** The names the tree's ZONE_DEVICE headers declare only with one of the options (once per index). */
function treeNames(kb: Kbuild): Map<string, ConfigOnly> {
  const all = kb.conditionalNames();
  let out = treeCache.get(all);
  if (out) return out;
  out = new Map();
  for (const name of all) {
    const ds = kb.declarations(name);
    // A field or struct tag of the same spelling is another namespace: leave the name alone.
    if (ds.some((d) => d.kind === 'field' || d.kind === 'struct')) continue;
    const avail = or(...ds.map((d) => d.guard));
    if (![...positiveSymbols(archOpaque(avail))].some((s) => CONFIG_ONLY_OPTIONS.has(s))) continue;
    out.set(name, { avail, where: `${ds[0]!.path}:${ds[0]!.line}`, fromModel: false });
  }
  treeCache.set(all, out);
  return out;
}

/** What is read from the model once per release: a mail archive asks it for every series. */
function perRelease<T>(build: (data: Model, release: string) => T): (data: Model, release: string) => T {
  const cache = new WeakMap<Model, Map<string, T>>();
  return (data, release) => {
    let m = cache.get(data);
    if (!m) cache.set(data, (m = new Map<string, T>()));
    let v = m.get(release);
    if (v === undefined) m.set(release, (v = build(data, release)));
    return v;
  };
}

/** The model's names at `release` (rules/model/config-names.yaml). */
const modelNames = perRelease((data, release): Map<string, ConfigOnly> => {
  const out = new Map<string, ConfigOnly>();
  for (const c of data.configNames) {
    const guard = factAt(c.guard, release);
    if (!guard) continue;
    out.set(c.name, { avail: parseCondition(guard.value), where: `${c.header}, per the model`, fromModel: true });
  }
  return out;
});

/**
 * The members read on added lines that can be judged in this image: a name that may be its struct's
 * alone anywhere, any other only where the image names its struct (`->vma` and `->flags` are read in
 * most patches, which then need not be parsed for it).
 */
function membersToJudge(read: ReadonlySet<string>, index: MemberIndex, img: FileImage): Set<string> {
  const text = `${img.text()}\n${img.segments.map((s) => s.hunk?.header ?? '').join('\n')}`;
  const out = new Set<string>();
  for (const name of read) {
    const candidates = index.members.get(name) ?? [];
    if (
      candidates.some(
        (m) => (m.unique ?? name.includes('_')) || structHints(m.struct, index.typedefs).some((h) => text.includes(h)),
      )
    )
      out.add(name);
  }
  return out;
}

type HeaderMembers = ReturnType<typeof headerMembers>;
const memberCache = new WeakMap<object, { headers: Map<string, HeaderMembers>; index: MemberIndex | null }>();

/**
 * The members the tree's ZONE_DEVICE headers declare only with one of the options, as the series
 * leaves them: the base's headers are parsed once per run, a header the series changes once per series.
 */
function treeMembers(tree: TreeAfterSeries): MemberIndex {
  let cache = memberCache.get(tree.base);
  if (!cache) memberCache.set(tree.base, (cache = { headers: new Map(), index: null }));
  const changed = ZONE_DEVICE_API_HEADERS.some((h) => tree.changes(h));
  if (!changed && cache.index) return cache.index;
  const perHeader = ZONE_DEVICE_API_HEADERS.map((h) => {
    if (tree.changes(h)) {
      const text = tree.readSync(h);
      return text === null ? null : headerMembers(h, text);
    }
    let got = cache.headers.get(h);
    if (got === undefined) {
      // A header the series leaves alone is the base's: parsed once per base commit (the tree's
      // persistent index; the hook runs once per patch), kept as JSON (its typedefs as pairs).
      const build = () => {
        const text = tree.readSync(h);
        const m = text === null ? { members: [], typedefs: new Map<string, string>() } : headerMembers(h, text);
        return { members: m.members, typedefs: [...m.typedefs] };
      };
      // Another commit's members of the header hold when the header did not change since.
      const update = (previous: ReturnType<typeof build>, changed: readonly string[]) =>
        changed.includes(h) ? build() : previous;
      const stored = tree.base.index ? tree.base.index(`config-members/1/${h}`, build, update) : build();
      got = { members: stored.members, typedefs: new Map(stored.typedefs) };
      cache.headers.set(h, got);
    }
    return got;
  });
  const byMember = new Map<string, GuardedMember[]>();
  const typedefs = new Map(KNOWN_TYPEDEFS);
  for (const h of perHeader) {
    if (!h) continue;
    for (const m of h.members) {
      const key = `${m.aggregate}.${m.name}`;
      byMember.set(key, [...(byMember.get(key) ?? []), m]);
    }
    for (const [alias, struct] of h.typedefs) typedefs.set(alias, struct);
  }
  const members = new Map<string, ConfigOnlyMember[]>();
  for (const ds of byMember.values()) {
    const avail = or(...ds.map((d) => d.guard));
    if (![...positiveSymbols(archOpaque(avail))].some((s) => CONFIG_ONLY_OPTIONS.has(s))) continue;
    const first = ds[0]!;
    const info: ConfigOnlyMember = {
      struct: first.aggregate,
      avail,
      where: `${first.path}:${first.line + 1}`,
      fromModel: false,
      lines: ds.map((d) => ({ path: d.path, line: d.line + 1 })),
      unique: null,
    };
    members.set(first.name, [...(members.get(first.name) ?? []), info]);
  }
  const index = { members, typedefs };
  if (!changed) cache.index = index;
  return index;
}

/** The model's config-only members at `release` (rules/model/config-names.yaml). */
const modelMembers = perRelease((data, release): MemberIndex => {
  const members = new Map<string, ConfigOnlyMember[]>();
  for (const c of data.configFields) {
    const guard = factAt(c.guard, release);
    if (!guard) continue;
    const info: ConfigOnlyMember = {
      struct: c.struct,
      avail: parseCondition(guard.value),
      where: `${c.header}, per the model`,
      fromModel: true,
      lines: [],
      unique: factAt(c.unique, release)?.value ?? false,
    };
    members.set(c.name, [...(members.get(c.name) ?? []), info]);
  }
  return { members, typedefs: KNOWN_TYPEDEFS };
});

/**
 * Mail alone, the model's members and those the series itself adds to a struct of a ZONE_DEVICE API
 * header inside an `#if` arm its hunk opens, the struct named by the hunk (a line of it, or the `@@`
 * line's context, which git fills with the struct's head). `memory_block->nr_hwpoison` was added so,
 * under `#ifdef CONFIG_MEMORY_FAILURE`, and read in drivers/base/memory.c by the same patch (kernel
 * test robot, 2022-09-23, Message-ID <202209231134.tnhKHRfg-lkp@intel.com>).
 */
function withSeriesMembers(model: MemberIndex, steps: Iterable<FileStep>): MemberIndex {
  // Per struct and member: every arm the series declares it in (an #ifdef arm and its #else).
  const added = new Map<string, { name: string; struct: string; guards: Formula[]; path: string; line: number }>();
  for (const step of steps) {
    if (!ZONE_DEVICE_API_HEADERS.includes(step.post.path)) continue;
    for (const hunk of step.diff.hunks) {
      if (!hunk.lines.some((l) => l.kind === 'add' && /^\s*#\s*if/.test(l.text))) continue;
      for (const m of hunkMembers(step.post.path, hunk)) {
        const key = `${m.aggregate}.${m.name}`;
        const known = added.get(key);
        if (known) known.guards.push(m.guard);
        else
          added.set(key, { name: m.name, struct: m.aggregate, guards: [m.guard], path: step.post.path, line: m.line });
      }
    }
  }
  let members: Map<string, ConfigOnlyMember[]> | null = null;
  for (const a of added.values()) {
    const avail = or(...a.guards);
    if (avail.k === 'const') continue;
    if (![...positiveSymbols(archOpaque(avail))].some((o) => CONFIG_ONLY_OPTIONS.has(o))) continue;
    members ??= new Map(model.members);
    const info: ConfigOnlyMember = {
      struct: a.struct,
      avail,
      where: `${a.path}:${a.line}, added by the series`,
      fromModel: true,
      lines: [{ path: a.path, line: a.line }],
      // a new name's other uses in the tree are unknown: only a read whose struct the code shows counts
      unique: false,
    };
    members.set(a.name, [...(members.get(a.name) ?? []), info]);
  }
  return members ? { members, typedefs: model.typedefs } : model;
}

/**
 * The members a hunk adds inside a struct, with the `#if` arms the hunk shows around them; none when a
 * directive closes or continues a group the hunk does not open before them (the arm is not all in view).
 */
function hunkMembers(path: string, hunk: Hunk): { name: string; aggregate: string; guard: Formula; line: number }[] {
  const shown = hunk.lines.filter((l) => l.kind !== 'del');
  const context = hunk.header.replace(/^@@[^@]*@@ ?/, '');
  // git's function context of a hunk inside a struct is the struct's head.
  const head = /^(?:typedef\s+)?struct\s+\w+\s*\{/.test(context) ? [context] : [];
  const lines = [...head, ...shown.map((l) => l.text)];
  const out: { name: string; aggregate: string; guard: Formula; line: number }[] = [];
  const found = headerMembers(path, lines.join('\n'));
  for (const m of found.members) {
    const k = m.line - head.length;
    const l = shown[k];
    if (!l || l.kind !== 'add' || l.newLine === null || !balancedBefore(lines, m.line)) continue;
    out.push({ name: m.name, aggregate: m.aggregate, guard: m.guard, line: l.newLine });
  }
  return out;
}

/** Whether every `#else`, `#elif` and `#endif` before line `at` belongs to an `#if` before it. */
function balancedBefore(lines: readonly string[], at: number): boolean {
  let depth = 0;
  for (let i = 0; i < at; i++) {
    const d = /^\s*#\s*(if|ifdef|ifndef|elif|else|endif)\b/.exec(lines[i]!)?.[1];
    if (d === undefined) continue;
    if (d.startsWith('if')) depth++;
    else if (depth === 0) return false;
    else if (d === 'endif') depth--;
  }
  return true;
}

/**
 * Whether kernel code names `member` nowhere but in its struct's declaration and in member reads
 * (`->member`, `.member`): then no other struct, variable or macro has that name. A name without an
 * underscore (`vma`, `start`) is taken as shared without asking: such words are everywhere.
 */
function uniqueMember(tree: TreeAfterSeries, member: string, own: readonly { path: string; line: number }[]): boolean {
  if (!member.includes('_')) return false;
  const word = new RegExp(`(?<![\\w$])(?<!->\\s*)(?<!\\.\\s*)${member}(?![\\w$])`);
  for (const h of tree.grep(member, ['*.c', '*.h'], { fixed: true })) {
    if (notKernelCode(h.path) || own.some((o) => o.path === h.path && o.line === h.line)) continue;
    // Comments name it without declaring anything (mmzone.h: "manipulate node_size_lock without ...").
    const code = /^\s*\*/.test(h.text) ? '' : (codeLines([h.text])[0] ?? '');
    if (word.test(code)) return false;
  }
  return true;
}

/** The model's Kconfig implications at `release`, as constraints (`X => what X implies`) for every question. */
const modelConstraints = perRelease((data, release): (() => Formula[]) => {
  const out: Formula[] = [];
  for (const d of data.configDepends) {
    const implies = factAt(d.implies, release);
    if (implies) out.push(or(not(sym(d.symbol)), parseCondition(implies.value)));
  }
  return () => out;
});

/** `obj-$(CONFIG_X) += foo.o` lines the series adds: path of the object's source -> its option. */
function makefileObjects(steps: readonly FileStep[]): Map<string, Formula> {
  const out = new Map<string, Formula>();
  for (const step of steps) {
    const img = step.post;
    if (!/(^|\/)(Makefile|Kbuild)$/.test(img.path)) continue;
    const dir = img.path.replace(/\/?[^/]*$/, '');
    for (let i = 0; i < img.lines.length; i++) {
      if (!img.addedHere(i)) continue;
      const m = /^obj-(?:\$\(CONFIG_(\w+)\)|y)\s*[+:]?=\s*(.*)$/.exec(img.lines[i]!.trim());
      if (!m) continue;
      for (const o of m[2]!.split(/\s+/).filter((w) => w.endsWith('.o')))
        out.set(`${dir ? `${dir}/` : ''}${o.slice(0, -2)}.c`, m[1] ? sym(m[1]) : TRUE);
    }
  }
  return out;
}

/** Without a tree: the series' own Makefile lines, else the model's; headers and other files are not judged. */
function mailFileGuard(
  path: string,
  data: Model,
  release: string,
  series: ReadonlyMap<string, Formula>,
): Formula | null {
  const own = series.get(path);
  if (own) return own;
  const known = data.configFiles.find((f) => f.path === path);
  const fact = known ? factAt(known.built, release) : null;
  return fact ? parseCondition(fact.value) : null;
}

const elsewhere = new WeakMap<object, Map<string, boolean>>();

/**
 * Whether a header outside the ZONE_DEVICE API headers names `name` (an architecture's own
 * definition, another subsystem's): then the headers read do not tell the whole story. One grep
 * per name and base tree, only for names a finding is about to be made of.
 */
function declaredElsewhere(tree: TreeAfterSeries, name: string): boolean {
  const key = tree.base;
  let m = elsewhere.get(key);
  if (!m) elsewhere.set(key, (m = new Map<string, boolean>()));
  let v = m.get(name);
  if (v === undefined) {
    const word = new RegExp(`\\b${name}\\b`);
    const hits = tree.grep(name, ['include/', 'arch/*/include/'], { fixed: true });
    // Comments name it without declaring it (gfp.h: "ZONE_DEVICE is not a valid GFP zone specifier").
    const code = (t: string) => (/^\s*\*/.test(t) ? '' : t.replace(/\/\*.*?(\*\/|$)/g, ' ').replace(/\/\/.*$/, ''));
    v = hits.some((h) => h.path.endsWith('.h') && !ZONE_DEVICE_API_HEADERS.includes(h.path) && word.test(code(h.text)));
    m.set(name, v);
  }
  return v;
}

/**
 * Whether the identifier is the name a declaration declares (a local, a parameter). A fragment that
 * starts at a body's `{` has no function around it for shadowedAt to read; such a declaration is
 * still seen here.
 */
function declaresIt(node: SyntaxNode): boolean {
  let p = node.parent;
  let child = node;
  while (
    p &&
    /^(pointer|array|parenthesized|init)_declarator$/.test(p.type) &&
    p.childForFieldName('declarator')?.id === child.id
  ) {
    child = p;
    p = p.parent;
  }
  return p !== null && child.id !== node.id
    ? true
    : p !== null &&
        /^(declaration|parameter_declaration|field_declaration)$/.test(p.type) &&
        p.childForFieldName('declarator')?.id === child.id;
}

const CONFIG_TEST = /\bIS_(?:ENABLED|BUILTIN|REACHABLE)\s*\(\s*CONFIG_(\w+)\s*\)/g;

/** Whether an enclosing `if`, `?:` or `&&` tests IS_ENABLED(CONFIG_<option>) before the use. */
function isEnabledAround(node: SyntaxNode, option: string): boolean {
  const tests = (n: SyntaxNode | null) => n !== null && [...n.text.matchAll(CONFIG_TEST)].some((m) => m[1] === option);
  let child = node;
  for (let p = node.parent; p && p.type !== 'function_definition'; child = p, p = p.parent) {
    if (
      (p.type === 'if_statement' || p.type === 'conditional_expression') &&
      p.childForFieldName('condition')?.id !== child.id &&
      tests(p.childForFieldName('condition'))
    )
      return true;
    if (
      p.type === 'binary_expression' &&
      p.childForFieldName('operator')?.type === '&&' &&
      p.childForFieldName('right')?.id === child.id &&
      tests(p.childForFieldName('left'))
    )
      return true;
  }
  return false;
}
