"""service survey: the after-service 0–10 question replaces the one on guide pages (survey_invitation,
service_answer; loyalty_answer is dropped)

Revision ID: 0005_service_survey
Revises: 0004_service
"""
import sqlalchemy as sa
from alembic import op

revision = "0005_service_survey"
down_revision = "0004_service"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "survey_invitation",
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("served_via", sa.String(length=20), nullable=False),
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.PrimaryKeyConstraint("token_hash"),
    )
    op.create_table(
        "service_answer",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("served_via", sa.String(length=20), nullable=False),
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("improve", sa.String(length=500), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("service_answer", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_service_answer_month"), ["month"], unique=False)
    # The guide pages' answers came from readers who never dealt with the centre: they are not kept.
    with op.batch_alter_table("loyalty_answer", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_loyalty_answer_day"))
    op.drop_table("loyalty_answer")


def downgrade():
    op.create_table(
        "loyalty_answer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("asked_on", sa.String(length=120), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("loyalty_answer", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_loyalty_answer_day"), ["day"], unique=False)
    with op.batch_alter_table("service_answer", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_service_answer_month"))
    op.drop_table("service_answer")
    op.drop_table("survey_invitation")
