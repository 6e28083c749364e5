/**
 * Plain words for what a pacman command does, for refusals and `guard check`.
 */
import type { PacmanCommand } from '../pacman/model.js';

export function describeAction(command: PacmanCommand): string {
  const has = (flag: Parameters<PacmanCommand['flags']['get']>[0]) => (command.flags.get(flag) ?? 0) > 0;
  switch (command.operation) {
    case 'sync':
      if (has('clean')) return 'cleaning the package cache';
      if (has('search') || has('info') || has('list') || has('groups')) {
        return has('refresh') ? 'synchronizing the package databases' : 'reading the sync databases';
      }
      if (has('print')) return has('refresh') ? 'synchronizing the package databases' : 'printing what would be installed';
      if (has('downloadonly')) return 'downloading packages';
      if (has('sysupgrade')) return 'upgrading the system';
      if (command.targets.length > 0) return 'installing packages';
      return 'synchronizing the package databases';
    case 'remove':
      return has('print') ? 'printing what would be removed' : 'removing packages';
    case 'upgrade':
      return has('print') ? 'printing what would be installed' : 'installing package files';
    case 'database':
      if (has('asdeps') || has('asexplicit')) return 'changing install reasons';
      return 'checking the database';
    case 'files':
      return has('refresh') ? 'synchronizing the files databases' : 'searching the files databases';
    case 'query':
      return 'querying the local database';
    case 'deptest':
      return 'testing dependencies';
    case undefined:
      return 'no operation';
  }
}
