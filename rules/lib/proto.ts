// C function heads in plain text: enough to tell whether a declaration and a definition
// agree on their parameter types. Parameter names and attributes (`__meminit`, `__ref`)
// do not count; types, their order and the return type do.

export interface FunctionHead {
  name: string;
  /** The return type as written, attributes and storage class dropped, spaces collapsed. */
  ret: string;
  /** Parameters as written, spaces collapsed. */
  params: string[];
  /** Ends with `;` (a declaration) or `{` (a definition). */
  kind: 'declaration' | 'definition';
  /** Index (0-based) of the line holding the name, and of the line holding the closing `)`. */
  line: number;
  end: number;
}

const TYPE_WORDS = new Set([
  'void',
  'int',
  'long',
  'short',
  'char',
  'unsigned',
  'signed',
  'bool',
  'float',
  'double',
  'u8',
  'u16',
  'u32',
  'u64',
  's8',
  's16',
  's32',
  's64',
  'size_t',
  'ssize_t',
  'phys_addr_t',
  'resource_size_t',
  'pte_t',
  'pmd_t',
  'pud_t',
  'p4d_t',
  'pgd_t',
  'pgprot_t',
  'gfp_t',
  'loff_t',
  'pgoff_t',
]);
const NOISE =
  /\b(?:extern|static|inline|__always_inline|__weak|__init|__meminit|__ref|__ref_|__cpuinit|noinline|__must_check|notrace|__maybe_unused|asmlinkage)\b/g;

/** One spelling per integer type: `unsigned` is `unsigned int`, `long int` is `long`, `signed int` is `int`. */
export function canonicalType(type: string): string {
  return type.replace(
    /\b(?:(?:un)?signed|int|long|short|char)(?:\s+(?:(?:un)?signed|int|long|short|char))*\b/g,
    (words) => {
      const w = words.split(/\s+/);
      const unsigned = w.includes('unsigned');
      const base = w.filter((x) => x !== 'signed' && x !== 'unsigned' && x !== 'int');
      // char keeps its signedness (plain, signed and unsigned char are three types).
      if (w.includes('char'))
        return [w.includes('signed') ? 'signed' : unsigned ? 'unsigned' : '', 'char'].filter(Boolean).join(' ');
      return [unsigned ? 'unsigned' : '', ...(base.length ? base : ['int'])].filter(Boolean).join(' ');
    },
  );
}

/** A parameter's type: its name (the last identifier, when it is not a type word) removed. */
export function paramType(param: string): string {
  let p = param
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/\b__\w+\b/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  if (p === '...' || p === 'void') return p;
  // Function pointers: keep as written minus the inner name.
  if (/\(\s*\*\s*\w+\s*\)/.test(p)) return p.replace(/\(\s*\*\s*\w+\s*\)/, '(*)').replace(/\s+/g, '');
  const arr = /\s*(\[[^\]]*\])+$/.exec(p);
  if (arr) p = p.slice(0, arr.index);
  const m = /^(.*?)(\**)\s*([A-Za-z_]\w*)$/.exec(p);
  if (m && m[1]!.trim() && !TYPE_WORDS.has(m[3]!)) p = `${m[1]!.trim()} ${m[2]}`.trim();
  return canonicalType(p + (arr ? '[]' : ''))
    .replace(/\s*\*\s*/g, '*')
    .replace(/\s+/g, ' ')
    .trim();
}

export function signatureKey(head: Pick<FunctionHead, 'ret' | 'params'>): string {
  const params = head.params.length === 0 ? ['void'] : head.params.map(paramType);
  return `${canonicalType(head.ret).replace(/\s*\*\s*/g, '*')} (${params.join(', ')})`;
}

export function sameSignature(
  a: Pick<FunctionHead, 'ret' | 'params'>,
  b: Pick<FunctionHead, 'ret' | 'params'>,
): boolean {
  return signatureKey(a) === signatureKey(b);
}

function splitParams(inner: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of inner) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  if (cur.trim()) out.push(cur);
  const ps = out.map((p) => p.replace(/\s+/g, ' ').trim());
  return ps.length === 1 && ps[0] === 'void' ? [] : ps;
}

/**
 * Every head of `name` in `lines` (a declaration or a definition at file scope: the
 * return type starts the statement, so calls and uses are skipped). `start` limits the
 * search to heads whose name sits on one of `only` when given.
 */
export function findHeads(lines: readonly string[], name: string, only?: ReadonlySet<number>): FunctionHead[] {
  const heads: FunctionHead[] = [];
  const nameRe = new RegExp(`\\b${name}\\s*\\(`);
  for (let i = 0; i < lines.length; i++) {
    if (only && !only.has(i)) continue;
    const line = lines[i]!;
    const m = nameRe.exec(line);
    if (!m) continue;
    // The return type: this line's text before the name, or (kernel style `int\nname(`) the line above.
    let before = line.slice(0, m.index);
    if (/^\s/.test(line) && before.trim() === '') continue;
    if (
      before.trim() === '' &&
      i > 0 &&
      /^[A-Za-z_][\w\s*]*$/.test(lines[i - 1]!.trim()) &&
      !/[;{}]\s*$/.test(lines[i - 1]!)
    )
      before = lines[i - 1]!;
    if (/[=;(){}]|\breturn\b|^\s*#/.test(before) || before.trim() === '') continue;
    if (/^\s/.test(before) && !/^\s*(?:extern|static)\b/.test(before)) continue;
    // Collect up to the matching ')', then what follows it.
    let text = line.slice(m.index + m[0].length);
    let depth = 1;
    let j = i;
    let inner = '';
    let rest = '';
    for (;;) {
      let k = 0;
      for (; k < text.length && depth > 0; k++) {
        const ch = text[k]!;
        if (ch === '(') depth++;
        else if (ch === ')') {
          depth--;
          if (depth === 0) break;
        }
        inner += ch;
      }
      if (depth === 0) {
        rest = text.slice(k + 1);
        break;
      }
      if (++j >= lines.length || j - i > 12) break;
      inner += ' ';
      text = lines[j]!;
    }
    if (depth !== 0) continue;
    // What ends the head: `;` or `{` on the same line or the next non-empty one.
    let tail = rest.trim();
    let t = j;
    while (!tail && t + 1 < lines.length && t - j < 3) tail = lines[++t]!.trim();
    const kind = tail.startsWith(';') ? 'declaration' : tail.startsWith('{') ? 'definition' : null;
    if (!kind) continue;
    const ret = before.replace(NOISE, ' ').replace(/\s+/g, ' ').trim();
    if (!ret) continue;
    heads.push({ name, ret, params: splitParams(inner), kind, line: i, end: j });
  }
  return heads;
}
