"""Anonymous search statistics: a count per normalised query per day, and whether it found anything.

Revision ID: 6731b314f0e2
Revises:
Create Date: 2026-11-26 20:10:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "6731b314f0e2"
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "search_query_day",
        sa.Column("query", sa.String(length=200), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("found", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("query", "day", name=op.f("pk_search_query_day")),
    )
    with op.batch_alter_table("search_query_day", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_search_query_day_day"), ["day"], unique=False)


def downgrade():
    with op.batch_alter_table("search_query_day", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_search_query_day_day"))
    op.drop_table("search_query_day")
