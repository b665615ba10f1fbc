"""The dossiers' blueprint, shared by its page modules (views, hold_views)."""

from flask import Blueprint

bp = Blueprint("nominations", __name__, url_prefix="/nominations")
