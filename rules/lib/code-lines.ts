// C lines with comments and string literals blanked, so a name in a comment or a message is
// not taken for a use. Works on fragments too: a first line that continues a block comment
// (` * text`) starts inside it.

export function codeLines(lines: readonly string[]): string[] {
  const out: string[] = [];
  let block = lines.length > 0 && /^\s*\*(\s|\/|$)/.test(lines[0]!) && !lines[0]!.includes('/*');
  for (const line of lines) {
    let s = '';
    for (let k = 0; k < line.length; k++) {
      const ch = line[k]!;
      if (block) {
        if (ch === '*' && line[k + 1] === '/') {
          block = false;
          k++;
          s += ' ';
        }
        s += ' ';
      } else if (ch === '/' && line[k + 1] === '*') {
        block = true;
        k++;
        s += '  ';
      } else if (ch === '/' && line[k + 1] === '/') break;
      else if (ch === '"' || ch === "'") {
        const q = ch;
        s += q;
        for (k++; k < line.length && line[k] !== q; k++) {
          if (line[k] === '\\') k++;
          s += ' ';
        }
        s += q;
      } else s += ch;
    }
    out.push(s);
  }
  return out;
}
