"""What the logs keep of a refused request."""

import logging


class RefusalWithoutTraceback(logging.Filter):
    """A 4xx answer (403 refused, 404 not found, 400 bad input) is logged as one line, its
    traceback dropped: the refusal is expected, already audited where it concerns a patient,
    and a traceback per probe floods the log and hides the 500s that need reading."""

    def filter(self, record: logging.LogRecord) -> bool:
        if 400 <= getattr(record, "status_code", 0) < 500:
            record.exc_info = None
            record.exc_text = None
        return True
