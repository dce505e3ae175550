"""service: officers' referrals and the assigned colleague on the application table (issue 17)

Revision ID: 0004_service
Revises: 0001
"""
import sqlalchemy as sa
from alembic import op

revision = "0004_service"
down_revision = '0003_vacancies'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("application", schema=None) as batch_op:
        batch_op.add_column(sa.Column("release_date", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("institution", sa.String(length=120), nullable=True))
        batch_op.add_column(sa.Column("reach_via", sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column("referrer_name", sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column("referrer_phone", sa.String(length=20), nullable=True))
        batch_op.create_index(batch_op.f("ix_application_release_date"), ["release_date"], unique=False)
        batch_op.add_column(sa.Column("assigned_staff_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key("fk_application_assigned_staff_id_staff_user", "staff_user",
                                    ["assigned_staff_id"], ["id"])


def downgrade():
    with op.batch_alter_table("application", schema=None) as batch_op:
        batch_op.drop_constraint("fk_application_assigned_staff_id_staff_user", type_="foreignkey")
        batch_op.drop_column("assigned_staff_id")
        batch_op.drop_index(batch_op.f("ix_application_release_date"))
        for column in ("referrer_phone", "referrer_name", "reach_via", "institution", "release_date"):
            batch_op.drop_column(column)
