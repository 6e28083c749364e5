import { describe, expect, it } from 'vitest';
import { extensionReleaseFields, parseOsRelease, renderExtensionRelease, systemdArchitecture } from '../../../src/extend/release.js';

const ARCH_OS_RELEASE = `NAME="Arch Linux"
PRETTY_NAME="Arch Linux"
ID=arch
BUILD_ID=rolling
ANSI_COLOR="38;2;23;147;209"
HOME_URL="https://archlinux.org/"
LOGO=archlinux-logo
`;
const DEBIAN_OS_RELEASE = `PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"
NAME="Debian GNU/Linux"
VERSION_ID="12"
VERSION="12 (bookworm)"
ID=debian
`;

describe('parseOsRelease', () => {
  it.each([
    ['ID=arch', 'ID', 'arch'],
    ['ID="arch"', 'ID', 'arch'],
    ["ID='arch'", 'ID', 'arch'],
    ['NAME="say \\"hi\\" \\$x"', 'NAME', 'say "hi" $x'],
    ['# ID=commented\nID=real', 'ID', 'real'],
    ['  VERSION_ID = 12', 'VERSION_ID', undefined],
    ['SYSEXT_LEVEL=1.2', 'SYSEXT_LEVEL', '1.2'],
  ])('%j: %s = %s', (text, key, value) => {
    expect(parseOsRelease(text).get(key)).toBe(value);
  });
});

describe('systemdArchitecture', () => {
  it.each([
    ['x86_64', 'x86-64'], ['i686', 'x86'], ['i386', 'x86'], ['aarch64', 'arm64'], ['aarch64_be', 'arm64-be'],
    ['armv7l', 'arm'], ['armv7b', 'arm-be'], ['riscv64', 'riscv64'], ['ppc64le', 'ppc64-le'], ['ppc64', 'ppc64'],
    ['s390x', 's390x'], ['loongarch64', 'loongarch64'], ['mips64el', 'mips64-le'], ['vax', undefined],
  ])('%s → %s', (machine, expected) => {
    expect(systemdArchitecture(machine)).toBe(expected);
  });
});

describe('extensionReleaseFields', () => {
  it('Arch (rolling): ID and ARCHITECTURE, and says it matches any arch base', () => {
    const { fields, notes } = extensionReleaseFields(parseOsRelease(ARCH_OS_RELEASE), 'x86_64');
    expect(renderExtensionRelease(fields)).toBe('ID=arch\nARCHITECTURE=x86-64\n');
    expect(notes).toEqual(['os-release has neither SYSEXT_LEVEL nor VERSION_ID (a rolling release): the extension matches any arch base']);
  });

  it('a versioned base ties the extension to VERSION_ID', () => {
    const { fields, notes } = extensionReleaseFields(parseOsRelease(DEBIAN_OS_RELEASE), 'aarch64');
    expect(renderExtensionRelease(fields)).toBe('ID=debian\nARCHITECTURE=arm64\nVERSION_ID=12\n');
    expect(notes).toEqual([]);
  });

  it('SYSEXT_LEVEL wins over VERSION_ID, as systemd-sysext compares it first', () => {
    const { fields } = extensionReleaseFields(parseOsRelease(`${DEBIAN_OS_RELEASE}SYSEXT_LEVEL=2024.1\n`), 'x86_64');
    expect(renderExtensionRelease(fields)).toBe('ID=debian\nARCHITECTURE=x86-64\nSYSEXT_LEVEL=2024.1\n');
  });

  it('an unknown machine leaves ARCHITECTURE out and says so', () => {
    const { fields, notes } = extensionReleaseFields(parseOsRelease(DEBIAN_OS_RELEASE), 'vax');
    expect(fields.map(([key]) => key)).toEqual(['ID', 'VERSION_ID']);
    expect(notes[0]).toContain("machine 'vax' has no systemd architecture name");
  });

  it('an os-release without ID is an error', () => {
    expect(() => extensionReleaseFields(new Map(), 'x86_64')).toThrow('os-release has no ID');
  });
});
