// The rule registry: every rule zdcheck runs, in the order its docs index lists them.
// Adding a rule: a folder rules/<id>/ (index.ts, README.md, fixtures/, <id>.test.ts), one line here,
// then `npm run docs` (the README table and rules/README.md); test/rules.meta.test.ts and
// test/docs-index.test.ts check the pieces.
import type { Rule, RuleMeta } from './engine/rule.js';
import { meta as unusedWaiver } from './waivers/unused.js';
import seriesNumbering from '../rules/series-numbering/index.js';
import coverDiffstatMismatch from '../rules/cover-diffstat-mismatch/index.js';
import missingSignoff from '../rules/missing-signoff/index.js';
import signoffAuthorMismatch from '../rules/signoff-author-mismatch/index.js';
import garbledEncoding from '../rules/garbled-encoding/index.js';
import unreadableMessage from '../rules/unreadable-message/index.js';
import patchWithoutDiff from '../rules/patch-without-diff/index.js';
import whitespaceDamagedPatch from '../rules/whitespace-damaged-patch/index.js';
import truncatedPatch from '../rules/truncated-patch/index.js';
import listNotCopied from '../rules/list-not-copied/index.js';
import zoneDeviceWithoutDevmap from '../rules/zone-device-without-devmap/index.js';
import zoneDevicePageSizeCondition from '../rules/zone-device-page-size-condition/index.js';
import archHookSignatureDrift from '../rules/arch-hook-signature-drift/index.js';
import doesNotApply from '../rules/does-not-apply/index.js';
import uncalledPredicate from '../rules/uncalled-predicate/index.js';
import duplicateEnumerator from '../rules/duplicate-enumerator/index.js';
import kconfigTextContradictsModel from '../rules/kconfig-text-contradicts-model/index.js';
import unknownIdentifierInComment from '../rules/unknown-identifier-in-comment/index.js';
import missingConfigStub from '../rules/missing-config-stub/index.js';
import configOnlyName from '../rules/config-only-name/index.js';
import unhandledMemoryType from '../rules/unhandled-memory-type/index.js';
import memoryTypeMisuse from '../rules/memory-type-misuse/index.js';
import removedTypeStillUsed from '../rules/removed-type-still-used/index.js';
import modelDiffersFromTree from '../rules/model-differs-from-tree/index.js';
import apiNotInKernel from '../rules/api-not-in-kernel/index.js';
import coverLetterTemplate from '../rules/cover-letter-template/index.js';
import fixesTagMismatch from '../rules/fixes-tag-mismatch/index.js';
import archDevmapContract from '../rules/arch-devmap-contract/index.js';
import unusedNewFunction from '../rules/unused-new-function/index.js';
import predicateTestsOtherType from '../rules/predicate-tests-other-type/index.js';
import hunkBreaksSyntax from '../rules/hunk-breaks-syntax/index.js';
import redundantTypeTest from '../rules/redundant-type-test/index.js';
import breaksBisection from '../rules/breaks-bisection/index.js';
import removedFieldStillUsed from '../rules/removed-field-still-used/index.js';
import droppedInclude from '../rules/dropped-include/index.js';
import missingInclude from '../rules/missing-include/index.js';

export const RULES: readonly Rule[] = [
  seriesNumbering,
  coverDiffstatMismatch,
  missingSignoff,
  signoffAuthorMismatch,
  garbledEncoding,
  unreadableMessage,
  patchWithoutDiff,
  whitespaceDamagedPatch,
  truncatedPatch,
  listNotCopied,
  zoneDeviceWithoutDevmap,
  zoneDevicePageSizeCondition,
  archHookSignatureDrift,
  doesNotApply,
  uncalledPredicate,
  duplicateEnumerator,
  kconfigTextContradictsModel,
  unknownIdentifierInComment,
  missingConfigStub,
  configOnlyName,
  unhandledMemoryType,
  memoryTypeMisuse,
  removedTypeStillUsed,
  apiNotInKernel,
  modelDiffersFromTree,
  coverLetterTemplate,
  fixesTagMismatch,
  archDevmapContract,
  unusedNewFunction,
  predicateTestsOtherType,
  hunkBreaksSyntax,
  redundantTypeTest,
  breaksBisection,
  removedFieldStillUsed,
  droppedInclude,
  missingInclude,
];

/**
 * Every rule a finding can name, each with its doc page: the rules above, then unused-waiver, which the
 * waiver stage reports after they ran (src/waivers). The docs index (npm run docs) lists these.
 */
export const RULE_METAS: readonly RuleMeta[] = [...RULES.map((r) => r.meta), unusedWaiver];

export function findRule(id: string): Rule | undefined {
  return RULES.find((r) => r.meta.id === id);
}
