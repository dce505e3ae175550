"""Flask extensions as module globals, bound to the app in `init_app`."""
from flask_babel import Babel
from flask_compress import Compress

babel = Babel()
compress = Compress()


def init_app(app):
    compress.init_app(app)
