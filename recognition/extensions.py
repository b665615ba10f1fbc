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
# The client address is the socket peer: X-Forwarded-For is honoured only when the operator
# configures a trusted proxy count (ProxyFix), so a spoofed header cannot reset a limit.
limiter = Limiter(key_func=get_remote_address, default_limits=[])
