"""The council's blueprint, shared by its page modules (views, session_views)."""

from flask import Blueprint

bp = Blueprint("council", __name__, url_prefix="/council")
