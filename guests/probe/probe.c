/*
 * sandbox-probe: a WASI preview 1 command that tries what a guest might try and reports each
 * outcome on standard output, one line per operation:
 *
 *     <op> <args...>: ok [data]
 *     <op> <args...>: error <ERRNO NAME>
 *
 * Operations are given as arguments, several per run, e.g.
 *
 *     probe readat /box ../outside.txt  writeat /box new.txt hello  env
 *
 * The plain operations (`read`, `write`, ...) go through libc's preopen lookup, as ordinary
 * programs do: libc itself refuses a path under no preopen (ENOTCAPABLE). The `...at` ones open
 * the directory first and pass the path to the `*at` call on that descriptor, which wasi-libc
 * hands to the host (`path_open` & co.) for relative paths. The `raw...` ones call
 * `path_open` directly, with no libc in between, so absolute paths reach the host too.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <wasi/api.h>

extern char **environ;

/*
 * The allocator the preview 1 adapter uses for its stack and state when this program runs as a
 * component. Without this export wit-component gives the adapter one built on memory.grow, and
 * Debian's wasi-libc (2022, before __heap_end) then hands the adapter's pages out again: its
 * malloc takes all memory from __heap_base to memory.size as heap when first used, which is
 * after the adapter grew memory during startup (fd_prestat_get for the preopens). A malloc of
 * a few hundred KiB then overwrote the adapter's state and the next write trapped in the
 * adapter (assert_fail in fd_write). With this export every byte comes from one allocator.
 */
__attribute__((__export_name__("cabi_realloc")))
void *cabi_realloc(void *ptr, size_t old_size, size_t align, size_t new_size) {
    (void)old_size;
    if (new_size == 0) {
        return (void *)align;
    }
    void *p = realloc(ptr, new_size);
    if (!p) {
        abort();
    }
    return p;
}

static const char *errname(int e) {
    switch (e) {
    case EACCES: return "EACCES";
    case EBADF: return "EBADF";
    case EEXIST: return "EEXIST";
    case EINVAL: return "EINVAL";
    case EISDIR: return "EISDIR";
    case ELOOP: return "ELOOP";
    case ENOENT: return "ENOENT";
    case ENOMEM: return "ENOMEM";
    case ENOSYS: return "ENOSYS";
    case ENOTCAPABLE: return "ENOTCAPABLE";
    case ENOTDIR: return "ENOTDIR";
    case ENOTEMPTY: return "ENOTEMPTY";
    case ENOTSUP: return "ENOTSUP";
    case EPERM: return "EPERM";
    case EROFS: return "EROFS";
    case EXDEV: return "EXDEV";
    default: return NULL;
    }
}

/* Finishes the current line with the outcome of a call that returned `rc` (negative: errno). */
static void outcome(int rc) {
    if (rc >= 0) {
        printf(" ok\n");
    } else {
        const char *name = errname(errno);
        if (name) {
            printf(" error %s\n", name);
        } else {
            printf(" error errno=%d\n", errno);
        }
    }
}

static void begin(int n, char **args) {
    for (int i = 0; i < n; i++) {
        printf(i == 0 ? "%s" : " %s", args[i]);
    }
    printf(":");
}

static int open_dir(const char *dir) {
    return open(dir, O_RDONLY | O_DIRECTORY);
}

/* Reads all of fd and prints " ok <content>" (newlines shown as \n). */
static void print_content(int fd) {
    char buf[4096];
    ssize_t n = read(fd, buf, sizeof buf - 1);
    if (n < 0) {
        outcome(-1);
        return;
    }
    buf[n] = 0;
    printf(" ok ");
    for (ssize_t i = 0; i < n; i++) {
        if (buf[i] == '\n') {
            printf("\\n");
        } else {
            putchar(buf[i]);
        }
    }
    printf("\n");
}

static void do_read(int dirfd, const char *path) {
    int fd = dirfd < 0 ? open(path, O_RDONLY) : openat(dirfd, path, O_RDONLY);
    if (fd < 0) {
        outcome(-1);
        return;
    }
    print_content(fd);
    close(fd);
}

