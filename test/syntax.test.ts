import { describe, expect, it } from 'vitest';
import { buildSource } from '../src/source/index.js';
import {
  calleesIn,
  calls,
  comments,
  createSyntaxView,
  enclosingFunction,
  enumBodies,
  enumeratorValues,
  functionHeads,
  functionNames,
  identifiers,
  identifiersIn,
  parseCImage,
  parseKconfig,
  preprocBranches,
  switches,
  truthOperands,
  wholeText,
  type CFile,
} from '../src/syntax/index.js';
import { patchOf, seriesOf } from './source-helpers.js';

/** The post-image of one file of a one-patch series, hunk-only. */
function post(diff: string) {
  return buildSource(seriesOf(patchOf('p', diff)), null).steps()[0]!.post;
}
const newFile = (path: string, lines: string[]) => `--- /dev/null
+++ b/${path}
@@ -0,0 +1,${lines.length} @@
${lines.map((l) => '+' + l).join('\n')}
`;
const at = (c: CFile, n: { unit: Parameters<CFile['line']>[0]; node: Parameters<CFile['line']>[1] }) =>
  c.line(n.unit, n.node);

const HEADER = [
  '#ifndef _X_H', //            0
  '#define _X_H', //            1
  '/* kinds */', //             2
  'enum memory_type {', //      3
  '\tMEMORY_DEVICE_HOST = 0,', // 4
  '\tMEMORY_DEVICE_PRIVATE,', //  5
  '};', //                      6
  '#ifdef CONFIG_ZONE_DEVICE', // 7
  'bool is_device_private_page(const struct page *page);', // 8
  'static inline int __weak arch_hook(void) { return 0; }', // 9
  '#else', //                   10
  'static inline bool is_device_private_page(const struct page *page) { return false; }', // 11
  '#endif', //                  12
  '#define page_ok(p) ((p) != NULL)', // 13
  'static int kind(struct dev_pagemap *pgmap)', // 14
  '{', //                       15
  '\tint (*cb)(void) = NULL;', // 16
  '\tswitch (pgmap->type) {', // 17
  '\tcase MEMORY_DEVICE_HOST:', // 18
  '\t\treturn page_ok(cb) || !cb;', // 19
  '\tdefault:', //              20
  '\t\treturn 0;', //           21
  '\t}', //                     22
  '}', //                       23
  '#endif', //                  24
];

describe('C syntax of a whole image', () => {
  const c = parseCImage(post(newFile('include/linux/x.h', HEADER)));

  it('parses once per image through the view', () => {
    const img = post(newFile('include/linux/x.h', HEADER));
    const view = createSyntaxView();
    expect(view.c(img)).toBe(view.c(img));
    expect(view.kconfig(img)).toBeNull();
    expect(c.units).toHaveLength(1);
    expect(c.units[0]!.root.hasError).toBe(false);
  });

  it('finds functions and function-like macros, weak ones marked', () => {
    expect(functionNames(c).map((f) => `${f.name}:${f.kind}${f.weak ? ':weak' : ''}@${at(c, f)}`)).toEqual([
      'is_device_private_page:function@8',
      'arch_hook:function:weak@9',
      'is_device_private_page:function@11',
      'page_ok:macro@13',
      'kind:function@14',
    ]);
  });

  it('finds enums with enumerators and values, switches with cases, calls, comments', () => {
    const [e] = enumBodies(c);
    expect(e!.name).toBe('memory_type');
    expect(e!.complete).toBe(true);
    expect(e!.enumerators.map((x) => [x.name, x.value])).toEqual([
      ['MEMORY_DEVICE_HOST', '0'],
      ['MEMORY_DEVICE_PRIVATE', null],
    ]);
    const [s] = switches(c);
    expect(s!.condition.text).toBe('(pgmap->type)');
    expect(s!.cases.map((x) => x.value)).toEqual(['MEMORY_DEVICE_HOST', null]);
    expect(s!.hasDefault).toBe(true);
    expect(calls(c).map((x) => x.callee)).toEqual(['page_ok']);
    expect(comments(c).map((x) => [x.first, x.text])).toEqual([[2, '/* kinds */']]);
    expect(identifiers(c, 'cb').map((x) => at(c, x))).toEqual([16, 19, 19]);
  });

  it('gives the enclosing function and the #if branch with its condition', () => {
    const [s] = switches(c);
    expect(enclosingFunction(s!.unit, s!.node)).toMatchObject({ name: 'kind', synthetic: false });
    const b = c.branches;
    expect(b.at(8).map((x) => [x.directive, x.condition])).toEqual([
      ['ifndef', '!defined(_X_H)'],
      ['ifdef', 'defined(CONFIG_ZONE_DEVICE)'],
    ]);
    expect(b.at(11).map((x) => [x.directive, x.condition, x.prior])).toEqual([
      ['ifndef', '!defined(_X_H)', []],
      ['else', null, ['defined(CONFIG_ZONE_DEVICE)']],
    ]);
    expect(b.exclusive(8, 11)).toBe(true);
    expect(b.exclusive(8, 9)).toBe(false);
  });

  it('lists truth operands, unwrapping parentheses', () => {
    expect(truthOperands(c).map((o) => o.node.text)).toEqual(['page_ok(cb)', '!cb', 'cb']);
  });
});

