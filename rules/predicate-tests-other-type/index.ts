// A helper whose name says one memory type and whose body tests another (`is_device_dax_page`
// comparing against MEMORY_DEVICE_FS_DAX), and, in a switch over a page's type, a type's helper
// called under another type's case label (always false there).
import { defineRule, type SeriesContext } from '../../src/engine/rule.js';
import { typeByName } from '../../src/model/query.js';
import type { Model, MemoryType } from '../../src/model/types.js';
import {
  calleesIn,
  comments,
  functionHeads,
  inError,
  switches,
  type CFile,
  type CUnit,
  type FunctionHead,
  type SyntaxNode,
} from '../../src/syntax/index.js';
import type { FileImage } from '../../src/source/types.js';
import { COMMENT_CONTRAST_WORDS, CONTRAST_WORDS, TYPE_ALIASES } from '../model/type-aliases.js';

type MessageId = 'namedForOther' | 'caseTestsOther' | 'commentNamesOther';

export default defineRule<MessageId>({
  meta: {
    id: 'predicate-tests-other-type',
    severity: 'error',
    description:
      "A memory-type helper whose name says one type and whose body tests another, or a type tested under another type's case",
    scope: 'series',
    runsOn: 'zone-device',
    messages: {
      namedForOther: '{{name}} is named for {{named}} ({{namedEnum}}) but tests {{tested}}',
      caseTestsOther: '{{call}} tests for {{tested}} under case {{label}}: always false there',
      commentNamesOther: 'the comment says {{said}} but the code under it handles {{tested}}',
    },
  },
  check(ctx) {
    const steps = ctx
      .source()
      .steps()
      .filter(
        (s) => /\.(c|h)$/.test(s.post.path) && s.post.lines.some((l, i) => s.post.addedHere(i) && WORTH_A_LOOK.test(l)),
      );
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
        const at =
          [wrong.line === null ? null : file.line(head.unit, wrong.line), file.line(head.unit, head.node)].find(
            (l): l is number => l !== null && image.addedHere(l),
          ) ?? firstAdded(image, span.first, span.last);
        if (at === null) continue;
        const namedType = types.byId.get([...named][0]!);
        if (!namedType) continue;
        ctx.report({
          patch: step.patch,
          file: image.path,
          line: image.lineNumber(at),
          messageId: 'namedForOther',
          data: {
            name: head.name,
            named: [...named].join(' or '),
            namedEnum: enumName(namedType),
            tested: listed([...new Set(tests.map((t) => t.what))]),
          },
          detail:
            `the name of ${head.name} says ${[...named].join(' or ')} memory, yet its body tests ${tests.map((t) => t.what).join(', ')}` +
            ` and no test of ${[...named].map((id) => typeName(id, types)).join(' or ')}: a caller asking about one type gets the answer for another.` +
            ' Rename the helper after the type it tests, or make it test the type it is named for.',
        });
      }
      caseChecks(ctx, step.patch, image, file, types);
      commentChecks(ctx, step.patch, image, file, types);
    }
  },
});

/**
 * Added lines that may hold a type test, a type's helper or a name with a type's word; other steps
 * are not parsed for this rule (a helper can only start to test the wrong type on such a line).
 */
const WORTH_A_LOOK = new RegExp(
  `\\bMEMORY_DEVICE_\\w+|is_\\w*(?:${[...new Set(TYPE_ALIASES.flatMap((a) => a.names))].join('|')})`,
);

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

