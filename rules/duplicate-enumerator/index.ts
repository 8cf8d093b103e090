import { defineRule } from '../../src/engine/rule.js';
import type { FileImage } from '../../src/source/types.js';
import { enumBodies, inError, isCPath, type CFile, type EnumBody } from '../../src/syntax/index.js';

interface Member {
  name: string;
  value: string | null;
  /** Image line (0-based). */
  line: number;
}

/** A member whose value is an integer literal, with that value normalized. */
interface Valued extends Member {
  value: string;
  literal: string;
}

export default defineRule({
  meta: {
    id: 'duplicate-enumerator',
    severity: 'error',
    description:
      'An enumerator is listed twice in one enum (error), or two enumerators get the same explicit value (warning)',
    scope: 'series',
    runsOn: 'zone-device',
    // {{enum}} is `enum <tag>` or `an anonymous enum`; lines are the post-image's.
    messages: {
      listedTwice: '{{name}} is listed twice in {{enum}} (also at line {{otherLine}}); remove one',
      sameValue: '{{name}} and {{other}} (line {{otherLine}}) have the same value {{value}} in {{enum}}',
    },
    // Every finding has an enumerator on a line a patch adds to a C file.
    interest: { paths: [/\.[ch]$/], lines: [/[A-Za-z_]/], added: true },
  },
  check(ctx) {
    for (const step of ctx.source().steps()) {
      // An enum body needs the keyword, in the image or in a hunk header (a fragment's prelude):
      // a file that shows none is not parsed.
      if (!isCPath(step.post.path) || !mentionsEnum(step.post)) continue;
      const c = ctx.syntax.c(step.post);
      if (!c) continue;
      for (const e of enumBodies(c, 'added')) {
        const members = membersOf(c, e);
        const what = e.name ? `enum ${e.name}` : 'an anonymous enum';
        const partial = e.complete ? {} : { detail: `judged from the part of ${what} the patch shows` };
        const at = (m: Member) => step.post.lineNumber(m.line);
        for (const [a, b] of pairs(c, step.post, members, (m) => m.name)) {
          ctx.report({
            patch: step.patch,
            file: step.post.path,
            line: at(b),
            ...partial,
            messageId: 'listedTwice',
            data: { name: b.name, enum: what, otherLine: at(a) },
          });
        }
        // Only integer literals: `LAST = FOO` style aliases share a value by design. And not in
        // bags of constants (`enum { ATA_ID_WORDS = 256, ATA_MAX_PRD = 256, ... }`): enums whose
        // existing members already share a value, or in which several values are shared.
        const valued = members.flatMap((m): Valued[] => {
          if (m.value === null) return [];
          const literal = literalValue(m.value);
          return literal === null ? [] : [{ ...m, value: m.value, literal }];
        });
        if (
          sharedValues(
            c,
            valued.filter((m) => !step.post.addedHere(m.line)),
          ) > 0 ||
          sharedValues(c, valued) > 1
        )
          continue;
        for (const [a, b] of pairs(c, step.post, valued, (m) => m.literal)) {
          if (a.name === b.name) continue;
          ctx.report({
            patch: step.patch,
            file: step.post.path,
            line: at(b),
            severity: 'warning',
            ...partial,
            messageId: 'sameValue',
            data: { name: b.name, other: a.name, otherLine: at(a), value: b.value, enum: what },
          });
        }
      }
    }
  },
});

function mentionsEnum(img: FileImage): boolean {
  return ENUM.test(img.text()) || img.segments.some((s) => s.hunk !== null && ENUM.test(s.hunk.header));
}

const ENUM = /\benum\b/;

function membersOf(c: CFile, e: EnumBody): Member[] {
  const out: Member[] = [];
  for (const en of e.enumerators) {
    // Never on a guess: an enumerator inside or around broken syntax is not judged.
    if (inError(en.node)) continue;
    // A macro that declares an enumerator (`DECLARE_VMA_BIT(READ, 0),` in 7.x mm.h) is not one:
    // tree-sitter reads the macro's name as an enumerator and its arguments as broken syntax after it.
    if (macroCall(en.node)) continue;
    const line = c.line(e.unit, en.node);
    if (line !== null) out.push({ name: en.name, value: en.value, line });
  }
  return out;
}

function macroCall(node: EnumBody['enumerators'][number]['node']): boolean {
  const next = node.nextSibling;
  return next !== null && next.type === 'ERROR' && next.text.trimStart().startsWith('(');
}

/**
 * How many earlier members of one key (name or value) a member is compared with: the first
 * ones. Members of one key are almost always compiled together, so the first compare decides;
 * only alternatives under an #if/#elif chain (`#if A X = 1, #elif B X = 1, ...`) make the search
 * long, and a member compiled with none of the first alternatives is not judged (without the
 * cap an n-arm chain costs about n²/2 branch compares).
 */
const ALTERNATIVES = 32;

/**
 * Pairs (earlier, later) with the same key that can be compiled together, one per later
 * member, kept only when the later one — or, failing that, the earlier — was added by the patch.
 */
function pairs<M extends Member>(c: CFile, image: FileImage, members: M[], key: (m: M) => string): [M, M][] {
  const seen = new Map<string, M[]>();
  const out: [M, M][] = [];
  for (const m of members) {
    const k = key(m);
    let same = seen.get(k);
    if (!same) seen.set(k, (same = []));
    // The first earlier member compiled together with m: almost always same[0].
    const first = same.find((p) => !c.branches.exclusive(p.line, m.line));
    if (first) {
      if (image.addedHere(m.line)) out.push([first, m]);
      else {
        const added = same.find((p) => image.addedHere(p.line) && !c.branches.exclusive(p.line, m.line));
        if (added) out.push([m, added]);
      }
    }
    if (same.length < ALTERNATIVES) same.push(m);
  }
  return out;
}

/** How many distinct values more than one member has (members compiled together only). */
function sharedValues(c: CFile, members: Valued[]): number {
  const seen = new Map<string, Member[]>();
  const shared = new Set<string>();
  for (const m of members) {
    const k = m.literal;
    let same = seen.get(k);
    if (!same) seen.set(k, (same = []));
    if (!shared.has(k) && same.some((p) => !c.branches.exclusive(p.line, m.line))) shared.add(k);
    if (same.length < ALTERNATIVES) same.push(m);
  }
  return shared.size;
}

/** An integer literal's value (`0x10` = `16` = `020`), or null for any other expression. */
function literalValue(v: string): string | null {
  const m = /^\(?\s*(-?)\s*(0[xX][0-9a-fA-F]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)[uUlL]*\s*\)?$/.exec(v.trim());
  if (!m) return null;
  const lit = m[2]!;
  const n = /^0[0-7]+$/.test(lit) ? BigInt('0o' + lit.slice(1)) : BigInt(lit);
  return `${m[1]}${n}`;
}
