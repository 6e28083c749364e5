/**
 * guard's runtime directory: state that must not outlive a boot (the lock's
 * queue, a guard update's record, cached tool answers). Its own module so the
 * hot paths can name it without loading the lock's machinery.
 */
export const RUNTIME_DIR = '/run/pacman-guard';
