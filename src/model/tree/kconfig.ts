// The Kconfig of a base tree: the config entries of the memory types, and the entry an arch
// select sits in.

export interface KconfigEntry {
  name: string;
  prompt: string | null;
  dependsOn: string[];
  selects: string[];
  help: string;
  line: number;
}

/** `config NAME` blocks of a Kconfig text with their prompt, depends on, selects and help. */
export function extractKconfigEntries(text: string): KconfigEntry[] {
  const entries: KconfigEntry[] = [];
  let cur: KconfigEntry | null = null;
  let inHelp = false;
  let helpIndent = -1;
  text.split('\n').forEach((raw, i) => {
    const line = raw.replace(/\t/g, '        ');
    const head = /^\s*(?:menu)?config\s+(\w+)\s*$/.exec(line);
    if (head) {
      cur = { name: head[1]!, prompt: null, dependsOn: [], selects: [], help: '', line: i + 1 };
      entries.push(cur);
      inHelp = false;
      return;
    }
    if (!cur) return;
    const c: KconfigEntry = cur;
    if (inHelp) {
      const indent = line.search(/\S/);
      if (indent < 0) { c.help += '\n'; return; }
      if (helpIndent < 0) helpIndent = indent;
      if (indent >= helpIndent) { c.help += `${line.trim()}\n`; return; }
      inHelp = false;
    }
    const t = line.trim();
    let m: RegExpExecArray | null;
    if ((m = /^(?:bool|tristate|prompt|string|int|hex)\s+"([^"]*)"/.exec(t))) c.prompt = m[1]!;
    else if ((m = /^depends\s+on\s+(.+)$/.exec(t))) c.dependsOn.push(m[1]!.trim());
    else if ((m = /^select\s+(.+)$/.exec(t))) c.selects.push(m[1]!.replace(/\s+/g, ' ').trim());
    else if (/^(?:---)?\s*help\s*(?:---)?$/.test(t)) { inHelp = true; helpIndent = -1; }
    else if (/^(?:endmenu|endif|menu|if|choice|endchoice|source|comment)\b/.test(t)) cur = null;
  });
  for (const e of entries) e.help = e.help.trim();
  return entries;
}

/** The `config NAME` entry a line (1-based) of a Kconfig text belongs to, or null. */
export function ownerEntry(lines: readonly string[], line: number): string | null {
  for (let i = line - 1; i >= 0; i--) {
    const m = /^\s*(?:menu)?config\s+(\w+)\s*$/.exec(lines[i]!);
    if (m) return m[1]!;
    if (/^\s*(?:endmenu|endif|menu|if|choice|endchoice|source|comment)\b/.test(lines[i]!) && i !== line - 1) return null;
  }
  return null;
}
