export { MboxSplitter, splitMbox, isFromLine, type RawMessage, type SplitOptions } from './split.js';
export { parseMessage, messageFromText, isUnreadable, type ParseOptions } from './message.js';
export { decodeBytes, parseAddresses, parseMessageIds } from './headers.js';
