// Struct members with their #if arms, and which struct a member read reads from (members.ts).
import { describe, expect, it } from 'vitest';
import { buildSource } from '../../src/source/index.js';
import { parseCImage, wholeText } from '../../src/syntax/index.js';
import { patchOf, seriesOf } from '../../test/source-helpers.js';
import { headerMembers, KNOWN_TYPEDEFS, memberUses, structMembers } from './members.js';

const HEADER = [
  '#ifndef _H',
  '#define _H',
  'typedef struct pglist_data {',
  '\tint node_id;',
  '#ifdef CONFIG_MEMORY_HOTPLUG',
  '\tspinlock_t node_size_lock;',
  '#else',
  '\tint no_lock;',
  '#endif',
  '\tunion {',
  '\t\tstruct { int inner; };',
  '\t\tlong other;',
  '\t};',
  '\tstruct { int hidden; } named;',
  '} pg_data_t;',
  '#endif',
];

describe('struct members', () => {
  it('reads members inside #if arms and anonymous unions, with their conditions and typedefs', () => {
    const { members, typedefs } = headerMembers('include/linux/x.h', HEADER.join('\n'));
    expect(members.map((m) => `${m.aggregate}.${m.name}@${m.line + 1}`)).toEqual([
      'pglist_data.node_id@4',
      'pglist_data.node_size_lock@6',
      'pglist_data.no_lock@8',
      'pglist_data.inner@11',
      'pglist_data.other@12',
      'pglist_data.named@14',
    ]);
    expect(members.find((m) => m.name === 'node_size_lock')!.guard).toEqual({ k: 'sym', name: 'MEMORY_HOTPLUG' });
    expect(members.find((m) => m.name === 'node_id')!.guard).toEqual({ k: 'const', v: true });
    expect([...typedefs]).toEqual([['pg_data_t', 'pglist_data']]);
  });
});

const uses = (lines: string[], names: string[]) => {
  const c = parseCImage(wholeText('mm/x.c', lines.join('\n')));
  return memberUses(c, new Set(names), KNOWN_TYPEDEFS).map((u) => [u.name, u.of]);
};

describe('which struct a member read reads from', () => {
  it('a parameter, a local, a typedef, an accessor, a cast, an array member and an initializer', () => {
    expect(
      uses(
        [
          'void f(struct zone *zone, pg_data_t *pgdat, struct mem_cgroup *memcg)',
          '{',
          '\tstruct zone *z = &pgdat->node_zones[1];',
          '\tstruct mhp_params params = { .altmap = NULL };',
          '\tzone->span_seqlock = 0;',
          '\tpgdat->node_size_lock = 0;',
          '\tmemcg->deferred_split_queue = 0;',
          '\tNODE_DATA(0)->deferred_split_queue = 0;',
          '\t((struct zone *)p)->span_seqlock = 0;',
          '\tpgdat->node_zones[2].span_seqlock = 0;',
          '\tunknown->span_seqlock = 0;',
          '\tz->span_seqlock = 0;',
          '}',
        ],
        ['span_seqlock', 'node_size_lock', 'deferred_split_queue', 'altmap'],
      ),
    ).toEqual([
      ['altmap', { struct: 'mhp_params' }],
      ['span_seqlock', { struct: 'zone' }],
      ['node_size_lock', { struct: 'pglist_data' }],
      ['deferred_split_queue', { struct: 'mem_cgroup' }],
      ['deferred_split_queue', { struct: 'pglist_data' }],
      ['span_seqlock', { struct: 'zone' }],
      ['span_seqlock', { struct: 'zone' }],
      ['span_seqlock', null],
      ['span_seqlock', { struct: 'zone' }],
    ]);
  });

  it('a variable of another type is known not to be the struct; one declared later does not count', () => {
    expect(
      uses(
        [
          'void f(void)',
          '{',
          '\tlong zone;',
          '\tzone->span_seqlock = 0;',
          '\t{ struct zone *x; }',
          '\tx->span_seqlock = 0;',
          '}',
        ],
        ['span_seqlock'],
      ),
    ).toEqual([
      ['span_seqlock', { other: 'long' }],
      ['span_seqlock', null],
    ]);
  });

  it('in a fragment, a parameter the @@ header shows gives the type; one it does not show is unknown', () => {
    const img = buildSource(
      seriesOf(
        patchOf(
          'p',
          `--- a/mm/m.c
+++ b/mm/m.c
@@ -20,4 +20,6 @@ static void grow(struct zone *zone, unsigned long pfn,
 	if (pfn > end)
 		return;
+	write_seqlock(&zone->span_seqlock);
+	write_seqlock(&z->span_seqlock);
 	end = pfn;
 	count++;
`,
        ),
      ),
      null,
    ).steps()[0]!.post;
    const c = parseCImage(img);
    expect(memberUses(c, new Set(['span_seqlock']), KNOWN_TYPEDEFS).map((u) => u.of)).toEqual([
      { struct: 'zone' },
      null,
    ]);
    expect(structMembers(c).members).toEqual([]);
  });
});
