/*
 * A fork server for the differential test: preloaded into a real pacman, it
 * runs pacman's own main() once per command line in a forked child, so each
 * line costs a fork instead of an exec. Starting pacman is mostly the dynamic
 * linker binding libalpm, libcurl, gpgme, OpenSSL and libarchive (about 40 ms
 * of CPU per line against 2 ms for the fork here); thousands of lines against
 * four builds would otherwise spend minutes on it.
 *
 * Faithful by construction: the child is a copy of a pacman process that has
 * loaded its libraries and run their constructors but not yet entered main(),
 * which is the state an exec'd pacman reaches too. Each child gets its own
 * argv, environment additions, stdin and output files, and getopt's state is
 * untouched (the parent never calls main). FORK_SERVER_MODE=exec execs the
 * binary instead (the test compares both on a sample).
 *
 * Interface (environment of the preloaded pacman):
 *   FORK_SERVER_CASES  file of NUL-terminated fields, per case:
 *                      NENV, NENV x "NAME=value", NARGS, NARGS x argument, STDIN
 *                      (STDIN empty: /dev/null)
 *   FORK_SERVER_OUT    directory: writes N.out, N.err, and `status` with one
 *                      line per case, "N exit CODE" or "N signal SIGNO"
 *   FORK_SERVER_JOBS   children at a time (default: online CPUs + 1)
 *   FORK_SERVER_MODE   fork (default) or exec
 *   FORK_SERVER_TIMEOUT seconds a child may run before SIGALRM (default 300)
 *
 * Which database a line locks, seen from inside pacman: the server
 * interposes open() (fork mode only), and when libalpm opens `<dbpath>/db.lck`
 * to take its lock it writes to N.lock the device and inode of <dbpath> and
 * of <dbpath>/local and <dbpath>/sync (the directories a transaction and a
 * refresh write), as pacman's own process reaches them: after 6.0's chroot,
 * through 7's prefixed paths and any symlink. If the lock is taken, the
 * child releases it and exits with 77 there, before it changes anything.
 *
 * Build: cc -shared -fPIC -o pacman-fork-server.so pacman-fork-server.c -ldl
 * Test-only code: it never ships.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

typedef int (*main_fn)(int, char **, char **);
typedef int (*start_fn)(main_fn, int, char **, void (*)(void), void (*)(void), void (*)(void), void *);

static main_fn pacman_main;
static char *self_argv0;
/* In a case's child: where its lock record goes (-1: not recording). */
static int record_fd = -1;
#define TAKEN_LOCK_STATUS 77

typedef int (*open_fn)(const char *, int, ...);

static void record_directory(const char *kind, const char *path)
{
	struct stat st;
	if(stat(path, &st) == 0) {
		dprintf(record_fd, "%s %llu %llu\n", kind, (unsigned long long)st.st_dev, (unsigned long long)st.st_ino);
	} else {
		dprintf(record_fd, "%s missing\n", kind);
	}
}

static int is_lock_file(const char *path, int flags)
{
	size_t len = strlen(path);
	return record_fd >= 0 && (flags & O_CREAT) && len >= 6 && strcmp(path + len - 6, "db.lck") == 0
		&& (len == 6 || path[len - 7] == '/');
}

static int observed_open(const char *name, const char *path, int flags, mode_t mode)
{
	open_fn real = (open_fn)dlsym(RTLD_NEXT, name);
	if(!is_lock_file(path, flags)) return real(path, flags, mode);
	char dir[4096], part[4200];
	snprintf(dir, sizeof(dir), "%s", path);
	char *slash = strrchr(dir, '/');
	if(slash == dir) slash[1] = '\0';
	else if(slash) *slash = '\0';
	else snprintf(dir, sizeof(dir), ".");
	record_directory("lock", dir);
	snprintf(part, sizeof(part), "%s/local", dir);
	record_directory("local", part);
	snprintf(part, sizeof(part), "%s/sync", dir);
	record_directory("sync", part);
	int fd = real(path, flags, mode);
	if(fd >= 0) {
		close(fd);
		unlink(path);
		dprintf(record_fd, "taken\n");
		_exit(TAKEN_LOCK_STATUS);
	}
	int saved = errno;
	dprintf(record_fd, "failed %d\n", saved);
	errno = saved;
	return fd;
}

