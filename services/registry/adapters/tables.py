"""The registry's read-model tables, written in the same transaction as each append."""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    false,
    text,
)

metadata = MetaData()

# The filter columns of GET /v1/organizations besides the place and the registration date.
SEARCH_FILTERS = (
    "kind",
    "status",
    "grade",
    "rating_valid_until",
    "category",
    "level",
    "charity",
    "code_override",
    "urban",
    # registry_0006: when the latest grade starts, and the grade in force until then
    "rating_valid_from",
    "grade_before",
    "grade_before_valid_until",
)

# One row per organization: the searchable register (filters of GET /v1/organizations).
organizations = Table(
    "organizations",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("credit_code", String(18), unique=True),  # NULLs never collide: filed orgs have none
    Column("filing_number", String(100), unique=True),
    Column("name", String(300), nullable=False),
    Column("kind", String(30), nullable=False),
    Column("category", String(50)),
    Column("level", String(20)),
    Column("status", String(20), nullable=False),
    Column("grade", String(2)),
    Column("rating_valid_until", Date),
    # registry_0006: the latest grade's first day, and the one it replaced until then
    Column("rating_valid_from", Date),
    Column("grade_before", String(2)),
    Column("grade_before_valid_until", Date),
    Column("domicile", String(12), nullable=False),
    Column("street", String(9)),
    Column("community", String(12)),
    Column("urban", Boolean),
    Column("registered_on", Date, nullable=False),
    Column("charity", Boolean, nullable=False),
    Column("code_override", Boolean, nullable=False),
    Column("version", Integer, nullable=False),
    # Annual-report standing (registry_0005_credit; adapters/reporting_sql.py reads them):
    # the first year it must report on, the last one if it ended, its first charity year, and
    # the year after its unbroken run of reports from the first year (first + reports filed)
    Column("report_from_year", Integer),
    Column("report_until_year", Integer),
    Column("charity_from_year", Integer),
    Column("last_report_year", Integer),
    Column("overdue_base", Integer),
    # on the credit lists (民政部令第60号) now: 活动异常名录, 严重违法失信名单
    Column("abnormal_list", Boolean, nullable=False, server_default=false()),
    Column("serious_list", Boolean, nullable=False, server_default=false()),
    Index(
        "ix_organizations_kind",
        "kind",
        "domicile",
        postgresql_ops={"domicile": "varchar_pattern_ops"},
        postgresql_include=["registered_on", "id"],
    ),
    Index("ix_organizations_category", "category"),
    Index("ix_organizations_level", "level"),
    Index(
        "ix_organizations_status",
        "status",
        "domicile",
        postgresql_ops={"domicile": "varchar_pattern_ops"},
        postgresql_include=["registered_on", "id"],
    ),
    Index("ix_organizations_grade", "grade"),
    Index(
        "ix_organizations_grade_before",
        "grade_before",
        postgresql_where=text("grade_before IS NOT NULL"),
        sqlite_where=text("grade_before IS NOT NULL"),
    ),
    Index("ix_organizations_overdue", "overdue_base"),
    # partial: few organizations are listed, and the search asks for the listed ones
    Index(
        "ix_organizations_abnormal",
        "registered_on",
        postgresql_where=text("abnormal_list"),
        sqlite_where=text("abnormal_list"),
    ),
    Index(
        "ix_organizations_serious",
        "registered_on",
        postgresql_where=text("serious_list"),
        sqlite_where=text("serious_list"),
    ),
    # prefix searches (LIKE '4201%') use it on PostgreSQL only with the pattern operator class;
    # on PostgreSQL both search indexes carry the filter columns (registry_0003), so a search
    # counts and orders its matches from the index alone
    Index(
        "ix_organizations_domicile",
        "domicile",
        postgresql_ops={"domicile": "varchar_pattern_ops"},
        postgresql_include=["registered_on", "id", *SEARCH_FILTERS],
    ),
    Index(
        "ix_organizations_registered",
        "registered_on",
        "id",
        postgresql_include=["domicile", *SEARCH_FILTERS],
    ),
    # PostgreSQL also has ix_organizations_name_keys, a GIN index over an expression
    # (socorg_name_keys(name, domicile), registry_0003), which SQLAlchemy does not describe
)

# One row per organization and year: 年报 figures and the 年检 conclusion on them.
annual_reports = Table(
    "annual_reports",
    metadata,
    Column("organization_id", String(64), primary_key=True),
    Column("year", Integer, primary_key=True),
    Column("submitted_on", Date, nullable=False),
    Column("staff_employed", Integer),
    Column("conclusion", String(30)),
    Column("concluded_on", Date),
    Index("ix_annual_reports_year", "year"),
)
