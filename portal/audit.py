"""The audit trail: who did what to which request and when, in the AuditEvent table and as one JSON log line.

Neither the table nor the log line ever holds personal data: callers pass codes and counts in `detail`
(«new->done», «rows=12»), never a name, a contact or a comment.
"""

import logging
import re
from datetime import datetime

from sqlalchemy import DateTime, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from portal.clock import now_utc
from portal.extensions import db
from portal.logs import json_line

log = logging.getLogger("portal.audit")

CONTROL_RE = re.compile(r"[\x00-\x1f\x7f-\x9f]")
DETAIL_MAX = 200  # the column's width


class AuditEvent(db.Model):
    """Who did what and when, without personal data: status changes, exports, logins, purges."""

    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=now_utc, index=True)
    actor: Mapped[str] = mapped_column(String(80))                 # staff username or "system"
    action: Mapped[str] = mapped_column(String(40))
    object_type: Mapped[str | None] = mapped_column(String(30), nullable=True)
    object_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    detail: Mapped[str | None] = mapped_column(String(200), nullable=True)


def actor_name(actor):
    """A StaffUser becomes its username; strings («system», «cli») pass through."""
    name = getattr(actor, "username", actor)
    return CONTROL_RE.sub("?", str(name or "system"))[:80]


def record(actor, action, object_type=None, object_id=None, detail=None):
    """Store one audit event, commit it together with any pending change, and log it as one line."""
    detail = CONTROL_RE.sub(" ", str(detail))[:DETAIL_MAX] if detail is not None else None
    event = AuditEvent(
        actor=actor_name(actor),
        action=str(action)[:40],
        object_type=object_type,
        object_id=object_id,
        detail=detail,
    )
    db.session.add(event)
    db.session.commit()
    log_event(action, actor=event.actor, object_type=object_type, object_id=object_id, detail=detail)
    return event


def log_event(event, **fields):
    """One structured line (JSON, UTC time ending in Z); json.dumps escapes newlines, so no log injection."""
    log.info(json_line(event, **fields))
