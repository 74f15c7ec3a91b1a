/**
 * The test server of compiled programs (C++, Rust): a small C program, built once per toolchain in
 * the sandbox (runner/shared-builds.ts), that runs a candidate's tests in one sandboxed run instead of
 * one run per test. For each test it forks and execs the candidate's program afresh (static
 * initialisers and all, as in a run of its own) in its own process group, with its own stdout/stderr
 * pipes (capped and timed here) and, as stdin, a private pipe holding only that test's nonce,
 * written after the fork. It reads the nonces from its own stdin one at a time, is non-dumpable (no
 * test can open its descriptors or memory through /proc) and reports one JSON line per test in the
 * Python server's format (runner/served-tests.ts reads both).
 *
 * argv: rlaif-serve <wallMs> <outputBytes> <tests> <test>... <program> <arg>...; the test's name is
 * the program's last argument.
 */
import type { SharedBuild } from './shared-builds.js';

/** Sandbox directory the server is built in and mounted at. */
export const TEST_SERVER_DIR = '/rlaif-serve';
const BINARY = 'rlaif-serve';

const SOURCE = String.raw`#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int report = -1;

static double now_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static void write_all(int fd, const char *data, size_t size) {
  while (size > 0) {
    ssize_t n = write(fd, data, size);
    if (n < 0) {
      if (errno == EINTR) continue;
      return;
    }
    data += n;
    size -= (size_t)n;
  }
}

static void emit(const char *text) { write_all(report, text, strlen(text)); }

static void emit_base64(const unsigned char *data, size_t size) {
  static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  char out[4096];
  size_t k = 0;
  for (size_t i = 0; i < size; i += 3) {
    unsigned v = (unsigned)data[i] << 16 | (i + 1 < size ? (unsigned)data[i + 1] << 8 : 0) | (i + 2 < size ? data[i + 2] : 0);
    out[k++] = alphabet[v >> 18 & 63];
    out[k++] = alphabet[v >> 12 & 63];
    out[k++] = i + 1 < size ? alphabet[v >> 6 & 63] : '=';
    out[k++] = i + 2 < size ? alphabet[v & 63] : '=';
    if (k > sizeof out - 4) {
      write_all(report, out, k);
      k = 0;
    }
  }
  write_all(report, out, k);
}

/* One line from fd, a byte at a time, so later lines stay in the pipe. */
static size_t read_line(int fd, char *out, size_t max) {
  size_t n = 0;
  char c;
  while (n + 1 < max && read(fd, &c, 1) == 1 && c != '\n') out[n++] = c;
  out[n] = 0;
  return n;
}

int main(int argc, char **argv) {
  if (argc < 5) return 2;
  double wall = atof(argv[1]);
  size_t cap = strtoul(argv[2], NULL, 10);
  int tests = atoi(argv[3]);
  if (tests < 1 || argc < 5 + tests) return 2;
  char **names = argv + 4;
  char **program = argv + 4 + tests;
  int program_args = argc - 4 - tests;
  prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
  report = fcntl(1, F_DUPFD_CLOEXEC, 3);
  signal(SIGPIPE, SIG_IGN);
  unsigned char *out = malloc(cap + 1), *err = malloc(cap + 1);
  char **args = calloc((size_t)program_args + 2, sizeof *args);
  if (report < 0 || !out || !err || !args) return 3;
  memcpy(args, program, (size_t)program_args * sizeof *args);
  for (int t = 0; t < tests; t++) {
    int o[2], e[2], n[2];
    if (pipe2(o, O_CLOEXEC) || pipe2(e, O_CLOEXEC) || pipe2(n, O_CLOEXEC)) return 3;
    double started = now_ms();
    pid_t pid = fork();
    if (pid == 0) {
      setpgid(0, 0);
      dup2(n[0], 0);
      dup2(o[1], 1);
      dup2(e[1], 2);
      args[program_args] = names[t];
      execv(args[0], args);
      _exit(127);
    }
    close(o[1]);
    close(e[1]);
    close(n[0]);
    char nonce[256];
    read_line(0, nonce, sizeof nonce);
    if (pid < 0) {
      close(o[0]);
      close(e[0]);
      close(n[1]);
      emit("{\"test\":\"");
      emit(names[t]);
      emit("\",\"exit\":1,\"wallMs\":0,\"timedOut\":false,\"overflow\":false,\"stdout\":\"\",\"stderr\":\"\"}\n");
      continue;
    }
    setpgid(pid, pid);
    /* The nonce is sent only now, after the fork, to this test's process alone. */
    write_all(n[1], nonce, strlen(nonce));
    write_all(n[1], "\n", 1);
    close(n[1]);
    int pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
    struct pollfd fds[3] = {{o[0], POLLIN, 0}, {e[0], POLLIN, 0}, {pidfd, POLLIN, 0}};
    size_t out_size = 0, err_size = 0;
    int overflow = 0, timed_out = 0, exited = 0, status = 0;
    double deadline = started + wall;
    while (!exited || fds[0].fd >= 0 || fds[1].fd >= 0) {
      if (!exited && waitpid(pid, &status, WNOHANG) == pid) {
        exited = 1;
        /* Its descendants go too; one that left the group may hold the pipes 0.2 s more. */
        kill(-pid, SIGKILL);
        if (now_ms() + 200 < deadline) deadline = now_ms() + 200;
        fds[2].fd = -1;
        continue;
      }
      double left = deadline - now_ms();
      if (left <= 0) {
        timed_out = !exited;
        break;
      }
      int wait_ms = (int)left + 1;
      if (!exited && pidfd < 0 && wait_ms > 5) wait_ms = 5;
      if (poll(fds, 3, wait_ms) < 0 && errno != EINTR) break;
      for (int i = 0; i < 2 && !overflow; i++) {
        if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
        unsigned char chunk[65536];
        ssize_t got = read(fds[i].fd, chunk, sizeof chunk);
        if (got <= 0) {
          fds[i].fd = -1;
          continue;
        }
        size_t room = cap - out_size - err_size, take = (size_t)got < room ? (size_t)got : room;
        memcpy(i == 0 ? out + out_size : err + err_size, chunk, take);
        if (i == 0) out_size += take;
        else err_size += take;
        if ((size_t)got > room) overflow = 1;
      }
      if (overflow) break;
    }
    kill(-pid, SIGKILL);
    if (!exited) waitpid(pid, &status, 0);
    if (pidfd >= 0) close(pidfd);
    close(o[0]);
    close(e[0]);
    int code = WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status);
    char head[160];
    snprintf(head, sizeof head, "\",\"exit\":%d,\"wallMs\":%.3f,\"timedOut\":%s,\"overflow\":%s,\"stdout\":\"", code, now_ms() - started, timed_out ? "true" : "false", overflow ? "true" : "false");
    emit("{\"test\":\"");
    emit(names[t]);
    emit(head);
    emit_base64(out, out_size);
    emit("\",\"stderr\":\"");
    emit_base64(err, err_size);
    emit("\"}\n");
    /* Killed by the clock or the CPU limit: later tests are skipped, as the parent will say. */
    if (timed_out || code == 128 + SIGXCPU) break;
  }
  return 0;
}
`;

/** The server as a shared build, compiled with the host's C compiler. */
export const TEST_SERVER: SharedBuild = {
  name: 'serve',
  sandboxDir: TEST_SERVER_DIR,
  files: { [`${BINARY}.c`]: SOURCE },
  product: BINARY,
  command: () => ['/usr/bin/cc', '-O2', '-Wall', '-o', `${TEST_SERVER_DIR}/${BINARY}`, `${TEST_SERVER_DIR}/${BINARY}.c`],
};

/** The server's command for `tests` of `program` (its argv without the test's name). */
export function serveCommand(program: readonly string[], tests: readonly string[], wallMs: number, outputBytes: number): string[] {
  return [`${TEST_SERVER_DIR}/${BINARY}`, String(wallMs), String(outputBytes), String(tests.length), ...tests, ...program];
}

/** Test names the server can report verbatim inside its JSON lines. */
export function servable(tests: readonly string[]): boolean {
  return tests.every((name) => /^[\w:]+$/.test(name));
}
