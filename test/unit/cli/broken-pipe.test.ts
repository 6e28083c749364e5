import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { BROKEN_PIPE_STATUS, exitStatus, watchForBrokenPipe } from '../../../src/cli/broken-pipe.js';

function epipe(): NodeJS.ErrnoException {
  return Object.assign(new Error('write EPIPE'), { code: 'EPIPE' });
}

describe('a broken pipe', () => {
  it('is noticed, not thrown, and later errors of the dead stream are swallowed', () => {
    const stream = new PassThrough();
    const watch = watchForBrokenPipe([stream]);
    expect(watch.broken).toBe(false);
    stream.emit('error', epipe());
    stream.emit('error', Object.assign(new Error('destroyed'), { code: 'ERR_STREAM_DESTROYED' }));
    expect(watch.broken).toBe(true);
  });

  it('still throws any other error', () => {
    const stream = new PassThrough();
    watchForBrokenPipe([stream]);
    expect(() => stream.emit('error', Object.assign(new Error('no space'), { code: 'ENOSPC' }))).toThrow('no space');
  });

  it.each([
    [0, false, 0],
    [0, true, BROKEN_PIPE_STATUS],
    [3, true, 3],
    [5, true, 5],
    [1, false, 1],
  ])('command status %i, broken %s → exit %i', (status, broken, expected) => {
    expect(exitStatus(status, { broken })).toBe(expected);
  });
});
