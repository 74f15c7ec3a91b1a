/**
 * The Python test server: one interpreter per candidate, started in the sandbox, that syntax-checks
 * candidate and tests and then forks a fresh process per test, so the interpreter starts once
 * instead of once per test. It reports to the trusted parent one JSON line per step; the parent
 * decides every verdict (runner/served-tests.ts).
 *
 * Each test's process: its own process group, stdin from /dev/null, its own stdout/stderr pipes
 * (capped and timed by the server), and its own nonce, written to a private pipe only after the
 * fork and read by the harness only after the test returned. The server is made non-dumpable, so
 * no test can open its descriptors through /proc (stdin holding later tests' nonces, the report pipe).
 */
import { VERDICT_TAG, WHOLE_BLOCK_TEST } from './program.js';

/** argv: server.py <wallMs> <outputBytes> <test>...; stdin: one nonce per test, in order. */
export const PYTHON_SERVER = `import base64, json, os, selectors, signal, sys, time, traceback, types, warnings
_DIR = os.path.dirname(os.path.abspath(__file__))
_REPORT = os.dup(1)

def _emit(record):
    data = (json.dumps(record) + "\\n").encode()
    while data:
        data = data[os.write(_REPORT, data):]

def _harden():
    try:
        import ctypes
        ctypes.CDLL(None, use_errno=True).prctl(4, 0, 0, 0, 0)  # PR_SET_DUMPABLE = 0
        return True
    except Exception:
        return False

def _check():
    lines, ok = [], True
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for name in ("candidate.py", "tests.py"):
            try:
                with open(os.path.join(_DIR, name), encoding="utf-8") as f:
                    compile(f.read(), name, "exec")
            except Exception as error:
                lines.append("".join(traceback.format_exception_only(type(error), error)))
                ok = False
                break
    shown = ["%s:%s: %s: %s" % (w.filename, w.lineno, w.category.__name__, w.message) for w in caught]
    return ok, "\\n".join(shown + lines)

def _read_line(fd):
    # One byte at a time, so later lines stay in the pipe.
    data = b""
    while True:
        byte = os.read(fd, 1)
        if not byte or byte == b"\\n":
            return data.decode()
        data += byte

def _test(name, nonce_fd):
    code = 0
    try:
        sys.argv = [os.path.join(_DIR, "harness.py"), name]
        solution = types.ModuleType("solution")
        sys.modules["solution"] = solution
        with open(os.path.join(_DIR, "candidate.py"), encoding="utf-8") as f:
            exec(compile(f.read(), "candidate.py", "exec"), solution.__dict__)
        scope = dict(solution.__dict__)
        scope["__name__"] = "tests"
        with open(os.path.join(_DIR, "tests.py"), encoding="utf-8") as f:
            tests = compile(f.read(), "tests.py", "exec")
        start = time.perf_counter_ns()
        exec(tests, scope)
        if name != "${WHOLE_BLOCK_TEST}":
            start = time.perf_counter_ns()
            scope[name]()
        elapsed = time.perf_counter_ns() - start
        sys.stdout.flush()
        nonce = _read_line(nonce_fd)
        sys.stdout.write("\\n${VERDICT_TAG} %s %s %d\\n" % (nonce, name, elapsed))
    except SystemExit as stop:
        if stop.code is None or isinstance(stop.code, int):
            code = stop.code or 0
        else:
            print(stop.code, file=sys.stderr)
            code = 1
    except BaseException:
        traceback.print_exc()
        code = 1
    finally:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        finally:
            os._exit(code)

def _kill_group(pid):
    try:
        os.killpg(pid, signal.SIGKILL)
    except OSError:
        pass

def _serve(wall_s, cap, names):
    for name in names:
        out_r, out_w = os.pipe()
        err_r, err_w = os.pipe()
        nonce_r, nonce_w = os.pipe()
        started = time.monotonic()
        try:
            pid = os.fork()
        except OSError as error:
            for fd in (out_r, out_w, err_r, err_w, nonce_r, nonce_w):
                os.close(fd)
            _read_line(0)
            _emit({"test": name, "exit": 1, "wallMs": 0, "timedOut": False, "overflow": False, "stdout": "",
                   "stderr": base64.b64encode(("could not start the test: %s" % error).encode()).decode()})
            continue
        if pid == 0:
            os.setpgid(0, 0)
            null = os.open(os.devnull, os.O_RDONLY)
            os.dup2(null, 0)
            os.dup2(out_w, 1)
            os.dup2(err_w, 2)
            for fd in (null, out_r, out_w, err_r, err_w, nonce_w, _REPORT):
                os.close(fd)
            _test(name, nonce_r)
        for fd in (out_w, err_w, nonce_r):
            os.close(fd)
        try:
            os.setpgid(pid, pid)
        except OSError:
            pass
        # The nonce is read from stdin only now, after the fork: the test's process never held it.
        nonce = (_read_line(0) + "\\n").encode()
        try:
            os.write(nonce_w, nonce)
        except BrokenPipeError:
            # The test ended before it asked for its nonce (it failed at once): its verdict stands
            # without one, and the next tests still run.
            pass
        os.close(nonce_w)
        output = {out_r: [], err_r: []}
        size, timed_out, overflow, status, open_pipes = 0, False, False, None, 2
        selector = selectors.DefaultSelector()
        for fd in output:
            selector.register(fd, selectors.EVENT_READ)
        try:
            # Readable when the child exits, so its end is seen at once (Linux 5.3+, Python 3.9+).
            pidfd = os.pidfd_open(pid)
            selector.register(pidfd, selectors.EVENT_READ)
        except (AttributeError, OSError):
            pidfd = None
        deadline = started + wall_s
        while status is None or open_pipes > 0:
            if status is None:
                done, raw = os.waitpid(pid, os.WNOHANG)
                if done:
                    status = raw
                    # Its descendants go too; a daemon that left the group may hold the pipes 0.2 s more.
                    _kill_group(pid)
                    deadline = min(deadline, time.monotonic() + 0.2)
                    if pidfd is not None:
                        selector.unregister(pidfd)
                        os.close(pidfd)
                        pidfd = None
                    continue
            left = deadline - time.monotonic()
            if left <= 0:
                timed_out = status is None
                break
            for key, _ in selector.select(min(left, 0.05 if pidfd is not None else 0.005)):
                if key.fd == pidfd:
                    continue
                chunk = os.read(key.fd, 65536)
                if not chunk:
                    selector.unregister(key.fd)
                    open_pipes -= 1
                    continue
                room = cap - size
                output[key.fd].append(chunk[:room])
                size += min(len(chunk), room)
                if len(chunk) > room:
                    overflow = True
                    break
            if overflow:
                break
        _kill_group(pid)
        if status is None:
            status = os.waitpid(pid, 0)[1]
        if pidfd is not None:
            os.close(pidfd)
        selector.close()
        for fd in output:
            os.close(fd)
        wall_ms = (time.monotonic() - started) * 1000
        exit_code = 128 + os.WTERMSIG(status) if os.WIFSIGNALED(status) else os.WEXITSTATUS(status)
        _emit({"test": name, "exit": exit_code, "wallMs": wall_ms, "timedOut": timed_out, "overflow": overflow,
               "stdout": base64.b64encode(b"".join(output[out_r])).decode(),
               "stderr": base64.b64encode(b"".join(output[err_r])).decode()})
        # Killed by the clock or the CPU limit: later tests are skipped, as the parent will say.
        if timed_out or exit_code == 128 + signal.SIGXCPU:
            return

def _main():
    hardened = _harden()
    ok, output = _check()
    _emit({"check": ok, "output": output, "hardened": hardened})
    if ok:
        _serve(int(sys.argv[1]) / 1000, int(sys.argv[2]), sys.argv[3:])

_main()
`;
