import { defineRule, type Report } from '../../src/engine/rule.js';
import { claimsOf, memoryTypeDocs, type PropertyClaims } from '../../src/model/claims.js';
import { typeByName, valueAt } from '../../src/model/query.js';
import type { Fact, MemoryType, Model } from '../../src/model/types.js';

interface Known {
  cpuAddressable: boolean | null;
  cacheCoherent: boolean | null;
  /** Where the properties come from, for the message. */
  from: string;
}

export default defineRule({
  meta: {
    id: 'kconfig-text-contradicts-model',
    severity: 'error',
    description: 'The prompt or help of a memory-type Kconfig symbol contradicts the properties of the type it enables',
    scope: 'series',
    runsOn: 'zone-device',
    messages: {
      // {{part}}: prompt or help; {{addressing}} and {{coherence}}: what the memory is.
      addressingContradicted: 'the {{part}} of {{symbol}} says "{{words}}" but the memory is {{addressing}}',
      coherenceContradicted: 'the {{part}} of {{symbol}} says "{{words}}" but the memory is {{coherence}}',
      bothContradicted:
        'the {{part}} of {{symbol}} says "{{cpuWords}}" but the memory is {{addressing}}, ' +
        'and says "{{coherentWords}}" but the memory is {{coherence}}',
    },
    // Entries whose prompt or help a patch adds, in Kconfig files.
    interest: { paths: [/(?:^|\/)Kconfig(?:\.[^/]*)?$/] },
  },
  check(ctx) {
    const model = ctx.data;
    const src = ctx.source();
    const steps = src.steps();
    const entries = steps
      .flatMap((step) => {
        const k = ctx.syntax.kconfig(step.post);
        if (!k) return [];
        return k.entries.flatMap((e) =>
          (e.kind === 'config' || e.kind === 'menuconfig') && e.name !== null ? [{ step, e, symbol: e.name }] : [],
        );
      })
      .filter(({ step, e: { prompt, help } }) => {
        const img = step.post;
        return (
          (prompt !== null && img.addedHere(prompt.line)) ||
          (help !== null &&
            Array.from({ length: help.last - help.line + 1 }, (_, k) => help.line + k).some((i) => img.addedHere(i)))
        );
      });
    if (entries.length === 0) return;
    // The series' own kdoc of enum memory_type: where the model does not know a type.
    const docs = new Map<string, { text: string; file: string; line: number }>();
    for (const step of steps) {
      // Only an image showing the enum is parsed (most series that touch a Kconfig help text have none).
      const shows = /\.h$/.test(step.post.path) && step.post.lines.some((l) => /\benum\s+memory_type\b/.test(l));
      const c = shows ? ctx.syntax.c(step.post) : null;
      if (!c) continue;
      for (const [name, d] of memoryTypeDocs(c))
        docs.set(name, { text: d.text, file: step.post.path, line: step.post.lineNumber(d.line) });
    }
    const m = ctx.model();
    for (const { step, e, symbol } of entries) {
      const known = propertiesOf(symbol, m.view.release, docs, model);
      if (!known) continue;
      const img = step.post;
      const texts: { what: 'prompt' | 'help'; text: string; line: number }[] = [];
      if (e.prompt && img.addedHere(e.prompt.line))
        texts.push({ what: 'prompt', text: e.prompt.text, line: e.prompt.line });
      if (e.help) texts.push({ what: 'help', text: e.help.text, line: e.help.line });
      let contradicted = false;
      for (const t of texts) {
        const said = contradiction(t.what, symbol, claimsOf(t.text), known);
        if (!said) continue;
        contradicted = true;
        const line = img.addedHere(t.line) ? t.line : e.line !== null && img.addedHere(e.line) ? e.line : t.line;
        ctx.report({
          patch: step.patch,
          file: img.path,
          line: img.lineNumber(line),
          ...said,
          detail: `${known.from}; reword it to match the type`,
        });
      }
      m.settle(
        `kconfig-text-agrees:${symbol}`,
        contradicted ? 'unmet' : 'met',
        contradicted ? `${img.path}:${img.lineNumber(e.line ?? e.first)}` : null,
      );
    }
    for (const t of m.delta.typesAdded) {
      const d = docs.get(t.name);
      if (d) m.settle(`type-documented:${t.name}`, 'met', `${d.file}:${d.line}`);
    }
  },
});

