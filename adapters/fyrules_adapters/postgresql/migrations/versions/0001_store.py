"""The store's tables, and the trail's defences.

Values are JSON text (``TEXT``, not ``JSONB``: JSONB reorders keys and refuses ``\\u0000``,
and a store must give back what it was given). ``part`` is the partition that wrote a row
(0 when the database is not partitioned); the trail holds one hash chain per partition
(``chain``), numbered by ``position`` from 0.

Triggers refuse UPDATE, DELETE and TRUNCATE on the trail for every role, its owner too; only
a superuser who disables them can change a row, and ``fyrules trail verify --store`` then
names the first entry that no longer matches its hash.

Revision ID: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "fyrules_meta",
        sa.Column("key", sa.Text, primary_key=True),
        sa.Column("value", sa.Text, nullable=False),
    )
    for name, column in (("fyrules_cases", "state"), ("fyrules_closed", "summary")):
        op.create_table(
            name,
            sa.Column("case_id", sa.Text, primary_key=True),
            # the order a case was first written in, kept when it is written again (as
            # MemoryStore's dicts keep it)
            sa.Column("seq", sa.BigInteger, sa.Identity(), nullable=False),
            sa.Column("part", sa.Integer, nullable=False),
            sa.Column(column, sa.Text, nullable=False),
        )
        op.create_index(f"{name}_by_part", name, ["part", "seq"])
    op.create_table(
        "fyrules_seen",
        sa.Column("case_id", sa.Text, primary_key=True),
        sa.Column("event_id", sa.Text, primary_key=True),
    )
    op.create_table(
        "fyrules_trail",
        sa.Column("chain", sa.Integer, primary_key=True),
        sa.Column("position", sa.BigInteger, primary_key=True),
        sa.Column("entry", sa.Text, nullable=False),
    )
    op.create_table(
        "fyrules_findings",
        sa.Column("id", sa.BigInteger, sa.Identity(), primary_key=True),
        sa.Column("part", sa.Integer, nullable=False),
        sa.Column("case_id", sa.Text),
        sa.Column("finding", sa.Text, nullable=False),
    )
    op.create_index("fyrules_findings_by_part", "fyrules_findings", ["part", "id"])
    op.create_index("fyrules_findings_by_case", "fyrules_findings", ["case_id", "id"])
    op.create_table(
        "fyrules_rejected",
        sa.Column("id", sa.BigInteger, sa.Identity(), primary_key=True),
        sa.Column("part", sa.Integer, nullable=False),
        sa.Column("record", sa.Text, nullable=False),
    )
    op.create_index("fyrules_rejected_by_part", "fyrules_rejected", ["part", "id"])
    op.execute(
        """
        CREATE FUNCTION fyrules_trail_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION 'fyrules: % on the trail refused: the trail is append-only', TG_OP
                USING ERRCODE = 'insufficient_privilege';
        END
        $$
        """
    )
    op.execute(
        "CREATE TRIGGER fyrules_trail_no_change BEFORE UPDATE OR DELETE ON fyrules_trail "
        "FOR EACH ROW EXECUTE FUNCTION fyrules_trail_append_only()"
    )
    op.execute(
        "CREATE TRIGGER fyrules_trail_no_truncate BEFORE TRUNCATE ON fyrules_trail "
        "FOR EACH STATEMENT EXECUTE FUNCTION fyrules_trail_append_only()"
    )


def downgrade() -> None:
    raise NotImplementedError("the trail is never dropped by a migration")
