/**
 * The image's hierarchies from real mount tables: read-only by mount, by file
 * system, immutable, and looked at underneath merged extensions.
 */
import { describe, expect, it } from 'vitest';
import { baseMount, describeReadOnly, imageHierarchies } from '../../../src/system/image.js';
import { parseMountinfo } from '../../../src/system/mountinfo.js';

const ROOT = '1 0 254:1 / / rw,relatime shared:1 - ext4 /dev/vda1 rw';
const table = (...lines: string[]) => parseMountinfo([ROOT, ...lines].join('\n'));
const kinds = (text: ReturnType<typeof table>, verity: string[] = []) =>
  imageHierarchies(text, ['/usr', '/opt'], new Set(verity)).map((entry) => `${entry.hierarchy}:${entry.readOnly ?? 'writable'}`);

describe('imageHierarchies', () => {
  it.each([
    ['nothing mounted: the root file system decides', [], ['/usr:writable', '/opt:writable']],
    ['a read-only bind mount of /usr', ['30 1 254:1 /usr /usr ro,relatime shared:1 - ext4 /dev/vda1 rw'], ['/usr:mount', '/opt:writable']],
    ['a file system of its own, read-only', ['30 1 254:2 / /usr ro,relatime shared:2 - ext4 /dev/vda2 ro'], ['/usr:superblock', '/opt:writable']],
    ['a read-only tmpfs at /opt', ['31 1 0:40 / /opt ro,relatime shared:3 - tmpfs tmpfs ro,mode=755'], ['/usr:writable', '/opt:superblock']],
    ['squashfs', ['30 1 7:0 / /usr ro,relatime shared:2 - squashfs /dev/loop0 ro,errors=continue'], ['/usr:immutable', '/opt:writable']],
    ['erofs', ['30 1 7:0 / /usr ro,relatime shared:2 - erofs /dev/loop0 ro,user_xattr'], ['/usr:immutable', '/opt:writable']],
    ['an overlay with no upper layer', ['30 1 0:50 / /usr ro,relatime shared:2 - overlay overlay ro,lowerdir=/a:/b'], ['/usr:immutable', '/opt:writable']],
    ['a writable overlay, bound read-only', [
      '30 1 0:50 / /usr rw,relatime shared:2 - overlay overlay rw,lowerdir=/a,upperdir=/u,workdir=/w',
      '31 30 0:50 / /usr ro,relatime shared:2 - overlay overlay rw,lowerdir=/a,upperdir=/u,workdir=/w',
    ], ['/usr:mount', '/opt:writable']],
  ] as const)('%s', (_name, lines, expected) => {
    expect(kinds(table(...lines))).toEqual(expected);
  });

  it('looks underneath a merged extension: its overlay is read-only, the image below is what counts', () => {
    const merged = table(
      '30 1 254:1 /usr /usr ro,relatime shared:1 - ext4 /dev/vda1 rw',
      '40 30 0:60 / /usr ro,nodev,relatime shared:9 - overlay sysext ro,lowerdir=/run/systemd/sysext/meta/usr:/run/systemd/sysext/extensions/devtools/usr:/usr',
    );
    expect(baseMount(merged, '/usr')?.id).toBe(30);
    expect(kinds(merged)).toEqual(['/usr:mount', '/opt:writable']);
    const writableBase = table('40 1 0:60 / /usr ro,nodev,relatime shared:9 - overlay sysext ro,lowerdir=/run/systemd/sysext/meta/usr:/usr');
    expect(kinds(writableBase)).toEqual(['/usr:writable', '/opt:writable']);
  });

  it('takes a dm-verity device as immutable', () => {
    expect(kinds(table('30 1 253:3 / /usr ro,relatime shared:2 - ext4 /dev/mapper/usr ro'), ['253:3'])).toEqual(['/usr:immutable', '/opt:writable']);
  });

  it('says how, in words', () => {
    expect(imageHierarchies(table('30 1 7:0 / /usr ro - squashfs /dev/loop0 ro'), ['/usr']).map(describeReadOnly))
      .toEqual(['/usr is an immutable image (a squashfs file system)']);
  });
});
