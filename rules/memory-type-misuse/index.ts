import { defineRule } from '../../src/engine/rule.js';
import { valueAt } from '../../src/model/query.js';
import type { MemoryType } from '../../src/model/types.js';
import { inError, type CFile, type CUnit, type SyntaxNode } from '../../src/syntax/index.js';
import { guardsAt, subjectOf, type GuardFact } from '../lib/guards.js';
import { propertyOf } from '../lib/series-model.js';

/** The patterns the rule knows; its README.md lists each with the property it enforces. */
type Pattern = 'present-pte' | 'private-entry' | 'longterm-pin' | 'lru';

/** Calls that build a present (CPU-visible) page-table entry; the index names the page argument, or null. */
const PRESENT_PTE: Record<string, number | null> = {
  mk_pte: 0,
  folio_mk_pte: 0,
  mk_huge_pte: 0,
  mk_pmd: 0,
  folio_mk_pmd: 0,
  pfn_pte: 0,
  pfn_pmd: 0,
  pte_mkdevmap: null,
  pmd_mkdevmap: null,
  pud_mkdevmap: null,
};
const PRIVATE_ENTRY = new Set([
  'make_device_private_entry',
  'make_readable_device_private_entry',
  'make_writable_device_private_entry',
]);
/** Calls that put a page or folio on an LRU list (their first argument). */
const LRU_ADD = new Set([
  'lru_cache_add',
  'lru_cache_add_inactive_or_unevictable',
  'folio_add_lru',
  'folio_add_lru_vma',
  'putback_lru_page',
  'folio_putback_lru',
]);
const SINK_WORDS = new RegExp(
  `\\b(?:${[...Object.keys(PRESENT_PTE), ...PRIVATE_ENTRY, ...LRU_ADD, 'FOLL_LONGTERM', 'lru'].join('|')})\\b`,
);

type MessageId = 'mappedPresent' | 'encodedAsPrivate' | 'pinnedLongTerm' | 'lruUsed';

interface Sink {
  pattern: Pattern;
  node: SyntaxNode;
  what: string;
  /** The page the code names, or null when the call does not take one (pte_mkdevmap(pte), a pin). */
  subject: string | null;
}

export default defineRule({
  meta: {
    id: 'memory-type-misuse',
    severity: 'error',
    description:
      "Added code treats a page its guard says is of one memory type against that type's properties in the model",
    scope: 'series',
    runsOn: 'zone-device',
    // {{code}}: the call or `->lru` use; {{guard}}: the test that says the type, with its line when known.
    messages: {
      mappedPresent: '{{code}} makes a present PTE for a {{type}} page (guard {{guard}}), which the CPU cannot address',
      encodedAsPrivate: '{{code}} encodes a {{type}} page (guard {{guard}}) as a device-private swap entry',
      pinnedLongTerm: '{{code}} pins a {{type}} page (guard {{guard}}) long-term',
      lruUsed: '{{code}} uses the LRU list of a {{type}} page (guard {{guard}})',
    },
  },
  check(ctx) {
    const src = ctx.source();
    const steps = src.steps().filter((s) => s.post.lines.some((l, i) => s.post.addedHere(i) && SINK_WORDS.test(l)));
    if (steps.length === 0) return;
    const model = ctx.data;
    const { view } = ctx.model();
    const release = view.release;
    // Which memory type each helper names, in any era: a guard is read by its name.
    const helperType = new Map<string, MemoryType>();
    for (const t of model.types) for (const h of t.helpers) helperType.set(h.value, t);
    const zoneDevice = new Set(
      model.predicates
        .filter((p) => p.tests === 'zone-device' && (p.level === 'page' || p.level === 'folio'))
        .map((p) => p.name),
    );
    const predicates = new Set([...helperType.keys(), ...zoneDevice]);
    const typeName = (t: MemoryType) => valueAt(t.names, release) ?? t.names[t.names.length - 1]?.value ?? t.id;
    // ZONE_DEVICE pages are on no LRU when no type of the release is.
    const noneOnLru = view.types.length > 0 && view.types.every((t) => t.onLru === false);

    for (const step of steps) {
      const c = ctx.syntax.c(step.post);
      if (!c) continue;
      const image = step.post;
      // One finding per pattern and line: pte_mkdevmap(mk_pte(page, ...)) is one mistake.
      const said = new Set<string>();
      for (const sink of sinks(c)) {
        const line = c.line(sink.unit, sink.node);
        if (line === null || !image.addedHere(line) || inError(sink.node)) continue;
        if (said.has(`${sink.pattern}:${line}`)) continue;
        const facts = guardsAt(sink.node, predicates).filter(
          (f) => sink.subject === null || f.subject === sink.subject,
        );
        const known = certainType(facts, helperType);
        if (known === 'conflict') continue;
        const at = (f: GuardFact) => {
          const l = c.line(sink.unit, f.node);
          return `${f.node.text.replace(/\s+/g, ' ')}${l !== null ? ` at line ${image.lineNumber(l)}` : ''}`;
        };
        const report = (messageId: MessageId, type: string, fact: GuardFact, detail: string) => {
          said.add(`${sink.pattern}:${line}`);
          ctx.report({
            patch: step.patch,
            file: image.path,
            line: image.lineNumber(line),
            messageId,
            data: { code: sink.what, type, guard: at(fact) },
            detail,
          });
        };
        if (known && known.type) {
          const { type, fact } = known;
          const name = typeName(type);
          if (sink.pattern === 'present-pte' && propertyOf(type, 'cpuAddressable', release) === false) {
            report(
              'mappedPresent',
              name,
              fact,
              `model: cpu_addressable false, user_mapping ${propertyOf(type, 'userMapping', release) ?? 'unknown'}; ` +
                'map it with a device-private swap entry (make_*_device_private_entry) instead',
            );
          } else if (sink.pattern === 'private-entry') {
            const mapping = propertyOf(type, 'userMapping', release);
            if (mapping !== null && mapping !== 'device-private-swap-entry') {
              report(
                'encodedAsPrivate',
                name,
                fact,
                `${name} is mapped as ${mapping} (model: user_mapping); only MEMORY_DEVICE_PRIVATE pages take device-private entries`,
              );
            }
          } else if (sink.pattern === 'longterm-pin' && propertyOf(type, 'longTermPin', release) === false) {
            report(
              'pinnedLongTerm',
              name,
              fact,
              `${name} must not be pinned long-term (model: long_term_pin false); pin without FOLL_LONGTERM or migrate the page first`,
            );
          } else if (sink.pattern === 'lru' && propertyOf(type, 'onLru', release) === false) {
            report('lruUsed', name, fact, LRU_DETAIL);
          }
        } else if (known && sink.pattern === 'lru' && noneOnLru) {
          report('lruUsed', 'ZONE_DEVICE', known.fact, LRU_DETAIL);
        }
      }
    }
  },
});

