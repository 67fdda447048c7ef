"""Extensions, created once here and initialised in the app factory."""
from __future__ import annotations

from flask_babel import Babel
from flask_login import LoginManager
from flask_wtf.csrf import CSRFProtect

from quiz.cache import Cache
from quiz.db import Database

db = Database()
cache = Cache()
csrf = CSRFProtect()
babel = Babel()
login_manager = LoginManager()