int open(const char *path, int flags, ...)
{
	mode_t mode = 0;
	if(flags & O_CREAT) { va_list ap; va_start(ap, flags); mode = (mode_t)va_arg(ap, int); va_end(ap); }
	return observed_open("open", path, flags, mode);
}

int open64(const char *path, int flags, ...)
{
	mode_t mode = 0;
	if(flags & O_CREAT) { va_list ap; va_start(ap, flags); mode = (mode_t)va_arg(ap, int); va_end(ap); }
	return observed_open("open64", path, flags, mode);
}

struct pacman_case {
	int env_count;
	char **env;
	int argc;
	char **argv; /* argv[0] is pacman's own, then the arguments, then NULL */
	const char *stdin_text;
};

static void die(const char *what)
{
	fprintf(stderr, "pacman-fork-server: %s: %s\n", what, strerror(errno));
	_exit(98);
}

static char *read_file(const char *path, size_t *size)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	if(fd < 0 || fstat(fd, &st) < 0) die(path);
	char *data = malloc((size_t)st.st_size + 1);
	if(!data) die("malloc");
	size_t done = 0;
	while(done < (size_t)st.st_size) {
		ssize_t n = read(fd, data + done, (size_t)st.st_size - done);
		if(n <= 0) die(path);
		done += (size_t)n;
	}
	data[done] = '\0';
	close(fd);
	*size = done;
	return data;
}

/* Splits the cases file into cases; fields are NUL-terminated strings. */
static struct pacman_case *parse_cases(char *data, size_t size, int *count)
{
	char *p = data, *end = data + size;
	int capacity = 64, n = 0;
	struct pacman_case *cases = malloc(sizeof(*cases) * (size_t)capacity);
	while(p < end) {
		if(n == capacity) {
			capacity *= 2;
			cases = realloc(cases, sizeof(*cases) * (size_t)capacity);
		}
		struct pacman_case *c = &cases[n++];
		char *field = p; p += strlen(p) + 1;
		c->env_count = atoi(field);
		c->env = malloc(sizeof(char *) * (size_t)(c->env_count + 1));
		for(int i = 0; i < c->env_count; i++) { c->env[i] = p; p += strlen(p) + 1; }
		field = p; p += strlen(p) + 1;
		c->argc = atoi(field) + 1;
		c->argv = malloc(sizeof(char *) * (size_t)(c->argc + 1));
		c->argv[0] = self_argv0;
		for(int i = 1; i < c->argc; i++) { c->argv[i] = p; p += strlen(p) + 1; }
		c->argv[c->argc] = NULL;
		c->stdin_text = p; p += strlen(p) + 1;
		if(p > end + 1) { errno = EINVAL; die("truncated cases file"); }
	}
	*count = n;
	return cases;
}

static void redirect(int target, const char *path, int flags)
{
	int fd = open(path, flags, 0600);
	if(fd < 0 || dup2(fd, target) < 0) die(path);
	close(fd);
}

