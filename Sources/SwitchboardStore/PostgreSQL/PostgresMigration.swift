/// One step of the PostgreSQL schema: statements applied together in one transaction, recorded by version.
public struct PostgresMigration: Sendable, Hashable {
    public var version: String
    public var statements: [String]

    public init(version: String, statements: [String]) {
        self.version = version
        self.statements = statements
    }

    /// The schema, in order. The message path's tables mirror the SQLite store's (column for column), with
    /// timestamps as `timestamptz`.
    public static let all: [PostgresMigration] = [
        PostgresMigration(version: "v1-messages", statements: [
            """
            CREATE TABLE message (
              id TEXT PRIMARY KEY, recipient TEXT NOT NULL, kind TEXT NOT NULL, body TEXT NOT NULL, status TEXT NOT NULL,
              route TEXT, account TEXT, provider TEXT, provider_message_id TEXT, error_code TEXT, error_message TEXT,
              provider_code TEXT, ref TEXT, ref1 TEXT, ref2 TEXT,
              created_at TIMESTAMPTZ NOT NULL, updated_at TIMESTAMPTZ NOT NULL)
            """,
            "CREATE INDEX message_on_recipient_created_at ON message (recipient, created_at)",
            "CREATE INDEX message_on_status_created_at ON message (status, created_at)",
            "CREATE INDEX message_on_created_at ON message (created_at)",
            """
            CREATE INDEX message_on_provider_message_id ON message (provider_message_id)
              WHERE provider_message_id IS NOT NULL
            """,
            """
            CREATE TABLE attempt (
              id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
              message_id TEXT NOT NULL REFERENCES message (id) ON DELETE CASCADE,
              account TEXT NOT NULL, provider TEXT NOT NULL, outcome TEXT NOT NULL, provider_code TEXT, message TEXT,
              provider_message_id TEXT, duration_ms INTEGER NOT NULL, decision TEXT NOT NULL, at TIMESTAMPTZ NOT NULL)
            """,
            "CREATE INDEX attempt_on_message_id ON attempt (message_id)",
            """
            CREATE INDEX attempt_on_provider_message_id ON attempt (provider_message_id)
              WHERE provider_message_id IS NOT NULL
            """,
            """
            CREATE TABLE status_event (
              id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
              message_id TEXT NOT NULL REFERENCES message (id) ON DELETE CASCADE,
              status TEXT NOT NULL, source TEXT NOT NULL, at TIMESTAMPTZ NOT NULL)
            """,
            "CREATE INDEX status_event_on_message_id ON status_event (message_id)",
            """
            CREATE TABLE idempotency_key (
              key TEXT PRIMARY KEY, request_hash TEXT NOT NULL, state TEXT NOT NULL, instance_id TEXT NOT NULL,
              message_ids TEXT NOT NULL, response_status INTEGER, response_body BYTEA,
              created_at TIMESTAMPTZ NOT NULL, expires_at TIMESTAMPTZ)
            """,
            "CREATE INDEX idempotency_key_on_expires_at ON idempotency_key (expires_at) WHERE expires_at IS NOT NULL",
        ]),
        shared,
    ]
}
