// Added code in a C file uses what only a ZONE_DEVICE API header declares (a function, an enumerator,
// a member of its struct), and the file reaches that header through none of its #includes. Some
// configuration used to bring the header in through another one, or never did: the kernel test robot
// then reports "implicit declaration" or "invalid use of undefined type 'struct dev_pagemap'".
import { defineRule, type TreeAfterSeries } from '../../src/engine/rule.js';
import { ZONE_DEVICE_API_HEADERS } from '../../src/kbuild/headers.js';
import type { FileStep } from '../../src/source/types.js';
import { includesOnDemand, includeTargets, reaches } from '../lib/includes.js';
import { firstUse, providedNames, type Provided } from '../lib/provided.js';
import { notKernelCode } from '../lib/steps.js';

/**
 * The headers judged: those whose declarations files include on purpose. mm.h and mmzone.h are not:
 * nearly every file reaches them, and what reaches them is decided far from the file.
 */
const HEADERS = [
  'include/linux/memremap.h',
  'include/linux/hmm.h',
  'include/linux/migrate.h',
  'include/linux/pci-p2pdma.h',
  'include/linux/pfn_t.h',
  'include/linux/dax.h',
  'include/linux/memory_hotplug.h',
  'include/linux/memory.h',
];

/** Headers the build generates: not in a source tree, and none brings a ZONE_DEVICE declaration. */
const GENERATED = /^include\/(generated\/|linux\/(version|compile|utsrelease)\.h$)/;

export default defineRule({
  meta: {
    id: 'missing-include',
    severity: 'error',
    description:
      'Added code uses what only a ZONE_DEVICE API header declares in a file that includes neither it nor a header that does',
    scope: 'series',
    runsOn: 'zone-device',
    // {{name}}: `devm_memremap_pages()`, `MEMORY_DEVICE_GENERIC`, `struct dev_pagemap's range`; {{header}}: `linux/memremap.h`.
    messages: {
      notIncluded:
        '{{name}} is declared in <{{header}}>, which {{file}} does not include, directly or through its headers',
    },
  },
  check(ctx) {
    // The include graph is the tree's: from mail alone nothing is known of what a file reaches.
    const tree = ctx.source().tree ? ctx.tree : null;
    if (!tree) return;
    const provided = providedByHeader(tree);
    const reported = new Set<string>();
    for (const step of ctx.source().steps()) {
      const post = step.post;
      if (!judged(step)) continue;
      // The words of the added lines first: most files name nothing these headers alone declare, and
      // are not read further.
      const words = new Set<string>();
      post.lines.forEach((l, i) => {
        if (post.addedHere(i)) for (const [w] of l.matchAll(WORD)) words.add(w);
      });
      for (const [header, what] of provided) {
        const key = `${post.path}\0${header}`;
        if (reported.has(key) || !names(what).some((n) => words.has(n))) continue;
        const use = firstUse(post.lines, what, (i) => post.addedHere(i));
        if (!use) continue;
        const own = post.lines.flatMap((l) => includeTargets(post.path, l));
        if (own.includes(header)) continue;
        // An include the tree does not have (a generated header aside) may bring anything.
        if (
          own.some(
            (p) => !GENERATED.test(p) && !p.startsWith('include/asm-generic/') && !tree.exists(p) && !asmTwin(tree, p),
          )
        )
          continue;
        if (reaches(includesOnDemand(tree), own, header, new Set())) continue;
        reported.add(key);
        const name = header.replace(/^include\//, '');
        ctx.report({
          patch: step.patch,
          file: post.path,
          line: post.lineNumber(use.line),
          messageId: 'notIncluded',
          data: { name: use.name, header: name, file: post.path },
          detail: `${post.path} includes ${own.length ? own.map((p) => p.replace(/^include\//, '')).join(', ') : 'nothing'}; none of them reaches <${name}> in the tree's #include graph (every #include followed, #if arms ignored, <asm/...> as x86 and asm-generic have it), so no configuration declares ${use.name} here. Add \`#include <${name}>\` to the file.`,
        });
      }
    }
  },
});

/**
 * A C file the series adds lines to, outside tools and scripts. Architectures other than x86 are left
 * out: the include graph reads `<asm/...>` as x86's, and another architecture's own asm headers may be
 * what brings the declarations there.
 */
function judged(step: FileStep): boolean {
  const path = step.post.path;
  if (!path.endsWith('.c') || step.diff.status === 'deleted' || notKernelCode(path)) return false;
  if (/^arch\//.test(path) && !path.startsWith('arch/x86/')) return false;
  return step.post.lines.some((_, i) => step.post.addedHere(i));
}

/** `<asm/x.h>` resolves to x86's and asm-generic's: one of the two existing is enough. */
function asmTwin(tree: TreeAfterSeries, path: string): boolean {
  const m = /^arch\/x86\/include\/asm\/(.+)$/.exec(path);
  return m !== null && tree.exists(`include/asm-generic/${m[1]!}`);
}

const WORD = /[A-Za-z_]\w*/g;

/** The names and member names a header provides (for the word test). */
function names(p: Provided): string[] {
  let out = nameLists.get(p);
  if (!out) nameLists.set(p, (out = [...p.names, ...[...p.fields.values()].flatMap((f) => [...f])]));
  return out;
}
const nameLists = new WeakMap<Provided, string[]>();

const providedCache = new WeakMap<object, Map<string, Provided>>();

/**
 * What each judged header alone declares, in the tree as the series leaves it: read once per base tree
 * for the series that change none of the API headers (each read parses the sixteen of them), once per
 * series for the others.
 */
function providedByHeader(tree: TreeAfterSeries): Map<string, Provided> {
  const key = ZONE_DEVICE_API_HEADERS.some((h) => tree.changes(h)) ? tree : tree.base;
  let m = providedCache.get(key);
  if (!m) {
    m = new Map();
    for (const h of HEADERS) {
      if (!tree.exists(h)) continue;
      const p = providedNames(tree, h, null);
      if (p.names.size || p.fields.size) m.set(h, p);
    }
    providedCache.set(key, m);
  }
  return m;
}
