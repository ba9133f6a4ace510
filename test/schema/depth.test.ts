import { describe, expect, test } from 'vitest';
import { validate } from '../../lib/schema/validator.ts';

// The validator's messages quote what came; what came may nest as deep as a hostile target likes.

function nested(depth: number): unknown {
  // JSON.parse builds it without recursion; a recursive builder would overflow first.
  return JSON.parse('['.repeat(depth) + ']'.repeat(depth));
}

describe('schema messages for deeply nested values', () => {
  test('a list nested 100,000 levels deep gives a readable message, not a RangeError', () => {
    const problems = validate('os-interface/list-v2.1', { interfaceAttachments: nested(100_000) });
    expect(problems).toContain(
      '$.interfaceAttachments[0]: expected object, got an array [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[...',
    );
  });

  test('a deep object is quoted the same way, cut at 80 characters', () => {
    let text = '';
    for (let i = 0; i < 50_000; i += 1) text += '{"a":';
    text += '1' + '}'.repeat(50_000);
    const problems = validate('os-interface/list-v2.1', {
      interfaceAttachments: JSON.parse(text) as unknown,
    });
    const line = problems.find((p) => p.includes('{"a":{"a":'));
    expect(line).toBeDefined();
    expect(line?.endsWith('...')).toBe(true);
  });

  test('short values are quoted exactly as JSON', () => {
    const problems = validate('os-interface/list-v2.1', {
      interfaceAttachments: [[1, 'x', null, { b: true }]],
    });
    expect(problems).toContain(
      '$.interfaceAttachments[0]: expected object, got an array [1,"x",null,{"b":true}]',
    );
  });
});
