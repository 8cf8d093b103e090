import { testRule } from '../../test/rule-tester.js';
import rule from './index.js';

// Every case in mail mode: whether a mail carries a diff is in the mail alone.
testRule(rule, import.meta.dirname);
