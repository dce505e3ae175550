"""The reference for bench/http.py: a bare Flask "hello" app under gunicorn with the portal's settings."""
from flask import Flask

app = Flask(__name__)


@app.route("/")
def hello():
    return "Hello, World!"
