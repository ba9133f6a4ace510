// The types of lib/entry/index.js, taken from the sources it loads (nothing restated here).
export { startMock } from '../mock/start.js';
export type { MockDelays, MockOptions, MockUser, Release, RunningMock } from '../mock/start.js';
export { main } from '../cli/main.js';
