"""vacancy filter indexes: the page and the count of «filters only» searches read an index, not the rows;
`pay` (the top of the salary range, else its bottom, else 0) is stored so that an index can order by it

Revision ID: 0007_vacancy_filter_indexes
Revises: 0006_request_subject
"""
import sqlalchemy as sa
from alembic import op

revision = "0007_vacancy_filter_indexes"
down_revision = "0006_request_subject"
branch_labels = None
depends_on = None

FILTER_COLUMNS = ["housing", "day_shift", "part_time", "no_experience", "medical_book", "pay", "ban_groups", "lat",
                  "lng"]


def upgrade():
    with op.batch_alter_table("vacancy", schema=None) as batch_op:
        batch_op.add_column(sa.Column("pay", sa.Integer(), server_default="0", nullable=False))
    op.execute("UPDATE vacancy SET pay = coalesce(salary_max, salary_min, 0)")
    op.create_index("ix_vacancy_open_newest", "vacancy", ["status", "modified_at", "id", *FILTER_COLUMNS])
    op.create_index("ix_vacancy_open_pay", "vacancy", ["status", "pay", "modified_at", "id",
                                                           *(c for c in FILTER_COLUMNS if c != "pay")])


def downgrade():
    op.drop_index("ix_vacancy_open_pay", table_name="vacancy")
    op.drop_index("ix_vacancy_open_newest", table_name="vacancy")
    with op.batch_alter_table("vacancy", schema=None) as batch_op:
        batch_op.drop_column("pay")
