"""Servers the tests start on 127.0.0.1 instead of reaching the internet."""
