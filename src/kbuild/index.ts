// The build configuration of a kernel tree, read on demand: under which options a name is declared
// (the #if guards of the headers that declare it), under which options a file is built (its
// Makefiles), and what each option depends on or selects (Kconfig). Rules ask it "is this use
// compiled in a configuration where its declaration is not?" (src/syntax/condition.ts answers).
//
// It reads through whatever tree it is given — for a rule, the tree as the series leaves it — and
// keeps what it parsed of the base tree for the whole run: a header or Makefile the series does
// not touch is read and parsed once, however many series ask.
import { and, FALSE, not, or, parseKconfigExpr, sym, symbols, TRUE, type Formula } from '../syntax/condition.js';
import { declarations, parseCImage, type DeclarationKind } from '../syntax/index.js';
import { parseKconfig } from '../syntax/kconfig.js';
import { branchCondition, preprocBranches } from '../syntax/preproc.js';
import { wholeText } from '../syntax/text.js';
import { objectCondition, parseMakefile, type MakefileGuards } from './makefile.js';
import type { TreeIndex } from '../tree/types.js';

/** What the index reads of a tree: src/tree's KernelTree and the tree after a series have it. */
export interface KbuildTree {
  readSync(path: string): string | null;
  grep(
    pattern: string | readonly string[],
    pathspecs: readonly string[],
    options?: { fixed?: boolean },
  ): { path: string; line: number; text: string }[];
  /** The tree the series applies to, when this is the tree after a series: what it does not change is cached there. */
  readonly base?: KbuildTree;
  /** Whether the series changes `path` (a tree after a series); absent: nothing is changed. */
  changes?(path: string): boolean;
  /** Every path the series changes. */
  readonly changed?: readonly string[];
  /** The tree's persistent index (src/tree/cache.ts): what is built from it once per commit. */
  index?: TreeIndex;
}

export interface GuardedDeclaration {
  name: string;
  kind: DeclarationKind;
  path: string;
  /** 1-based. */
  line: number;
  /** A field's struct or union. */
  aggregate: string | null;
  /** When it is compiled: the conditions of the #if groups around it, include guards left out. */
  guard: Formula;
}

export interface KconfigSymbol {
  name: string;
  path: string;
  /** Its `depends on` lines and enclosing `if` blocks, and-ed. */
  dependsOn: Formula;
  /** What it selects, each under its `if`. */
  selects: readonly { symbol: string; condition: Formula }[];
  /** Whether some definition has a prompt (a user may set it); without one, its defaults decide. */
  prompted: boolean;
  /** When a default makes it y (its `default`/`def_bool` values under their `if`s, or-ed). */
  defaultOn: Formula;
}

export interface Kbuild {
  /** The headers read for declarations. */
  readonly headers: readonly string[];
  /** Declarations of `name` in those headers. */
  declarations(name: string): readonly GuardedDeclaration[];
  /** Every name the headers declare under some condition (not unconditionally everywhere). */
  conditionalNames(): ReadonlySet<string>;
  /** When the file at `path` is built (its Makefiles); TRUE for headers; null when no Makefile says. */
  fileGuard(path: string): Formula | null;
  /** The Kconfig entry of a symbol; null when the tree defines none. */
  kconfig(symbol: string): KconfigSymbol | null;
  /** What Kconfig says of the symbols of `f`, as implications (`X => its depends on`, `X => what it selects`). */
  constraints(f: Formula): Formula[];
}

/** Macros whose value a kernel build fixes: C code is never assembled, never the bounds generator. */
const KNOWN_MACROS: ReadonlyMap<string, boolean> = new Map([
  ['__ASSEMBLY__', false],
  ['__ASSEMBLER__', false],
  ['__KERNEL__', true],
  ['__GENERATING_BOUNDS_H', false],
  ['BUILD_VDSO', false],
  ['BUILD_VDSO32', false],
  ['BUILD_VDSO32_64', false],
  ['__DISABLE_EXPORTS', false],
]);

/** An #if condition with what a kernel build fixes put in: include guards and the macros above. */
export function settle(f: Formula, includeGuard: string | null): Formula {
  switch (f.k) {
    case 'opaque': {
      const m = /^defined\((\w+)\)$/.exec(f.text) ?? /^(\w+)$/.exec(f.text);
      if (!m) return f;
      // The include guard is never defined while its own file is read for the first time.
      if (m[1] === includeGuard) return FALSE;
      const known = KNOWN_MACROS.get(m[1]!);
      return known === undefined ? f : known ? TRUE : FALSE;
    }
    case 'not':
      return not(settle(f.a, includeGuard));
    case 'and':
      return and(...f.a.map((x) => settle(x, includeGuard)));
    case 'or':
      return or(...f.a.map((x) => settle(x, includeGuard)));
    default:
      return f;
  }
}

