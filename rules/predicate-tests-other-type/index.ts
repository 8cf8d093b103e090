// A helper whose name says one memory type and whose body tests another (`is_device_dax_page`
// comparing against MEMORY_DEVICE_FS_DAX), and, in a switch over a page's type, a type's helper
// called under another type's case label (always false there).
import { defineRule, type SeriesContext } from '../../src/engine/rule.js';
import { typeByName } from '../../src/model/query.js';
import type { Model, MemoryType } from '../../src/model/types.js';
import {
  calleesIn, functionHeads, inError, switches, type CFile, type CUnit, type FunctionHead, type SyntaxNode,
} from '../../src/syntax/index.js';
import type { FileImage } from '../../src/source/types.js';
import { CONTRAST_WORDS, TYPE_ALIASES } from '../model/type-aliases.js';

type MessageId = 'namedForOther' | 'caseTestsOther';

export default defineRule<MessageId>({
  meta: {
    id: 'predicate-tests-other-type',
    severity: 'error',
    description: 'A memory-type helper whose name says one type and whose body tests another, or a type tested under another type\'s case',
    scope: 'series',
    messages: {
      namedForOther: '{{name}} is named for {{named}} ({{namedEnum}}) but tests {{tested}}',
      caseTestsOther: '{{call}} tests for {{tested}} under case {{label}}: always false there',
    },
  },
  check(ctx) {
    const steps = ctx.source().steps().filter((s) => /\.(c|h)$/.test(s.post.path)
      && s.post.lines.some((l, i) => s.post.addedHere(i) && WORTH_A_LOOK.test(l)));
    if (steps.length === 0) return;
    const types = typeIndex(ctx.data);
    for (const step of steps) {
      const file = ctx.syntax.c(step.post);
      if (!file) continue;
      const image = step.post;
      for (const head of functionHeads(file, (n) => namedTypes(n).size > 0)) {
        if (head.kind === 'declaration' || !head.body) continue;
        const span = spanOf(file, head);
        if (!span || !hasAdded(image, span.first, span.last)) continue;
        const named = namedTypes(head.name);
        const tests = testsIn(head, types);
        if (tests.length === 0 || tests.some((t) => named.has(t.type.id))) continue;
        const wrong = tests[0]!;
        const at = [wrong.line === null ? null : file.line(head.unit, wrong.line), file.line(head.unit, head.node)]
          .find((l): l is number => l !== null && image.addedHere(l)) ?? firstAdded(image, span.first, span.last);
        if (at === null) continue;
        const namedType = types.byId.get([...named][0]!)!;
        ctx.report({
          patch: step.patch,
          file: image.path,
          line: image.lineNumber(at),
          messageId: 'namedForOther',
          data: {
            name: head.name,
            named: [...named].join(' or '),
            namedEnum: enumName(namedType),
            tested: [...new Set(tests.map((t) => t.what))].join(', '),
          },
          detail: `the name of ${head.name} says ${[...named].join(' or ')} memory, yet its body tests ${tests.map((t) => t.what).join(', ')}`
            + ` and no test of ${[...named].map((id) => enumName(types.byId.get(id)!)).join(' or ')}: a caller asking about one type gets the answer for another.`
            + ' Rename the helper after the type it tests, or make it test the type it is named for.',
        });
      }
      caseChecks(ctx, step.patch, image, file, types);
    }
  },
});

/**
 * Added lines that may hold a type test, a type's helper or a name with a type's word; other steps
 * are not parsed for this rule (a helper can only start to test the wrong type on such a line).
 */
const WORTH_A_LOOK = new RegExp(`\\bMEMORY_DEVICE_\\w+|is_\\w*(?:${[...new Set(TYPE_ALIASES.flatMap((a) => a.names))].join('|')})`);

interface TypeIndex {
  byId: Map<string, MemoryType>;
  /** A type's helper (any era) -> its type. */
  helper: Map<string, MemoryType>;
  model: Model;
}

const indexes = new WeakMap<Model, TypeIndex>();

