"""request subject: what a request is about when the form was opened from a vacancy or an employer's card

Revision ID: 0006_request_subject
Revises: 0005_service_survey
"""
import sqlalchemy as sa
from alembic import op

revision = "0006_request_subject"
down_revision = "0005_service_survey"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("application", schema=None) as batch_op:
        batch_op.add_column(sa.Column("about_kind", sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column("about_ref", sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column("about_title", sa.String(length=500), nullable=True))
        batch_op.add_column(sa.Column("about_url", sa.String(length=500), nullable=True))


def downgrade():
    with op.batch_alter_table("application", schema=None) as batch_op:
        batch_op.drop_column("about_url")
        batch_op.drop_column("about_title")
        batch_op.drop_column("about_ref")
        batch_op.drop_column("about_kind")
