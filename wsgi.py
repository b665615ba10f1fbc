"""WSGI entry point: `gunicorn wsgi:app`."""

import gc

from recognition import create_app

app = create_app()

# What start-up built (the app, its templates' code, the law, the translations) lives as long
# as the process: moved out of the collector's generations, it is not walked again by every
# full collection a request's allocations trigger.
gc.collect()
gc.freeze()
# A request allocates some thousands of objects, nearly all freed by their reference counts
# when it ends: collecting the youngest generation every 700 allocations (the default) walks
# the same live request objects again and again. Every 10,000 is enough to bound the memory
# cyclic garbage holds, and spends less of each request on the collector.
gc.set_threshold(10_000)  # the older generations keep their defaults
