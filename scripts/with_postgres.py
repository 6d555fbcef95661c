#!/usr/bin/env python3
"""Run a command with DATABASE_URL pointing at PostgreSQL.

If DATABASE_URL is already set, the command runs as it is. Otherwise a
throwaway cluster is made in a temporary directory (initdb + pg_ctl, on a free
loopback port, as the ``postgres`` user when we are root, because initdb
refuses root), and stopped and removed afterwards, also when the command
fails or is interrupted.

    python scripts/with_postgres.py pytest -x
"""

import glob
import os
import pwd
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile

INSTALL_HINT = (
    "with_postgres: no PostgreSQL server binaries (initdb, pg_ctl) found; install them "
    "(Debian: apt-get install postgresql) or set DATABASE_URL=postgres://user:pass@host/db."
)


def find_bin_dir() -> str | None:
    initdb = shutil.which("initdb")
    if initdb and shutil.which("pg_ctl"):
        return os.path.dirname(os.path.realpath(initdb))
    for candidate in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        if os.path.exists(os.path.join(candidate, "initdb")):
            return candidate
    return None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__, file=sys.stderr)
        return 2
    if os.environ.get("DATABASE_URL"):
        return subprocess.call(argv)

    bin_dir = find_bin_dir()
    if bin_dir is None:
        print(INSTALL_HINT, file=sys.stderr)
        return 1

    run_as: list[str] = []
    workdir = tempfile.mkdtemp(prefix="supportdesk-pg-")
    if os.geteuid() == 0:
        try:
            pw = pwd.getpwnam("postgres")
        except KeyError:
            print("with_postgres: running as root needs a 'postgres' user.", file=sys.stderr)
            return 1
        os.chown(workdir, pw.pw_uid, pw.pw_gid)
        run_as = ["runuser", "-u", "postgres", "--"]
    data = os.path.join(workdir, "data")
    port = free_port()
    pg_ctl = [*run_as, os.path.join(bin_dir, "pg_ctl"), "-D", data]
    started = False

    def stop(*_):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    try:
        subprocess.run(
            [*run_as, os.path.join(bin_dir, "initdb"), "-D", data, "-U", "postgres",
             "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync"],
            check=True, stdout=subprocess.DEVNULL,
        )  # fmt: skip
        # Durability is pointless for a throwaway cluster; speed is not.
        options = (
            f"-p {port} -k {workdir} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
        )
        subprocess.run(
            [*pg_ctl, "-o", options, "-l", os.path.join(workdir, "server.log"), "-w", "start"],
            check=True, stdout=subprocess.DEVNULL,
        )  # fmt: skip
        started = True
        env = dict(os.environ, DATABASE_URL=f"postgres://postgres@127.0.0.1:{port}/postgres")
        # How to control this cluster (the load test restarts it to prove recovery).
        env["WITH_POSTGRES_CTL"] = shlex.join(pg_ctl)
        return subprocess.call(argv, env=env)
    except subprocess.CalledProcessError as error:
        print(f"with_postgres: {error}", file=sys.stderr)
        log = os.path.join(workdir, "server.log")
        if os.path.exists(log):
            with open(log) as handle:
                print(handle.read()[-2000:], file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        if started:
            subprocess.run([*pg_ctl, "-m", "immediate", "stop"], stdout=subprocess.DEVNULL)
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
