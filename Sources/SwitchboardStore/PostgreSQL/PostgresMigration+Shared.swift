extension PostgresMigration {
    /// The queue, inbox, webhook outbox and what several instances share: who is alive (`gateway_instance`), which
    /// accounts are held (`account_health`) and each sender line's token bucket (`line_bucket`).
    static let shared = PostgresMigration(version: "v2-queue-inbox-instances", statements: [
        """
        ALTER TABLE message
          ADD COLUMN pin_from TEXT, ADD COLUMN pin_route TEXT, ADD COLUMN not_before TIMESTAMPTZ,
          ADD COLUMN expires_at TIMESTAMPTZ, ADD COLUMN queue_attempts INTEGER NOT NULL DEFAULT 0,
          ADD COLUMN dispatch_started_at TIMESTAMPTZ, ADD COLUMN owner TEXT
        """,
        "CREATE INDEX message_on_queue ON message (not_before) WHERE status = 'queued'",
        "CREATE INDEX message_on_owner ON message (owner) WHERE status = 'sending'",
        """
        CREATE TABLE conversation_message (
          seq BIGINT GENERATED ALWAYS AS IDENTITY, id TEXT PRIMARY KEY, customer TEXT NOT NULL, account TEXT NOT NULL,
          provider TEXT NOT NULL, direction TEXT NOT NULL, kind TEXT NOT NULL, body TEXT, message_id TEXT,
          provider_message_id TEXT, at TIMESTAMPTZ NOT NULL)
        """,
        "CREATE INDEX conversation_message_on_customer_at ON conversation_message (customer, at, seq)",
        """
        CREATE TABLE conversation_window (
          customer TEXT NOT NULL, account TEXT NOT NULL, last_inbound_at TIMESTAMPTZ NOT NULL,
          PRIMARY KEY (customer, account))
        """,
        """
        CREATE TABLE customer (
          phone TEXT PRIMARY KEY, opted_out BOOLEAN NOT NULL DEFAULT false, last_message_at TIMESTAMPTZ NOT NULL,
          last_direction TEXT NOT NULL)
        """,
        "CREATE INDEX customer_on_last_message_at ON customer (last_message_at)",
        "CREATE TABLE inbound_event (key TEXT PRIMARY KEY, received_at TIMESTAMPTZ NOT NULL)",
        "CREATE INDEX inbound_event_on_received_at ON inbound_event (received_at)",
        """
        CREATE TABLE webhook (
          id TEXT PRIMARY KEY, url TEXT NOT NULL, events TEXT NOT NULL, secret TEXT NOT NULL,
          created_at TIMESTAMPTZ NOT NULL, disabled_at TIMESTAMPTZ, deleted_at TIMESTAMPTZ)
        """,
        """
        CREATE TABLE webhook_delivery (
          id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, webhook_id TEXT NOT NULL REFERENCES webhook (id),
          event_id TEXT NOT NULL, event_type TEXT NOT NULL, payload BYTEA NOT NULL, status TEXT NOT NULL,
          attempts INTEGER NOT NULL, next_attempt_at TIMESTAMPTZ, created_at TIMESTAMPTZ NOT NULL,
          UNIQUE (webhook_id, event_id))
        """,
        "CREATE INDEX webhook_delivery_due ON webhook_delivery (next_attempt_at, id) WHERE status = 'pending'",
        """
        CREATE TABLE webhook_attempt (
          id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
          delivery_id BIGINT NOT NULL REFERENCES webhook_delivery (id) ON DELETE CASCADE,
          at TIMESTAMPTZ NOT NULL, status_code INTEGER, error TEXT, duration_ms INTEGER NOT NULL)
        """,
        "CREATE INDEX webhook_attempt_on_delivery_id ON webhook_attempt (delivery_id)",
        """
        CREATE TABLE gateway_instance (
          id TEXT PRIMARY KEY, started_at TIMESTAMPTZ NOT NULL, lease_until TIMESTAMPTZ NOT NULL)
        """,
        """
        CREATE TABLE account_health (
          account TEXT PRIMARY KEY, open_until TIMESTAMPTZ, retry_after_until TIMESTAMPTZ,
          updated_at TIMESTAMPTZ NOT NULL)
        """,
        "CREATE TABLE line_schedule (line TEXT PRIMARY KEY, next_slot_at TIMESTAMPTZ NOT NULL)",
    ])
}