const LRU_DETAIL =
  'ZONE_DEVICE pages are never on an LRU and their lru field holds the pgmap (model: on_lru false); keep device pages off LRU lists';

/**
 * The memory type the facts make certain, innermost fact first: a type helper that must be
 * true, or failing that a ZONE_DEVICE predicate that must be true (type null). Two different
 * types both true cannot happen at run time, so such code is not judged.
 */
function certainType(
  facts: GuardFact[],
  helperType: ReadonlyMap<string, MemoryType>,
): { type: MemoryType | null; fact: GuardFact } | 'conflict' | null {
  const trueTypes = facts.flatMap((fact) => {
    const type = fact.value ? helperType.get(fact.predicate) : undefined;
    return type ? [{ type, fact }] : [];
  });
  const ids = new Set(trueTypes.map((t) => t.type.id));
  if (ids.size > 1) return 'conflict';
  if (trueTypes.length) return trueTypes[0]!;
  const zd = facts.find((f) => f.value && !helperType.has(f.predicate));
  // A "not ZONE_DEVICE" fact for the same page contradicts it.
  if (zd && !facts.some((f) => !f.value && !helperType.has(f.predicate) && f.subject === zd.subject))
    return { type: null, fact: zd };
  return null;
}

function sinks(c: CFile): (Sink & { unit: CUnit })[] {
  const out: (Sink & { unit: CUnit })[] = [];
  for (const unit of c.units) {
    for (const call of unit.root.descendantsOfType('call_expression')) {
      const fn = call.childForFieldName('function');
      if (fn?.type !== 'identifier') continue;
      const args = call.childForFieldName('arguments')?.namedChildren.filter((n) => n.type !== 'comment') ?? [];
      const name = fn.text;
      if (Object.hasOwn(PRESENT_PTE, name)) {
        const i = PRESENT_PTE[name]!;
        const arg = i === null ? null : args[i];
        out.push({
          unit,
          pattern: 'present-pte',
          node: call,
          what: `${name}()`,
          subject: arg ? subjectOf(arg.text) : null,
        });
      } else if (PRIVATE_ENTRY.has(name) && args[0]) {
        out.push({ unit, pattern: 'private-entry', node: call, what: `${name}()`, subject: subjectOf(args[0].text) });
      } else if (LRU_ADD.has(name) && args[0]) {
        out.push({ unit, pattern: 'lru', node: call, what: `${name}()`, subject: subjectOf(args[0].text) });
      } else if (args.some(passesLongterm)) {
        out.push({ unit, pattern: 'longterm-pin', node: call, what: `${name}(..., FOLL_LONGTERM ...)`, subject: null });
      }
    }
    for (const field of unit.root.descendantsOfType('field_expression')) {
      if (field.childForFieldName('field')?.text !== 'lru' || field.child(1)?.type !== '->') continue;
      const obj = field.childForFieldName('argument');
      if (!obj) continue;
      out.push({ unit, pattern: 'lru', node: field, what: `${obj.text}->lru`, subject: subjectOf(obj.text) });
    }
  }
  return out;
}

/** An argument that passes FOLL_LONGTERM as a flag: the name itself, or or-ed with others. */
function passesLongterm(arg: SyntaxNode): boolean {
  if (arg.type === 'identifier') return arg.text === 'FOLL_LONGTERM';
  if (arg.type === 'parenthesized_expression' && arg.namedChildCount === 1) {
    const inner = arg.namedChild(0);
    return inner !== null && passesLongterm(inner);
  }
  if (arg.type === 'binary_expression' && arg.childForFieldName('operator')?.type === '|') {
    const [left, right] = [arg.childForFieldName('left'), arg.childForFieldName('right')];
    return (left !== null && passesLongterm(left)) || (right !== null && passesLongterm(right));
  }
  return false;
}