describe('C syntax of fragments', () => {
  it('a hunk inside a function body parses as statements, named by the @@ header', () => {
    const img = post(`--- a/mm/m.c
+++ b/mm/m.c
@@ -20,4 +20,5 @@ static bool can_move(struct page *page,
 	if (is_zone_device_page(page)) {
 		if (is_device_private_page(page) ||
+		    is_device_public_page)
 			extra++;
`);
    const c = parseCImage(img);
    const [u] = c.units;
    expect(u!.prelude).toBe(1);
    expect(u!.root.hasError).toBe(false);
    const op = truthOperands(c).find((o) => o.node.text === 'is_device_public_page')!;
    expect(c.line(op.unit, op.node)).toBe(2);
    expect(img.lineNumber(2)).toBe(22);
    expect(enclosingFunction(op.unit, op.node)).toMatchObject({ name: 'can_move', synthetic: true });
  });

  it('a hunk that opens a function body gets the signature from its @@ header back', () => {
    const img = post(`--- a/mm/m.c
+++ b/mm/m.c
@@ -6,5 +6,6 @@ static bool can_move(struct page *page)
 {
 	int extra = 1;
-	if (is_device_private_page(page))
+	if (is_device_private_page(page) ||
+	    is_device_public_page)
 		extra++;
`);
    const c = parseCImage(img);
    const [u] = c.units;
    expect(u!.prelude).toBe(1);
    expect(u!.root.hasError).toBe(false);
    const op = truthOperands(c).find((o) => o.node.text === 'is_device_public_page')!;
    expect(img.lineNumber(c.line(op.unit, op.node)!)).toBe(9);
    // A real definition now, parameters in view: `page` is known to be a parameter.
    expect(enclosingFunction(op.unit, op.node)).toMatchObject({ name: 'can_move', synthetic: false });
  });

  it('a hunk starting inside a comment, then an enum opened by the header', () => {
    const c = parseCImage(
      post(`--- a/x.h
+++ b/x.h
@@ -5,6 +5,7 @@ struct foo;
  * MEMORY_DEVICE_PRIVATE: the device only.
  */
 enum memory_type {
 	MEMORY_DEVICE_HOST = 0,
+	MEMORY_DEVICE_PUBLIC,
 };
@@ -40,3 +41,4 @@ enum memory_type {
 	MEMORY_DEVICE_PRIVATE,
+	MEMORY_DEVICE_X,
 };
`),
    );
    expect(c.units.map((u) => u.prelude)).toEqual([1, 1]);
    expect(c.units.every((u) => !u.root.hasError)).toBe(true);
    expect(comments(c).map((x) => [x.first, x.last])).toEqual([[0, 1]]);
    const enums = enumBodies(c);
    expect(enums.map((e) => [e.name, e.complete, e.enumerators.map((x) => x.name).join(',')])).toEqual([
      ['memory_type', true, 'MEMORY_DEVICE_HOST,MEMORY_DEVICE_PUBLIC'],
      ['memory_type', false, 'MEMORY_DEVICE_PRIVATE,MEMORY_DEVICE_X'],
    ]);
    expect(c.line(enums[1]!.unit, enums[1]!.enumerators[1]!.node)).toBe(7);
  });

  it('an #else without its #if: earlier lines sit in an unseen arm', () => {
    const img = post(`--- a/x.h
+++ b/x.h
@@ -10,4 +10,6 @@
 bool f(void);
+bool g(void);
 #else
 static inline bool f(void) { return false; }
+static inline bool g(void) { return false; }
 #endif
`);
    const b = preprocBranches(img);
    expect(b.at(1).map((x) => [x.directive, x.condition, x.line])).toEqual([['if', null, null]]);
    expect(b.at(4).map((x) => [x.directive, x.line])).toEqual([['else', 2]]);
    expect(b.exclusive(1, 4)).toBe(true);
    expect(b.at(5)).toHaveLength(1);
    const c = parseCImage(img);
    expect(c.units[0]!.root.hasError).toBe(false);
    expect(functionNames(c).map((f) => f.name)).toEqual(['f', 'g', 'f', 'g']);
  });

  it('complementary #ifdef / #ifndef groups exclude each other', () => {
    const b = preprocBranches(
      post(
        newFile('a.h', [
          '#ifndef CONFIG_A',
          'x',
          '#endif',
          '#if IS_ENABLED(CONFIG_A)',
          'y',
          '#endif',
          '#ifdef CONFIG_B',
          'z',
          '#endif',
        ]),
      ),
    );
    expect(b.exclusive(1, 4)).toBe(true);
    expect(b.exclusive(1, 7)).toBe(false);
  });

  it('kernel annotations do not break declarations; errors are contained', () => {
    const c = parseCImage(
      post(
        newFile('a.c', [
          'static int __init __must_check setup(void) { return 0; }',
          'void __weak arch_flush(void);',
          'int broken( { ;',
        ]),
      ),
    );
    expect(functionNames(c).map((f) => `${f.name}${f.weak ? ':weak' : ''}`)).toEqual(['setup', 'arch_flush:weak']);
    expect(c.units[0]!.root.hasError).toBe(true);
  });
});

