"""Plan answers that every result page must handle: each kind of step shows."""
from urllib.parse import urlencode

MUST_SHOW = {"released": "soon", "passport": "missing", "housing": "no_place", "supervision": "none",
             "benefit": "wanted", "goal": "job", "situation": "nothing"}


MUST_SHOW_URL = "/plan/itog?" + urlencode(MUST_SHOW)
