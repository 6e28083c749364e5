/**
 * guard install where /usr cannot be written (extensions merged over it, or
 * a read-only image): the hook in libalpm's /etc directory, the shims under
 * /etc. One text, for guard install's refusal and guard doctor's fixes.
 */
export const WRITABLE_INSTALL_DIR = '/etc/pacman-guard/bin';
export const WRITABLE_INSTALL = `guard install --bindir ${WRITABLE_INSTALL_DIR} --hookdir /etc/pacman.d/hooks`;
