import { testRule } from '../../test/rule-tester.js';
import rule from './index.js';

// Mail alone only static definitions are judged (a warning); with the tree every function, and a
// mention anywhere (a callback's address, a macro argument that pastes the name) is a use.
testRule(rule, import.meta.dirname);
