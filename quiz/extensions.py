"""Extensions, created once here and initialised in the app factory."""
from __future__ import annotations

from flask_babel import Babel

from quiz.cache import Cache
from quiz.db import Database
from quiz.security import RememberCookieLoginManager, RememberingCSRFProtect

db = Database()
cache = Cache()
csrf = RememberingCSRFProtect()
babel = Babel()
login_manager = RememberCookieLoginManager()
