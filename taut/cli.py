"""The ``taut`` command.

``taut demo``          migrate, seed the demo clinic and serve it on http://127.0.0.1:8000
``taut seed-scale``    build a synthetic clinic network of realistic size (``--patients 50000``)
``taut serve``         serve with gunicorn (production; see the README)
``taut audit-verify``  link the audit events waiting, then check the audit trail's hash chain
                       against its anchors outside the database (AUDIT_ANCHOR_PATH, --anchors)
``taut audit-link``    link the audit events waiting (``taut worker`` does it every 2 s)
``taut backup``        an encrypted copy of the database and its manifest (BACKUP_KEY_PATH,
                       BACKUP_DIR; ``--new-key PATH`` makes a key file)
``taut restore --check ARCHIVE``  restore a backup into a scratch database and check it
                       (migrations, the audit trail against its anchors); ``--decrypt-to PATH``
``taut refresh-next-steps``  compute each patient's next-step due day again (after a change
                       to a clinic's payer policy or "reconsider after")
``taut purge-requests``  delete appointment requests past their expiry (run it daily)
``taut <command>``     any Django management command (``taut migrate``, ``taut createsuperuser``)
Dashes in command names become underscores.
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv[1:] if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "taut.settings")
    if not argv or argv[0] in ("-h", "--help", "help"):
        print(__doc__)
        return
    if argv[0] == "serve":
        serve(argv[1:])
        return
    from django.core.management import execute_from_command_line

    command = argv[0].replace("-", "_")
    execute_from_command_line(["taut", command, *argv[1:]])


def serve(args: list[str]) -> None:
    """Run gunicorn on the WSGI application (bind with TAUT_BIND, default 127.0.0.1:8000)."""
    bind = os.environ.get("TAUT_BIND", "127.0.0.1:8000")
    # One worker per core (docs/decisions/0023), each with a few threads: a cheap request
    # (the login page) no longer queues behind PDF downloads waiting on their audit row's
    # flush to disk (docs/decisions/0034, benchmarks/pdf_starvation.py).
    workers = os.environ.get("TAUT_WORKERS") or str(os.cpu_count() or 2)
    threads = os.environ.get("TAUT_THREADS") or "4"
    os.execvp(
        sys.executable,
        [
            sys.executable,
            "-m",
            "gunicorn",
            "taut.wsgi",
            "--bind",
            bind,
            "--workers",
            workers,
            "--worker-class",
            "gthread",
            "--threads",
            threads,
            "--access-logfile",
            "-",
            *args,
        ],
    )


if __name__ == "__main__":
    main()
