import { describe, expect, it } from 'vitest';
import { modeFromEnvironment } from '../../../src/system/unit-environment.js';

describe('the mutable mode a unit is configured with (systemctl show -p Environment --value)', () => {
  it.each([
    ['SYSTEMD_SYSEXT_MUTABLE_MODE=yes', 'sysext', 'yes'],
    ['LANG=C SYSTEMD_SYSEXT_MUTABLE_MODE=ephemeral', 'sysext', 'ephemeral'],
    ['SYSTEMD_SYSEXT_MUTABLE_MODE=yes SYSTEMD_SYSEXT_MUTABLE_MODE=no', 'sysext', 'no'],
    ['SYSTEMD_CONFEXT_MUTABLE_MODE=auto', 'confext', 'auto'],
    ['SYSTEMD_CONFEXT_MUTABLE_MODE=auto', 'sysext', undefined],
    ['SYSTEMD_SYSEXT_MUTABLE_MODE=sideways', 'sysext', undefined],
    ['', 'sysext', undefined],
  ] as const)('%j for %s → %s', (environment, kind, mode) => {
    expect(modeFromEnvironment(environment, kind)).toBe(mode);
  });
});
