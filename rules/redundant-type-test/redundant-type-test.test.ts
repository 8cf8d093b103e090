import { testRule } from '../../test/rule-tester.js';
import rule from './index.js';

testRule(rule, import.meta.dirname);
