"""Flask extensions, created unbound; `create_app` binds them."""

from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect

from recognition.database import Base

db = SQLAlchemy(model_class=Base)
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()


class ViewLimiter(Limiter):
    """Flask-Limiter, whose check before every request runs only when a limit may apply to
    every view.

    Every limit here is a view's own (`@limiter.limit`), which the view's decorator checks when
    the view is called. The check Flask-Limiter runs before every request adds the limits set
    for the whole application, the defaults, the meta limits, a blueprint's and those that
    stand in while the limits' storage is unreachable: none unless configured, so on a page
    without a limit of its own it counted nothing, at some cost to every request (the signed-in
    pages, a ballot's cast).
    """

    def _check_request_limit(
        self, callable_name: str | None = None, in_middleware: bool = True
    ) -> None:
        manager = self.limit_manager
        if in_middleware and not (
            manager.application_limits
            or manager.default_limits
            or self._meta_limits
            or manager._blueprint_limits
            or self._in_memory_fallback
        ):
            return
        super()._check_request_limit(callable_name, in_middleware)


# The client address is the socket peer: X-Forwarded-For is honoured only when the operator
# configures a trusted proxy count (ProxyFix), so a spoofed header cannot reset a limit.
limiter = ViewLimiter(key_func=get_remote_address, default_limits=[])
