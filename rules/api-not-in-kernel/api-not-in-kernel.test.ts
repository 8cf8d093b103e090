import { testRule } from '../../test/rule-tester.js';
import rule from './index.js';

// Every case in the modes it declares (X-Modes): mail alone (the model at the inferred kernel),
// with its base tree, and as a git range on that tree (the tree decides).
testRule(rule, import.meta.dirname);
