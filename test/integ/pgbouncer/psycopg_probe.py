"""psycopg 3 side of the PgBouncer lab (test/integ/pgbouncer.test.ts runs it from .cache/venv-pg).

Usage: python psycopg_probe.py '<json>' where the JSON is {"command": ..., "conninfo": {...}}.
`conninfo` holds libpq keywords (host, port, dbname, user, password, sslmode, sslrootcert, ...).
Every command prints one JSON object per line on stdout; errors are reported, not raised, so the
test can assert on their exact text.
"""

import json
import sys

import psycopg


def error_info(exc):
    return {
        "ok": False,
        "error": str(exc).strip(),
        "sqlstate": getattr(exc, "sqlstate", None),
        "type": type(exc).__name__,
    }


def emit(obj):
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


def connect(conninfo, **kwargs):
    return psycopg.connect(**conninfo, **kwargs)


def tls_info(conn):
    return {"ssl_in_use": bool(conn.pgconn.ssl_in_use)}


def cmd_connect(conninfo, _args):
    """Connect, run one query, report TLS use or the error."""
    try:
        with connect(conninfo, autocommit=True) as conn:
            row = conn.execute("SELECT current_user, current_database()").fetchone()
            emit({"ok": True, "user": row[0], "database": row[1], **tls_info(conn)})
    except psycopg.Error as exc:
        emit(error_info(exc))


def cmd_hold(conninfo, _args):
    """Connect, report, then keep the connection open until a line arrives on stdin."""
    try:
        conn = connect(conninfo, autocommit=True)
    except psycopg.Error as exc:
        emit(error_info(exc))
        return
    with conn:
        row = conn.execute("SELECT current_user").fetchone()
        emit({"ok": True, "event": "connected", "user": row[0], **tls_info(conn)})
        sys.stdin.readline()
    emit({"ok": True, "event": "closed"})


def cmd_prepared(conninfo, _args):
    """Two clients use protocol-level prepared statements (prepare=True: psycopg names them _pg3_N)
    over the same pool; client A executes again after B."""
    steps = []
    a = connect(conninfo, autocommit=True, prepare_threshold=0)
    b = connect(conninfo, autocommit=True, prepare_threshold=0)
    plan = [
        ("A", a, "SELECT %s::int + 1 AS v", 1),
        ("B", b, "SELECT %s::int * 10 AS v", 2),
        ("A", a, "SELECT %s::int + 1 AS v", 41),
        ("B", b, "SELECT %s::int * 10 AS v", 3),
    ]
    for who, conn, query, value in plan:
        try:
            row = conn.execute(query, [value], prepare=True).fetchone()
            steps.append({"client": who, "ok": True, "value": row[0]})
        except psycopg.Error as exc:
            steps.append({"client": who, **error_info(exc)})
    a.close()
    b.close()
    emit({"ok": True, "steps": steps})


STATE_QUERY = (
    "SELECT pg_backend_pid() AS pid, current_setting('statement_timeout') AS statement_timeout, "
    "(SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid() "
    "AND objid = %s) AS advisory_locks"
)


def state(conn, key):
    pid, timeout, locks = conn.execute(STATE_QUERY, [key]).fetchone()
    return {"pid": pid, "statement_timeout": timeout, "advisory_locks": locks}


def cmd_session_state(conninfo, args):
    """Client A sets session state (SET + session advisory lock) in autocommit statements; client B
    then holds a transaction open; A looks at its state again in a new transaction."""
    key = int(args.get("lockKey", 4242))
    a = connect(conninfo, autocommit=True)
    b = connect(conninfo, autocommit=True)
    a.execute("SET statement_timeout = '4321ms'")
    a.execute("SELECT pg_advisory_lock(%s)", [key])
    a_first = state(a, key)
    b.execute("BEGIN")
    b_in_tx = state(b, key)
    a_later = state(a, key)
    b.execute("COMMIT")
    # Leave no lock behind on a pooled server connection.
    for conn in (a, b):
        conn.execute("SELECT pg_advisory_unlock_all()")
        conn.execute("RESET statement_timeout")
    a.close()
    b.close()
    emit({"ok": True, "a_first": a_first, "b_in_tx": b_in_tx, "a_later": a_later})


COMMANDS = {
    "connect": cmd_connect,
    "hold": cmd_hold,
    "prepared": cmd_prepared,
    "session-state": cmd_session_state,
}


def main():
    request = json.loads(sys.argv[1])
    emit_version = {"event": "start", "psycopg": psycopg.__version__, "impl": psycopg.pq.__impl__,
                    "libpq": psycopg.pq.version()}
    emit(emit_version)
    COMMANDS[request["command"]](request["conninfo"], request.get("args", {}))


if __name__ == "__main__":
    main()
