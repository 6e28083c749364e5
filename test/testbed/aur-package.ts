/**
 * A package built as an AUR helper builds one: real makepkg, as nobody, from
 * a PKGBUILD in a directory nobody owns. Shell lines for a testbed body.
 */

export interface AurPackageOptions {
  /** depends=() of the PKGBUILD. */
  readonly depends: string;
  /** makepkg --nodeps: skip the dependency check (pacman -T) that makepkg runs by default. */
  readonly nodeps?: boolean;
}

/**
 * Builds aurpkg-hello 0.1-1, printing "makepkg failed" if makepkg fails (its
 * output is in $work/makepkg.log), and sets $built to the package file.
 */
export function buildAurPackage(options: AurPackageOptions): string {
  return `
work=$TMPDIR/aur; rm -rf "$work"; mkdir -p "$work/aurpkg-hello" "$work/out"
cp "$PROJECT_ROOT/test/testbed/makepkg.conf" "$work/makepkg.conf"
${aurPkgbuild('$work/aurpkg-hello', options.depends)}
chown -R nobody "$work"
(cd "$work/aurpkg-hello" && runuser -u nobody -- env HOME="$work" PKGDEST="$work/out" BUILDDIR="$work/build" \\
  makepkg --config "$work/makepkg.conf"${options.nodeps ? ' --nodeps' : ''} --noconfirm --nocolor >"$work/makepkg.log" 2>&1) || echo "makepkg failed"
built=$work/out/aurpkg-hello-0.1-1-any.pkg.tar.gz
`;
}

/**
 * Shell lines writing aurpkg-hello's PKGBUILD into `directory` (a shell
 * word): what `yay -G aurpkg-hello` would fetch.
 */
export function aurPkgbuild(directory: string, depends: string): string {
  return `cat >"${directory}/PKGBUILD" <<'PKGBUILD'
pkgname=aurpkg-hello
pkgver=0.1
pkgrel=1
pkgdesc='a package from the AUR'
arch=('any')
license=('MIT')
depends=('${depends}')
package() {
  install -Dm755 /dev/stdin "$pkgdir/usr/bin/aurpkg-hello" <<<$'#!/bin/sh\\necho hello from the AUR'
}
PKGBUILD`;
}
