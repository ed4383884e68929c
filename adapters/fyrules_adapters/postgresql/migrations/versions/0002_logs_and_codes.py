"""The notification log, the applicants' query codes and the delivery log, beside the store's
tables.

``fyrules_notifications`` is the sent-notification record (:class:`fyrules.NotificationLog`):
one row per notification key, in the order first recorded (``position``), its JSON record
replaced as its delivery status changes; a restart reads the keys back and sends nothing twice.
``fyrules_applicant_codes`` keeps, per case, the salt and scrypt hash of the applicant's query
code that ``fyrules serve`` issues at acceptance (the web adapter's ``codes`` module), so codes
survive a restart on PostgreSQL as they do in a SQLite file. Both tables are shared by every
partition: a notification key and a code belong to one case, and so to one partition.

Revision ID: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "fyrules_notifications",
        sa.Column("position", sa.BigInteger, sa.Identity(), primary_key=True),
        sa.Column("key", sa.Text, nullable=False, unique=True),
        sa.Column("record", sa.Text, nullable=False),
    )
    op.create_table(
        "fyrules_applicant_codes",
        sa.Column("case_id", sa.Text, primary_key=True),
        sa.Column("salt", sa.LargeBinary, nullable=False),
        sa.Column("hash", sa.LargeBinary, nullable=False),
        sa.Column("n", sa.Integer, nullable=False),
        sa.Column("r", sa.Integer, nullable=False),
        sa.Column("p", sa.Integer, nullable=False),
    )

    op.create_table(
        "fyrules_deliveries",
        sa.Column("id", sa.BigInteger, sa.Identity(), primary_key=True),
        sa.Column("part", sa.Integer, nullable=False),
        sa.Column("record", sa.Text, nullable=False),
    )
    op.create_index("fyrules_deliveries_by_part", "fyrules_deliveries", ["part", "id"])


def downgrade() -> None:
    op.drop_table("fyrules_deliveries")
    op.drop_table("fyrules_applicant_codes")
    op.drop_table("fyrules_notifications")
