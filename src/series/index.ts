export { groupSeries, type Grouping } from './group.js';
