"""The store (数据库): forms, versions, findings, users and the audit log in SQLite or PostgreSQL.

Importing this package loads nothing heavy: SQLAlchemy comes in with `database`,
`repository` and `orm`, which only commands that use the store import.
"""
