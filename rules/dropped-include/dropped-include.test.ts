import { testRule } from '../../test/rule-tester.js';
import rule from './index.js';

// Every case in mail, tree and git modes (each declares X-Modes): the finding needs the tree; the mail
// alone gets the one not-checked line.
testRule(rule, import.meta.dirname);