/** `#ifndef X` then `#define X` as the first two directives: the include guard X. */
export function includeGuardOf(lines: readonly string[]): string | null {
  const directives = lines.filter((l) => /^\s*#/.test(l)).slice(0, 2);
  const a = /^\s*#\s*ifndef\s+(\w+)/.exec(directives[0] ?? '');
  const b = /^\s*#\s*define\s+(\w+)/.exec(directives[1] ?? '');
  return a && b && a[1] === b[1] ? a[1]! : null;
}

/** Every declaration a header's text makes, with its guard. */
export function headerDeclarations(path: string, text: string): GuardedDeclaration[] {
  const image = wholeText(path, text);
  const file = parseCImage(image);
  const guard = includeGuardOf(image.lines);
  const branches = preprocBranches(image);
  return declarations(file).map((d) => {
    const line = file.lineClamped(d.unit, d.node);
    return {
      name: d.name,
      kind: d.kind,
      path,
      line: line + 1,
      aggregate: d.aggregate,
      guard: settle(and(...branches.at(line).map(branchCondition)), guard),
    };
  });
}

/** The configuration symbol of an architecture's directory, for files under arch/<arch>/. */
const ARCH_SYMBOL: Readonly<Record<string, string>> = {
  x86: 'X86',
  arm64: 'ARM64',
  arm: 'ARM',
  powerpc: 'PPC',
  riscv: 'RISCV',
  loongarch: 'LOONGARCH',
  s390: 'S390',
  sh: 'SUPERH',
  ia64: 'IA64',
  mips: 'MIPS',
  sparc: 'SPARC',
  parisc: 'PARISC',
  alpha: 'ALPHA',
  m68k: 'M68K',
  csky: 'CSKY',
  openrisc: 'OPENRISC',
  xtensa: 'XTENSA',
  arc: 'ARC',
  hexagon: 'HEXAGON',
  microblaze: 'MICROBLAZE',
  nios2: 'NIOS2',
  um: 'UML',
  h8300: 'H8300',
};

/** What the index keeps of a base tree for the run: parsed headers, Makefiles, Kconfig entries. */
interface Cache {
  headers: Map<string, GuardedDeclaration[]>;
  makefiles: Map<string, MakefileGuards | null>;
  kconfigFiles: Map<string, Map<string, KconfigSymbol>>;
  /** Symbol -> the Kconfig files defining it (one grep of the whole tree, on first need). */
  kconfigWhere: Map<string, string[]> | null;
  /** Symbols something selects (one grep of the whole tree, on first need). */
  selected: Set<string> | null;
  /** The declarations of a header list by name, kept for every series that changes none of those headers. */
  byName: {
    headers: readonly string[];
    map: Map<string, GuardedDeclaration[]>;
    conditional: Set<string> | null;
  } | null;
}

const caches = new WeakMap<object, Cache>();

function cacheOf(tree: object): Cache {
  let c = caches.get(tree);
  if (!c)
    caches.set(
      tree,
      (c = {
        headers: new Map(),
        makefiles: new Map(),
        kconfigFiles: new Map(),
        kconfigWhere: null,
        selected: null,
        byName: null,
      }),
    );
  return c;
}

/**
 * The build configuration of `tree`, with declarations read from `headers` (paths in the tree). A
 * tree after a series (with `base` and `changes`) reads what the series changes from itself and
 * takes everything else from the run's cache of the base.
 */
export function createKbuild(tree: KbuildTree, headers: readonly string[]): Kbuild {
  const base = tree.base ?? tree;
  const baseCache = cacheOf(base);
  const own = cacheOf({});
  const cacheFor = (path: string): Cache => (tree.changes?.(path) ? own : baseCache);

  const readHeader = (path: string): GuardedDeclaration[] => {
    const cache = cacheFor(path);
    let d = cache.headers.get(path);
    if (!d) {
      const build = (): GuardedDeclaration[] => {
        const text = tree.readSync(path);
        return text === null ? [] : headerDeclarations(path, text);
      };
      // A header the series leaves alone is the base's: parsed once per base commit, not per run
      // (the hook runs once per patch, and the API headers are some 350 KB of C).
      // Another commit's declarations of the header hold when the header did not change since.
      const update = (previous: GuardedDeclaration[], changed: readonly string[]) =>
        changed.includes(path) ? build() : previous;
      d = cache === baseCache && base.index ? base.index(`kbuild-header/1/${path}`, build, update) : build();
      cache.headers.set(path, d);
    }
    return d;
  };
  // A series that changes none of the headers shares the base's index: built once per run.
  const shared = headers.some((h) => tree.changes?.(h)) ? null : baseCache;
  let byName: {
    headers: readonly string[];
    map: Map<string, GuardedDeclaration[]>;
    conditional: Set<string> | null;
  } | null = null;
  const indexed = () => {
    if (byName) return byName;
    if (shared?.byName?.headers === headers) return (byName = shared.byName);
    const map = new Map<string, GuardedDeclaration[]>();
    for (const h of headers) for (const d of readHeader(h)) map.set(d.name, [...(map.get(d.name) ?? []), d]);
    byName = { headers, map, conditional: null };
    if (shared) shared.byName = byName;
    return byName;
  };
  const index = (): Map<string, GuardedDeclaration[]> => indexed().map;

  const makefile = (dir: string): MakefileGuards | null => {
    const path = `${dir}/Makefile`;
    const kbuild = `${dir}/Kbuild`;
    const cache = tree.changes?.(path) || tree.changes?.(kbuild) ? own : baseCache;
    const known = cache.makefiles.get(dir);
    if (known !== undefined) return known;
    const texts = [tree.readSync(kbuild), tree.readSync(path)].filter((t): t is string => t !== null);
    const guards = texts.length ? parseMakefile(texts.join('\n')) : null;
    cache.makefiles.set(dir, guards);
    return guards;
  };
  const dirGuard = (dir: string, depth = 0): Formula | null => {
    const parts = dir.split('/');
    if (parts.length === 1) return parts[0] === 'arch' ? null : TRUE;
    if (parts[0] === 'arch' && parts.length === 2)
      return ARCH_SYMBOL[parts[1]!] ? sym(ARCH_SYMBOL[parts[1]!]!) : { k: 'opaque', text: `ARCH=${parts[1]}` };
    if (depth > 8) return null;
    const parent = parts.slice(0, -1).join('/');
    const own = makefile(parent);
    const here = own ? own.objects.get(`${parts[parts.length - 1]}/`) : undefined;
    const above = dirGuard(parent, depth + 1);
    if (above === null) return null;
    // A directory the parent does not name is reached some other way (arch Makefiles, core-y):
    // unknown, unless the parent is a top-level directory that builds everything it holds.
    if (here === undefined) return parts.length === 2 && parts[0] !== 'arch' ? above : null;
    return and(above, here);
  };

  const kconfigFile = (path: string): Map<string, KconfigSymbol> => {
    const cache = cacheFor(path);
    let m = cache.kconfigFiles.get(path);
    if (!m) {
      m = new Map();
      const text = tree.readSync(path);
      if (text !== null) {
        for (const e of parseKconfig(wholeText(path, text)).entries) {
          if ((e.kind !== 'config' && e.kind !== 'menuconfig') || e.name === null) continue;
          const dependsOn = and(...e.depends.map((d) => parseKconfigExpr(d.expr)), ...e.ifs.map(parseKconfigExpr));
          const selects = e.selects.map((s) => ({
            symbol: s.symbol,
            condition: s.condition ? parseKconfigExpr(s.condition) : TRUE,
          }));
          const prompted = e.prompt !== null;
          const defaultOn = or(
            ...e.defaults.map((d) =>
              and(parseKconfigExpr(d.value), d.condition ? parseKconfigExpr(d.condition) : TRUE),
            ),
          );
          const was = m.get(e.name);
          // A symbol defined twice (per architecture, or a menu and its repeat): either definition may hold.
          m.set(
            e.name,
            was
              ? {
                  ...was,
                  dependsOn: or(was.dependsOn, dependsOn),
                  selects: [...was.selects, ...selects],
                  prompted: was.prompted || prompted,
                  defaultOn: or(was.defaultOn, defaultOn),
                }
              : { name: e.name, path, dependsOn, selects, prompted, defaultOn },
          );
        }
      }
      cache.kconfigFiles.set(path, m);
    }
    return m;
  };
  /** Where each symbol is defined: the base's, from one grep, with the files the series changes read again. */
  let where: Map<string, string[]> | null = null;
  const definedIn = (): Map<string, string[]> => {
    if (where) return where;
    if (!baseCache.kconfigWhere) {
      const m = new Map<string, string[]>();
      for (const h of base.grep(['^[[:space:]]*(menu)?config[[:space:]]+[A-Za-z0-9_]+[[:space:]]*$'], ['*Kconfig*'])) {
        const name = /(?:menu)?config\s+(\w+)/.exec(h.text)?.[1];
        if (name) m.set(name, [...(m.get(name) ?? []), h.path]);
      }
      baseCache.kconfigWhere = m;
    }
    const changed = (tree.changed ?? []).filter((p) => /(^|\/)Kconfig[^/]*$/.test(p));
    if (!changed.length) return (where = baseCache.kconfigWhere);
    where = new Map([...baseCache.kconfigWhere].map(([k, v]) => [k, v.filter((p) => !changed.includes(p))]));
    for (const path of changed) {
      for (const line of (tree.readSync(path) ?? '').split('\n')) {
        const name = /^\s*(?:menu)?config\s+(\w+)\s*$/.exec(line)?.[1];
        if (name) where.set(name, [...(where.get(name) ?? []), path]);
      }
    }
    return where;
  };
  const kconfig = (symbol: string): KconfigSymbol | null => {
    const found = [...new Set(definedIn().get(symbol) ?? [])]
      .map((p) => kconfigFile(p).get(symbol))
      .filter((k): k is KconfigSymbol => k !== undefined);
    if (!found.length) return null;
    return found.reduce((a, b) => ({
      ...a,
      dependsOn: or(a.dependsOn, b.dependsOn),
      selects: [...a.selects, ...b.selects],
      prompted: a.prompted || b.prompted,
      defaultOn: or(a.defaultOn, b.defaultOn),
    }));
  };
  /** Whether any Kconfig entry selects `symbol` (the base's, from one grep, and the files the series changes). */
  let selectedHere: Set<string> | null = null;
  const isSelected = (symbol: string): boolean => {
    if (!selectedHere) {
      if (!baseCache.selected) {
        baseCache.selected = new Set(
          base
            .grep(['^[[:space:]]*select[[:space:]]+[A-Za-z0-9_]+'], ['*Kconfig*'])
            .map((h) => /select\s+(\w+)/.exec(h.text)?.[1])
            .filter((n): n is string => n !== undefined),
        );
      }
      selectedHere = new Set(baseCache.selected);
      for (const path of (tree.changed ?? []).filter((p) => /(^|\/)Kconfig[^/]*$/.test(p))) {
        for (const line of (tree.readSync(path) ?? '').split('\n')) {
          const name = /^\s*select\s+(\w+)/.exec(line)?.[1];
          if (name) selectedHere.add(name);
        }
      }
    }
    return selectedHere.has(symbol);
  };

  return {
    headers,
    declarations: (name) => index().get(name) ?? [],
    conditionalNames: () =>
      (indexed().conditional ??= new Set(
        [...index()].filter(([, ds]) => !ds.some((d) => d.guard.k === 'const' && d.guard.v)).map(([n]) => n),
      )),
    fileGuard(path) {
      if (path.endsWith('.h')) return TRUE;
      const slash = path.lastIndexOf('/');
      if (slash < 0) return null;
      const dir = path.slice(0, slash);
      const object = `${path.slice(slash + 1).replace(/\.[cS]$/, '')}.o`;
      const mk = makefile(dir);
      const built = mk ? objectCondition(mk, object) : null;
      const above = dirGuard(dir);
      return built === null || above === null ? null : and(above, built);
    },
    kconfig,
    constraints(f) {
      const out: Formula[] = [];
      const seen = new Set<string>();
      // Depends-on chains first, selects after: a driver's option reaches the options its code needs
      // through `depends on` (DRM_NOUVEAU_SVM -> DEVICE_PRIVATE -> ZONE_DEVICE -> MEMORY_HOTREMOVE ->
      // MIGRATION), while a driver selects a dozen helpers that say nothing about them. A symbol is
      // taken from the front of the queue; what it depends on goes to the front, what it selects to
      // the back, each with its depth.
      const queue: { s: string; depth: number }[] = [...symbols(f)].map((s) => ({ s, depth: 0 }));
      while (seen.size < 96) {
        const next = queue.shift();
        if (!next) break;
        const { s, depth } = next;
        if (seen.has(s) || depth > 8) continue;
        seen.add(s);
        const k = kconfig(s);
        if (!k) continue;
        const me = sym(s);
        const front: string[] = [];
        if (!(k.dependsOn.k === 'const' && k.dependsOn.v)) {
          out.push(or(not(me), k.dependsOn));
          front.push(...symbols(k.dependsOn));
        }
        // No prompt and nothing selects it: its defaults alone set it (`def_bool MIGRATION && ZONE_DEVICE`).
        if (!k.prompted && !isSelected(s)) {
          out.push(or(not(me), k.defaultOn));
          front.push(...symbols(k.defaultOn));
        }
        for (const sel of k.selects) {
          out.push(or(not(and(me, sel.condition)), sym(sel.symbol)));
          queue.push({ s: sel.symbol, depth: depth + 1 });
        }
        queue.unshift(...front.filter((x) => !seen.has(x)).map((x) => ({ s: x, depth: depth + 1 })));
      }
      return out;
    },
  };
}