describe("a whole text read on its own (a base tree's file)", () => {
  const TEXT = [
    '#define is_x_page(p) ((p)->type == MEMORY_DEVICE_X && is_y_page(p))', // 0
    'enum memory_type {', //                   1
    '\tMEMORY_DEVICE_A = 0x4, /* four */', // 2
    '\tMEMORY_DEVICE_B,', //                  3
    '\tMEMORY_DEVICE_C = 1 << 3,', //         4
    '\tMEMORY_DEVICE_D,', //                  5
    '\tMEMORY_DEVICE_E = 7,', //              6
    '\tMEMORY_DEVICE_F,', //                  7
    '};', //                                   8
    'struct page *first_page(void);', //       9
    'static inline bool is_a_page(const struct page *p)', // 10
    '{', //                                    11
    '\tbool is_local(int);', //               12
    '\treturn p->type == MEMORY_DEVICE_A || is_b_page(p);', // 13
    '}', //                                    14
    '#ifdef CONFIG_B', //                      15
    'bool is_b_page(const struct page *p);', // 16
    '#endif', //                               17
  ];
  const c = parseCImage(wholeText('include/linux/x.h', TEXT.join('\n') + '\n'));

  it('is one segment with no line added', () => {
    const t = wholeText('mm/Kconfig', 'config A\n\tbool\n');
    expect([t.lines, t.segments, t.addedHere(0), t.text()]).toEqual([
      ['config A', '\tbool'],
      [{ start: 0, end: 2, hunk: null }],
      false,
      'config A\n\tbool',
    ]);
    expect(parseKconfig(t).entries.map((e) => [e.name, e.line, e.type])).toEqual([['A', 0, 'bool']]);
  });

  it('gives the values C gives enumerators, and none after an expression until the next literal', () => {
    expect(enumeratorValues(enumBodies(c)[0]!)).toEqual([4, 5, null, null, 7, 8]);
  });

  it('lists functions defined or declared at file scope and function-like macros, with their bodies', () => {
    const heads = functionHeads(c);
    expect(heads.map((h) => [h.name, h.kind, c.line(h.unit, h.node)])).toEqual([
      ['is_x_page', 'macro', 0],
      ['first_page', 'declaration', 9],
      ['is_a_page', 'definition', 10],
      ['is_b_page', 'declaration', 16],
    ]);
    expect(functionHeads(c, (n) => n.startsWith('is_') && n.endsWith('_page')).map((h) => h.name)).toEqual([
      'is_x_page',
      'is_a_page',
      'is_b_page',
    ]);
    const [macro, , def, decl] = heads;
    expect(decl!.body).toBeNull();
    expect(identifiersIn(def!.body!)).toEqual(['is_local', 'p', 'MEMORY_DEVICE_A', 'is_b_page', 'p']);
    expect(calleesIn(def!.body!)).toEqual(['is_b_page']);
    expect(identifiersIn(macro!.body!)).toEqual(['p', 'type', 'MEMORY_DEVICE_X', 'is_y_page', 'p']);
    expect(calleesIn(macro!.body!)).toEqual(['is_y_page']);
    expect(c.branches.at(16).map((b) => b.condition)).toEqual(['defined(CONFIG_B)']);
  });
});