/* In the child: set up the case's files and environment, then become pacman. */
static void run_case(const struct pacman_case *c, int index, const char *out, int exec_mode, int timeout)
{
	char path[4096];
	if(c->stdin_text[0] != '\0') {
		snprintf(path, sizeof(path), "%s/%d.in", out, index);
		int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		if(fd < 0 || write(fd, c->stdin_text, strlen(c->stdin_text)) < 0) die(path);
		close(fd);
		redirect(0, path, O_RDONLY);
	} else {
		redirect(0, "/dev/null", O_RDONLY);
	}
	snprintf(path, sizeof(path), "%s/%d.out", out, index);
	redirect(1, path, O_WRONLY | O_CREAT | O_TRUNC);
	snprintf(path, sizeof(path), "%s/%d.err", out, index);
	redirect(2, path, O_WRONLY | O_CREAT | O_TRUNC);
	unsetenv("LD_PRELOAD");
	for(int i = 0; i < c->env_count; i++) putenv(c->env[i]);
	if(!exec_mode) {
		snprintf(path, sizeof(path), "%s/%d.lock", out, index);
		/* Opened before pacman runs, so it stays reachable after a chroot. */
		int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
		if(fd < 0) die(path);
		record_fd = fd;
	}
	alarm((unsigned)timeout);
	if(exec_mode) {
		execv("/proc/self/exe", c->argv);
		die("execv");
	}
	extern char **environ;
	exit(pacman_main(c->argc, c->argv, environ));
}

static int serve(int argc, char **argv, char **envp)
{
	(void)argc; (void)envp;
	self_argv0 = argv[0];
	const char *cases_path = getenv("FORK_SERVER_CASES");
	const char *out = getenv("FORK_SERVER_OUT");
	if(!cases_path || !out) {
		fprintf(stderr, "pacman-fork-server: FORK_SERVER_CASES and FORK_SERVER_OUT must be set\n");
		return 98;
	}
	const char *mode = getenv("FORK_SERVER_MODE");
	int exec_mode = mode && strcmp(mode, "exec") == 0;
	const char *jobs_text = getenv("FORK_SERVER_JOBS");
	long jobs = jobs_text ? atol(jobs_text) : sysconf(_SC_NPROCESSORS_ONLN) + 1;
	if(jobs < 1) jobs = 1;
	const char *timeout_text = getenv("FORK_SERVER_TIMEOUT");
	int timeout = timeout_text ? atoi(timeout_text) : 300;

	size_t size;
	char *data = read_file(cases_path, &size);
	int count;
	struct pacman_case *cases = parse_cases(data, size, &count);

	char status_path[4096];
	snprintf(status_path, sizeof(status_path), "%s/status", out);
	FILE *status = fopen(status_path, "w");
	if(!status) die(status_path);

	pid_t *pids = calloc((size_t)count, sizeof(pid_t));
	int next = 0, running = 0, finished = 0;
	while(finished < count) {
		while(running < jobs && next < count) {
			fflush(NULL);
			pid_t pid = fork();
			if(pid < 0) die("fork");
			if(pid == 0) run_case(&cases[next], next, out, exec_mode, timeout);
			pids[next++] = pid;
			running++;
		}
		int wstatus;
		pid_t done = waitpid(-1, &wstatus, 0);
		if(done < 0) die("waitpid");
		int index = -1;
		for(int i = 0; i < next; i++) if(pids[i] == done) { index = i; break; }
		if(index < 0) continue;
		if(WIFEXITED(wstatus)) fprintf(status, "%d exit %d\n", index, WEXITSTATUS(wstatus));
		else fprintf(status, "%d signal %d\n", index, WTERMSIG(wstatus));
		running--;
		finished++;
	}
	fclose(status);
	return 0;
}

/* Interposes glibc's entry point: libc initialises as usual, then serve() runs instead of pacman's main(). */
int __libc_start_main(main_fn main, int argc, char **argv, void (*init)(void), void (*fini)(void), void (*rtld_fini)(void), void *stack_end)
{
	start_fn real_start = (start_fn)dlsym(RTLD_NEXT, "__libc_start_main");
	if(!real_start) {
		fprintf(stderr, "pacman-fork-server: no __libc_start_main: %s\n", dlerror());
		_exit(98);
	}
	pacman_main = main;
	return real_start(serve, argc, argv, init, fini, rtld_fini, stack_end);
}
