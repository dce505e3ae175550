"""vacancies: the vacancy cards of «Работа России» and the sync log (issue 16)

Revision ID: 0003_vacancies
Revises: 0001
Create Date: 2026-12-02 06:19:21.757090

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0003_vacancies'
down_revision = "0002_places"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('vacancy',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('api_id', sa.String(length=64), nullable=False),
    sa.Column('fold_key', sa.String(length=64), nullable=False),
    sa.Column('duplicates', sa.Integer(), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('is_demo', sa.Boolean(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('employer_name', sa.String(length=300), nullable=False),
    sa.Column('employer_inn', sa.String(length=12), nullable=True),
    sa.Column('hr_agency', sa.Boolean(), nullable=False),
    sa.Column('address', sa.String(length=500), nullable=True),
    sa.Column('lat', sa.Float(), nullable=True),
    sa.Column('lng', sa.Float(), nullable=True),
    sa.Column('salary_min', sa.Integer(), nullable=True),
    sa.Column('salary_max', sa.Integer(), nullable=True),
    sa.Column('employment', sa.String(length=100), nullable=True),
    sa.Column('schedule', sa.String(length=100), nullable=True),
    sa.Column('specialisation', sa.String(length=200), nullable=True),
    sa.Column('code_profession', sa.String(length=20), nullable=True),
    sa.Column('education', sa.String(length=200), nullable=True),
    sa.Column('duty', sa.Text(), nullable=True),
    sa.Column('requirements', sa.Text(), nullable=True),
    sa.Column('conditions', sa.Text(), nullable=True),
    sa.Column('social_protected', sa.String(length=300), nullable=True),
    sa.Column('vac_url', sa.String(length=500), nullable=True),
    sa.Column('modified_at', sa.DateTime(), nullable=True),
    sa.Column('day_shift', sa.Boolean(), nullable=False),
    sa.Column('housing', sa.Boolean(), nullable=False),
    sa.Column('no_experience', sa.Boolean(), nullable=False),
    sa.Column('medical_book', sa.Boolean(), nullable=False),
    sa.Column('part_time', sa.Boolean(), nullable=False),
    sa.Column('ban_groups', sa.String(length=200), nullable=False),
    sa.Column('ban_reasons', sa.Text(), nullable=False),
    sa.Column('says_no_record', sa.Boolean(), nullable=False),
    sa.Column('search_text', sa.Text(), nullable=False),
    sa.Column('title_text', sa.Text(), nullable=False),
    sa.Column('first_seen_at', sa.DateTime(), nullable=False),
    sa.Column('last_seen_at', sa.DateTime(), nullable=False),
    sa.Column('closed_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('api_id')
    )
    with op.batch_alter_table('vacancy', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_vacancy_employer_inn'), ['employer_inn'], unique=False)
        batch_op.create_index(batch_op.f('ix_vacancy_fold_key'), ['fold_key'], unique=False)
        batch_op.create_index(batch_op.f('ix_vacancy_modified_at'), ['modified_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_vacancy_salary_min'), ['salary_min'], unique=False)
        batch_op.create_index(batch_op.f('ix_vacancy_status'), ['status'], unique=False)

    op.create_table('vacancy_sync',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('started_at', sa.DateTime(), nullable=False),
    sa.Column('finished_at', sa.DateTime(), nullable=True),
    sa.Column('source', sa.String(length=20), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('pages', sa.Integer(), nullable=False),
    sa.Column('pages_total', sa.Integer(), nullable=False),
    sa.Column('records', sa.Integer(), nullable=False),
    sa.Column('total_reported', sa.Integer(), nullable=False),
    sa.Column('added', sa.Integer(), nullable=False),
    sa.Column('updated', sa.Integer(), nullable=False),
    sa.Column('closed', sa.Integer(), nullable=False),
    sa.Column('errors', sa.Integer(), nullable=False),
    sa.Column('error_text', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('vacancy_sync', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_vacancy_sync_started_at'), ['started_at'], unique=False)



def downgrade():
    # The FTS5 index (SQLite only) is derived data created by the sync, outside the ORM metadata
    # (vacancy_fts first, vacancy_words since the index holds only open cards).
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE IF EXISTS vacancy_fts")
        op.execute("DROP TABLE IF EXISTS vacancy_words")
    with op.batch_alter_table('vacancy_sync', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_vacancy_sync_started_at'))

    op.drop_table('vacancy_sync')
    with op.batch_alter_table('vacancy', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_vacancy_status'))
        batch_op.drop_index(batch_op.f('ix_vacancy_salary_min'))
        batch_op.drop_index(batch_op.f('ix_vacancy_modified_at'))
        batch_op.drop_index(batch_op.f('ix_vacancy_fold_key'))
        batch_op.drop_index(batch_op.f('ix_vacancy_employer_inn'))

    op.drop_table('vacancy')
