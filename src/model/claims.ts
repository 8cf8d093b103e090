// What a piece of prose (a Kconfig prompt or help, a kdoc paragraph) claims about a memory
// type's properties. Deliberately narrow: only wordings that say one thing, so a rule that
// compares them with the model never argues with a sentence it did not understand.
import type { CFile } from '../syntax/index.js';
import { comments, enumBodies } from '../syntax/index.js';

export interface PropertyClaims {
  /** true: the text says the CPU can address the memory; false: says it cannot; null: silent. */
  cpuAddressable: boolean | null;
  cacheCoherent: boolean | null;
  /** The words the claims rest on, for messages. */
  cpuWords: string | null;
  coherentWords: string | null;
}

const UNADDRESSABLE =
  /\b(un-?addressable|non-?addressable|not\s+(?:cpu[- ])?addressable|only\s+accessible\s+(?:from|by)\s+the\s+device|(?:cpu|host)\s+can(?:not|'t)\s+(?:address|access|read)|not\s+(?:accessible|reachable)\s+(?:from|by|to)\s+the\s+(?:cpu|host))\b/i;
const ADDRESSABLE =
  /\b((?:cpu[- ])?addressable(?!\s+by\s+the\s+device)|accessible\s+(?:from|by)\s+(?:both\s+)?(?:the\s+)?(?:device\s+and\s+(?:the\s+)?)?(?:cpu|host)|(?:cpu|host)[- ]accessible)\b/i;
const INCOHERENT = /\b(non-?coherent|in-?coherent|not\s+(?:cache[- ])?coherent)\b/i;
const COHERENT = /\b((?:cache[- ])?coherent)\b/i;

const globally = (r: RegExp) => new RegExp(r.source, r.flags + 'g');

export function claimsOf(text: string): PropertyClaims {
  const t = text.replace(/\s+/g, ' ');
  const un = UNADDRESSABLE.exec(t);
  // "addressable" inside "unaddressable" / "not addressable" is not a claim of its own.
  const addr = ADDRESSABLE.exec(t.replace(globally(UNADDRESSABLE), (m) => ' '.repeat(m.length)));
  const inc = INCOHERENT.exec(t);
  const coh = COHERENT.exec(t.replace(globally(INCOHERENT), (m) => ' '.repeat(m.length)));
  let cpuAddressable: boolean | null = null;
  let cpuWords: string | null = null;
  if (un && !addr) [cpuAddressable, cpuWords] = [false, un[0]];
  else if (addr && !un) [cpuAddressable, cpuWords] = [true, addr[0]];
  let cacheCoherent: boolean | null = null;
  let coherentWords: string | null = null;
  if (inc && !coh) [cacheCoherent, coherentWords] = [false, inc[0]];
  else if (coh && !inc) [cacheCoherent, coherentWords] = [true, coh[0]];
  // "coherent from device and CPU point of view": coherent with the CPU means the CPU reaches it.
  if (cpuAddressable === null && cacheCoherent === true && coh && /\b(cpu|host)\b/i.test(t))
    [cpuAddressable, cpuWords] = [true, coh[0] + ' ... CPU'];
  return { cpuAddressable, cacheCoherent, cpuWords, coherentWords };
}

/**
 * The paragraphs of the kdoc block right above `enum memory_type` in a C image, by member
 * name: `MEMORY_DEVICE_X:` starts one, the next such line or the end of the comment ends it.
 */
export function memoryTypeDocs(c: CFile): Map<string, { text: string; line: number }> {
  const out = new Map<string, { text: string; line: number }>();
  const enums = enumBodies(c).filter((e) => e.name === 'memory_type');
  if (enums.length === 0) return out;
  const all = comments(c);
  for (const e of enums) {
    const at = c.line(e.unit, e.node);
    if (at === null) continue;
    // The comment that ends on the line before the enum (or the one before that, past a blank).
    const doc = all.filter((k) => k.last < at && at - k.last <= 2).sort((a, b) => b.last - a.last)[0];
    if (!doc) continue;
    const lines = doc.text.split('\n');
    let cur: { name: string; text: string[]; line: number } | null = null;
    const flush = () => {
      if (cur) out.set(cur.name, { text: cur.text.join(' ').trim(), line: cur.line });
    };
    lines.forEach((raw, k) => {
      const l = raw.replace(/^\s*(\/\*\*?|\*\/|\*)?\s?/, '').replace(/\*\/\s*$/, '');
      const m = /^(MEMORY_DEVICE_\w+)\s*:\s*(.*)$/.exec(l.trim());
      if (m) {
        flush();
        cur = { name: m[1]!, text: [m[2]!], line: doc.first + k };
      } else if (cur) {
        if (l.trim() === '' && cur.text.join('').trim() !== '') {
          flush();
          cur = null;
        } else cur.text.push(l.trim());
      }
    });
    flush();
  }
  return out;
}
