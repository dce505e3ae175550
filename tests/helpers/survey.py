"""The after-service question's fixtures: invitations made the way the desk makes them, answers stored
straight into the table (the survey page itself is tested in tests/feedback/test_survey.py)."""
from portal.extensions import db
from portal.feedback import survey
from portal.feedback.models import ServiceAnswer


def make_invitation(app, served_via="call"):
    """A fresh single-use token, its hashed invitation stored (as closing a request does)."""
    with app.app_context():
        token = survey.create_invitation(served_via)
        db.session.commit()
        return token


def add_answers(app, scores, served_via="call", month=None):
    """One ServiceAnswer per score, this month unless told."""
    with app.app_context():
        month = month or survey.this_month()
        db.session.add_all([ServiceAnswer(score=s, served_via=served_via, month=month) for s in scores])
        db.session.commit()


def scores(promoters=0, passives=0, detractors=0):
    """A list of scores with that many 10s, 8s and 3s."""
    return [10] * promoters + [8] * passives + [3] * detractors
