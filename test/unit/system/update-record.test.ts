import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { processStartTime, startTimeFromStat } from '../../../src/system/process-identity.js';
import { UPDATE_PHASES, readUpdateRecord, removeUpdateRecord, writeUpdateRecord, type UpdateRecord } from '../../../src/system/update-record.js';
import { updateOpenError } from '../../../src/lock/update-gate.js';
import { baseChanged, rebuildsHeld } from '../../../src/update/update.js';

const paths = () => {
  const directory = mkdtempSync(join(tmpdir(), 'guard-record-'));
  return { directory, path: join(directory, 'state', 'update.json'), bootMark: join(directory, 'run', 'update.boot') };
};

const record = (changes: Partial<UpdateRecord> = {}): UpdateRecord => ({
  pid: process.pid,
  pidStart: processStartTime(process.pid) ?? '',
  started: '2026-12-01T10:00:00.000Z',
  args: ['-Syu'],
  found: { merged: [{ hierarchy: '/usr', extensions: ['toolA'] }], locked: true },
  opened: [{ hierarchy: '/usr', kind: 'mount' }],
  packagesBefore: ['libfoo-1.0-1'],
  rebuilding: [],
  phase: 'preparing',
  ...changes,
});

describe('the update record', () => {
  it('names its phases once, in order, each distinct', () => {
    expect(new Set(UPDATE_PHASES).size).toBe(UPDATE_PHASES.length);
    expect(UPDATE_PHASES[0]).toBe('preparing');
    expect(UPDATE_PHASES.indexOf('running pacman')).toBeLessThan(UPDATE_PHASES.indexOf('closing'));
  });

  it('is read back as written, running while this process lives in this boot, and leaves no temporary file', () => {
    const where = paths();
    writeUpdateRecord(record({ phase: 'merging' }), where);
    expect(readUpdateRecord(where)).toEqual({ record: record({ phase: 'merging' }), running: true, thisBoot: true });
    expect(readdirSync(join(where.directory, 'state'))).toEqual(['update.json']);
  });

  it.each([
    ['another boot (no mark in /run)', (where: ReturnType<typeof paths>) => removeMark(where), { running: false, thisBoot: false }],
    ['a dead process (start time differs)', (where: ReturnType<typeof paths>) => writeFileSync(where.bootMark, `${process.pid} 1\n`), { running: false, thisBoot: false }],
  ])('is interrupted after %s', (_name, change, expected) => {
    const where = paths();
    writeUpdateRecord(record(), where);
    change(where);
    expect(readUpdateRecord(where)).toMatchObject(expected);
  });

  it.each([
    ['not JSON', 'not a record'],
    ['an unknown phase', JSON.stringify({ ...record(), phase: 'dancing' })],
    ['no package list', JSON.stringify({ ...record(), packagesBefore: undefined })],
  ])('fails closed on %s', (_name, text) => {
    const where = paths();
    writeUpdateRecord(record(), where);
    writeFileSync(where.path, text);
    expect(() => readUpdateRecord(where)).toThrow(/is not a guard update record/);
  });

  it('goes with its mark; no record reads as no update', () => {
    const where = paths();
    writeUpdateRecord(record(), where);
    removeUpdateRecord(where);
    expect(readUpdateRecord(where)).toBeUndefined();
    expect(() => readFileSync(where.bootMark)).toThrow();
  });
});

function removeMark(where: ReturnType<typeof paths>): void {
  writeFileSync(where.bootMark, '');
}

describe('the refusal while an update is open', () => {
  it.each([
    [true, 'not merging: guard update (pid 42, since 2026-12-01T10:00:00.000Z) is changing the base system (running pacman)', 'let it finish'],
    [false, 'not merging: a guard update (pid 42, started 2026-12-01T10:00:00.000Z) was interrupted while running pacman', 'guard update --finish'],
  ])('running %s', (running, message, hint) => {
    const error = updateOpenError({ running, thisBoot: running, record: record({ pid: 42, phase: 'running pacman' }) }, 'not merging');
    expect(error.message).toBe(message);
    expect(error.exitCode).toBe(3);
    expect(error.hints.join('\n')).toContain(hint);
  });
});

describe('whether the base changed', () => {
  it.each([
    [['a-1-1', 'b-1-1'], ['a-1-1', 'b-1-1'], false],
    [['a-1-1', 'b-1-1'], ['a-1-1', 'b-2-1'], true],
    [['a-1-1'], ['a-1-1', 'c-1-1'], true],
    [['a-1-1', 'b-1-1'], ['a-1-1'], true],
  ])('%j → %j: %s', (before, now, changed) => expect(baseChanged(before, now)).toBe(changed));
});

describe('whether an update rebuilds the extensions held before it', () => {
  it.each([
    [['-Syu', '--noconfirm'], 0, false, true, 'a -Syu that found nothing to do'],
    [['-S', '--noconfirm', 'foo'], 0, false, true, 'an installation'],
    [['-R', 'foo'], 0, true, true, 'a removal'],
    [['-U', '/tmp/foo-1.0-1-any.pkg.tar.zst'], 0, true, true, 'a package file'],
    [['-Sy', '--noconfirm'], 0, false, false, 'a refresh alone'],
    [['-Syuw', '--noconfirm'], 0, false, false, 'a download alone'],
    [['-Sc', '--noconfirm'], 0, false, false, 'cleaning the cache'],
    [['-Syu'], 1, false, false, '"n" at the prompt, a failed download'],
    [['-Syu'], undefined, false, false, 'killed before pacman\'s status was recorded, nothing changed'],
    [['-Syu'], 1, true, true, 'a failure after the base changed'],
    [['--rollback', '-U', 'foo-1.0-1-any.pkg.tar.zst'], 0, true, true, 'a rollback'],
  ] as const)('%j, status %s, base changed %s: %s (%s)', (args, status, changed, rebuilds, _why) => {
    expect(rebuildsHeld(args, status, changed)).toBe(rebuilds);
  });
});

describe('process identity', () => {
  it('reads the start time after a name with spaces and parentheses', () => {
    expect(startTimeFromStat('123 (node a) b) S 1 123 123 0 -1 4194560 1 0 0 0 0 0 0 0 20 0 1 0 987654 1000 10')).toBe('987654');
  });
});
