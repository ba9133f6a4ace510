import { describe, expect, it } from 'vitest';
import {
  behaviourOf,
  busyTime,
  formatRatio,
  isServerBoot,
  markdownTable,
  median,
  parseOpenrc,
  ratio,
} from '../../lib/bench/stats.ts';

describe('bench helpers', () => {
  it('computes a ratio against its limit and judges the target', () => {
    expect(ratio(6, 3, { atMost: 3 })).toMatchObject({ ratio: 2, met: true, target: '<= 3' });
    expect(ratio(1, 4, { atLeast: 0.5 })).toMatchObject({ ratio: 0.25, met: false, target: '>= 0.5' });
    expect(ratio(1, 0, { atMost: 3 })).toMatchObject({ ratio: undefined, met: undefined });
    expect(formatRatio(ratio(1, 4, { atLeast: 0.5 }))).toBe('0.25 (target >= 0.5: MISSED)');
  });

  it('takes the median of odd and even counts', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
    expect(median([])).toBeNaN();
  });

  it('names the behaviour of a request by the test ID, the suite hooks or the runner', () => {
    expect(behaviourOf('test:ATTACH-01 attach by net_id: 200')).toBe('ATTACH-01');
    expect(behaviourOf('suite:list (one interface attached)')).toBe(
      '(hooks of list (one interface attached))',
    );
    expect(behaviourOf('(runner)')).toBe('(runner: preflight and cleanup)');
  });

  it('counts accepted POSTs to /servers as boots, and nothing else', () => {
    expect(isServerBoot('POST', 'http://h:1/compute/v2.1/servers', 202)).toBe(true);
    expect(isServerBoot('POST', 'http://h:1/compute/v2.1/servers?x=1', 202)).toBe(true);
    expect(isServerBoot('POST', 'http://h:1/compute/v2.1/servers', 400)).toBe(false);
    expect(isServerBoot('POST', '/compute/v2.1/servers/abc/action', 202)).toBe(false);
    expect(isServerBoot('GET', '/compute/v2.1/servers', 200)).toBe(false);
  });

  it('measures the time with a request in flight, overlaps counted once', () => {
    expect(
      busyTime([
        { start: 0, end: 10 },
        { start: 5, end: 15 },
        { start: 20, end: 25 },
      ]),
    ).toBe(20);
    expect(busyTime([])).toBe(0);
  });

  it('lays out a padded Markdown table', () => {
    expect(
      markdownTable(
        ['a', 'bb'],
        [
          ['x', 1.5],
          ['long', undefined],
        ],
      ),
    ).toBe(['| a    | bb   |', '| ---- | ---- |', '| x    | 1.50 |', '| long | –    |'].join('\n'));
  });

  it('reads the variables of an openrc', () => {
    const text = [
      '# comment',
      'export OS_AUTH_URL=http://127.0.0.1:5000/v3',
      "export OS_PASSWORD='se cret'",
      'OS_REGION_NAME="RegionOne"',
      'unset OS_CLOUD',
    ].join('\n');
    expect(parseOpenrc(text)).toEqual({
      OS_AUTH_URL: 'http://127.0.0.1:5000/v3',
      OS_PASSWORD: 'se cret',
      OS_REGION_NAME: 'RegionOne',
    });
  });
});
