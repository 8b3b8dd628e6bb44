"""The personal dashboard: its page, WebSocket feed, charts and PNG picture for Telegram."""
