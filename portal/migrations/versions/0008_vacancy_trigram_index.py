"""vacancy word index on PostgreSQL: a trigram GIN index on `search_text`, so the word search's
`LIKE '% свар%'` reads the index instead of every row (SQLite uses its FTS5 table, portal/vacancies/store.py)

Revision ID: 0008_vacancy_trigram_index
Revises: 0007_vacancy_filter_indexes
"""
import sqlalchemy as sa
from alembic import op

revision = "0008_vacancy_trigram_index"
down_revision = "0007_vacancy_filter_indexes"
branch_labels = None
depends_on = None

INDEX = "ix_vacancy_search_trgm"  # portal/vacancies/models.py TRIGRAM_INDEX


def upgrade():
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    # pg_trgm is a trusted extension (PostgreSQL 13+): the database owner who runs `flask db upgrade` may
    # create it. Where that is refused, the search stays a correct scan of the table; the upgrade goes on.
    try:
        with bind.begin_nested():
            bind.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except sa.exc.DBAPIError as error:
        print(f"{INDEX} not created, word searches will scan the table: {type(error.orig).__name__}")
        return
    op.execute(f"CREATE INDEX IF NOT EXISTS {INDEX} ON vacancy USING gin (search_text gin_trgm_ops)")


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"DROP INDEX IF EXISTS {INDEX}")  # the extension stays: other databases' objects may use it
