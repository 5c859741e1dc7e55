"""The database: engine and sessions, column types, migrations, the embedded server."""
