"""Bybit's WebSocket streams: live account state and prices, pushed instead of asked for."""