function typeIndex(model: Model): TypeIndex {
  let ix = indexes.get(model);
  if (ix) return ix;
  const helper = new Map<string, MemoryType>();
  for (const t of model.types) for (const h of t.helpers) helper.set(h.value, t);
  ix = { byId: new Map(model.types.map((t) => [t.id, t])), helper, model };
  indexes.set(model, ix);
  return ix;
}

function enumName(t: MemoryType): string {
  return t.names[t.names.length - 1]?.value ?? t.id;
}

/** The type ids a name's words say (type-aliases.ts); none when a contrast word turns it around. */
export function namedTypes(name: string): Set<string> {
  const words = name.toLowerCase().split('_').filter(Boolean);
  if (!words.includes('is')) return new Set();
  if (words.some((w) => CONTRAST_WORDS.includes(w))) return new Set();
  const out = new Set<string>();
  for (const a of TYPE_ALIASES) if (a.names.some((alias) => holdsRun(words, alias.split('_')))) out.add(a.type);
  return out;
}

function holdsRun(words: readonly string[], run: readonly string[]): boolean {
  outer: for (let i = 0; i + run.length <= words.length; i++) {
    for (let k = 0; k < run.length; k++) if (words[i + k] !== run[k]) continue outer;
    return true;
  }
  return false;
}

/** The type an enumerator names: the model's, else (a type the series adds) its words, when they say one. */
function enumeratorType(name: string, types: TypeIndex): MemoryType | null {
  const t = typeByName(name, types.model);
  if (t) return t;
  const ids = namedTypes(`is_${name.replace(/^MEMORY_DEVICE_/, '')}`);
  return ids.size === 1 ? types.byId.get([...ids][0]!) ?? null : null;
}

interface TypeTest {
  type: MemoryType;
  /** `== MEMORY_DEVICE_FS_DAX` or the helper's call. */
  what: string;
  /** The node the test starts at (null in a macro's unparsed text). */
  line: SyntaxNode | null;
}

/**
 * The types a helper's body asks for: `x == MEMORY_DEVICE_*` (either side) and calls of a type's
 * helper, not under `!` (a negated test is not a claim about the type). A body that parsed with
 * errors is not read.
 */
function testsIn(head: FunctionHead, types: TypeIndex): TypeTest[] {
  const body = head.body!;
  const out: TypeTest[] = [];
  if (body.type === 'preproc_arg') {
    for (const m of body.text.matchAll(/==\s*(MEMORY_DEVICE_\w+)|(MEMORY_DEVICE_\w+)\s*==/g)) {
      const t = enumeratorType((m[1] ?? m[2])!, types);
      if (t) out.push({ type: t, what: `== ${m[1] ?? m[2]}`, line: null });
    }
    for (const callee of calleesIn(body)) {
      const t = types.helper.get(callee);
      if (t) out.push({ type: t, what: `${callee}()`, line: null });
    }
    return out;
  }
  if (inError(body)) return [];
  for (const n of body.descendantsOfType(['binary_expression', 'call_expression'])) {
    if (negated(n, body)) continue;
    if (n.type === 'binary_expression') {
      if (n.childForFieldName('operator')?.type !== '==') continue;
      for (const side of [n.childForFieldName('left'), n.childForFieldName('right')]) {
        if (side?.type !== 'identifier' || !side.text.startsWith('MEMORY_DEVICE_')) continue;
        const t = enumeratorType(side.text, types);
        if (t) out.push({ type: t, what: `== ${side.text}`, line: n });
      }
    } else {
      const callee = n.childForFieldName('function');
      const t = callee?.type === 'identifier' ? types.helper.get(callee.text) : undefined;
      if (t) out.push({ type: t, what: `${callee!.text}()`, line: n });
    }
  }
  return out;
}

function negated(node: SyntaxNode, stop: SyntaxNode): boolean {
  for (let p = node.parent; p && p.id !== stop.id; p = p.parent) {
    if (p.type === 'unary_expression' && p.childForFieldName('operator')?.type === '!') return true;
  }
  return false;
}

