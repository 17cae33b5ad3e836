"""Run the queued PDF renders in the test's own process, as ``taut worker`` would run them
(the worker itself only sees committed data: ``taut.workflows.tests.test_printing`` runs it
for real once)."""

from django_tasks_db.models import DBTaskResult

from taut.workflows.tasks import render_document_task


def queued_renders() -> list[list[str]]:
    """The (kind, subject) of each render waiting in the queue, highest priority first."""
    waiting = DBTaskResult.objects.ready().filter(task_path=render_document_task.module_path)
    return [task.args_kwargs["args"] for task in waiting]


def run_renders(kind: str = "") -> list[str]:
    """Run every queued render (of ``kind``, if given) now, taking it off the queue; what
    each did."""
    waiting = DBTaskResult.objects.ready().filter(task_path=render_document_task.module_path)
    done = []
    for task in list(waiting):
        if kind and task.args_kwargs["args"][0] != kind:
            continue
        done.append(render_document_task.call(*task.args_kwargs["args"]))
        task.delete()
    return done


def drop_renders() -> None:
    """Take every queued render off the queue (e.g. a seeded clinic's, in a test that
    renders only the PDFs it reads)."""
    DBTaskResult.objects.filter(task_path=render_document_task.module_path).delete()