/** A type id's enumerator, or the id itself when the model has no such type. */
function typeName(id: string, types: TypeIndex): string {
  const t = types.byId.get(id);
  return t ? enumName(t) : id;
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
  return ids.size === 1 ? (types.byId.get([...ids][0]!) ?? null) : null;
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
  const body = head.body;
  if (!body) return [];
  const out: TypeTest[] = [];
  if (body.type === 'preproc_arg') {
    for (const m of body.text.matchAll(/==\s*(MEMORY_DEVICE_\w+)|(MEMORY_DEVICE_\w+)\s*==/g)) {
      const t = enumeratorType(m[1] ?? m[2] ?? '', types);
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
      if (t && callee) out.push({ type: t, what: `${callee.text}()`, line: n });
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
  patch: FileImage['patch'],
  image: FileImage,
  file: CFile,
  types: TypeIndex,
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
      if (open) {
        labels = [];
        labelText = [];
        unknown = fallsIn;
      }
      const t = value?.type === 'identifier' ? enumeratorType(value.text, types) : null;
      if (t && value) {
        labels.push(t);
        labelText.push(value.text);
      } else unknown = true;
      open = statements.length > 0;
      if (open) fallsIn = !jumps(statements[statements.length - 1]!);
      if (!open || unknown) continue;
      const ids = new Set(labels.map((l) => l.id));
      for (const s of statements) {
        for (const call of s.descendantsOfType('call_expression')) {
          const callee = call.childForFieldName('function');
          const t2 = callee?.type === 'identifier' ? types.helper.get(callee.text) : undefined;
          if (!t2 || !callee || ids.has(t2.id)) continue;
          const arg = call.childForFieldName('arguments')?.namedChild(0);
          const argWords = arg?.text.match(/\b[A-Za-z_]\w*\b/g) ?? [];
          if (!argWords.some((w) => subjects.has(w) && w !== 'type')) continue;
          const line = file.line(sw.unit, call);
          if (line === null || !image.addedHere(line) || inError(call)) continue;
          ctx.report({
            patch,
            file: image.path,
            line: image.lineNumber(line),
            messageId: 'caseTestsOther',
            data: {
              call: `${callee.text}(${short(arg?.text ?? '')})`,
              tested: enumName(t2),
              label: listed(labelText),
            },
            detail:
              `the switch on ${sw.condition.text} reached case ${labelText.join(', ')}, so the page is of that type and ${callee.text}() cannot be true;` +
              ' the code under it handles another type than its label says.',
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

/** The type ids a comment's words name (type-aliases.ts `prose`); none for long or contrasting comments. */
export function proseTypes(text: string): Set<string> {
  const words = text
    .toLowerCase()
    .replace(/^\s*\/[*/]|\*\/\s*$/g, ' ')
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
  if (words.length === 0 || words.length > 8) return new Set();
  if (words.some((w) => CONTRAST_WORDS.includes(w) || COMMENT_CONTRAST_WORDS.includes(w))) return new Set();
  const out = new Set<string>();
  for (const a of TYPE_ALIASES) if (a.prose.some((alias) => holdsRun(words, alias.split('_')))) out.add(a.type);
  return out;
}

/**
 * A one-line comment that labels the case or `if` right below it (or sits after the label on its
 * line) with one type, while the label or the condition tests one other type: `/* fsdax pages *\/`
 * over `case MEMORY_DEVICE_GENERIC:`. Only where the comment starts a stretch (after a blank line,
 * a brace, a `break`/`return` or a label), so it is not a remark on the code above it.
 */
function commentChecks(
  ctx: SeriesContext<MessageId>,
  patch: FileImage['patch'],
  image: FileImage,
  file: CFile,
  types: TypeIndex,
): void {
  for (const c of comments(file, 'added')) {
    if (c.first !== c.last || inError(c.node)) continue;
    const said = proseTypes(c.text);
    if (said.size !== 1) continue;
    // Above a case label, the comment closes the case before it: its next sibling is that case's.
    const next =
      c.node.nextNamedSibling ?? (c.node.parent?.type === 'case_statement' ? c.node.parent.nextNamedSibling : null);
    if (!next) continue;
    const own = c.first;
    const nextLine = file.line(c.unit, next);
    if (nextLine === null) continue;
    const trailing = nextLine < own && next.type !== 'comment';
    // Trailing: `case X: /* ... */` — tree-sitter puts the comment inside the case after its label.
    let stmt: SyntaxNode | null = null;
    if (c.node.parent?.type === 'case_statement' && file.line(c.unit, c.node.parent) === own) stmt = c.node.parent;
    else if (!trailing && nextLine === own + 1 && startsStretch(image.lines[own - 1])) stmt = next;
    if (!stmt) continue;
    const tested = stmtTypes(stmt, types);
    if (tested.length !== 1 || said.has(tested[0]!.type.id)) continue;
    const at = [file.line(c.unit, stmt), own].find((l): l is number => l !== null && image.addedHere(l));
    if (at === undefined) continue;
    const saidId = [...said][0]!;
    ctx.report({
      patch,
      file: image.path,
      line: image.lineNumber(at),
      messageId: 'commentNamesOther',
      severity: 'warning',
      data: { said: `${saidId} (${typeName(saidId, types)})`, tested: tested[0]!.what },
      detail:
        `the comment \`${c.text.trim()}\` names ${saidId} memory, and the ${stmt.type === 'case_statement' ? 'case label' : 'condition'} below it tests ${tested[0]!.what};` +
        ' either the comment or the code is about the wrong type.',
    });
  }
}

function startsStretch(line: string | undefined): boolean {
  if (line === undefined) return true;
  const t = line.trim();
  return t === '' || /[{}:]$/.test(t) || /^(?:break|return\b.*|continue|goto\s+\w+);$/.test(t);
}

/** The single type a case label or an `if` condition asks for (positively), else []. */
function stmtTypes(stmt: SyntaxNode, types: TypeIndex): TypeTest[] {
  if (stmt.type === 'case_statement') {
    const v = stmt.childForFieldName('value');
    const t = v?.type === 'identifier' ? enumeratorType(v.text, types) : null;
    return t && v ? [{ type: t, what: v.text, line: v }] : [];
  }
  if (stmt.type !== 'if_statement') return [];
  const cond = stmt.childForFieldName('condition');
  if (!cond || inError(cond)) return [];
  const out: TypeTest[] = [];
  for (const n of [cond, ...cond.descendantsOfType(['binary_expression', 'call_expression'])]) {
    if (n.type === 'binary_expression' && n.childForFieldName('operator')?.type === '||') return []; // several types
    if (negated(n, cond)) continue;
    if (n.type === 'binary_expression' && n.childForFieldName('operator')?.type === '==') {
      for (const side of [n.childForFieldName('left'), n.childForFieldName('right')]) {
        const t =
          side?.type === 'identifier' && side.text.startsWith('MEMORY_DEVICE_')
            ? enumeratorType(side.text, types)
            : null;
        if (t && side) out.push({ type: t, what: side.text, line: n });
      }
    } else if (n.type === 'call_expression') {
      const f = n.childForFieldName('function');
      const t = f?.type === 'identifier' ? types.helper.get(f.text) : undefined;
      if (t && f) out.push({ type: t, what: `${f.text}()`, line: n });
    }
  }
  return new Set(out.map((t) => t.type.id)).size === 1 ? [out[0]!] : [];
}

/** At most two items, then how many more: messages stay one line. */
function listed(items: readonly string[]): string {
  return items.length <= 2 ? items.join(', ') : `${items.slice(0, 2).join(', ')} and ${items.length - 2} more`;
}

function short(s: string): string {
  const t = s.replace(/\s+/g, ' ').trim();
  return t.length > 30 ? `${t.slice(0, 27)}...` : t;
}
