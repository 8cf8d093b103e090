// The Kconfig of a base tree, read through src/syntax: the config entries of the memory types
// and the selects of arch/<arch>/Kconfig* with the entry each sits in.
import { parseKconfig, wholeText, type KconfigFile } from '../../syntax/index.js';

export interface KconfigEntry {
  name: string;
  prompt: string | null;
  dependsOn: string[];
  /** `SYMBOL` or `SYMBOL if CONDITION`, spaces collapsed. */
  selects: string[];
  help: string;
  /** 1-based line of `config NAME`. */
  line: number;
}

/** The `config NAME` / `menuconfig NAME` entries of a parsed Kconfig text. */
export function kconfigEntries(file: KconfigFile): KconfigEntry[] {
  return file.entries.flatMap((e) => {
    if ((e.kind !== 'config' && e.kind !== 'menuconfig') || e.name === null || e.line === null) return [];
    return [
      {
        name: e.name,
        prompt: e.prompt?.text ?? null,
        dependsOn: e.depends.map((d) => d.expr),
        selects: e.selects.map((s) =>
          (s.condition === null ? s.symbol : `${s.symbol} if ${s.condition}`).replace(/\s+/g, ' '),
        ),
        help: e.help?.text.trim() ?? '',
        line: e.line + 1,
      },
    ];
  });
}

/** kconfigEntries of a Kconfig text. */
export function extractKconfigEntries(text: string): KconfigEntry[] {
  return kconfigEntries(parseKconfig(wholeText('Kconfig', text)));
}

export interface KconfigSelect {
  symbol: string;
  /** Its `if`, spaces collapsed, or null. */
  condition: string | null;
  /** The config entry it belongs to, or null (none, or not a config entry). */
  entry: string | null;
}

/** The select on 1-based `line` of a parsed Kconfig text, or null when that line is no select. */
export function selectAt(file: KconfigFile, line: number): KconfigSelect | null {
  const entry = file.entryAt(line - 1);
  const select = entry?.selects.find((s) => s.line === line - 1);
  if (!entry || !select) return null;
  return {
    symbol: select.symbol,
    condition: select.condition === null ? null : select.condition.replace(/\s+/g, ' ').trim(),
    entry: entry.kind === 'config' || entry.kind === 'menuconfig' ? entry.name : null,
  };
}