type Id = 'addressingContradicted' | 'coherenceContradicted' | 'bothContradicted';

/** What the text says against the type's properties, as a message; null when it says nothing against them. */
function contradiction(
  part: 'prompt' | 'help',
  symbol: string,
  claims: PropertyClaims,
  known: Known,
): Pick<Report<Id>, 'messageId' | 'data'> | null {
  // The words of each claim that contradicts the type (a claim always comes with its words), or null.
  const cpuWords =
    claims.cpuAddressable !== null && known.cpuAddressable !== null && claims.cpuAddressable !== known.cpuAddressable
      ? claims.cpuWords
      : null;
  const coherentWords =
    claims.cacheCoherent !== null && known.cacheCoherent !== null && claims.cacheCoherent !== known.cacheCoherent
      ? claims.coherentWords
      : null;
  const addressing = known.cpuAddressable ? 'CPU-addressable' : 'not CPU-addressable';
  const coherence = known.cacheCoherent ? 'cache-coherent with the CPU' : 'not cache-coherent with the CPU';
  if (cpuWords !== null && coherentWords !== null)
    return { messageId: 'bothContradicted', data: { part, symbol, cpuWords, addressing, coherentWords, coherence } };
  if (cpuWords !== null)
    return { messageId: 'addressingContradicted', data: { part, symbol, words: cpuWords, addressing } };
  if (coherentWords !== null)
    return { messageId: 'coherenceContradicted', data: { part, symbol, words: coherentWords, coherence } };
  return null;
}

/** The type a Kconfig symbol enables: the model's (by its kconfig facts, or MEMORY_<symbol>), else the series' kdoc. */
function propertiesOf(
  symbol: string,
  release: string,
  docs: Map<string, { text: string; file: string; line: number }>,
  model: Model,
): Known | null {
  const type: MemoryType | null =
    model.types.find((t) => t.kconfig.some((k) => k.value === symbol)) ?? typeByName(`MEMORY_${symbol}`, model);
  if (type) {
    // At the series' kernel when the type exists then; else as the type was while it existed.
    const at = <T>(facts: Fact<T>[]) =>
      valueAt(facts, release) ?? (facts.length ? facts[facts.length - 1]!.value : null);
    const known = {
      cpuAddressable: at(type.properties.cpuAddressable),
      cacheCoherent: at(type.properties.cacheCoherent),
    };
    const name = valueAt(type.names, release) ?? type.names[type.names.length - 1]?.value ?? type.id;
    return { ...known, from: `${name} is ${describe(known)} per zdcheck's model` };
  }
  const doc = docs.get(`MEMORY_${symbol}`);
  if (!doc) return null;
  const claims = claimsOf(doc.text);
  if (claims.cpuAddressable === null && claims.cacheCoherent === null) return null;
  return {
    cpuAddressable: claims.cpuAddressable,
    cacheCoherent: claims.cacheCoherent,
    from: `the series documents MEMORY_${symbol} as ${describe(claims)} at ${doc.file}:${doc.line}`,
  };
}

function describe(p: { cpuAddressable: boolean | null; cacheCoherent: boolean | null }): string {
  const parts: string[] = [];
  if (p.cpuAddressable !== null) parts.push(p.cpuAddressable ? 'CPU-addressable' : 'not CPU-addressable');
  if (p.cacheCoherent !== null) parts.push(p.cacheCoherent ? 'cache-coherent' : 'not cache-coherent');
  return parts.join(' and ') || 'of unknown properties';
}
