import { defineRule, type Report } from '../../src/engine/rule.js';
import { MEMREMAP_H } from '../../src/model/run.js';
import { DIFFERENCE_SENTENCES as SAYS } from '../../src/model/tree/compare.js';
import type { TreeDifference, TreeDifferenceKind } from '../../src/model/tree/types.js';

type Id =
  | 'enumMemberOnlyInTree'
  | 'enumValueDiffers'
  | 'enumMemberMissing'
  | 'helperOnlyInTree'
  | 'helperMissing'
  | 'helperHeaderDiffers'
  | 'helperGuardDiffers'
  | 'kconfigOnlyInTree'
  | 'kconfigMissing'
  | 'kconfigFileDiffers'
  | 'zoneDeviceGateOfOtherEra'
  | 'zoneDeviceGateDiffers'
  | 'archSelectOnlyInTree'
  | 'archSelectMissing'
  | 'archConditionDiffers';

/** The kinds whose message is the model report's sentence, and its id. */
const SAID_AS_IN_THE_MODEL: Record<
  Exclude<TreeDifferenceKind, 'helper-missing-in-tree' | 'kconfig-gate-differs'>,
  Id
> = {
  'only-in-tree': 'enumMemberOnlyInTree',
  'value-differs': 'enumValueDiffers',
  'missing-in-tree': 'enumMemberMissing',
  'helper-only-in-tree': 'helperOnlyInTree',
  'helper-header-differs': 'helperHeaderDiffers',
  'helper-guard-differs': 'helperGuardDiffers',
  'kconfig-only-in-tree': 'kconfigOnlyInTree',
  'kconfig-missing-in-tree': 'kconfigMissing',
  'kconfig-file-differs': 'kconfigFileDiffers',
  'arch-only-in-tree': 'archSelectOnlyInTree',
  'arch-missing-in-tree': 'archSelectMissing',
  'arch-condition-differs': 'archConditionDiffers',
};

const FOLLOWED =
  "the tree is followed: where the base tree and zdcheck's model data differ, the rules judge by the tree";

export default defineRule<Id>({
  meta: {
    id: 'model-differs-from-tree',
    severity: 'info',
    description:
      "The base tree's enum memory_type, helpers, Kconfig entries or arch selects differ from zdcheck's model data for its kernel; the tree is followed",
    scope: 'series',
    runsOn: 'zone-device',
    // The model report's sentences (src/model/tree/compare.ts), but for the two whose lists do not
    // fit one line: the headers read, and config ZONE_DEVICE's dependencies, are in the detail.
    messages: {
      enumMemberOnlyInTree: SAYS['only-in-tree'],
      enumValueDiffers: SAYS['value-differs'],
      enumMemberMissing: SAYS['missing-in-tree'],
      helperOnlyInTree: SAYS['helper-only-in-tree'],
      helperMissing:
        "the model lists {{helper}}() in {{header}} for {{release}} but none of the base tree's helper headers has it",
      helperHeaderDiffers: SAYS['helper-header-differs'],
      helperGuardDiffers: SAYS['helper-guard-differs'],
      kconfigOnlyInTree: SAYS['kconfig-only-in-tree'],
      kconfigMissing: SAYS['kconfig-missing-in-tree'],
      kconfigFileDiffers: SAYS['kconfig-file-differs'],
      zoneDeviceGateOfOtherEra:
        "config ZONE_DEVICE depends on the ZONE_DEVICE era {{treeEra}}'s gate in the base tree, on era {{modelEra}}'s in the model for {{release}}",
      zoneDeviceGateDiffers:
        'config ZONE_DEVICE depends on other symbols in the base tree than in the model for {{release}} (era {{modelEra}})',
      archSelectOnlyInTree: SAYS['arch-only-in-tree'],
      archSelectMissing: SAYS['arch-missing-in-tree'],
      archConditionDiffers: SAYS['arch-condition-differs'],
    },
  },
  check(ctx) {
    // Without a base tree there is nothing to compare; don't build the model for nothing.
    if (!ctx.baseTree) return;
    const m = ctx.model();
    if (!m.tree) return;
    // The same tree serves every series of the run: each difference is said once per run. A
    // difference that depends on the series (its kernel inferred from the mail when the tree's
    // Makefile says nothing) has its own sentence, so it keeps its own line.
    for (const d of m.treeDifferences) {
      ctx.gather({ key: d.message, items: [], render: () => reportOf(d) });
    }
  },
});

/** The finding for one difference: its message, and in the detail where the tree shows it and what did not fit. */
function reportOf(d: TreeDifference): Omit<Report<Id>, 'patch'> {
  const at = d.line !== null ? `at ${d.file ?? MEMREMAP_H}:${d.line} of the base tree; ` : '';
  const { data } = d;
  switch (d.kind) {
    case 'helper-missing-in-tree':
      return {
        messageId: 'helperMissing',
        data: { helper: data['helper']!, header: data['header']!, release: data['release']! },
        detail: `${at}the base tree's ${data['headers']} do not have it; ${FOLLOWED}`,
      };
    case 'kconfig-gate-differs': {
      const eras = { treeEra: data['treeEra']!, modelEra: data['modelEra']!, release: data['release']! };
      return {
        ...(eras.treeEra !== eras.modelEra
          ? { messageId: 'zoneDeviceGateOfOtherEra', data: eras }
          : { messageId: 'zoneDeviceGateDiffers', data: { modelEra: eras.modelEra, release: eras.release } }),
        detail: `${at}it depends on ${data['treeGate']} there, on ${data['modelGate']} in the model; ${FOLLOWED}`,
      };
    }
    default:
      return { messageId: SAID_AS_IN_THE_MODEL[d.kind], data, detail: `${at}${FOLLOWED}` };
  }
}
