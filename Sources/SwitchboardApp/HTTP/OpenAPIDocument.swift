/// The API described for tools and people. A test checks every registered route against it.
enum OpenAPIDocument {
    static let json = #"""
    {
      "openapi": "3.1.0",
      "info": {"title": "Switchboard", "version": "0.1.0", "description": "A self-hosted multi-provider WhatsApp messaging gateway."},
      "components": {
        "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        "schemas": {
          "Error": {"type": "object", "required": ["error"], "properties": {"error": {"type": "object", "required": ["code", "message"], "properties": {
            "code": {"type": "string", "enum": ["invalid_request", "invalid_recipient", "invalid_content", "needs_template", "opted_out", "provider_error", "no_route_available", "status_unknown", "unauthorized", "not_found", "method_not_allowed", "payload_too_large", "idempotency_key_reused", "idempotency_in_progress", "internal_error"]},
            "message": {"type": "string"}, "providerCode": {"type": "string"}, "needsTemplate": {"type": "boolean"}, "path": {"type": "string"},
            "messageId": {"type": "string"}, "attempts": {"type": "array", "items": {"$ref": "#/components/schemas/Attempt"}}}}}},
          "Attempt": {"type": "object", "required": ["account", "provider", "outcome", "durationMs"], "properties": {
            "account": {"type": "string"}, "provider": {"type": "string"}, "outcome": {"type": "string", "enum": ["accepted", "failed"]},
            "errorCode": {"type": "string"}, "providerCode": {"type": "string"}, "message": {"type": "string"}, "durationMs": {"type": "integer"}, "decision": {"type": "string"}}},
          "Message": {"type": "object", "required": ["id", "to", "status", "attempts", "createdAt"], "properties": {
            "id": {"type": "string"}, "to": {"type": "string"}, "status": {"type": "string", "enum": ["queued", "sending", "accepted", "sent", "delivered", "read", "failed", "unknown"]},
            "route": {"type": "string"}, "account": {"type": "string"}, "provider": {"type": "string"}, "providerMessageId": {"type": "string"},
            "attempts": {"type": "array", "items": {"$ref": "#/components/schemas/Attempt"}}, "createdAt": {"type": "string", "format": "date-time"},
            "error": {"type": "object"}, "history": {"type": "array", "items": {"type": "object"}}}},
          "SendRequest": {"type": "object", "required": ["to"], "additionalProperties": false, "properties": {
            "to": {"oneOf": [{"type": "string", "description": "One number, or several comma-separated"}, {"type": "array", "items": {"type": "string"}, "maxItems": 100}]},
            "text": {"type": "string", "maxLength": 4096},
            "template": {"type": "object", "required": ["name", "language"], "properties": {"name": {"type": "string"}, "language": {"type": "string"}, "params": {"type": "array", "items": {"type": "string"}}}},
            "from": {"type": "string", "description": "Pin an account by id or sender line"}, "route": {"type": "string", "description": "Pin a route by name"},
            "ref": {"type": "string", "maxLength": 255}, "ref1": {"type": "string", "maxLength": 255}, "ref2": {"type": "string", "maxLength": 255},
            "mode": {"type": "string", "enum": ["sync", "queued"], "description": "queued: answered 202 once stored; sent by the queue workers"},
            "validityMs": {"type": "integer", "minimum": 1000, "maximum": 604800000, "description": "queued: how long to keep retrying (default 24 h)"}}}
        },
        "responses": {"Error": {"description": "An error", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}}
      },
      "security": [{"bearer": []}],
      "paths": {
        "/healthz": {"get": {"summary": "Ready", "security": [], "responses": {"200": {"description": "Ready"}, "503": {"description": "The store refuses writes"}}}},
        "/metrics": {"get": {"summary": "Prometheus metrics", "security": [], "responses": {"200": {"description": "Prometheus text"}}}},
        "/openapi.json": {"get": {"summary": "This document", "security": [], "responses": {"200": {"description": "OpenAPI"}}}},
        "/v1/messages": {
          "post": {"summary": "Send a message to one or more recipients",
            "parameters": [{"name": "Idempotency-Key", "in": "header", "schema": {"type": "string", "maxLength": 255}},
              {"name": "Prefer", "in": "header", "schema": {"type": "string"}, "description": "respond-async queues the send, like mode: queued"}],
            "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/SendRequest"}}}},
            "responses": {"200": {"description": "One entry per recipient", "content": {"application/json": {"schema": {"type": "object", "properties": {"data": {"type": "array", "items": {"$ref": "#/components/schemas/Message"}}}}}}},
              "202": {"description": "Queued: one entry per recipient with status queued"},
              "400": {"$ref": "#/components/responses/Error"}, "401": {"$ref": "#/components/responses/Error"}, "409": {"$ref": "#/components/responses/Error"},
              "413": {"$ref": "#/components/responses/Error"}, "415": {"$ref": "#/components/responses/Error"}, "422": {"$ref": "#/components/responses/Error"}, "502": {"$ref": "#/components/responses/Error"},
              "503": {"$ref": "#/components/responses/Error"}, "504": {"$ref": "#/components/responses/Error"}}},
          "get": {"summary": "List messages, newest first",
            "parameters": [{"name": "to", "in": "query", "schema": {"type": "string"}}, {"name": "status", "in": "query", "schema": {"type": "string"}}, {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 200}}],
            "responses": {"200": {"description": "Messages", "content": {"application/json": {"schema": {"type": "object", "properties": {"data": {"type": "array", "items": {"$ref": "#/components/schemas/Message"}}}}}}}, "400": {"$ref": "#/components/responses/Error"}}}
        },
        "/v1/messages/{id}": {"get": {"summary": "A message with its attempts and status history",
          "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
          "responses": {"200": {"description": "The message", "content": {"application/json": {"schema": {"type": "object", "properties": {"data": {"$ref": "#/components/schemas/Message"}}}}}}, "404": {"$ref": "#/components/responses/Error"}}}},
        "/v1/route": {"get": {"summary": "Which account would carry a message, and why",
          "parameters": [{"name": "to", "in": "query", "required": true, "schema": {"type": "string"}}, {"name": "kind", "in": "query", "schema": {"type": "string", "enum": ["text", "template"]}}, {"name": "from", "in": "query", "schema": {"type": "string"}}, {"name": "route", "in": "query", "schema": {"type": "string"}}],
          "responses": {"200": {"description": "The route explanation"}, "400": {"$ref": "#/components/responses/Error"}}}},
        "/v1/accounts": {"get": {"summary": "Accounts with circuit state and recent outcomes", "responses": {"200": {"description": "Accounts"}}}},
        "/v1/templates": {"get": {"summary": "Templates of every account that can list them, tagged with the account", "responses": {"200": {"description": "Templates"}}}},
        "/v1/numbers": {"get": {"summary": "Sender lines of every account that can list them, tagged with the account", "responses": {"200": {"description": "Numbers"}}}},
        "/v1/conversations": {"get": {"summary": "Customers, most recent first, with their 24-hour window state",
          "parameters": [{"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 200}}],
          "responses": {"200": {"description": "Conversations"}, "400": {"$ref": "#/components/responses/Error"}}}},
        "/v1/conversations/{phone}/messages": {"get": {"summary": "The thread with one customer across providers, oldest first",
          "parameters": [{"name": "phone", "in": "path", "required": true, "schema": {"type": "string"}}, {"name": "limit", "in": "query", "schema": {"type": "integer"}}],
          "responses": {"200": {"description": "Messages in and out"}, "400": {"$ref": "#/components/responses/Error"}}}},
        "/v1/webhooks": {
          "post": {"summary": "Register a webhook; the signing secret is shown only in this answer",
            "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["url"], "properties": {
              "url": {"type": "string"}, "events": {"type": "array", "items": {"type": "string", "enum": ["message.received", "message.status", "message.optout", "message.failed"]}}}}}}},
            "responses": {"201": {"description": "{data: {id, url, events, secret}}"}, "400": {"$ref": "#/components/responses/Error"}, "415": {"$ref": "#/components/responses/Error"}}},
          "get": {"summary": "Registered webhooks (without secrets)", "responses": {"200": {"description": "Webhooks"}}}
        },
        "/v1/webhooks/{id}": {"delete": {"summary": "Remove a webhook; pending deliveries are cancelled",
          "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
          "responses": {"204": {"description": "Removed"}, "404": {"$ref": "#/components/responses/Error"}}}},
        "/v1/webhooks/{id}/deliveries": {"get": {"summary": "Each delivery with its attempts, response statuses and next retry",
          "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
          "responses": {"200": {"description": "Deliveries"}, "404": {"$ref": "#/components/responses/Error"}}}},
        "/inbound/{provider}/{account}": {
          "get": {"summary": "A provider's callback (a verification handshake, or a status or message as query parameters)", "security": [],
            "parameters": [{"name": "provider", "in": "path", "required": true, "schema": {"type": "string"}}, {"name": "account", "in": "path", "required": true, "schema": {"type": "string"}}],
            "responses": {"200": {"description": "Taken"}, "401": {"$ref": "#/components/responses/Error"}, "403": {"$ref": "#/components/responses/Error"}, "404": {"$ref": "#/components/responses/Error"}}},
          "post": {"summary": "A provider's signed or token-guarded callback", "security": [],
            "parameters": [{"name": "provider", "in": "path", "required": true, "schema": {"type": "string"}}, {"name": "account", "in": "path", "required": true, "schema": {"type": "string"}}],
            "responses": {"200": {"description": "Taken"}, "401": {"$ref": "#/components/responses/Error"}, "404": {"$ref": "#/components/responses/Error"}}}
        },
        "/inbound/{provider}/{account}/{event}": {
          "get": {"summary": "A provider's callback at a sub-path (Kaleyra's status and receive)", "security": [],
            "parameters": [{"name": "provider", "in": "path", "required": true, "schema": {"type": "string"}}, {"name": "account", "in": "path", "required": true, "schema": {"type": "string"}}, {"name": "event", "in": "path", "required": true, "schema": {"type": "string"}}],
            "responses": {"200": {"description": "Taken"}, "401": {"$ref": "#/components/responses/Error"}, "404": {"$ref": "#/components/responses/Error"}}},
          "post": {"summary": "The same, as a form or JSON body", "security": [],
            "parameters": [{"name": "provider", "in": "path", "required": true, "schema": {"type": "string"}}, {"name": "account", "in": "path", "required": true, "schema": {"type": "string"}}, {"name": "event", "in": "path", "required": true, "schema": {"type": "string"}}],
            "responses": {"200": {"description": "Taken"}, "401": {"$ref": "#/components/responses/Error"}, "404": {"$ref": "#/components/responses/Error"}}}
        }
      }
    }
    """#
}
