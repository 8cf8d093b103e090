import { testRule } from '../../test/rule-tester.js';
import rule from './index.js';

// Every case in mail mode: the cover letter is all the rule reads.
testRule(rule, import.meta.dirname);