static void do_write(int dirfd, const char *path, const char *text, int flags) {
    int oflag = O_WRONLY | O_CREAT | flags;
    int fd = dirfd < 0 ? open(path, oflag, 0644) : openat(dirfd, path, oflag, 0644);
    if (fd < 0) {
        outcome(-1);
        return;
    }
    size_t len = strlen(text);
    ssize_t n = write(fd, text, len);
    int saved = errno;
    close(fd);
    errno = saved;
    outcome(n == (ssize_t)len ? 0 : -1);
}

static int cmp(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void do_ls(const char *path) {
    DIR *d = opendir(path);
    if (!d) {
        outcome(-1);
        return;
    }
    char *names[256];
    int count = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL && count < 256) {
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
            names[count++] = strdup(e->d_name);
        }
    }
    closedir(d);
    qsort(names, count, sizeof names[0], cmp);
    printf(" ok");
    for (int i = 0; i < count; i++) {
        printf(" %s", names[i]);
        free(names[i]);
    }
    printf("\n");
}

/* path_open on `dirfd` (following symlinks) with no libc in between; prints the file's contents
 * or the errno. */
static void do_raw(int dirfd, const char *path, int create) {
    __wasi_fd_t fd;
    __wasi_rights_t rights = create ? __WASI_RIGHTS_FD_WRITE : __WASI_RIGHTS_FD_READ;
    __wasi_oflags_t oflags = create ? __WASI_OFLAGS_CREAT : 0;
    __wasi_errno_t e = __wasi_path_open((__wasi_fd_t)dirfd, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, path, oflags, rights,
                                         0, 0, &fd);
    if (e != 0) {
        errno = e;
        outcome(-1);
        return;
    }
    if (create) {
        printf(" ok\n");
    } else {
        print_content((int)fd);
    }
    (void)__wasi_fd_close(fd);
}

/* Allocates `chunk_kib` KiB at a time until malloc fails or `cap_kib` is reached. */
static void do_alloc(long chunk_kib, long cap_kib) {
    static void *chunks[1 << 16];
    long total = 0;
    int n = 0;
    int failed = 0;
    while (total + chunk_kib <= cap_kib && n < (1 << 16)) {
        char *p = malloc((size_t)chunk_kib * 1024);
        if (!p) {
            failed = 1;
            break;
        }
        memset(p, 0xab, (size_t)chunk_kib * 1024);
        chunks[n++] = p;
        total += chunk_kib;
    }
    for (int i = 0; i < n; i++) {
        free(chunks[i]);
    }
    printf(" ok %ld KiB%s\n", total, failed ? " then malloc failed" : " (cap reached)");
}

/* How many arguments each operation takes. */
static int arity(const char *op) {
    static const struct { const char *name; int n; } ops[] = {
        {"read", 1}, {"write", 2}, {"append", 2}, {"stat", 1}, {"ls", 1}, {"mkdir", 1},
        {"readat", 2}, {"writeat", 3}, {"appendat", 3}, {"mkdirat", 2}, {"unlinkat", 2},
        {"rmdirat", 2}, {"symlinkat", 3}, {"linkat", 3}, {"renameat", 3}, {"statat", 2},
        {"rawread", 2}, {"rawcreate", 2},
        {"env", 0}, {"getenv", 1}, {"args", 0}, {"cat", 0}, {"echo", 1}, {"stderr", 1},
        {"spin", 0}, {"alloc", 2}, {"grow", 1}, {"exit", 1}, {"trap", 0},
    };
    for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++) {
        if (!strcmp(ops[i].name, op)) {
            return ops[i].n;
        }
    }
    return -1;
}