/** Image lines a definition or macro spans, or null when it starts outside the image (a prelude). */
function spanOf(file: CFile, head: FunctionHead): { first: number; last: number } | null {
  let def: SyntaxNode | null = head.node;
  while (def && def.type !== 'function_definition' && def.type !== 'preproc_function_def') def = def.parent;
  if (!def) return null;
  const first = file.line(head.unit, def);
  if (first === null) return null;
  return { first, last: lastLine(head.unit, def) };
}

function lastLine(unit: CUnit, node: SyntaxNode): number {
  const row = node.endPosition.row - unit.prelude - (node.endPosition.column === 0 ? 1 : 0);
  return Math.min(unit.segment.end - 1, unit.segment.start + Math.max(0, row));
}

function hasAdded(image: FileImage, first: number, last: number): boolean {
  return firstAdded(image, first, last) !== null;
}

function firstAdded(image: FileImage, first: number, last: number): number | null {
  for (let i = first; i <= last; i++) if (image.addedHere(i)) return i;
  return null;
}

/**
 * In a switch over a type (`switch (page->pgmap->type)`), a call of another type's helper on the
 * same page under a case label: the case already says the type, so the call is false.
 */
function caseChecks(
  ctx: SeriesContext<MessageId>,
  patch: FileImage['patch'], image: FileImage, file: CFile, types: TypeIndex,
): void {
  for (const sw of switches(file, 'added')) {
    if (!/\btype\b/.test(sw.condition.text) || inError(sw.node)) continue;
    const subjects = new Set(sw.condition.text.match(/\b[A-Za-z_]\w*\b/g) ?? []);
    const body = sw.node.childForFieldName('body');
    if (!body) continue;
    // Case groups: consecutive labels share the statements that follow them.
    let labels: MemoryType[] = [];
    let labelText: string[] = [];
    // A group with `default` or a label that is not a known type says nothing certain about the page.
    let unknown = false;
    let open = true;
    let fallsIn = false;
    for (const c of body.namedChildren) {
      if (c.type !== 'case_statement') continue;
      const value = c.childForFieldName('value');
      const statements = c.namedChildren.filter((n) => n.id !== value?.id && n.type !== 'comment');
      // Code that falls through from the group before reaches these statements with that group's types.
      if (open) { labels = []; labelText = []; unknown = fallsIn; }
      const t = value?.type === 'identifier' ? enumeratorType(value.text, types) : null;
      if (t) { labels.push(t); labelText.push(value!.text); } else unknown = true;
      open = statements.length > 0;
      if (open) fallsIn = !jumps(statements[statements.length - 1]!);
      if (!open || unknown) continue;
      const ids = new Set(labels.map((l) => l.id));
      for (const s of statements) {
        for (const call of s.descendantsOfType('call_expression')) {
          const callee = call.childForFieldName('function');
          const t2 = callee?.type === 'identifier' ? types.helper.get(callee.text) : undefined;
          if (!t2 || ids.has(t2.id)) continue;
          const arg = call.childForFieldName('arguments')?.namedChild(0);
          const argWords = arg?.text.match(/\b[A-Za-z_]\w*\b/g) ?? [];
          if (!argWords.some((w) => subjects.has(w) && w !== 'type')) continue;
          const line = file.line(sw.unit, call);
          if (line === null || !image.addedHere(line) || inError(call)) continue;
          ctx.report({
            patch, file: image.path, line: image.lineNumber(line), messageId: 'caseTestsOther',
            data: { call: `${callee!.text}(${arg?.text ?? ''})`, tested: enumName(t2), label: labelText.join(', ') },
            detail: `the switch on ${sw.condition.text} reached case ${labelText.join(', ')}, so the page is of that type and ${callee!.text}() cannot be true;`
              + ' the code under it handles another type than its label says.',
          });
        }
      }
    }
  }
}

/** The statement leaves the switch or the function (`break`, `return`, `goto`, `continue`), also as a block's last. */
function jumps(s: SyntaxNode): boolean {
  if (s.type === 'compound_statement') {
    const last = s.namedChildren.filter((n) => n.type !== 'comment').pop();
    return last ? jumps(last) : false;
  }
  return ['break_statement', 'return_statement', 'goto_statement', 'continue_statement'].includes(s.type);
}
