"""WSGI entry point: `gunicorn wsgi:app`."""

import gc

from recognition import create_app

app = create_app()

# What start-up built (the app, its templates' code, the law, the translations) lives as long
# as the process: moved out of the collector's generations, it is not walked again by every
# full collection a request's allocations trigger.
gc.collect()
gc.freeze()