int main(int argc, char **argv) {
    /* Unbuffered: every outcome reaches the host at once, even if a later operation traps or
     * spins forever, and each operation's name is written before it runs. (Through the preview
     * 1 adapter a first write after `alloc` took all memory traps in the adapter, which sets up
     * its descriptor table on first use and could not allocate it.) */
    setvbuf(stdout, NULL, _IONBF, 0);
    for (int i = 1; i < argc;) {
        const char *op = argv[i];
        int n = arity(op);
        if (n < 0 || i + n >= argc) {
            fprintf(stderr, "probe: unknown operation or missing arguments at `%s`\n", op);
            return 2;
        }
        char **a = &argv[i + 1];
        begin(n + 1, &argv[i]);
        if (!strcmp(op, "read")) {
            do_read(-1, a[0]);
        } else if (!strcmp(op, "write")) {
            do_write(-1, a[0], a[1], O_TRUNC);
        } else if (!strcmp(op, "append")) {
            do_write(-1, a[0], a[1], O_APPEND);
        } else if (!strcmp(op, "stat")) {
            struct stat st;
            outcome(stat(a[0], &st));
        } else if (!strcmp(op, "ls")) {
            do_ls(a[0]);
        } else if (!strcmp(op, "mkdir")) {
            outcome(mkdir(a[0], 0755));
        } else if (!strcmp(op, "env")) {
            printf(" ok");
            for (char **e = environ; e && *e; e++) {
                printf(" %s", *e);
            }
            printf("\n");
        } else if (!strcmp(op, "getenv")) {
            const char *v = getenv(a[0]);
            if (v) {
                printf(" ok %s\n", v);
            } else {
                printf(" unset\n");
            }
        } else if (!strcmp(op, "args")) {
            printf(" ok %d", argc);
            for (int k = 0; k < argc; k++) {
                printf(" [%s]", argv[k]);
            }
            printf("\n");
        } else if (!strcmp(op, "cat")) {
            char buf[4096];
            ssize_t r;
            printf(" ok\n");
            fflush(stdout);
            while ((r = read(0, buf, sizeof buf)) > 0) {
                fwrite(buf, 1, (size_t)r, stdout);
            }
            fflush(stdout);
            if (r < 0) {
                printf("cat: read error %s\n", errname(errno) ? errname(errno) : "?");
            }
        } else if (!strcmp(op, "echo")) {
            printf(" ok %s\n", a[0]);
        } else if (!strcmp(op, "stderr")) {
            fprintf(stderr, "%s\n", a[0]);
            printf(" ok\n");
        } else if (!strcmp(op, "spin")) {
            printf(" spinning\n");
            fflush(stdout);
            volatile uint64_t x = 0;
            for (;;) {
                x++;
            }
        } else if (!strcmp(op, "alloc")) {
            do_alloc(atol(a[0]), atol(a[1]));
        } else if (!strcmp(op, "grow")) {
            long before = (long)__builtin_wasm_memory_size(0);
            long r = (long)__builtin_wasm_memory_grow(0, (size_t)atol(a[0]));
            long after = (long)__builtin_wasm_memory_size(0);
            printf(" %s %ld pages -> %ld pages (memory.grow returned %ld)\n", r < 0 ? "failed" : "ok",
                   before, after, r);
        } else if (!strcmp(op, "exit")) {
            printf(" exiting\n");
            fflush(stdout);
            exit(atoi(a[0]));
        } else if (!strcmp(op, "trap")) {
            printf(" trapping\n");
            fflush(stdout);
            __builtin_trap();
        } else {
            /* The `...at` operations: a[0] is a directory opened first. */
            int dirfd = open_dir(a[0]);
            if (dirfd < 0) {
                printf(" cannot open directory:");
                outcome(-1);
            } else if (!strcmp(op, "readat")) {
                do_read(dirfd, a[1]);
            } else if (!strcmp(op, "writeat")) {
                do_write(dirfd, a[1], a[2], O_TRUNC);
            } else if (!strcmp(op, "appendat")) {
                do_write(dirfd, a[1], a[2], O_APPEND);
            } else if (!strcmp(op, "mkdirat")) {
                outcome(mkdirat(dirfd, a[1], 0755));
            } else if (!strcmp(op, "unlinkat")) {
                outcome(unlinkat(dirfd, a[1], 0));
            } else if (!strcmp(op, "rmdirat")) {
                outcome(unlinkat(dirfd, a[1], AT_REMOVEDIR));
            } else if (!strcmp(op, "symlinkat")) {
                outcome(symlinkat(a[1], dirfd, a[2]));
            } else if (!strcmp(op, "linkat")) {
                outcome(linkat(dirfd, a[1], dirfd, a[2], 0));
            } else if (!strcmp(op, "renameat")) {
                outcome(renameat(dirfd, a[1], dirfd, a[2]));
            } else if (!strcmp(op, "rawread")) {
                do_raw(dirfd, a[1], 0);
            } else if (!strcmp(op, "rawcreate")) {
                do_raw(dirfd, a[1], 1);
            } else if (!strcmp(op, "statat")) {
                struct stat st;
                outcome(fstatat(dirfd, a[1], &st, 0));
            }
            if (dirfd >= 0) {
                close(dirfd);
            }
        }
        i += n + 1;
    }
    return 0;
}
