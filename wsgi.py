"""WSGI entry point: `gunicorn wsgi:app`."""

from recognition import create_app

app = create_app()
