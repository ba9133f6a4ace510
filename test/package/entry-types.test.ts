import { expectTypeOf, test } from 'vitest';
import type * as source from '../../lib/cli/main.ts';
import type * as mock from '../../lib/mock/start.ts';
import type * as entry from '../../lib/entry/index.js';

// lib/entry/index.d.ts restates the sources' public types for users' compilers; the compiler
// (npm run typecheck) holds the two equal here.

test('the package entry declares what the sources export', () => {
  expectTypeOf<typeof entry.startMock>().toEqualTypeOf<typeof mock.startMock>();
  expectTypeOf<entry.RunningMock>().toEqualTypeOf<mock.RunningMock>();
  expectTypeOf<entry.MockOptions>().toEqualTypeOf<mock.MockOptions>();
  expectTypeOf<entry.MockUser>().toEqualTypeOf<mock.MockUser>();
  expectTypeOf<entry.MockDelays>().toEqualTypeOf<mock.MockDelays>();
  expectTypeOf<entry.Release>().toEqualTypeOf<mock.Release>();
  expectTypeOf<typeof entry.main>().toEqualTypeOf<typeof source.main>();
});
