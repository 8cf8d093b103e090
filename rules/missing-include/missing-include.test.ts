import { testRule } from '../../test/rule-tester.js';
import rule from './index.js';

// Only with a base tree (its #include graph); from mail alone the rule says nothing.
testRule(rule, import.meta.dirname);
